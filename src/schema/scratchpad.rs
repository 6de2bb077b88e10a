//! ScratchpadSummary: a free-form agent scratchpad, normalized.

use super::common::{Provenance, Violations};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The structure found in an agent's scratchpad file; honest when there is little.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ScratchpadSummary {
    /// Always 1 for this build.
    pub schema_version: u32,
    /// What the agent set out to do, when stated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub objective: Option<String>,
    /// Items marked done.
    #[serde(default)]
    pub completed: Vec<String>,
    /// Items marked failed.
    #[serde(default)]
    pub failed: Vec<String>,
    /// Items still open.
    #[serde(default)]
    pub pending: Vec<String>,
    /// Paths the scratchpad names.
    #[serde(default)]
    pub important_paths: Vec<String>,
    /// Decisions recorded.
    #[serde(default)]
    pub decisions: Vec<String>,
    /// Questions left open.
    #[serde(default)]
    pub unresolved_questions: Vec<String>,
    /// What the scratchpad says about validation, or that it says nothing.
    pub validation_status: String,
    /// The next command the agent meant to run.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_command: Option<String>,
    /// SHA-256 of the scratchpad file's bytes.
    pub source_sha256: String,
    /// Where the scratchpad came from.
    pub provenance: Provenance,
}

impl ScratchpadSummary {
    /// Check every invariant of the record.
    pub fn validate(&self, v: &mut Violations) {
        v.schema_version(self.schema_version);
        v.non_empty(&self.validation_status, "validation_status");
        v.sha256_hex(&self.source_sha256, "source_sha256");
        v.provenance(&self.provenance, "provenance");
    }
}

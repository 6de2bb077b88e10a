//! Playbook: what accepted runs of one kind of task teach, with the runs cited.

use super::common::{Provenance, Violations};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Reusable know-how distilled from accepted runs of one task type and problem pattern.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Playbook {
    /// Always 1 for this build.
    pub schema_version: u32,
    /// Stable id: hash of task type and problem pattern.
    pub playbook_id: String,
    /// Task type the playbook covers.
    pub task_type: String,
    /// Normalized task/failure signature the playbook covers.
    pub problem_pattern: String,
    /// Context that helped.
    #[serde(default)]
    pub useful_context: Vec<String>,
    /// Models in the order they were tried.
    #[serde(default)]
    pub model_routing_path: Vec<String>,
    /// Commands that worked.
    #[serde(default)]
    pub commands_worked: Vec<String>,
    /// Commands that failed.
    #[serde(default)]
    pub commands_failed: Vec<String>,
    /// Checks that proved the work.
    #[serde(default)]
    pub validation_steps: Vec<String>,
    /// Files the runs touched.
    #[serde(default)]
    pub files_touched: Vec<String>,
    /// What the failing runs did before the accepted one.
    #[serde(default)]
    pub recovery_strategy: Vec<String>,
    /// Failure modes seen on the way.
    #[serde(default)]
    pub known_failure_modes: Vec<String>,
    /// What "done" meant; never empty.
    #[schemars(length(min = 1))]
    pub acceptance_criteria: Vec<String>,
    /// The accepted runs the playbook is drawn from; never empty.
    #[schemars(length(min = 1))]
    pub source_run_ids: Vec<String>,
    /// Provenance of each source run, in the order of `source_run_ids`.
    #[schemars(length(min = 1))]
    pub provenance: Vec<Provenance>,
}

impl Playbook {
    /// Check every invariant of the record.
    pub fn validate(&self, v: &mut Violations) {
        v.schema_version(self.schema_version);
        v.non_empty(&self.playbook_id, "playbook_id");
        v.non_empty(&self.task_type, "task_type");
        v.non_empty(&self.problem_pattern, "problem_pattern");
        v.non_empty_list(&self.acceptance_criteria, "acceptance_criteria");
        v.non_empty_list(&self.source_run_ids, "source_run_ids");
        v.non_empty_list(&self.provenance, "provenance");
        for (i, p) in self.provenance.iter().enumerate() {
            v.provenance(p, format_args!("provenance[{i}]"));
        }
    }
}

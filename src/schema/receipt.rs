//! Receipt: an in-toto Statement v1 attesting what one stage read and wrote.

use super::common::Violations;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The in-toto Statement type every receipt carries.
pub const STATEMENT_TYPE: &str = "https://in-toto.io/Statement/v1";
/// Our predicate type; its trailing version is the receipt schema version.
pub const PREDICATE_TYPE: &str = "https://git-distill.dev/receipt/v1";

/// An in-toto Statement v1 with a git-distill stage predicate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Receipt {
    /// Always `https://in-toto.io/Statement/v1`.
    #[serde(rename = "_type")]
    pub statement_type: String,
    /// What the receipt attests: the outputs, or the source commit when there are none.
    #[schemars(length(min = 1))]
    pub subject: Vec<Artifact>,
    /// Always `https://git-distill.dev/receipt/v1`; another version is refused.
    #[serde(rename = "predicateType")]
    pub predicate_type: String,
    /// The stage's account of its run.
    pub predicate: StagePredicate,
}

/// A named artifact and its digest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Artifact {
    /// File path, notes ref path or `git:<commit>`.
    pub name: String,
    /// Digests by algorithm; `sha256` is required.
    pub digest: Digest,
    /// Extra integer facts about the artifact.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub annotations: Option<ArtifactAnnotations>,
}

/// Digest set of an artifact.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Digest {
    /// 64 lowercase hex.
    pub sha256: String,
    /// The git object id, when the artifact is a git object.
    #[serde(rename = "gitCommit", default, skip_serializing_if = "Option::is_none")]
    pub git_commit: Option<String>,
}

/// Integer facts about an artifact.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ArtifactAnnotations {
    /// Records (lines) in the artifact.
    #[serde(rename = "recordCount")]
    pub record_count: u64,
}

/// The receipt predicate: what ran, on what, producing what, and whether it validated.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StagePredicate {
    /// `collect`, `score`, `ledger`, `playbooks`, `scratchpad`, `export`, `drift`.
    pub stage: String,
    /// The argv of the command that ran the stage.
    pub command: Vec<String>,
    /// The tool and its version.
    pub tool: Tool,
    /// The commit the stage ran at.
    pub source: Source,
    /// What the stage read, hashed before reading.
    pub inputs: Vec<Artifact>,
    /// What the stage wrote.
    pub outputs: Vec<Artifact>,
    /// Records in and out.
    #[serde(rename = "recordCounts")]
    pub record_counts: RecordCounts,
    /// Validators run and their findings.
    pub validation: Validation,
    /// When the stage ran.
    pub timing: Timing,
    /// Secrets redacted before anything was written, by rule (collect).
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub redactions: std::collections::BTreeMap<String, u64>,
}

/// Tool identity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Tool {
    /// Always `git-distill`.
    pub id: String,
    /// The tool's version.
    pub version: String,
}

/// The git state the stage ran at.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// Commit id (40 or 64 hex).
    #[serde(rename = "gitCommit")]
    pub git_commit: String,
    /// Tree id of that commit.
    #[serde(rename = "gitTree")]
    pub git_tree: String,
    /// The ref checked out, or empty when detached.
    #[serde(rename = "ref")]
    pub reference: String,
    /// Whether the work tree had uncommitted changes.
    pub dirty: bool,
}

/// Record counts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RecordCounts {
    /// Records read.
    #[serde(rename = "in")]
    pub records_in: u64,
    /// Records written.
    #[serde(rename = "out")]
    pub records_out: u64,
    /// Records quarantined, for stages that quarantine.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quarantined: Option<u64>,
}

/// Validation outcome.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Validation {
    /// True only when every declared validator ran and no error was found.
    pub pass: bool,
    /// The validators declared and run.
    pub validators: Vec<String>,
    /// Errors found.
    pub errors: Vec<Finding>,
    /// Warnings found.
    pub warnings: Vec<Finding>,
}

/// One validation finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Finding {
    /// Stable machine code (`schema.invalid`, `input.changed`).
    pub code: String,
    /// What was found.
    pub message: String,
    /// Where (`file:line`), or empty.
    pub location: String,
}

/// When the stage ran.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Timing {
    /// RFC 3339 UTC with milliseconds.
    #[serde(rename = "startedAt")]
    pub started_at: String,
    /// RFC 3339 UTC with milliseconds; not before `startedAt`.
    #[serde(rename = "endedAt")]
    pub ended_at: String,
    /// Milliseconds between the two.
    #[serde(rename = "durationMs")]
    pub duration_ms: u64,
}

impl Receipt {
    /// Check every invariant of the receipt that needs only the receipt itself.
    pub fn validate(&self, v: &mut Violations) {
        v.check(
            self.statement_type == STATEMENT_TYPE,
            "_type",
            "must be https://in-toto.io/Statement/v1",
        );
        if self.predicate_type != PREDICATE_TYPE {
            v.push(
                "predicateType",
                format!(
                    "unsupported receipt version `{}`; this build supports {PREDICATE_TYPE}",
                    self.predicate_type
                ),
            );
        }
        v.non_empty_list(&self.subject, "subject");
        for (i, a) in self.subject.iter().enumerate() {
            artifact(v, a, &format!("subject[{i}]"));
        }
        let p = &self.predicate;
        v.non_empty(&p.stage, "predicate.stage");
        v.non_empty_list(&p.command, "predicate.command");
        v.non_empty(&p.tool.id, "predicate.tool.id");
        v.non_empty(&p.tool.version, "predicate.tool.version");
        v.git_id(&p.source.git_commit, "predicate.source.gitCommit");
        v.git_id(&p.source.git_tree, "predicate.source.gitTree");
        v.check(
            p.source.git_commit.len() == p.source.git_tree.len(),
            "predicate.source.gitTree",
            "must use the same object format as gitCommit",
        );
        for (i, a) in p.inputs.iter().enumerate() {
            artifact(v, a, &format!("predicate.inputs[{i}]"));
        }
        for (i, a) in p.outputs.iter().enumerate() {
            artifact(v, a, &format!("predicate.outputs[{i}]"));
        }
        let validation = &p.validation;
        v.check(
            validation.pass == (validation.errors.is_empty() && !validation.validators.is_empty()),
            "predicate.validation.pass",
            "must be true exactly when validators ran and found no error",
        );
        v.timestamp(&p.timing.started_at, "predicate.timing.startedAt");
        v.timestamp(&p.timing.ended_at, "predicate.timing.endedAt");
        if let (Ok(start), Ok(end)) = (
            p.timing.started_at.parse::<jiff::Timestamp>(),
            p.timing.ended_at.parse::<jiff::Timestamp>(),
        ) {
            v.check(end >= start, "predicate.timing.endedAt", "must not be before startedAt");
        }
    }
}

fn artifact(v: &mut Violations, a: &Artifact, at: &str) {
    v.non_empty(&a.name, format_args!("{at}.name"));
    v.sha256_hex(&a.digest.sha256, format_args!("{at}.digest.sha256"));
    if let Some(id) = &a.digest.git_commit {
        v.git_id(id, format_args!("{at}.digest.gitCommit"));
    }
}

/// Receipts hold integers only and no nulls: report the first float or null found.
pub fn integers_only(value: &Value, path: &str, v: &mut Violations) {
    match value {
        Value::Null => v.push(path_or_root(path), "null is not allowed in a receipt"),
        Value::Number(n) if !(n.is_i64() || n.is_u64()) => v.push(path_or_root(path), "receipts hold integers only"),
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                integers_only(item, &format!("{path}[{i}]"), v);
            }
        }
        Value::Object(map) => {
            for (k, item) in map {
                let child = if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}.{k}")
                };
                integers_only(item, &child, v);
            }
        }
        _ => {}
    }
}

fn path_or_root(path: &str) -> String {
    if path.is_empty() { "(root)".into() } else { path.into() }
}

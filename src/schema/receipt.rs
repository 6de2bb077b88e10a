//! Receipt: an in-toto Statement v1 attesting what one stage read and wrote, stored with
//! git-distill's stage predicate or — the export stage — as SLSA Provenance v1.

use super::common::Violations;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;

/// The in-toto Statement type every receipt carries.
pub const STATEMENT_TYPE: &str = "https://in-toto.io/Statement/v1";
/// Our predicate type; its trailing version is the receipt schema version.
pub const PREDICATE_TYPE: &str = "https://git-distill.dev/receipt/v1";
/// SLSA Provenance v1, the predicate of the export stage's receipts.
pub const SLSA_PROVENANCE_TYPE: &str = "https://slsa.dev/provenance/v1";
/// Every predicate type this build reads and writes.
pub const PREDICATE_TYPES: [&str; 2] = [PREDICATE_TYPE, SLSA_PROVENANCE_TYPE];
/// The SLSA `builder.id` of git-distill run by whoever can write to the repository: the
/// provenance is as trustworthy as its signature (SLSA Build L1 at most).
pub const BUILDER_ID: &str = "https://git-distill.dev/builders/local/v1";
/// The SLSA `buildType` of a stage is this prefix, the stage and `/v1`.
pub const BUILD_TYPE_PREFIX: &str = "https://git-distill.dev/buildtypes/";

/// The SLSA `buildType` of `stage`.
pub fn build_type(stage: &str) -> String {
    format!("{BUILD_TYPE_PREFIX}{stage}/v1")
}

/// An in-toto Statement v1 about one stage run.
///
/// In memory the predicate is always the stage's account ([`StagePredicate`]);
/// `predicate_type` decides how it is stored: as git-distill's own predicate, or as SLSA
/// Provenance v1 ([`SlsaProvenance`]), each field in its SLSA place. Both stored forms read
/// back to the same value, so `verify`, `receipts` and `status` treat them alike.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(try_from = "StoredReceipt", into = "StoredReceipt")]
#[schemars(
    title = "Receipt",
    description = "An in-toto Statement v1 about one stage run: with git-distill's stage predicate, or (the export stage) SLSA Provenance v1."
)]
pub struct Receipt {
    /// Always `https://in-toto.io/Statement/v1`.
    pub statement_type: String,
    /// What the receipt attests: the outputs, or the source commit when there are none.
    pub subject: Vec<Artifact>,
    /// [`PREDICATE_TYPE`] or [`SLSA_PROVENANCE_TYPE`]; another is refused.
    pub predicate_type: String,
    /// The stage's account of its run.
    pub predicate: StagePredicate,
}

/// A receipt as stored: an in-toto Statement v1 whose `predicateType` says which
/// predicate follows.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
#[serde(untagged)]
pub enum StoredReceipt {
    /// git-distill's stage predicate (every stage but export, and export receipts
    /// written before it used SLSA).
    Stage(StageStatement),
    /// SLSA Provenance v1 (the export stage).
    Provenance(ProvenanceStatement),
}

impl<'de> Deserialize<'de> for StoredReceipt {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = Value::deserialize(deserializer)?;
        let provenance = value.get("predicateType").and_then(Value::as_str) == Some(SLSA_PROVENANCE_TYPE);
        let stored = if provenance {
            serde_json::from_value(value).map(StoredReceipt::Provenance)
        } else {
            serde_json::from_value(value).map(StoredReceipt::Stage)
        };
        stored.map_err(serde::de::Error::custom)
    }
}

/// An in-toto Statement v1 with git-distill's stage predicate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StageStatement {
    /// Always `https://in-toto.io/Statement/v1`.
    #[serde(rename = "_type")]
    pub statement_type: String,
    /// What the receipt attests: the outputs, or the source commit when there are none.
    #[schemars(length(min = 1))]
    pub subject: Vec<Artifact>,
    /// Always `https://git-distill.dev/receipt/v1`; another version is refused.
    #[serde(rename = "predicateType")]
    #[schemars(extend("const" = PREDICATE_TYPE))]
    pub predicate_type: String,
    /// The stage's account of its run.
    pub predicate: StagePredicate,
}

/// An in-toto Statement v1 with an SLSA Provenance v1 predicate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ProvenanceStatement {
    /// Always `https://in-toto.io/Statement/v1`.
    #[serde(rename = "_type")]
    pub statement_type: String,
    /// The outputs (the files built), or the source commit when there are none.
    #[schemars(length(min = 1))]
    pub subject: Vec<Artifact>,
    /// Always `https://slsa.dev/provenance/v1`.
    #[serde(rename = "predicateType")]
    #[schemars(extend("const" = SLSA_PROVENANCE_TYPE))]
    pub predicate_type: String,
    /// How the outputs were built.
    pub predicate: SlsaProvenance,
}

/// SLSA Provenance v1 (<https://slsa.dev/provenance/v1>) of one stage run. Fields SLSA has
/// no place for are extension fields of `runDetails` named `gitdistill_*`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct SlsaProvenance {
    /// The inputs of the run.
    pub build_definition: BuildDefinition,
    /// This execution.
    pub run_details: RunDetails,
}

/// SLSA `buildDefinition`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct BuildDefinition {
    /// `https://git-distill.dev/buildtypes/<stage>/v1`.
    pub build_type: String,
    /// What the user chose: the command line and the repository state it ran at.
    pub external_parameters: ExternalParameters,
    /// What git-distill chose: the validators it ran on what it built.
    pub internal_parameters: InternalParameters,
    /// The inputs, with their digests (notes pinned to the notes commit they were read at).
    pub resolved_dependencies: Vec<Artifact>,
}

/// SLSA `externalParameters` of a stage run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ExternalParameters {
    /// The argv of the command that ran the stage.
    pub command: Vec<String>,
    /// The commit the stage ran at.
    pub source: Source,
}

/// SLSA `internalParameters` of a stage run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct InternalParameters {
    /// The validators run on what was built.
    pub validators: Vec<String>,
}

/// SLSA `runDetails`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RunDetails {
    /// Who built: git-distill and its version.
    pub builder: Builder,
    /// When.
    pub metadata: BuildMetadata,
    /// Records in and out (extension field).
    #[serde(rename = "gitdistill_recordCounts")]
    pub record_counts: RecordCounts,
    /// What the validators found (extension field).
    #[serde(rename = "gitdistill_validation")]
    pub validation: ValidationOutcome,
    /// Secrets redacted, by rule (extension field; absent when none).
    #[serde(
        rename = "gitdistill_redactions",
        default,
        skip_serializing_if = "BTreeMap::is_empty"
    )]
    pub redactions: BTreeMap<String, u64>,
}

/// SLSA `builder`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Builder {
    /// Always `https://git-distill.dev/builders/local/v1`.
    pub id: String,
    /// The tool and its version: `{"git-distill": "0.1.0"}`.
    pub version: BTreeMap<String, String>,
}

/// SLSA `metadata`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct BuildMetadata {
    /// RFC 3339 UTC with milliseconds.
    pub started_on: String,
    /// RFC 3339 UTC with milliseconds; not before `startedOn`.
    pub finished_on: String,
}

/// The validators' findings (their names are `internalParameters.validators`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ValidationOutcome {
    /// True only when every declared validator ran and no error was found.
    pub pass: bool,
    /// Errors found.
    pub errors: Vec<Finding>,
    /// Warnings found.
    pub warnings: Vec<Finding>,
}

/// A stored SLSA receipt that does not describe a git-distill stage run.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct PredicateError {
    /// The field at fault.
    pub field: String,
    /// What is wrong with it.
    pub message: String,
}

impl From<Receipt> for StoredReceipt {
    fn from(r: Receipt) -> StoredReceipt {
        if r.predicate_type != SLSA_PROVENANCE_TYPE {
            return StoredReceipt::Stage(StageStatement {
                statement_type: r.statement_type,
                subject: r.subject,
                predicate_type: r.predicate_type,
                predicate: r.predicate,
            });
        }
        // The outputs are the subject (the builder makes them equal); SLSA lists them once.
        let p = r.predicate;
        StoredReceipt::Provenance(ProvenanceStatement {
            statement_type: r.statement_type,
            subject: r.subject,
            predicate_type: r.predicate_type,
            predicate: SlsaProvenance {
                build_definition: BuildDefinition {
                    build_type: build_type(&p.stage),
                    external_parameters: ExternalParameters {
                        command: p.command,
                        source: p.source,
                    },
                    internal_parameters: InternalParameters {
                        validators: p.validation.validators,
                    },
                    resolved_dependencies: p.inputs,
                },
                run_details: RunDetails {
                    builder: Builder {
                        id: BUILDER_ID.to_owned(),
                        version: BTreeMap::from([(p.tool.id, p.tool.version)]),
                    },
                    metadata: BuildMetadata {
                        started_on: p.timing.started_at,
                        finished_on: p.timing.ended_at,
                    },
                    record_counts: p.record_counts,
                    validation: ValidationOutcome {
                        pass: p.validation.pass,
                        errors: p.validation.errors,
                        warnings: p.validation.warnings,
                    },
                    redactions: p.redactions,
                },
            },
        })
    }
}

impl TryFrom<StoredReceipt> for Receipt {
    type Error = PredicateError;

    fn try_from(stored: StoredReceipt) -> Result<Receipt, PredicateError> {
        let s = match stored {
            StoredReceipt::Stage(s) => {
                return Ok(Receipt {
                    statement_type: s.statement_type,
                    subject: s.subject,
                    predicate_type: s.predicate_type,
                    predicate: s.predicate,
                });
            }
            StoredReceipt::Provenance(s) => s,
        };
        let error = |field: &str, message: String| PredicateError {
            field: format!("predicate.{field}"),
            message,
        };
        let (definition, run) = (s.predicate.build_definition, s.predicate.run_details);
        let stage = definition
            .build_type
            .strip_prefix(BUILD_TYPE_PREFIX)
            .and_then(|rest| rest.strip_suffix("/v1"))
            .filter(|stage| !stage.is_empty() && !stage.contains('/'))
            .ok_or_else(|| {
                error(
                    "buildDefinition.buildType",
                    format!(
                        "`{}` is not a git-distill stage ({})",
                        definition.build_type,
                        build_type("<stage>")
                    ),
                )
            })?;
        if run.builder.id != BUILDER_ID {
            return Err(error(
                "runDetails.builder.id",
                format!("`{}` is not git-distill ({BUILDER_ID})", run.builder.id),
            ));
        }
        let mut versions = run.builder.version.into_iter();
        let (Some((tool, version)), None) = (versions.next(), versions.next()) else {
            return Err(error(
                "runDetails.builder.version",
                "must name exactly one tool and its version".into(),
            ));
        };
        let source = definition.external_parameters.source;
        let commit = crate::store::ArtifactName::Commit(source.git_commit.clone()).to_string();
        let outputs = match s.subject.as_slice() {
            [only] if only.name == commit => Vec::new(),
            _ => s.subject.clone(),
        };
        let (started, ended) = (run.metadata.started_on, run.metadata.finished_on);
        let duration_ms = match (started.parse::<jiff::Timestamp>(), ended.parse::<jiff::Timestamp>()) {
            (Ok(start), Ok(end)) => u64::try_from(end.duration_since(start).as_millis()).unwrap_or(0),
            _ => 0,
        };
        Ok(Receipt {
            statement_type: s.statement_type,
            subject: s.subject,
            predicate_type: s.predicate_type,
            predicate: StagePredicate {
                stage: stage.to_owned(),
                command: definition.external_parameters.command,
                tool: Tool { id: tool, version },
                source,
                inputs: definition.resolved_dependencies,
                outputs,
                record_counts: run.record_counts,
                validation: Validation {
                    pass: run.validation.pass,
                    validators: definition.internal_parameters.validators,
                    errors: run.validation.errors,
                    warnings: run.validation.warnings,
                },
                timing: Timing {
                    started_at: started,
                    ended_at: ended,
                    duration_ms,
                },
                redactions: run.redactions,
            },
        })
    }
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

/// Where an SLSA receipt stores a field of the stage predicate, so that a finding names
/// the field as it is stored.
const SLSA_FIELDS: [(&str, &str); 11] = [
    ("predicate.stage", "predicate.buildDefinition.buildType"),
    (
        "predicate.command",
        "predicate.buildDefinition.externalParameters.command",
    ),
    (
        "predicate.source",
        "predicate.buildDefinition.externalParameters.source",
    ),
    ("predicate.inputs", "predicate.buildDefinition.resolvedDependencies"),
    ("predicate.outputs", "subject"),
    ("predicate.tool", "predicate.runDetails.builder.version"),
    (
        "predicate.validation.validators",
        "predicate.buildDefinition.internalParameters.validators",
    ),
    ("predicate.validation", "predicate.runDetails.gitdistill_validation"),
    ("predicate.timing.startedAt", "predicate.runDetails.metadata.startedOn"),
    ("predicate.timing.endedAt", "predicate.runDetails.metadata.finishedOn"),
    ("predicate.recordCounts", "predicate.runDetails.gitdistill_recordCounts"),
];

fn slsa_field(field: String) -> String {
    match SLSA_FIELDS.iter().find(|(ours, _)| field.starts_with(ours)) {
        Some((ours, stored)) if *ours == "predicate.tool" => (*stored).to_owned(),
        Some((ours, stored)) => format!("{stored}{}", &field[ours.len()..]),
        None => field,
    }
}

impl Receipt {
    /// Check every invariant of the receipt that needs only the receipt itself. Findings
    /// name fields as the receipt's predicate type stores them.
    pub fn validate(&self, v: &mut Violations) {
        let mut found = Violations::default();
        self.validate_predicate(&mut found);
        for violation in found.into_vec() {
            let field = if self.predicate_type == SLSA_PROVENANCE_TYPE {
                slsa_field(violation.field)
            } else {
                violation.field
            };
            v.push(field, violation.message);
        }
    }

    fn validate_predicate(&self, v: &mut Violations) {
        v.check(
            self.statement_type == STATEMENT_TYPE,
            "_type",
            "must be https://in-toto.io/Statement/v1",
        );
        if !PREDICATE_TYPES.contains(&self.predicate_type.as_str()) {
            v.push(
                "predicateType",
                format!(
                    "unsupported receipt version `{}`; this build supports {}",
                    self.predicate_type,
                    PREDICATE_TYPES.join(" and ")
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::{Kind, Record, validate_line};

    fn receipt(predicate_type: &str) -> Receipt {
        let output = Artifact {
            name: "refs/distill/datasets/demo:sft/train.parquet".into(),
            digest: Digest {
                sha256: "d".repeat(64),
                git_commit: Some("3".repeat(40)),
            },
            annotations: Some(ArtifactAnnotations { record_count: 2 }),
        };
        Receipt {
            statement_type: STATEMENT_TYPE.into(),
            subject: vec![output.clone()],
            predicate_type: predicate_type.into(),
            predicate: StagePredicate {
                stage: "export".into(),
                command: vec!["git-distill".into(), "export".into()],
                tool: Tool {
                    id: "git-distill".into(),
                    version: "0.1.0".into(),
                },
                source: Source {
                    git_commit: "1".repeat(40),
                    git_tree: "2".repeat(40),
                    reference: "refs/heads/main".into(),
                    dirty: false,
                },
                inputs: vec![Artifact {
                    name: format!("refs/notes/distill/scores:{}", "1".repeat(40)),
                    digest: Digest {
                        sha256: "e".repeat(64),
                        git_commit: Some("4".repeat(40)),
                    },
                    annotations: Some(ArtifactAnnotations { record_count: 6 }),
                }],
                outputs: vec![output],
                record_counts: RecordCounts {
                    records_in: 6,
                    records_out: 2,
                    quarantined: None,
                },
                validation: Validation {
                    pass: true,
                    validators: vec!["sft-write-guard".into()],
                    errors: vec![],
                    warnings: vec![Finding {
                        code: "dedup.exact".into(),
                        message: "1 exact duplicates removed".into(),
                        location: "sft".into(),
                    }],
                },
                timing: Timing {
                    started_at: "2026-11-30T10:00:00.000Z".into(),
                    ended_at: "2026-11-30T10:00:00.250Z".into(),
                    duration_ms: 250,
                },
                redactions: BTreeMap::new(),
            },
        }
    }

    fn stored(r: &Receipt) -> String {
        String::from_utf8(crate::schema::canonical_bytes(r).unwrap()).unwrap()
    }

    #[test]
    fn both_stored_forms_read_back_to_the_same_receipt() {
        for predicate_type in PREDICATE_TYPES {
            let r = receipt(predicate_type);
            let line = stored(&r);
            assert_eq!(serde_json::from_str::<Receipt>(&line).unwrap(), r, "{line}");
            match validate_line(Kind::Receipt, &line) {
                Ok(Record::Receipt(read)) => assert_eq!(*read, r),
                other => panic!("{predicate_type}: {other:?}"),
            }
        }
    }

    #[test]
    fn the_slsa_form_puts_each_field_in_its_slsa_place() {
        let value: Value = serde_json::from_str(&stored(&receipt(SLSA_PROVENANCE_TYPE))).unwrap();
        let p = &value["predicate"];
        assert_eq!(value["predicateType"], "https://slsa.dev/provenance/v1");
        let definition = &p["buildDefinition"];
        assert_eq!(definition["buildType"], "https://git-distill.dev/buildtypes/export/v1");
        assert_eq!(definition["externalParameters"]["command"][1], "export");
        assert_eq!(definition["externalParameters"]["source"]["ref"], "refs/heads/main");
        assert_eq!(definition["internalParameters"]["validators"][0], "sft-write-guard");
        assert_eq!(
            definition["resolvedDependencies"][0]["digest"]["gitCommit"],
            "4".repeat(40)
        );
        let run = &p["runDetails"];
        assert_eq!(run["builder"]["id"], BUILDER_ID);
        assert_eq!(run["builder"]["version"]["git-distill"], "0.1.0");
        assert_eq!(run["metadata"]["finishedOn"], "2026-11-30T10:00:00.250Z");
        assert_eq!(run["gitdistill_recordCounts"]["out"], 2);
        assert_eq!(run["gitdistill_validation"]["warnings"][0]["code"], "dedup.exact");
        let keys = |v: &Value| v.as_object().unwrap().keys().cloned().collect::<Vec<_>>();
        assert_eq!(keys(p), ["buildDefinition", "runDetails"]);
        assert!(
            keys(run)
                .iter()
                .all(|k| !k.contains('_') || k.starts_with("gitdistill_"))
        );
    }

    #[test]
    fn findings_name_slsa_fields_as_stored() {
        let mut r = receipt(SLSA_PROVENANCE_TYPE);
        r.predicate.timing.ended_at = "2026-11-30T09:00:00.000Z".into();
        r.predicate.inputs[0].digest.sha256 = "x".into();
        let line = stored(&r);
        let Err(found) = validate_line(Kind::Receipt, &line) else {
            panic!("accepted {line}");
        };
        let fields: Vec<&str> = found.iter().map(|v| v.field.as_str()).collect();
        assert!(
            fields.contains(&"predicate.buildDefinition.resolvedDependencies[0].digest.sha256"),
            "{fields:?}"
        );
        assert!(
            fields.contains(&"predicate.runDetails.metadata.finishedOn"),
            "{fields:?}"
        );
    }

    #[test]
    fn an_slsa_receipt_of_another_builder_is_refused() {
        let mut value: Value = serde_json::from_str(&stored(&receipt(SLSA_PROVENANCE_TYPE))).unwrap();
        value["predicate"]["runDetails"]["builder"]["id"] = "https://example.com/ci".into();
        let Err(found) = validate_line(Kind::Receipt, &value.to_string()) else {
            panic!("accepted");
        };
        assert_eq!(found[0].field, "predicate.runDetails.builder.id");
        value["predicate"]["runDetails"]["builder"]["id"] = BUILDER_ID.into();
        value["predicate"]["buildDefinition"]["buildType"] = "https://example.com/make".into();
        let Err(found) = validate_line(Kind::Receipt, &value.to_string()) else {
            panic!("accepted");
        };
        assert_eq!(found[0].field, "predicate.buildDefinition.buildType");
        assert!(serde_json::from_value::<Receipt>(value).is_err());
    }
}

//! The nine record kinds, their validators, canonical hashing and JSON Schemas.
//!
//! Every record that git-distill writes or reads passes through [`validate_line`]:
//! strict JSON (no duplicate keys), a known schema version, the Rust type (unknown
//! fields refused), then the kind's invariants.

mod canonical;
mod common;
mod evidence;
mod ledger;
#[cfg(test)]
mod line;
mod playbook;
mod receipt;
mod samples;
mod scored;
mod scratchpad;
mod sig;
mod strict_json;

pub use canonical::{CanonicalError, canonical_bytes, canonical_sha256, sha256_hex};
pub use common::{Category, ModelRole, Provenance, SCHEMA_VERSION, Violation, Violations, is_lower_hex};
pub use evidence::{
    ABANDONED_MARKER, ChatMessage, ChatRole, CommandRun, DECLINED_MARKER, DELIVERED_MARKER, EvidenceRecord,
    HARNESS_ERROR_MARKER, HumanOverride, INTERRUPTED_MARKER, LineAcceptance, ToolCall, ToolFunction,
    UNDELIVERED_MARKER, UNDONE_MARKER, ValidationResult, WORK_REMAINS_MARKER,
};
pub use ledger::ModelLedgerEntry;

pub use playbook::Playbook;
pub use receipt::{
    Artifact, ArtifactAnnotations, BUILD_TYPE_PREFIX, BUILDER_ID, BuildDefinition, BuildMetadata, Builder, Digest,
    ExternalParameters, Finding, InternalParameters, PREDICATE_TYPE, PREDICATE_TYPES, PredicateError,
    ProvenanceStatement, Receipt, RecordCounts, RunDetails, SLSA_PROVENANCE_TYPE, STATEMENT_TYPE, SlsaProvenance,
    Source, StagePredicate, StageStatement, StoredReceipt, Timing, Tool, Validation, ValidationOutcome, build_type,
};
pub use samples::{PreferenceSample, RagSample, SftSample};
pub use scored::ScoredRun;
pub use scratchpad::ScratchpadSummary;
pub use sig::{SignedLine, content_bytes, sig_hash, stored_line};
pub use strict_json::{StrictValue, parse_strict};

use serde::de::DeserializeOwned;
use serde_json::Value;

/// The nine record kinds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// One normalized agent run.
    EvidenceRecord,
    /// A run's score with reasons.
    ScoredRun,
    /// A stage's in-toto receipt.
    Receipt,
    /// Know-how from accepted runs.
    Playbook,
    /// A normalized agent scratchpad.
    ScratchpadSummary,
    /// A model routing ledger row.
    ModelLedgerEntry,
    /// A RAG document.
    RagSample,
    /// An SFT conversation.
    SftSample,
    /// A DPO preference pair.
    PreferenceSample,
}

impl crate::named::Named for Kind {
    const ALL: &'static [Kind] = &Kind::ALL;

    fn name(self) -> &'static str {
        Kind::name(self)
    }

    fn about(self) -> &'static str {
        match self {
            Kind::EvidenceRecord => "One normalized agent run",
            Kind::ScoredRun => "A run's score with reasons",
            Kind::Receipt => "A stage's in-toto receipt",
            Kind::Playbook => "Know-how from accepted runs",
            Kind::ScratchpadSummary => "A normalized agent scratchpad",
            Kind::ModelLedgerEntry => "A model routing ledger row",
            Kind::RagSample => "A RAG document",
            Kind::SftSample => "An SFT conversation",
            Kind::PreferenceSample => "A DPO preference pair",
        }
    }

    fn aliases(self) -> &'static [&'static str] {
        match self {
            Kind::EvidenceRecord => &["evidence"],
            Kind::ScoredRun => &["score"],
            Kind::ScratchpadSummary => &["scratchpad"],
            Kind::ModelLedgerEntry => &["ledger"],
            Kind::RagSample => &["rag"],
            Kind::SftSample => &["sft"],
            Kind::PreferenceSample => &["preference"],
            Kind::Receipt | Kind::Playbook => &[],
        }
    }
}

impl Kind {
    /// All kinds, in documentation order.
    pub const ALL: [Kind; 9] = [
        Kind::EvidenceRecord,
        Kind::ScoredRun,
        Kind::Receipt,
        Kind::Playbook,
        Kind::ScratchpadSummary,
        Kind::ModelLedgerEntry,
        Kind::RagSample,
        Kind::SftSample,
        Kind::PreferenceSample,
    ];

    /// The kebab-case name used on the command line and in schema file names.
    pub fn name(self) -> &'static str {
        match self {
            Kind::EvidenceRecord => "evidence-record",
            Kind::ScoredRun => "scored-run",
            Kind::Receipt => "receipt",
            Kind::Playbook => "playbook",
            Kind::ScratchpadSummary => "scratchpad-summary",
            Kind::ModelLedgerEntry => "model-ledger-entry",
            Kind::RagSample => "rag-sample",
            Kind::SftSample => "sft-sample",
            Kind::PreferenceSample => "preference-sample",
        }
    }

    /// The JSON Schema (2020-12) of the kind, generated from its Rust type.
    pub fn json_schema(self) -> Value {
        let schema = match self {
            Kind::EvidenceRecord => schemars::schema_for!(EvidenceRecord),
            Kind::ScoredRun => schemars::schema_for!(ScoredRun),
            Kind::Receipt => schemars::schema_for!(Receipt),
            Kind::Playbook => schemars::schema_for!(Playbook),
            Kind::ScratchpadSummary => schemars::schema_for!(ScratchpadSummary),
            Kind::ModelLedgerEntry => schemars::schema_for!(ModelLedgerEntry),
            Kind::RagSample => schemars::schema_for!(RagSample),
            Kind::SftSample => schemars::schema_for!(SftSample),
            Kind::PreferenceSample => schemars::schema_for!(PreferenceSample),
        };
        let mut value = schema.to_value();
        if let Some(map) = value.as_object_mut() {
            map.insert(
                "$id".into(),
                Value::String(format!("https://git-distill.dev/schemas/{}.schema.json", self.name())),
            );
        }
        value
    }

    /// The pretty-printed schema file content, newline-terminated (what `schemas/` holds).
    pub fn schema_file(self) -> String {
        // Serializing a `Value` cannot fail.
        let mut text = serde_json::to_string_pretty(&self.json_schema()).unwrap_or_default();
        text.push('\n');
        text
    }
}

impl std::fmt::Display for Kind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// A record of any kind, after validation.
#[derive(Debug, Clone, PartialEq)]
pub enum Record {
    /// See [`EvidenceRecord`].
    Evidence(Box<EvidenceRecord>),
    /// See [`ScoredRun`].
    Scored(Box<ScoredRun>),
    /// See [`Receipt`].
    Receipt(Box<Receipt>),
    /// See [`Playbook`].
    Playbook(Box<Playbook>),
    /// See [`ScratchpadSummary`].
    Scratchpad(Box<ScratchpadSummary>),
    /// See [`ModelLedgerEntry`].
    Ledger(Box<ModelLedgerEntry>),
    /// See [`RagSample`].
    Rag(Box<RagSample>),
    /// See [`SftSample`].
    Sft(Box<SftSample>),
    /// See [`PreferenceSample`].
    Preference(Box<PreferenceSample>),
}

/// Validate one JSON document (one JSONL line) as `kind`.
///
/// Returns the typed record, or every violation found. A line that is not JSON,
/// has a duplicate key or an unknown schema version stops at that first finding.
pub fn validate_line(kind: Kind, text: &str) -> Result<Record, Vec<Violation>> {
    let raw = parse_strict(text).map_err(|e| one("(line)", format!("not valid JSON: {e}")))?;
    let Value::Object(map) = &raw else {
        return Err(one("(line)", "must be a JSON object"));
    };
    if kind == Kind::Receipt {
        if let Some(Value::String(t)) = map.get("predicateType")
            && !PREDICATE_TYPES.contains(&t.as_str())
        {
            return Err(one(
                "predicateType",
                format!(
                    "unsupported receipt version `{t}`; this build supports {}",
                    PREDICATE_TYPES.join(" and ")
                ),
            ));
        }
    } else if let Some(found) = map.get("schema_version")
        && found.as_u64() != Some(u64::from(SCHEMA_VERSION))
    {
        return Err(one(
            "schema_version",
            format!("unsupported schema_version {found}; this build supports {SCHEMA_VERSION}"),
        ));
    }
    let mut v = Violations::default();
    let record = match kind {
        Kind::EvidenceRecord => {
            typed::<EvidenceRecord>(raw.clone(), |r, v| r.validate(v), &mut v).map(Record::Evidence)
        }
        Kind::ScoredRun => typed::<ScoredRun>(raw.clone(), |r, v| r.validate(v), &mut v).map(Record::Scored),
        Kind::Receipt => {
            receipt::integers_only(&raw, "", &mut v);
            typed_receipt(raw.clone(), &mut v).map(Record::Receipt)
        }
        Kind::Playbook => typed::<Playbook>(raw.clone(), |r, v| r.validate(v), &mut v).map(Record::Playbook),
        Kind::ScratchpadSummary => {
            typed::<ScratchpadSummary>(raw.clone(), |r, v| r.validate(v), &mut v).map(Record::Scratchpad)
        }
        Kind::ModelLedgerEntry => {
            typed::<ModelLedgerEntry>(raw.clone(), |r, v| r.validate(v), &mut v).map(Record::Ledger)
        }
        Kind::RagSample => typed::<RagSample>(raw.clone(), |r, v| r.validate(v), &mut v).map(Record::Rag),
        Kind::SftSample => typed::<SftSample>(raw.clone(), |r, v| r.validate(v), &mut v).map(Record::Sft),
        Kind::PreferenceSample => {
            typed::<PreferenceSample>(raw.clone(), |r, v| r.validate(v), &mut v).map(Record::Preference)
        }
    };
    let violations = v.into_vec();
    match record {
        Some(record) if violations.is_empty() => Ok(record),
        _ => Err(violations),
    }
}

/// Validate an already-typed record (the guard writers call before anything is written).
pub fn check<T>(record: &T, validate: impl Fn(&T, &mut Violations)) -> Result<(), Vec<Violation>> {
    let mut v = Violations::default();
    validate(record, &mut v);
    let found = v.into_vec();
    if found.is_empty() { Ok(()) } else { Err(found) }
}

fn typed<T: DeserializeOwned>(
    raw: Value,
    validate: impl Fn(&T, &mut Violations),
    v: &mut Violations,
) -> Option<Box<T>> {
    match serde_path_to_error::deserialize::<_, T>(raw) {
        Ok(record) => {
            validate(&record, v);
            Some(Box::new(record))
        }
        Err(e) => {
            let path = e.path().to_string();
            let message = e.inner().to_string();
            let field = match message
                .strip_prefix("missing field `")
                .and_then(|m| m.strip_suffix('`'))
            {
                Some(name) if path == "." => name.to_owned(),
                Some(name) => format!("{path}.{name}"),
                None if path == "." => "(root)".to_owned(),
                None => path,
            };
            v.push(field, message);
            None
        }
    }
}

/// A receipt in either stored form, read with the paths of its stored fields (so a
/// finding names the field as written), then checked.
fn typed_receipt(raw: Value, v: &mut Violations) -> Option<Box<Receipt>> {
    let slsa = raw.get("predicateType").and_then(Value::as_str) == Some(SLSA_PROVENANCE_TYPE);
    let stored = if slsa {
        typed::<ProvenanceStatement>(raw, |_, _| {}, v).map(|s| StoredReceipt::Provenance(*s))
    } else {
        typed::<StageStatement>(raw, |_, _| {}, v).map(|s| StoredReceipt::Stage(*s))
    }?;
    match Receipt::try_from(stored) {
        Ok(receipt) => {
            receipt.validate(v);
            Some(Box::new(receipt))
        }
        Err(e) => {
            v.push(e.field, e.message);
            None
        }
    }
}

fn one(field: &str, message: impl Into<String>) -> Vec<Violation> {
    vec![Violation {
        field: field.to_owned(),
        message: message.into(),
    }]
}

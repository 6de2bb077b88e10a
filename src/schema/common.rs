//! Building blocks shared by the record kinds: provenance, categories, roles, and the
//! violation collector every validator writes into.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The one schema version this build reads and writes for every versioned kind.
pub const SCHEMA_VERSION: u32 = 1;

/// Where a record came from: the file and line it was read from, the hash that
/// identifies its content, and when it was recorded.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Provenance {
    /// Path of the log the record was read from, as given to the collector.
    pub source_file: String,
    /// Zero-based byte offset of the record's first line in `source_file`.
    pub line_offset: u64,
    /// Canonical SHA-256 (64 lowercase hex) of the normalized record without provenance.
    pub sig_hash: String,
    /// When the record was recorded (RFC 3339), from the commit time unless given.
    pub recorded_at: String,
    /// Name of the configured source, when the record came through one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// Adapter that produced the record (`jsonl`, `claude-code`, `codex`, ...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub adapter: Option<String>,
    /// Commit the record is attached to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub commit: Option<String>,
    /// Which commit-linking rule chose `commit` (`record`, `at`, `time-window`, `head`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub link_rule: Option<String>,
}

/// The outcome class of a run. Exactly one per scored run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    /// Every validation passed and nothing failed.
    Accepted,
    /// Some validations passed, some failed.
    PartiallyAccepted,
    /// Failures and nothing passed.
    Rejected,
    /// No outcome signal: a person must decide.
    NeedsHumanReview,
}

impl crate::named::Named for Category {
    const ALL: &'static [Category] = &Category::ALL;

    fn name(self) -> &'static str {
        self.as_str()
    }
}

impl Category {
    /// All categories, best first.
    pub const ALL: [Category; 4] = [
        Category::Accepted,
        Category::PartiallyAccepted,
        Category::Rejected,
        Category::NeedsHumanReview,
    ];

    /// How cautious a verdict is: of two verdicts on one run, the higher counts.
    /// Anything but `accepted` keeps a run out of SFT; `rejected` also keeps it out of
    /// RAG and marks it as known bad, so it ranks above "a person must decide".
    pub fn caution(self) -> u8 {
        match self {
            Category::Accepted => 0,
            Category::PartiallyAccepted => 1,
            Category::NeedsHumanReview => 2,
            Category::Rejected => 3,
        }
    }

    /// The snake_case name used on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Accepted => "accepted",
            Category::PartiallyAccepted => "partially_accepted",
            Category::Rejected => "rejected",
            Category::NeedsHumanReview => "needs_human_review",
        }
    }
}

impl std::fmt::Display for Category {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The part a model played in a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ModelRole {
    /// Does the work (writes code, runs commands).
    Executor,
    /// Reviews another model's work.
    Reviewer,
    /// Extracts facts or procedures from runs.
    Extractor,
    /// Checks extracted facts.
    Verifier,
    /// Classifies runs or tasks.
    Categorizer,
    /// Watches a run and comments.
    Observer,
    /// Supervises several runs.
    Overseer,
    /// Produces embeddings.
    Embedder,
    /// A person, not a model.
    Human,
}

/// One field-level problem found by a validator.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Violation {
    /// Dotted path of the offending field (`provenance.sig_hash`, `reasons`).
    pub field: String,
    /// What is wrong, in words a user can act on.
    pub message: String,
}

/// Collects violations while a validator walks a record.
#[derive(Debug, Default)]
pub struct Violations(Vec<Violation>);

impl Violations {
    /// Record a violation at `field`.
    pub fn push(&mut self, field: impl Into<String>, message: impl Into<String>) {
        self.0.push(Violation {
            field: field.into(),
            message: message.into(),
        });
    }

    /// Fail `field` when `ok` is false.
    /// The field's name is only formatted when it fails.
    pub fn check(&mut self, ok: bool, field: impl std::fmt::Display, message: &str) {
        if !ok {
            self.push(field.to_string(), message);
        }
    }

    /// `field` must not be empty or whitespace.
    pub fn non_empty(&mut self, value: &str, field: impl std::fmt::Display) {
        // A first byte that is ASCII and not a space settles it without the Unicode trim.
        let plainly = value
            .as_bytes()
            .first()
            .is_some_and(|b| b.is_ascii() && !b.is_ascii_whitespace());
        self.check(plainly || !value.trim().is_empty(), field, "must not be empty");
    }

    /// `field` must hold at least one item.
    pub fn non_empty_list<T>(&mut self, value: &[T], field: impl std::fmt::Display) {
        self.check(!value.is_empty(), field, "must have at least one item");
    }

    /// `field` must be a 64-character lowercase hex SHA-256.
    pub fn sha256_hex(&mut self, value: &str, field: impl std::fmt::Display) {
        self.check(
            is_lower_hex(value, &[64]),
            field,
            "must be 64 lowercase hex characters (a SHA-256)",
        );
    }

    /// `field` must be a git object id: 40 (SHA-1) or 64 (SHA-256) lowercase hex.
    pub fn git_id(&mut self, value: &str, field: impl std::fmt::Display) {
        self.check(
            is_lower_hex(value, &[40, 64]),
            field,
            "must be a git object id: 40 or 64 lowercase hex characters",
        );
    }

    /// `field` must be a finite number in [0, 1].
    pub fn unit_interval(&mut self, value: f64, field: impl std::fmt::Display) {
        self.check(
            value.is_finite() && (0.0..=1.0).contains(&value),
            field,
            "must be a number in [0, 1]",
        );
    }

    /// `field` must be an RFC 3339 timestamp.
    pub fn timestamp(&mut self, value: &str, field: impl std::fmt::Display) {
        self.check(
            value.parse::<jiff::Timestamp>().is_ok(),
            field,
            "must be an RFC 3339 timestamp (e.g. 2026-01-31T12:00:00Z)",
        );
    }

    /// `field` must equal the supported schema version.
    pub fn schema_version(&mut self, found: u32) {
        if found != SCHEMA_VERSION {
            self.push(
                "schema_version",
                format!("unsupported schema_version {found}; this build supports {SCHEMA_VERSION}"),
            );
        }
    }

    /// Validate a provenance block found under `prefix`.
    pub fn provenance(&mut self, p: &Provenance, prefix: impl std::fmt::Display) {
        self.non_empty(&p.source_file, format_args!("{prefix}.source_file"));
        self.sha256_hex(&p.sig_hash, format_args!("{prefix}.sig_hash"));
        self.timestamp(&p.recorded_at, format_args!("{prefix}.recorded_at"));
        if let Some(commit) = &p.commit {
            self.git_id(commit, format_args!("{prefix}.commit"));
        }
    }

    /// The collected violations.
    pub fn into_vec(self) -> Vec<Violation> {
        self.0
    }
}

/// True when `value` is lowercase hex of one of the given lengths.
pub fn is_lower_hex(value: &str, lengths: &[usize]) -> bool {
    lengths.contains(&value.len()) && value.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

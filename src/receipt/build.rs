//! Building a receipt (in-toto Statement v1) for one stage run.

use crate::schema::{
    Artifact, ArtifactAnnotations, CanonicalError, Digest, Finding, PREDICATE_TYPE, Receipt, RecordCounts,
    SLSA_PROVENANCE_TYPE, STATEMENT_TYPE, Source, StagePredicate, Timing, Tool, Validation, Violation, canonical_bytes,
    check, sha256_hex,
};

/// Collects what a stage read, wrote and found, then produces its receipt.
///
/// Stages call [`ReceiptBuilder::input`] before reading an input (so the digest is of
/// what was there before the stage ran), [`ReceiptBuilder::output`] for everything
/// written, and [`ReceiptBuilder::validator`] for every check they run.
#[derive(Debug, Clone)]
pub struct ReceiptBuilder {
    predicate_type: &'static str,
    stage: String,
    command: Vec<String>,
    source: Source,
    inputs: Vec<Artifact>,
    outputs: Vec<Artifact>,
    records_in: u64,
    records_out: u64,
    quarantined: Option<u64>,
    validators: Vec<String>,
    errors: Vec<Finding>,
    warnings: Vec<Finding>,
    redactions: std::collections::BTreeMap<String, u64>,
}

impl ReceiptBuilder {
    /// Start a receipt for `stage`, run as `command`, at `source`.
    pub fn new(stage: &str, command: Vec<String>, source: Source) -> ReceiptBuilder {
        ReceiptBuilder {
            predicate_type: PREDICATE_TYPE,
            stage: stage.to_owned(),
            command,
            source,
            inputs: Vec::new(),
            outputs: Vec::new(),
            records_in: 0,
            records_out: 0,
            quarantined: None,
            validators: Vec::new(),
            errors: Vec::new(),
            warnings: Vec::new(),
            redactions: Default::default(),
        }
    }

    /// Store the receipt as SLSA Provenance v1 (`buildDefinition` / `runDetails`, the
    /// inputs as `resolvedDependencies`) instead of git-distill's stage predicate.
    pub fn slsa_provenance(&mut self) {
        self.predicate_type = SLSA_PROVENANCE_TYPE;
    }

    /// Record how many secrets each redaction rule removed.
    pub fn redactions(&mut self, counts: &std::collections::BTreeMap<String, u64>) {
        for (rule, n) in counts {
            *self.redactions.entry(rule.clone()).or_default() += n;
        }
    }

    /// Record an input by its bytes.
    pub fn input(&mut self, name: &str, bytes: &[u8], records: Option<u64>) {
        self.input_digest(name, sha256_hex(bytes), records);
    }

    /// Record an input read from git at `git_commit` (a notes commit or build commit), so
    /// a verifier can find exactly those bytes again.
    pub fn input_at(&mut self, name: &str, bytes: &[u8], records: Option<u64>, git_commit: Option<String>) {
        let mut a = artifact(name, sha256_hex(bytes), records);
        a.digest.git_commit = git_commit;
        self.inputs.push(a);
    }

    /// Record an output whose SHA-256 is already known (computed while it was streamed).
    pub fn output_digest_at(&mut self, name: &str, sha256: String, records: Option<u64>, git_commit: Option<String>) {
        let mut a = artifact(name, sha256, records);
        a.digest.git_commit = git_commit;
        self.outputs.push(a);
    }

    /// Record an output written to git at `git_commit`.
    pub fn output_at(&mut self, name: &str, bytes: &[u8], records: Option<u64>, git_commit: Option<String>) {
        let mut a = artifact(name, sha256_hex(bytes), records);
        a.digest.git_commit = git_commit;
        self.outputs.push(a);
    }

    /// Record an input whose SHA-256 is already known.
    pub fn input_digest(&mut self, name: &str, sha256: String, records: Option<u64>) {
        self.inputs.push(artifact(name, sha256, records));
    }

    /// Record an output by its bytes.
    pub fn output(&mut self, name: &str, bytes: &[u8], records: Option<u64>) {
        self.outputs.push(artifact(name, sha256_hex(bytes), records));
    }

    /// Set the record counts.
    pub fn counts(&mut self, records_in: u64, records_out: u64, quarantined: Option<u64>) {
        self.records_in = records_in;
        self.records_out = records_out;
        self.quarantined = quarantined;
    }

    /// Declare a validator that ran.
    pub fn validator(&mut self, name: &str) {
        if !self.validators.iter().any(|v| v == name) {
            self.validators.push(name.to_owned());
        }
    }

    /// Record an error finding.
    pub fn error(&mut self, code: &str, message: impl Into<String>, location: impl Into<String>) {
        self.errors.push(finding(code, message, location));
    }

    /// Record a warning finding.
    pub fn warning(&mut self, code: &str, message: impl Into<String>, location: impl Into<String>) {
        self.warnings.push(finding(code, message, location));
    }

    /// Finish with the stage's start and end times (the CLI layer reads the clock, not the stage).
    /// The receipt is validated before it is returned.
    pub fn finish(self, started_at: jiff::Timestamp, ended_at: jiff::Timestamp) -> Result<Receipt, Vec<Violation>> {
        let subject = if self.outputs.is_empty() {
            vec![Artifact {
                name: crate::store::ArtifactName::Commit(self.source.git_commit.clone()).to_string(),
                digest: Digest {
                    sha256: sha256_hex(self.source.git_commit.as_bytes()),
                    git_commit: Some(self.source.git_commit.clone()),
                },
                annotations: None,
            }]
        } else {
            self.outputs.clone()
        };
        // Timestamps carry milliseconds; the duration is computed from what is recorded.
        let (started_at, ended_at) = (
            truncate_millis(started_at),
            truncate_millis(ended_at).max(truncate_millis(started_at)),
        );
        let duration = ended_at.duration_since(started_at).as_millis().max(0);
        let receipt = Receipt {
            statement_type: STATEMENT_TYPE.to_owned(),
            subject,
            predicate_type: self.predicate_type.to_owned(),
            predicate: StagePredicate {
                stage: self.stage,
                command: self.command,
                tool: Tool {
                    id: "git-distill".to_owned(),
                    version: env!("CARGO_PKG_VERSION").to_owned(),
                },
                source: self.source,
                inputs: self.inputs,
                outputs: self.outputs,
                record_counts: RecordCounts {
                    records_in: self.records_in,
                    records_out: self.records_out,
                    quarantined: self.quarantined,
                },
                validation: Validation {
                    pass: self.errors.is_empty() && !self.validators.is_empty(),
                    validators: self.validators,
                    errors: self.errors,
                    warnings: self.warnings,
                },
                timing: Timing {
                    started_at: rfc3339_millis(started_at),
                    ended_at: rfc3339_millis(ended_at),
                    duration_ms: u64::try_from(duration).unwrap_or(0),
                },
                redactions: self.redactions,
            },
        };
        check(&receipt, Receipt::validate)?;
        Ok(receipt)
    }
}

/// The stored form of a receipt: its RFC 8785 canonical bytes (one line).
pub fn receipt_bytes(receipt: &Receipt) -> Result<Vec<u8>, CanonicalError> {
    canonical_bytes(receipt)
}

/// The receipt id: `sha256:` + hex SHA-256 of its canonical bytes.
pub fn receipt_id(receipt: &Receipt) -> Result<String, CanonicalError> {
    Ok(line_id(&receipt_bytes(receipt)?))
}

/// The id of a stored receipt line. Receipts are stored as their canonical bytes, so for
/// every receipt we wrote this is [`receipt_id`]; for a line someone changed, it names
/// the bytes as they are.
pub fn line_id(line: &[u8]) -> String {
    format!("sha256:{}", sha256_hex(line))
}

fn truncate_millis(t: jiff::Timestamp) -> jiff::Timestamp {
    jiff::Timestamp::from_millisecond(t.as_millisecond()).unwrap_or(t)
}

/// RFC 3339 UTC with exactly three fractional digits.
fn rfc3339_millis(t: jiff::Timestamp) -> String {
    t.strftime("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()
}

fn artifact(name: &str, sha256: String, records: Option<u64>) -> Artifact {
    Artifact {
        name: name.to_owned(),
        digest: Digest {
            sha256,
            git_commit: None,
        },
        annotations: records.map(|record_count| ArtifactAnnotations { record_count }),
    }
}

fn finding(code: &str, message: impl Into<String>, location: impl Into<String>) -> Finding {
    Finding {
        code: code.to_owned(),
        message: message.into(),
        location: location.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source() -> Source {
        Source {
            git_commit: "1".repeat(40),
            git_tree: "2".repeat(40),
            reference: "refs/heads/main".into(),
            dirty: false,
        }
    }

    #[test]
    fn pass_only_when_validators_ran_without_errors() {
        let t = jiff::Timestamp::from_second(1_700_000_000).unwrap();
        let none = ReceiptBuilder::new("collect", vec!["git-distill".into()], source())
            .finish(t, t)
            .unwrap();
        assert!(!none.predicate.validation.pass, "no validator ran");
        let mut b = ReceiptBuilder::new("collect", vec!["git-distill".into()], source());
        b.validator("schema");
        assert!(b.clone().finish(t, t).unwrap().predicate.validation.pass);
        b.error("schema.invalid", "bad", "a:1");
        assert!(!b.finish(t, t).unwrap().predicate.validation.pass);
    }

    #[test]
    fn subject_is_the_commit_when_nothing_was_written_and_timing_is_millis() {
        let start = jiff::Timestamp::from_second(1_700_000_000).unwrap();
        let end = start + jiff::SignedDuration::from_millis(1234);
        let r = ReceiptBuilder::new("drift", vec!["git-distill".into()], source())
            .finish(start, end)
            .unwrap();
        assert_eq!(r.subject[0].name, format!("git:{}", "1".repeat(40)));
        assert_eq!(r.predicate.timing.started_at, "2023-11-14T22:13:20.000Z");
        assert_eq!(r.predicate.timing.ended_at, "2023-11-14T22:13:21.234Z");
        assert_eq!(r.predicate.timing.duration_ms, 1234);
        let bytes = receipt_bytes(&r).unwrap();
        assert!(!bytes.contains(&b'\n'));
        assert!(receipt_id(&r).unwrap().starts_with("sha256:"));
    }
}

//! Checks a receipt can pass on its own: canonical form and internal consistency.
//! Checks that need the repository (binding, integrity, lineage, reproduction) are
//! composed in `workflow::verify` from these results.

use crate::schema::{Kind, Receipt, Record, canonical_bytes, parse_strict, validate_line};
use serde::Serialize;

/// The outcome of one check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CheckStatus {
    /// Checked and fine.
    Pass,
    /// Fine, with something worth knowing.
    Warn,
    /// Could not be decided (objects or files missing).
    Unknown,
    /// Checked and wrong.
    Fail,
}

/// One named check with its outcome and details.
#[derive(Debug, Clone, Serialize)]
pub struct Check {
    /// `canonical`, `schema`, `consistency`, `binding`, `integrity`, `lineage`, `reproduce`.
    pub name: &'static str,
    /// The outcome.
    pub status: CheckStatus,
    /// What was found, one fact a line.
    pub details: Vec<String>,
}

impl Check {
    /// A check with no details yet.
    pub fn new(name: &'static str) -> Check {
        Check {
            name,
            status: CheckStatus::Pass,
            details: Vec::new(),
        }
    }

    /// Record a finding; the check's status becomes the worst seen.
    pub fn note(&mut self, status: CheckStatus, detail: impl Into<String>) {
        self.status = self.status.max(status);
        self.details.push(detail.into());
    }
}

/// Canonical form and schema of a stored receipt line. Returns the receipt when it parses.
pub fn check_form(line: &[u8]) -> (Check, Check, Option<Receipt>) {
    let mut canonical = Check::new("canonical");
    let mut schema = Check::new("schema");
    let Ok(text) = std::str::from_utf8(line) else {
        canonical.note(CheckStatus::Fail, "not UTF-8");
        schema.note(CheckStatus::Fail, "not UTF-8");
        return (canonical, schema, None);
    };
    match parse_strict(text) {
        Err(e) => {
            canonical.note(CheckStatus::Fail, format!("not strict JSON: {e}"));
            schema.note(CheckStatus::Fail, "not parsed");
            return (canonical, schema, None);
        }
        Ok(value) => match canonical_bytes(&value) {
            Ok(bytes) if bytes == line => {}
            Ok(_) => canonical.note(CheckStatus::Fail, "stored bytes are not the RFC 8785 canonical form"),
            Err(e) => canonical.note(CheckStatus::Fail, e.to_string()),
        },
    }
    match validate_line(Kind::Receipt, text) {
        Ok(Record::Receipt(receipt)) => (canonical, schema, Some(*receipt)),
        Ok(_) => (canonical, schema, None),
        Err(violations) => {
            for v in violations {
                schema.note(CheckStatus::Fail, format!("{}: {}", v.field, v.message));
            }
            (canonical, schema, None)
        }
    }
}

/// Internal consistency: subject vs outputs, duration vs timestamps, counts that must add up.
pub fn check_consistency(receipt: &Receipt) -> Check {
    let mut c = Check::new("consistency");
    let p = &receipt.predicate;
    if p.outputs.is_empty() {
        let expected = crate::store::ArtifactName::Commit(p.source.git_commit.clone()).to_string();
        if receipt.subject.len() != 1 || receipt.subject[0].name != expected {
            c.note(
                CheckStatus::Fail,
                format!("subject must be {expected} when there are no outputs"),
            );
        }
    } else if receipt.subject != p.outputs {
        c.note(CheckStatus::Fail, "subject differs from outputs");
    }
    if let (Ok(start), Ok(end)) = (
        p.timing.started_at.parse::<jiff::Timestamp>(),
        p.timing.ended_at.parse::<jiff::Timestamp>(),
    ) {
        let span = end.duration_since(start).as_millis();
        if i128::from(p.timing.duration_ms) != span {
            c.note(
                CheckStatus::Fail,
                format!(
                    "durationMs {} but the timestamps are {span} ms apart",
                    p.timing.duration_ms
                ),
            );
        }
    }
    if p.stage == "collect" {
        let counted: Option<u64> = p
            .inputs
            .iter()
            .map(|a| a.annotations.as_ref().map(|x| x.record_count))
            .sum();
        if let Some(sum) = counted
            && sum != p.record_counts.records_in
        {
            c.note(
                CheckStatus::Fail,
                format!(
                    "inputs hold {sum} records but recordCounts.in is {}",
                    p.record_counts.records_in
                ),
            );
        }
        let quarantined = p.record_counts.quarantined.unwrap_or(0);
        if p.record_counts.records_out + quarantined > p.record_counts.records_in {
            c.note(CheckStatus::Fail, "more records out and quarantined than read");
        }
    }
    if p.validation.pass != (p.validation.errors.is_empty() && !p.validation.validators.is_empty()) {
        c.note(
            CheckStatus::Fail,
            "validation.pass disagrees with its errors and validators",
        );
    }
    c
}

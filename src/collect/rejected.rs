//! Why collect sets a line aside (or a file that is one document): the quarantine
//! reason, typed. Its text is what the quarantine note stores as `reason`.

use super::lines::LineProblem;

/// Why an input line (or a one-document file) is quarantined instead of read.
#[derive(Debug, thiserror::Error)]
pub enum Rejected {
    /// The line is not text this collector reads (not UTF-8, too long).
    #[error(transparent)]
    Unreadable(#[from] LineProblem),
    /// The line does not parse as JSON.
    #[error("not JSON: {0}")]
    NotJson(String),
    /// A key repeats: parsers disagree on which value wins.
    #[error("{0}")]
    DuplicateKey(String),
    /// JSON, but not an object.
    #[error("not a JSON object")]
    NotAnObject,
    /// The line (or file) is not of the format the adapter reads.
    #[error("{0}")]
    OtherFormat(String),
    /// The line is of the adapter's format but lacks what a record needs.
    #[error("{0}")]
    Incomplete(&'static str),
    /// A field holds a value of no known kind (`model_role: unknown role `x``).
    #[error("{field}unknown {what} `{value}`")]
    UnknownValue {
        /// The field, with its `: ` separator, or empty.
        field: &'static str,
        /// What the value should have named (`role`, `category`, `verdict`).
        what: &'static str,
        /// The value found.
        value: String,
    },
    /// A record of a schema version this build does not read.
    #[error("{0}")]
    UnsupportedVersion(String),
    /// The record cannot be put into canonical form for its identity.
    #[error(transparent)]
    Canonical(#[from] crate::schema::CanonicalError),
    /// The reason concerns one line of a file read whole.
    #[error("line {line}: {reason}")]
    AtLine {
        /// 1-based line number.
        line: u64,
        /// Why.
        reason: Box<Rejected>,
    },
}

impl Rejected {
    /// The reason for a JSON parse failure: a repeated key is its own kind.
    pub fn of_json(e: &serde_json::Error) -> Rejected {
        let text = e.to_string();
        if text.starts_with("duplicate key") {
            Rejected::DuplicateKey(text)
        } else {
            Rejected::NotJson(text)
        }
    }

    /// This reason, about line `line` of a file read whole.
    pub fn at_line(self, line: u64) -> Rejected {
        Rejected::AtLine {
            line,
            reason: Box::new(self),
        }
    }
}

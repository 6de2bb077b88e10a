//! Workflows: compose the store, a stage and its receipt. The CLI calls these and
//! renders what they return; stages stay pure and never touch git.

pub mod capture;
pub mod collect;
pub mod demo;
pub mod derive;
pub mod drift;
pub mod export;
pub mod git_native;
pub mod hooks;
pub mod log;
pub mod paths;
pub mod reattach;
pub mod score;
pub mod search;
mod search_index;
mod spill;
pub mod status;
pub mod sync;
mod vector_cache;
pub mod verdict;
pub mod verify;

use crate::receipt::{ReceiptBuilder, receipt_bytes, receipt_id};
use crate::store::{NoteEdit, NotesRef, Stage, Store};
use gix::ObjectId;

/// Failures of a workflow, with what was being done.
#[derive(Debug, thiserror::Error)]
pub enum WorkflowError {
    /// Git access failed.
    #[error(transparent)]
    Store(#[from] crate::store::StoreError),
    /// The configuration is unusable.
    #[error(transparent)]
    Config(#[from] crate::config::ConfigError),
    /// A receipt could not be built (a bug: the builder produced an invalid receipt).
    #[error("invalid receipt for stage {stage}: {message}")]
    Receipt {
        /// The stage.
        stage: String,
        /// The first violation.
        message: String,
    },
    /// A file could not be read or written.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file.
        path: std::path::PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// A record could not be serialized (a bug: our records always serialize).
    #[error(transparent)]
    Json(#[from] serde_json::Error),
    /// Signing a receipt failed.
    #[error(transparent)]
    Sign(#[from] crate::receipt::sign::SignError),
    /// The scoring rules are unusable.
    #[error(transparent)]
    Rules(#[from] crate::score::RuleError),
    /// The embedding model cannot be loaded or run.
    #[error(transparent)]
    Embed(#[from] crate::embed::EmbedError),
    /// A dataset file could not be encoded.
    #[error(transparent)]
    Parquet(#[from] crate::export::ParquetError),
    /// The inputs do not allow the result (nothing to export): the command failed, not
    /// its usage.
    #[error("{0}")]
    Refused(String),
    /// The command cannot run as asked (a name that does not exist, a setting that is
    /// missing): a usage error, with what to do about it when there is something to do.
    #[error("{message}")]
    Usage {
        /// What is wrong, worded for the user.
        message: String,
        /// What to do about it, shown on a `hint:` line.
        hint: Option<String>,
    },
    /// Data that is not what it claims to be (a settings file that is not JSON, a
    /// checkpoint's metadata, an agent's event).
    #[error("{what}: {why}")]
    Invalid {
        /// The file or record.
        what: String,
        /// Why it cannot be read.
        why: String,
    },
    /// A broken invariant: a bug, reported instead of panicking.
    #[error("internal error: {0} (a bug in git-distill)")]
    Internal(String),
}

impl WorkflowError {
    /// A `map_err` for I/O on `path`.
    pub fn io_on(path: &std::path::Path) -> impl Fn(std::io::Error) -> WorkflowError + '_ {
        move |e| WorkflowError::io(path, e)
    }

    /// A usage error without a hint.
    pub fn usage(message: impl Into<String>) -> WorkflowError {
        WorkflowError::Usage {
            message: message.into(),
            hint: None,
        }
    }

    /// A usage error with what to do about it.
    pub fn usage_with_hint(message: impl Into<String>, hint: impl Into<String>) -> WorkflowError {
        WorkflowError::Usage {
            message: message.into(),
            hint: Some(hint.into()),
        }
    }

    /// Data named `what` that cannot be read, and why.
    pub fn invalid(what: impl std::fmt::Display, why: impl std::fmt::Display) -> WorkflowError {
        WorkflowError::Invalid {
            what: what.to_string(),
            why: why.to_string(),
        }
    }

    /// The `hint:` line to print under the error, if any.
    pub fn hint(&self) -> Option<&str> {
        match self {
            WorkflowError::Usage { hint, .. } => hint.as_deref(),
            _ => None,
        }
    }

    /// An I/O failure on `path`.
    pub fn io(path: impl AsRef<std::path::Path>, source: std::io::Error) -> WorkflowError {
        WorkflowError::Io {
            path: path.as_ref().to_path_buf(),
            source,
        }
    }
}

/// Result alias for workflows.
pub type Result<T, E = WorkflowError> = std::result::Result<T, E>;

/// One run of a stage: when it started, how the command was invoked and the state of the
/// repository, captured once; [`StageRun::finish`] writes the receipt. Workflows fill
/// `receipt` with what they read and wrote.
pub struct StageRun {
    started: jiff::Timestamp,
    /// The receipt being built.
    pub receipt: ReceiptBuilder,
}

impl StageRun {
    /// Start `stage` now, at the repository's current state.
    pub fn start(store: &Store, stage: Stage) -> Result<StageRun> {
        Ok(StageRun::start_at(store, stage, store.source_state()?))
    }

    /// Start `stage` now, recording `source` as the state it ran at.
    pub fn start_at(store: &Store, stage: Stage, source: crate::schema::Source) -> StageRun {
        StageRun {
            started: jiff::Timestamp::now(),
            receipt: ReceiptBuilder::new(stage.as_str(), paths::invocation(&store.workdir()), source),
        }
    }

    /// Finish the receipt and attach it to `commit`; returns its id.
    pub fn finish(self, store: &Store, commit: ObjectId) -> Result<String> {
        store_receipt(store, commit, self.receipt, self.started)
    }
}

/// Finish `builder` and attach the receipt to `commit` on `refs/notes/distill/receipts`.
/// Returns the receipt id.
fn store_receipt(
    store: &Store,
    commit: ObjectId,
    builder: ReceiptBuilder,
    started_at: jiff::Timestamp,
) -> Result<String> {
    let receipt = builder
        .finish(started_at, jiff::Timestamp::now())
        .map_err(|v| WorkflowError::Receipt {
            stage: "?".into(),
            message: v
                .first()
                .map(|v| format!("{}: {}", v.field, v.message))
                .unwrap_or_default(),
        })?;
    let stage = receipt.predicate.stage.clone();
    let bytes = receipt_bytes(&receipt).map_err(|e| WorkflowError::Receipt {
        stage: stage.clone(),
        message: e.to_string(),
    })?;
    let id = receipt_id(&receipt).map_err(|e| WorkflowError::Receipt {
        stage: stage.clone(),
        message: e.to_string(),
    })?;
    store.write_notes(
        &NotesRef::Receipts,
        &[(commit, NoteEdit::Union(bytes.clone()))],
        &format!("receipt for {stage} at {commit}"),
    )?;
    if store.config_value("distill.receipts.sign").is_some_and(|v| v == "true") {
        sign_receipts(store, commit, &[bytes])?;
    }
    Ok(id)
}

/// Sign receipts (canonical bytes) of `commit` with `user.signingkey` (a private key, a
/// public key whose private half ssh-agent holds, or a `key::` literal) and store the DSSE
/// envelopes on `refs/notes/distill/signatures`.
pub fn sign_receipts(store: &Store, commit: ObjectId, receipts: &[Vec<u8>]) -> Result<usize> {
    let key = store.config_value("user.signingkey").ok_or_else(|| {
        WorkflowError::usage_with_hint(
            "signing needs user.signingkey (an SSH key, as for git commit signing)",
            "git config user.signingkey ~/.ssh/id_ed25519.pub",
        )
    })?;
    use crate::receipt::sign::{SigningKey, sign};
    let key = match SigningKey::literal(&key) {
        Some(literal) => literal?,
        None => SigningKey::from_file(&paths::expand_home(&key))?,
    };
    // A key only the agent holds is signed with through its socket, as ssh-keygen does.
    let agent = std::env::var_os("SSH_AUTH_SOCK")
        .filter(|s| !s.is_empty())
        .map(std::path::PathBuf::from);
    let mut lines = Vec::new();
    for receipt in receipts {
        let envelope = sign(receipt, &key, agent.as_deref())?;
        lines.push(serde_json::to_string(&envelope)?);
    }
    let n = lines.len();
    store.write_notes(
        &NotesRef::Signatures,
        &[(commit, NoteEdit::Union(crate::store::jsonl::from_lines(lines)))],
        &format!("sign {n} receipts at {commit}"),
    )?;
    Ok(n)
}

/// The name a receipt gives a note it attests: `<notes ref>:<commit>`.
pub fn note_artifact_name(notes_ref: &NotesRef, commit: ObjectId) -> String {
    crate::store::ArtifactName::Note {
        notes_ref: notes_ref.clone(),
        commit: commit.to_string(),
    }
    .to_string()
}

/// Record the note `notes_ref` holds for `commit` now as a receipt output, pinned to the
/// notes commit that holds it (accumulating notes change later; the pin keeps it checkable).
pub fn output_note(store: &Store, builder: &mut ReceiptBuilder, notes_ref: &NotesRef, commit: ObjectId) -> Result<()> {
    let note = store.read_note(notes_ref, commit)?.unwrap_or_default();
    let tip = store.notes_tip(notes_ref)?.map(|t| t.to_string());
    let records = crate::store::jsonl::line_count(&note);
    builder.output_at(&note_artifact_name(notes_ref, commit), &note, Some(records), tip);
    Ok(())
}

/// A stored record that says which schema version it follows.
pub trait Versioned {
    /// Its `schema_version`.
    fn schema_version(&self) -> u32;
}

impl Versioned for crate::schema::EvidenceRecord {
    fn schema_version(&self) -> u32 {
        self.schema_version
    }
}

/// Records of type `T` from the JSONL notes of `notes_ref` on `commits` (all annotated
/// commits when `None`), with the commit each sits on and the raw note bytes per commit.
/// Lines that do not parse, or whose schema_version this build does not know, are
/// counted, never read as records.
pub fn read_note_records<T: serde::de::DeserializeOwned + Versioned>(
    store: &Store,
    notes_ref: &NotesRef,
    commits: Option<&[ObjectId]>,
) -> Result<NoteRecords<T>> {
    let snapshot = store.notes_snapshot(notes_ref)?;
    let selected: Vec<ObjectId> = match commits {
        Some(list) => list
            .iter()
            .copied()
            .filter(|c| snapshot.blob_for(c).is_some())
            .collect(),
        None => snapshot.annotated(),
    };
    let mut out = NoteRecords {
        records: Vec::new(),
        notes: Vec::new(),
        unreadable: 0,
        tip: store.notes_tip(notes_ref)?,
    };
    for commit in selected {
        let Some(blob) = snapshot.blob_for(&commit) else {
            continue;
        };
        let bytes = store.blob(blob)?;
        let (records, unreadable) = parse_note::<T>(&bytes);
        out.records.extend(records.into_iter().map(|r| (commit, r)));
        out.unreadable += unreadable;
        out.notes.push((commit, bytes));
    }
    Ok(out)
}

/// The one policy for reading a stored JSONL note: a non-empty line that parses as `T`
/// with a schema_version this build knows is a record; any other line is counted as
/// unreadable, never guessed at. Returns the records and the count of unreadable lines.
pub fn parse_note<T: serde::de::DeserializeOwned + Versioned>(bytes: &[u8]) -> (Vec<T>, usize) {
    let mut records = Vec::new();
    let mut unreadable = 0;
    for line in bytes.split(|b| *b == b'\n').filter(|l| !l.is_empty()) {
        match serde_json::from_slice::<T>(line) {
            Ok(record) if record.schema_version() == crate::schema::SCHEMA_VERSION => records.push(record),
            _ => unreadable += 1,
        }
    }
    (records, unreadable)
}

/// What [`read_note_records`] found.
#[derive(Debug)]
pub struct NoteRecords<T> {
    /// (commit, record), in commit order then note order.
    pub records: Vec<(ObjectId, T)>,
    /// (commit, note bytes) for every note read — receipt inputs.
    pub notes: Vec<(ObjectId, Vec<u8>)>,
    /// Lines that did not parse as `T`.
    pub unreadable: usize,
    /// The notes commit read.
    pub tip: Option<ObjectId>,
}

/// RFC 3339 of a commit's committer time (the deterministic `recorded_at` / `scored_at`).
pub fn commit_time(store: &Store, commit: ObjectId) -> Result<String> {
    Ok(rfc3339(store.commit_info(commit)?.time))
}

/// RFC 3339 of Unix seconds; a time out of range is the explicit unknown time.
pub fn rfc3339(seconds: i64) -> String {
    jiff::Timestamp::from_second(seconds)
        .map(|t| t.to_string())
        .unwrap_or_else(|_| crate::collect::UNKNOWN_TIME.to_owned())
}

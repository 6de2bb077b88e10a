//! Workflows: compose the store, a stage and its receipt. The CLI calls these and
//! renders what they return; stages stay pure and never touch git.

pub mod collect;
pub mod drift;

use crate::receipt::{ReceiptBuilder, receipt_bytes, receipt_id};
use crate::store::{NoteEdit, NotesRef, Store};
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
    /// Anything else, already worded for the user.
    #[error("{0}")]
    Other(String),
}

/// Result alias for workflows.
pub type Result<T, E = WorkflowError> = std::result::Result<T, E>;

/// Finish `builder` and attach the receipt to `commit` on `refs/notes/distill/receipts`.
/// Returns the receipt id.
pub fn store_receipt(
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
        &NotesRef::receipts(),
        &[(commit, NoteEdit::Union(bytes))],
        &format!("receipt for {stage} at {commit}"),
    )?;
    Ok(id)
}

/// The name a receipt gives a note it attests: `<notes ref>:<commit>`.
pub fn note_artifact_name(notes_ref: &NotesRef, commit: ObjectId) -> String {
    format!("{}:{commit}", notes_ref.full_name())
}

//! Errors of the git store, each naming what failed.

use std::path::PathBuf;

/// What can go wrong while reading or writing git data.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The directory is not inside a git repository.
    #[error("not a git repository: {}", path.display())]
    NotARepository {
        /// The directory searched from.
        path: PathBuf,
    },
    /// The repository has no work tree.
    #[error("{} is a bare repository; run git-distill inside a clone with a work tree", path.display())]
    Bare {
        /// The repository's git dir.
        path: PathBuf,
    },
    /// A revision did not resolve to a commit.
    #[error("revision `{spec}` does not resolve to a commit{}", detail.as_deref().map(|d| format!(": {d}")).unwrap_or_default())]
    BadRevision {
        /// What the user gave.
        spec: String,
        /// Why, when known.
        detail: Option<String>,
    },
    /// A ref name is not acceptable.
    #[error("invalid ref name `{0}`")]
    BadRefName(String),
    /// An object the data refers to is not in the repository (e.g. a shallow clone).
    #[error("object {id} is missing from the repository (shallow clone?)")]
    MissingObject {
        /// The missing object id.
        id: String,
    },
    /// A compare-and-swap ref update kept losing races.
    #[error("gave up updating {refname} after {attempts} attempts: other writers kept moving it ({last})")]
    Contended {
        /// The ref.
        refname: String,
        /// How many attempts were made.
        attempts: u32,
        /// The last failure.
        last: String,
    },
    /// The `git` binary failed (push, fetch).
    #[error("`git {args}` failed: {stderr}")]
    GitCommand {
        /// The arguments given to git.
        args: String,
        /// The first line git printed on stderr.
        stderr: String,
    },
    /// Any other failure inside gitoxide, with what we were doing.
    #[error("{context}: {message}")]
    Git {
        /// What we were doing.
        context: String,
        /// gitoxide's message, on one line.
        message: String,
    },
}

/// Result alias for the store.
pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// Attach context to gitoxide failures, flattening them to one line.
pub(crate) trait GitContext<T> {
    fn ctx(self, context: impl FnOnce() -> String) -> Result<T>;
}

impl<T, E: std::fmt::Display> GitContext<T> for std::result::Result<T, E> {
    fn ctx(self, context: impl FnOnce() -> String) -> Result<T> {
        self.map_err(|e| StoreError::Git {
            context: context(),
            message: one_line(&e.to_string()),
        })
    }
}

/// Collapse a multi-line message to its lines joined by `; `.
pub(crate) fn one_line(text: &str) -> String {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("; ")
}

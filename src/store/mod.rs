//! The only module that touches git: repository access, notes, refs and trees, on gix.
//!
//! Everything written goes through a compare-and-swap ref update with a reflog
//! message; a writer that loses a race re-reads, re-applies and retries.

mod error;
pub mod jsonl;
pub mod layout;
mod loose;
mod notes;
mod refs;
mod sync;
mod trees;
mod views;
mod worktree;

pub use error::{Result, StoreError};
pub use layout::{ArtifactName, DATASETS_PREFIX, NOTES_PREFIX, NotesRef, OBJECTS_PREFIX, Stage, TreeRef};
pub use notes::{NoteEdit, NotesSnapshot, WriteOutcome};
pub use sync::{FetchPolicy, FetchReport, IncomingNotes, PushReport, RefMerge, SkippedRef};
pub use trees::TreeCommit;
pub use views::{CommitTree, WorkTree};
pub use worktree::init_repository;

use error::{GitContext, one_line};
use gix::ObjectId;
use std::path::{Path, PathBuf};

/// An open repository.
pub struct Store {
    repo: gix::Repository,
}

/// What a commit is, for stages that record their source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommitInfo {
    /// The commit id, full hex.
    pub id: String,
    /// Its tree id, full hex.
    pub tree: String,
    /// Committer time, seconds since the epoch.
    pub time: i64,
    /// First line of the message.
    pub summary: String,
    /// The whole message.
    pub message: String,
}

impl Store {
    /// Open the repository containing `dir`, like git does from a working directory.
    pub fn discover(dir: &Path) -> Result<Store> {
        let mut repo = gix::discover(dir).map_err(|_| StoreError::NotARepository {
            path: dir.to_path_buf(),
        })?;
        if repo.is_bare() {
            return Err(StoreError::Bare {
                path: repo.git_dir().to_path_buf(),
            });
        }
        repo.committer_or_set_fallback("git-distill", "git-distill@localhost")
            .ctx(|| "cannot determine the committer".into())?;
        repo.object_cache_size_if_unset(4 * 1024 * 1024);
        Ok(Store { repo })
    }

    /// A handle for writing many new objects: a miss (the normal case when writing a
    /// new blob) must not rescan the pack directory every time, which costs more than
    /// the write itself. Objects written through it are loose, so it still finds them.
    pub(crate) fn writer(&self) -> gix::Repository {
        let mut repo = self.repo.clone();
        repo.objects.refresh_never();
        repo
    }

    /// The repository's `.git` directory.
    pub fn git_dir(&self) -> &Path {
        self.repo.git_dir()
    }

    /// The work tree's root.
    pub fn workdir(&self) -> PathBuf {
        self.repo
            .workdir()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| self.git_dir().to_path_buf())
    }

    /// Hex length of object ids in this repository (40 for SHA-1, 64 for SHA-256).
    pub fn hex_len(&self) -> usize {
        self.repo.object_hash().len_in_hex()
    }

    /// Resolve a revision (`HEAD`, `main~3`, an abbreviated id) to a commit id.
    pub fn resolve(&self, spec: &str) -> Result<ObjectId> {
        let bad = |detail: Option<String>| StoreError::BadRevision {
            spec: spec.to_owned(),
            detail,
        };
        // A full id needs no prefix disambiguation (which lists loose-object directories).
        if spec.len() == self.hex_len()
            && let Ok(id) = ObjectId::from_hex(spec.as_bytes())
            && let Ok(commit) = self.repo.find_commit(id)
        {
            return Ok(commit.id);
        }
        let id = self.repo.rev_parse_single(spec).map_err(|e| {
            let unborn = self.repo.head().map(|h| h.is_unborn()).unwrap_or(false);
            if unborn && spec.starts_with("HEAD") {
                bad(Some("the repository has no commits yet; make a first commit".into()))
            } else {
                bad(Some(error::one_line(&e.to_string())))
            }
        })?;
        let object = id
            .object()
            .map_err(|_| StoreError::MissingObject { id: id.to_string() })?;
        let commit = object
            .peel_to_commit()
            .map_err(|_| bad(Some("it names no commit".into())))?;
        Ok(commit.id)
    }

    /// Resolve `A..B` (commits reachable from B but not A, newest first) or a single
    /// revision (that commit and its ancestors), stopping after `limit` commits.
    pub fn resolve_range(&self, spec: &str, limit: Option<usize>) -> Result<Vec<ObjectId>> {
        let (tips, hidden) = match spec.split_once("..") {
            Some((from, to)) => {
                let to = if to.is_empty() { "HEAD" } else { to };
                let from = if from.is_empty() { "HEAD" } else { from };
                (self.resolve(to)?, Some(self.resolve(from)?))
            }
            None => (self.resolve(spec)?, None),
        };
        let mut walk = self
            .repo
            .rev_walk([tips])
            .sorting(gix::revision::walk::Sorting::ByCommitTime(Default::default()));
        if let Some(hidden) = hidden {
            walk = walk.with_hidden([hidden]);
        }
        let mut out = Vec::new();
        for info in walk.all().ctx(|| format!("cannot walk history of `{spec}`"))? {
            if limit.is_some_and(|n| out.len() >= n) {
                break;
            }
            out.push(info.ctx(|| format!("cannot walk history of `{spec}`"))?.id);
        }
        Ok(out)
    }

    /// `start` and its first parents with committer times, newest first, at most `limit`.
    pub fn first_parent_history(&self, start: ObjectId, limit: usize) -> Result<Vec<(ObjectId, i64)>> {
        let mut out = Vec::new();
        let mut next = Some(start);
        while let Some(id) = next {
            if out.len() >= limit {
                break;
            }
            let Ok(commit) = self.repo.find_commit(id) else {
                break;
            };
            let time = commit.time().ctx(|| format!("cannot read time of {id}"))?.seconds;
            out.push((id, time));
            next = commit.parent_ids().next().map(|p| p.detach());
        }
        Ok(out)
    }

    /// The first parent of a commit, if it has one (and it is present).
    pub fn first_parent(&self, id: ObjectId) -> Result<Option<ObjectId>> {
        let commit = self
            .repo
            .find_commit(id)
            .map_err(|_| StoreError::MissingObject { id: id.to_string() })?;
        Ok(commit.parent_ids().next().map(|p| p.detach()))
    }

    /// Id, tree, time and summary of a commit.
    pub fn commit_info(&self, id: ObjectId) -> Result<CommitInfo> {
        let commit = self
            .repo
            .find_commit(id)
            .map_err(|_| StoreError::MissingObject { id: id.to_string() })?;
        let tree = commit.tree_id().ctx(|| format!("cannot read tree of {id}"))?.detach();
        let time = commit.time().ctx(|| format!("cannot read time of {id}"))?.seconds;
        let message = commit.message_raw_sloppy().to_string();
        Ok(CommitInfo {
            id: id.to_string(),
            tree: tree.to_string(),
            time,
            summary: message.lines().next().unwrap_or_default().to_owned(),
            message,
        })
    }

    /// Parse a full hex object id in this repository's format.
    pub fn parse_id(&self, hex: &str) -> Result<ObjectId> {
        let id = ObjectId::from_hex(hex.as_bytes()).map_err(|_| StoreError::BadRevision {
            spec: hex.to_owned(),
            detail: Some("not a full object id".into()),
        })?;
        if id.kind() != self.repo.object_hash() {
            return Err(StoreError::BadRevision {
                spec: hex.to_owned(),
                detail: Some("object id of the wrong hash kind for this repository".into()),
            });
        }
        Ok(id)
    }

    /// The source block of a receipt: HEAD's commit and tree, the checked-out ref, and
    /// whether tracked files differ from HEAD.
    pub fn source_state(&self) -> Result<crate::schema::Source> {
        let head = self.resolve("HEAD")?;
        let info = self.commit_info(head)?;
        let reference = self
            .repo
            .head_name()
            .ok()
            .flatten()
            .map(|n| n.as_bstr().to_string())
            .unwrap_or_default();
        let status = self.git(&["status".into(), "--porcelain".into(), "--untracked-files=no".into()])?;
        Ok(crate::schema::Source {
            git_commit: info.id,
            git_tree: info.tree,
            reference,
            dirty: !status.trim().is_empty(),
        })
    }

    /// The commit a cherry-pick in progress takes its change from (`CHERRY_PICK_HEAD`,
    /// which git keeps until the post-commit hook has run).
    pub fn cherry_pick_head(&self) -> Option<ObjectId> {
        let text = std::fs::read_to_string(self.git_dir().join("CHERRY_PICK_HEAD")).ok()?;
        self.parse_id(text.trim()).ok()
    }

    /// The stable patch id of each commit that has one (`git patch-id --stable`): commits
    /// that make the same change have the same id, whatever their parents.
    pub fn patch_ids(&self, commits: &[ObjectId]) -> Result<std::collections::HashMap<ObjectId, String>> {
        let mut out = std::collections::HashMap::new();
        if commits.is_empty() {
            return Ok(out);
        }
        // The ids go through stdin: a repository with thousands of annotated commits would
        // overflow the command line.
        let ids: String = commits.iter().map(|c| format!("{c}\n")).collect();
        let args = [
            "log",
            "--no-walk=unsorted",
            "--stdin",
            "--no-color",
            "--format=commit %H",
            "-p",
        ]
        .map(String::from);
        let patches = self.git_with_input(&args, ids.as_bytes())?;
        let ids = self.git_with_input(&["patch-id".into(), "--stable".into()], patches.as_bytes())?;
        for line in ids.lines() {
            if let Some((patch, commit)) = line.split_once(' ')
                && let Ok(commit) = self.parse_id(commit)
            {
                out.insert(commit, patch.to_owned());
            }
        }
        Ok(out)
    }

    /// Run the `git` binary in the work tree; the error carries git's first stderr line.
    pub(crate) fn git(&self, args: &[String]) -> Result<String> {
        self.git_with_input(args, &[])
    }

    /// [`Store::git`] with `input` on standard input.
    fn git_with_input(&self, args: &[String], input: &[u8]) -> Result<String> {
        use std::io::Write as _;
        let failed = |e: std::io::Error| StoreError::GitCommand {
            args: args.join(" "),
            stderr: format!("cannot run git: {e}"),
        };
        let mut child = std::process::Command::new("git")
            .arg("-C")
            .arg(self.workdir())
            .args(args)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .map_err(failed)?;
        let stdin = child.stdin.take();
        // Written on its own thread so a large input cannot deadlock against git's output;
        // a write error (git exited early) shows in git's status.
        let output = std::thread::scope(|scope| {
            scope.spawn(move || {
                if let Some(mut pipe) = stdin {
                    let _ = pipe.write_all(input);
                }
            });
            child.wait_with_output()
        })
        .map_err(failed)?;
        if output.status.success() {
            Ok(String::from_utf8_lossy(&output.stdout).into_owned())
        } else {
            Err(StoreError::GitCommand {
                args: args.join(" "),
                stderr: one_line(&String::from_utf8_lossy(&output.stderr)),
            })
        }
    }
}

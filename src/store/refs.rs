//! Compare-and-swap ref updates with retry, and commit writing.

use super::Store;
use super::error::{GitContext, Result, StoreError, one_line};
use gix::ObjectId;
use gix::refs::transaction::{Change, LogChange, PreviousValue, RefEdit, RefLog};
use std::time::Duration;

/// How many times a writer re-reads and re-applies after losing a race.
const MAX_ATTEMPTS: u32 = 200;

impl Store {
    /// The commit a ref points to (peeled), or `None` when the ref does not exist.
    pub(crate) fn ref_tip(&self, refname: &str) -> Result<Option<ObjectId>> {
        let reference = self
            .repo
            .try_find_reference(refname)
            .ctx(|| format!("cannot read ref {refname}"))?;
        match reference {
            None => Ok(None),
            Some(mut r) => Ok(Some(
                r.peel_to_id().ctx(|| format!("cannot peel ref {refname}"))?.detach(),
            )),
        }
    }

    /// The tree of a commit.
    pub(crate) fn tree_of(&self, commit: ObjectId) -> Result<ObjectId> {
        let commit = self
            .repo
            .find_commit(commit)
            .map_err(|_| StoreError::MissingObject { id: commit.to_string() })?;
        Ok(commit.tree_id().ctx(|| "cannot read commit tree".into())?.detach())
    }

    /// Write a commit object with the configured committer as author and committer.
    pub(crate) fn write_commit(&self, tree: ObjectId, parents: &[ObjectId], message: &str) -> Result<ObjectId> {
        let signature: gix::actor::Signature = self
            .repo
            .committer()
            .ok_or_else(|| StoreError::Git {
                context: "cannot write commit".into(),
                message: "no committer identity".into(),
            })?
            .ctx(|| "cannot read committer identity".into())?
            .into();
        let commit = gix::objs::Commit {
            tree,
            parents: parents.iter().copied().collect(),
            author: signature.clone(),
            committer: signature,
            encoding: None,
            message: format!("{message}\n").into(),
            extra_headers: Vec::new(),
        };
        Ok(self
            .repo
            .write_object(&commit)
            .ctx(|| "cannot write commit".into())?
            .detach())
    }

    /// Move `refname` with compare-and-swap, retrying on lost races.
    ///
    /// `build` gets the current tip and returns the new commit to point at, or
    /// `None` when there is nothing to change. It is called again on a fresh tip
    /// after every lost race, so concurrent writers re-apply their change and lose nothing.
    pub(crate) fn update_ref_with<T>(
        &self,
        refname: &str,
        reflog_message: &str,
        mut build: impl FnMut(Option<ObjectId>) -> Result<Option<(ObjectId, T)>>,
    ) -> Result<Option<T>> {
        let name: gix::refs::FullName = refname
            .try_into()
            .map_err(|_| StoreError::BadRefName(refname.to_owned()))?;
        let mut last = String::new();
        for attempt in 0..MAX_ATTEMPTS {
            let tip = self.ref_tip(refname)?;
            let Some((new, value)) = build(tip)? else {
                return Ok(None);
            };
            let expected = match tip {
                Some(id) => PreviousValue::MustExistAndMatch(gix::refs::Target::Object(id)),
                None => PreviousValue::MustNotExist,
            };
            let edit = RefEdit {
                change: Change::Update {
                    log: LogChange {
                        mode: RefLog::AndReference,
                        force_create_reflog: true,
                        message: reflog_message.into(),
                    },
                    expected,
                    new: gix::refs::Target::Object(new),
                },
                name: name.clone(),
                deref: false,
            };
            match self.repo.edit_reference(edit) {
                Ok(_) => return Ok(Some(value)),
                Err(e) => {
                    last = one_line(&e.to_string());
                    std::thread::sleep(backoff(attempt));
                }
            }
        }
        Err(StoreError::Contended {
            refname: refname.to_owned(),
            attempts: MAX_ATTEMPTS,
            last,
        })
    }

    /// Whether `ancestor` is reachable from `descendant` (or equal to it).
    pub(crate) fn is_ancestor(&self, ancestor: ObjectId, descendant: ObjectId) -> Result<bool> {
        if ancestor == descendant {
            return Ok(true);
        }
        let base = self
            .repo
            .merge_base(ancestor, descendant)
            .ctx(|| format!("cannot compute merge base of {ancestor} and {descendant}"))?;
        Ok(base.is_some_and(|b| b.detach() == ancestor))
    }

    /// The best common ancestor of two commits, if any.
    pub fn merge_base(&self, a: ObjectId, b: ObjectId) -> Result<Option<ObjectId>> {
        Ok(self
            .repo
            .merge_base(a, b)
            .ctx(|| format!("cannot compute merge base of {a} and {b}"))?
            .map(|id| id.detach()))
    }

    /// Names of the refs under `prefix` (e.g. `refs/notes/distill/`), sorted.
    pub fn refs_under(&self, prefix: &str) -> Result<Vec<String>> {
        let platform = self.repo.references().ctx(|| "cannot list refs".into())?;
        let mut names = Vec::new();
        for r in platform
            .prefixed(prefix)
            .ctx(|| format!("cannot list refs under {prefix}"))?
        {
            let r = r.map_err(|e| StoreError::Git {
                context: format!("cannot read a ref under {prefix}"),
                message: one_line(&e.to_string()),
            })?;
            names.push(r.name().as_bstr().to_string());
        }
        names.sort();
        Ok(names)
    }
}

/// Spread retries out; the process id staggers competing writers without randomness.
pub(crate) fn backoff(attempt: u32) -> Duration {
    let base = 2u64.saturating_pow(attempt.min(6)).min(50);
    let stagger = u64::from(std::process::id() % 7);
    Duration::from_millis(base + stagger)
}

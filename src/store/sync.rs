//! `push` and `fetch` of git-distill's refs.
//!
//! Transport shells out to the `git` binary (gix's push is not available yet);
//! merging fetched notes happens here, on gix, as a sorted union — never a force.

use super::Store;
use super::error::{Result, StoreError};
use super::notes::{NOTES_PREFIX, NoteEdit, NotesRef};
use super::trees::OBJECTS_PREFIX;
use gix::ObjectId;
use serde::Serialize;

/// The side refs fetched data lands in, per remote, before it is merged.
const SIDE_PREFIX: &str = "refs/distill-remote/";

/// How one fetched ref was brought into ours.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "action", rename_all = "kebab-case")]
pub enum RefMerge {
    /// We had no such ref; it now equals theirs.
    Created {
        /// Our ref.
        name: String,
    },
    /// Ours was behind; it moved forward to theirs.
    FastForward {
        /// Our ref.
        name: String,
    },
    /// Ours already contained theirs.
    UpToDate {
        /// Our ref.
        name: String,
    },
    /// Both had new notes; ours is now a merge commit with the union of every note.
    Merged {
        /// Our ref.
        name: String,
        /// Notes that changed in ours.
        notes_changed: usize,
    },
    /// A `refs/distill/*` build diverged; ours was kept, theirs stays in the side ref.
    Diverged {
        /// Our ref.
        name: String,
        /// Where theirs is kept.
        side_ref: String,
    },
}

/// What `fetch` did.
#[derive(Debug, Clone, Serialize)]
pub struct FetchReport {
    /// The remote fetched from.
    pub remote: String,
    /// One entry per fetched ref.
    pub refs: Vec<RefMerge>,
}

/// What `push` did.
#[derive(Debug, Clone, Serialize)]
pub struct PushReport {
    /// The remote pushed to.
    pub remote: String,
    /// Whether the first push was rejected and we fetched, merged and pushed again.
    pub retried_after_merge: bool,
    /// The merge done before the retry, if any.
    pub merge: Option<FetchReport>,
}

impl Store {
    /// The remote of the current branch, else `origin`.
    pub fn default_remote(&self) -> String {
        let branch = self.repo.head_name().ok().flatten();
        branch
            .and_then(|name| {
                let short = name.shorten().to_string();
                self.repo
                    .config_snapshot()
                    .string(format!("branch.{short}.remote").as_str())
                    .map(|v| v.to_string())
            })
            .unwrap_or_else(|| "origin".to_owned())
    }

    /// Push `refs/notes/distill/*` and `refs/distill/*` to `remote`, never forcing.
    /// A rejected push fetches and merges, then pushes once more.
    pub fn push(&self, remote: &str) -> Result<PushReport> {
        let refspecs = [
            format!("{NOTES_PREFIX}*:{NOTES_PREFIX}*"),
            format!("{OBJECTS_PREFIX}*:{OBJECTS_PREFIX}*"),
        ];
        // --no-verify: our own pre-push hook calls this; it must not run itself again.
        let mut args = vec![
            "push".to_owned(),
            "--quiet".to_owned(),
            "--no-verify".to_owned(),
            remote.to_owned(),
        ];
        args.extend(refspecs);
        match self.git(&args) {
            Ok(_) => Ok(PushReport {
                remote: remote.to_owned(),
                retried_after_merge: false,
                merge: None,
            }),
            Err(StoreError::GitCommand { stderr, .. }) if is_rejection(&stderr) => {
                let merge = self.fetch(remote)?;
                self.git(&args)?;
                Ok(PushReport {
                    remote: remote.to_owned(),
                    retried_after_merge: true,
                    merge: Some(merge),
                })
            }
            Err(e) => Err(e),
        }
    }

    /// Fetch `remote`'s git-distill refs into side refs and merge them into ours.
    pub fn fetch(&self, remote: &str) -> Result<FetchReport> {
        let side = format!("{SIDE_PREFIX}{}/", sanitize(remote));
        self.git(&[
            "fetch".into(),
            "--quiet".into(),
            "--no-tags".into(),
            remote.into(),
            format!("+{NOTES_PREFIX}*:{side}notes/*"),
            format!("+{OBJECTS_PREFIX}*:{side}objects/*"),
        ])?;
        let mut refs = Vec::new();
        for side_ref in self.refs_under(&format!("{side}notes/"))? {
            let kind = side_ref.rsplit('/').next().unwrap_or_default();
            let notes_ref = NotesRef::new(kind)?;
            if let Some(theirs) = self.ref_tip(&side_ref)? {
                refs.push(self.merge_notes_ref(&notes_ref, theirs)?);
            }
        }
        for side_ref in self.refs_under(&format!("{side}objects/"))? {
            let name = &side_ref[side.len() + "objects/".len()..];
            if let Some(theirs) = self.ref_tip(&side_ref)? {
                refs.push(self.fast_forward_only(&format!("{OBJECTS_PREFIX}{name}"), theirs, &side_ref)?);
            }
        }
        Ok(FetchReport {
            remote: remote.to_owned(),
            refs,
        })
    }

    /// Bring the notes commit `theirs` into `notes_ref`: create, fast-forward, or union-merge.
    pub(crate) fn merge_notes_ref(&self, notes_ref: &NotesRef, theirs: ObjectId) -> Result<RefMerge> {
        let name = notes_ref.full_name();
        let ours = self.ref_tip(&name)?;
        if let Some(ours) = ours
            && self.is_ancestor(theirs, ours)?
        {
            return Ok(RefMerge::UpToDate { name });
        }
        if ours.is_none() || ours.is_some_and(|o| self.is_ancestor(o, theirs).unwrap_or(false)) {
            let moved = self.update_ref_with(&name, "git-distill: fetch (fast-forward)", |tip| {
                Ok((tip == ours).then_some((theirs, ())))
            })?;
            if moved.is_some() {
                return Ok(if ours.is_none() {
                    RefMerge::Created { name }
                } else {
                    RefMerge::FastForward { name }
                });
            }
        }
        let snapshot = self.notes_at(theirs)?;
        let mut edits = Vec::with_capacity(snapshot.len());
        for commit in snapshot.annotated() {
            if let Some(blob) = snapshot.blob_for(&commit) {
                edits.push((commit, NoteEdit::Union(self.blob(blob)?)));
            }
        }
        let outcome = self.write_notes_with_parent(notes_ref, &edits, Some(theirs), "merge fetched notes (union)")?;
        Ok(RefMerge::Merged {
            name,
            notes_changed: outcome.changed,
        })
    }

    fn fast_forward_only(&self, name: &str, theirs: ObjectId, side_ref: &str) -> Result<RefMerge> {
        let ours = self.ref_tip(name)?;
        if let Some(ours) = ours
            && self.is_ancestor(theirs, ours)?
        {
            return Ok(RefMerge::UpToDate { name: name.to_owned() });
        }
        if let Some(ours) = ours
            && !self.is_ancestor(ours, theirs)?
        {
            return Ok(RefMerge::Diverged {
                name: name.to_owned(),
                side_ref: side_ref.to_owned(),
            });
        }
        let moved = self.update_ref_with(name, "git-distill: fetch (fast-forward)", |tip| {
            Ok((tip == ours).then_some((theirs, ())))
        })?;
        Ok(match (moved, ours) {
            (Some(()), None) => RefMerge::Created { name: name.to_owned() },
            (Some(()), Some(_)) => RefMerge::FastForward { name: name.to_owned() },
            (None, _) => RefMerge::Diverged {
                name: name.to_owned(),
                side_ref: side_ref.to_owned(),
            },
        })
    }
}

fn is_rejection(stderr: &str) -> bool {
    ["rejected", "non-fast-forward", "fetch first", "failed to push"]
        .iter()
        .any(|s| stderr.contains(s))
}

/// A remote name or URL made safe for a ref path component.
fn sanitize(remote: &str) -> String {
    let cleaned: String = remote
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    cleaned.trim_matches('_').to_owned()
}

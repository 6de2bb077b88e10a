//! `push` and `fetch` of git-distill's refs.
//!
//! Transport shells out to the `git` binary (gix's push is not available yet);
//! merging fetched notes happens here, on gix, as a sorted union — never a force.

use super::Store;
use super::error::{GitContext, Result, StoreError};
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
    /// Refs left alone because they cannot be read as what they claim to be.
    pub skipped: Vec<SkippedRef>,
    /// Per notes ref: what arrived and what was refused.
    pub incoming: Vec<IncomingNotes>,
}

impl FetchReport {
    /// Whether anything was skipped or refused (the command exits 1).
    pub fn refused_anything(&self) -> bool {
        !self.skipped.is_empty() || self.incoming.iter().any(|i| i.lines_refused > 0 || i.notes_refused > 0)
    }
}

/// A remote ref that fetch did not merge, and why.
#[derive(Debug, Clone, Serialize)]
pub struct SkippedRef {
    /// The remote's ref name.
    pub name: String,
    /// Why, on one line.
    pub reason: String,
}

/// What one notes ref brought in.
#[derive(Debug, Clone, Default, Serialize)]
pub struct IncomingNotes {
    /// Our notes ref.
    pub name: String,
    /// Notes of theirs that differ from ours.
    pub notes: usize,
    /// Their lines checked (lines of the notes that differ).
    pub lines_checked: usize,
    /// Lines refused (not JSON, wrong schema, unknown schema_version).
    pub lines_refused: usize,
    /// Whole notes refused for their size.
    pub notes_refused: usize,
    /// The first few problems, for a person.
    pub problems: Vec<String>,
}

/// Checks one incoming line of a notes ref; `Err` says why it is refused.
pub type LineCheck = dyn Fn(&NotesRef, &[u8]) -> std::result::Result<(), String>;

/// What fetch accepts from another clone.
pub struct FetchPolicy<'a> {
    /// Checks one incoming line of a notes ref.
    pub check_line: &'a LineCheck,
    /// An incoming note larger than this is refused whole.
    pub max_note_bytes: u64,
    /// An incoming note with more lines than this is refused whole.
    pub max_note_lines: usize,
}

/// How many problems an [`IncomingNotes`] keeps.
const PROBLEMS_KEPT: usize = 5;
/// How often `push` fetches, merges and tries again before it gives up on a race.
const PUSH_ATTEMPTS: u32 = 8;

/// What `push` did.
#[derive(Debug, Clone, Serialize)]
pub struct PushReport {
    /// The remote pushed to.
    pub remote: String,
    /// Whether the first push was rejected and we fetched, merged and pushed again.
    pub retried_after_merge: bool,
    /// Pushes tried (1 when the first went through).
    pub attempts: u32,
    /// The last merge done before a retry, if any.
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
    /// A push that loses a race (rejected, or the remote could not lock a ref another
    /// push was moving) fetches, merges and tries again, with backoff, up to
    /// [`PUSH_ATTEMPTS`] times; then it is [`StoreError::Contended`].
    pub fn push(&self, remote: &str, policy: &FetchPolicy<'_>) -> Result<PushReport> {
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
        let mut merge = None;
        let mut last = String::new();
        for attempt in 1..=PUSH_ATTEMPTS {
            match self.git(&args) {
                Ok(_) => {
                    return Ok(PushReport {
                        remote: remote.to_owned(),
                        retried_after_merge: attempt > 1,
                        attempts: attempt,
                        merge,
                    });
                }
                Err(StoreError::GitCommand { stderr, .. }) if lost_race(&stderr) => {
                    last = stderr;
                    if attempt > 1 {
                        std::thread::sleep(super::refs::backoff(attempt));
                    }
                    merge = Some(self.fetch(remote, policy)?);
                }
                Err(e) => return Err(e),
            }
        }
        Err(StoreError::Contended {
            refname: format!("{remote} {NOTES_PREFIX}*"),
            attempts: PUSH_ATTEMPTS,
            last,
        })
    }

    /// Fetch `remote`'s git-distill refs into side refs and merge them into ours. A ref
    /// that is not a commit, or whose notes tree cannot be read, is skipped (the others
    /// are merged); incoming note lines go through `policy`.
    pub fn fetch(&self, remote: &str, policy: &FetchPolicy<'_>) -> Result<FetchReport> {
        let side = format!("{SIDE_PREFIX}{}/", sanitize(remote));
        self.git(&[
            "fetch".into(),
            "--quiet".into(),
            "--no-tags".into(),
            remote.into(),
            format!("+{NOTES_PREFIX}*:{side}notes/*"),
            format!("+{OBJECTS_PREFIX}*:{side}objects/*"),
        ])?;
        let mut report = FetchReport {
            remote: remote.to_owned(),
            refs: Vec::new(),
            skipped: Vec::new(),
            incoming: Vec::new(),
        };
        for side_ref in self.refs_under(&format!("{side}notes/"))? {
            let name = format!("{NOTES_PREFIX}{}", &side_ref[side.len() + "notes/".len()..]);
            let merged = NotesRef::from_full_name(&name).and_then(|notes_ref| {
                let theirs = self.commit_tip(&side_ref)?;
                self.merge_notes_ref(&notes_ref, theirs, policy)
            });
            match merged {
                Ok((merge, incoming)) => {
                    report.refs.push(merge);
                    report.incoming.push(incoming);
                }
                Err(e) => report.skipped.push(SkippedRef {
                    name,
                    reason: e.to_string(),
                }),
            }
        }
        for side_ref in self.refs_under(&format!("{side}objects/"))? {
            let name = format!("{OBJECTS_PREFIX}{}", &side_ref[side.len() + "objects/".len()..]);
            match self
                .commit_tip(&side_ref)
                .and_then(|theirs| self.fast_forward_only(&name, theirs, &side_ref))
            {
                Ok(merge) => report.refs.push(merge),
                Err(e) => report.skipped.push(SkippedRef {
                    name,
                    reason: e.to_string(),
                }),
            }
        }
        Ok(report)
    }

    /// `git fetch <remote> <specs>`; a refspec whose source the remote lacks is skipped.
    pub fn fetch_refspecs(&self, remote: &str, specs: &[String]) -> Result<()> {
        for spec in specs {
            let mut args = vec!["fetch".to_owned(), "--quiet".into(), "--no-tags".into(), remote.into()];
            args.push(spec.clone());
            match self.git(&args) {
                Ok(_) => {}
                Err(StoreError::GitCommand { stderr, .. }) if stderr.contains("couldn't find remote ref") => {}
                Err(e) => return Err(e),
            }
        }
        Ok(())
    }

    /// The commit `refname` points at; anything else (a blob, a tree) is an error.
    fn commit_tip(&self, refname: &str) -> Result<ObjectId> {
        let reference = self
            .repo
            .find_reference(refname)
            .ctx(|| format!("cannot read ref {refname}"))?;
        let id = reference
            .target()
            .try_id()
            .map(|id| id.to_owned())
            .ok_or_else(|| StoreError::BadRefName(refname.to_owned()))?;
        let kind = self
            .repo
            .find_header(id)
            .map_err(|_| StoreError::MissingObject { id: id.to_string() })?
            .kind();
        if kind != gix::object::Kind::Commit {
            return Err(StoreError::Git {
                context: format!("{refname} points at a {kind}, not a commit"),
                message: "skipped".into(),
            });
        }
        Ok(id)
    }

    /// Bring the notes commit `theirs` into `notes_ref`: create, fast-forward, or
    /// union-merge. Their notes that differ from ours are checked line by line; when
    /// anything is refused, theirs is never taken whole: ours becomes a merge commit
    /// (theirs as a parent, so it counts as merged) whose tree holds only accepted lines.
    pub(crate) fn merge_notes_ref(
        &self,
        notes_ref: &NotesRef,
        theirs: ObjectId,
        policy: &FetchPolicy<'_>,
    ) -> Result<(RefMerge, IncomingNotes)> {
        let name = notes_ref.full_name();
        let mut incoming = IncomingNotes {
            name: name.clone(),
            ..IncomingNotes::default()
        };
        let ours = self.ref_tip(&name)?;
        if let Some(ours) = ours
            && self.is_ancestor(theirs, ours)?
        {
            return Ok((RefMerge::UpToDate { name }, incoming));
        }
        let edits = self.incoming_edits(notes_ref, ours, theirs, policy, &mut incoming)?;
        let clean = incoming.lines_refused == 0 && incoming.notes_refused == 0;
        if clean && (ours.is_none() || ours.is_some_and(|o| self.is_ancestor(o, theirs).unwrap_or(false))) {
            let moved = self.update_ref_with(&name, "git-distill: fetch (fast-forward)", |tip| {
                Ok((tip == ours).then_some((theirs, ())))
            })?;
            if moved.is_some() {
                let merge = if ours.is_none() {
                    RefMerge::Created { name }
                } else {
                    RefMerge::FastForward { name }
                };
                return Ok((merge, incoming));
            }
        }
        let outcome = self.write_notes_with_parent(notes_ref, &edits, Some(theirs), "merge fetched notes (union)")?;
        Ok((
            RefMerge::Merged {
                name,
                notes_changed: outcome.changed,
            },
            incoming,
        ))
    }

    /// Union edits of the accepted lines of every note of `theirs` that differs from ours.
    fn incoming_edits(
        &self,
        notes_ref: &NotesRef,
        ours: Option<ObjectId>,
        theirs: ObjectId,
        policy: &FetchPolicy<'_>,
        incoming: &mut IncomingNotes,
    ) -> Result<Vec<(ObjectId, NoteEdit)>> {
        let their_notes = self.notes_at(theirs)?;
        let our_notes = match ours {
            Some(ours) => Some(self.notes_at(ours)?),
            None => None,
        };
        let problem = |incoming: &mut IncomingNotes, text: String| {
            if incoming.problems.len() < PROBLEMS_KEPT {
                incoming.problems.push(text);
            }
        };
        let mut edits = Vec::new();
        for commit in their_notes.annotated() {
            let Some(blob) = their_notes.blob_for(&commit) else {
                continue;
            };
            if our_notes.as_ref().and_then(|n| n.blob_for(&commit)) == Some(blob) {
                continue;
            }
            incoming.notes += 1;
            let size = self
                .repo
                .find_header(blob)
                .map_err(|_| StoreError::MissingObject { id: blob.to_string() })?
                .size();
            if size > policy.max_note_bytes {
                incoming.notes_refused += 1;
                problem(
                    incoming,
                    format!(
                        "note on {commit}: {size} bytes, over the limit of {}",
                        policy.max_note_bytes
                    ),
                );
                continue;
            }
            let bytes = self.blob(blob)?;
            let lines: Vec<&[u8]> = bytes.split(|b| *b == b'\n').filter(|l| !l.is_empty()).collect();
            if lines.len() > policy.max_note_lines {
                incoming.notes_refused += 1;
                problem(
                    incoming,
                    format!(
                        "note on {commit}: {} lines, over the limit of {}",
                        lines.len(),
                        policy.max_note_lines
                    ),
                );
                continue;
            }
            let mut kept = Vec::with_capacity(bytes.len());
            for (i, line) in lines.into_iter().enumerate() {
                incoming.lines_checked += 1;
                match (policy.check_line)(notes_ref, line) {
                    Ok(()) => {
                        kept.extend_from_slice(line);
                        kept.push(b'\n');
                    }
                    Err(why) => {
                        incoming.lines_refused += 1;
                        problem(incoming, format!("note on {commit}, line {}: {why}", i + 1));
                    }
                }
            }
            edits.push((commit, NoteEdit::Union(kept)));
        }
        Ok(edits)
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

/// Whether a failed push lost a race with another writer (and may succeed after a
/// fetch and merge): rejected as non-fast-forward, or the remote could not lock or
/// update a ref that moved under it.
fn lost_race(stderr: &str) -> bool {
    [
        "rejected",
        "non-fast-forward",
        "fetch first",
        "failed to push",
        "cannot lock ref",
        "failed to update ref",
        "but expected",
        "incorrect old value",
    ]
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

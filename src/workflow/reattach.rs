//! Evidence follows every way a change moves: amend and rebase (post-rewrite),
//! cherry-pick and `merge --squash` (post-commit, which git runs with no rewrite list),
//! and squash merges made on a server (`git distill reattach <range>`, e.g. in CI).

use super::Result;
use crate::store::{NoteEdit, NotesRef, Store};
use gix::ObjectId;
use serde::Serialize;
use std::collections::{BTreeSet, HashMap};

/// The notes that travel with a change: its evidence and the verdicts on it. Receipts
/// stay on the commit they attest.
const CARRIED: [NotesRef; 2] = [NotesRef::Evidence, NotesRef::Scores];

/// Commits a message says this commit was made from: `(cherry picked from commit <id>)`
/// trailers, and the `commit <id>` lines git writes under "Squashed commit of the
/// following:". Hex ids only; resolving them is the caller's.
pub fn declared_sources(message: &str) -> Vec<String> {
    let hex = |s: &str| {
        let s = s.trim();
        (s.len() >= 40 && s.bytes().all(|b| b.is_ascii_hexdigit())).then(|| s.to_ascii_lowercase())
    };
    let mut out = Vec::new();
    let squashed = message.contains("Squashed commit of the following:");
    for line in message.lines() {
        let line = line.trim();
        if let Some(rest) = line.strip_prefix("(cherry picked from commit ") {
            out.extend(hex(rest.trim_end_matches(')')));
        } else if squashed && let Some(rest) = line.strip_prefix("commit ") {
            out.extend(hex(rest));
        }
    }
    out.dedup();
    out
}

/// Union the carried notes of each `(from, to)` pair onto `to`; returns the notes changed.
pub fn carry(store: &Store, pairs: &[(ObjectId, ObjectId)], why: &str) -> Result<usize> {
    let mut changed = 0;
    for notes_ref in CARRIED {
        let mut edits = Vec::new();
        for (from, to) in pairs {
            if let Some(note) = store.read_note(&notes_ref, *from)? {
                edits.push((*to, NoteEdit::Union(note)));
            }
        }
        if !edits.is_empty() {
            changed += store
                .write_notes(&notes_ref, &edits, &format!("{why}: carry {} notes", edits.len()))?
                .changed;
        }
    }
    Ok(changed)
}

/// Where the commit just made came from, as post-commit sees it: the commit a cherry-pick
/// in progress names, or the commits its message declares.
pub fn sources_of_new_commit(store: &Store, commit: ObjectId) -> Result<Vec<ObjectId>> {
    let mut sources: Vec<ObjectId> = store.cherry_pick_head().into_iter().collect();
    let message = store.commit_info(commit)?.message;
    sources.extend(declared_sources(&message).iter().filter_map(|h| store.parse_id(h).ok()));
    sources.retain(|s| *s != commit);
    sources.dedup();
    Ok(sources)
}

/// One commit that received evidence.
#[derive(Debug, Clone, Serialize)]
pub struct Reattached {
    /// The commit that lacked evidence.
    pub commit: String,
    /// Where it came from.
    pub sources: Vec<String>,
    /// How they were matched: `message` (trailer or squash list) or `patch-id`.
    pub matched_by: String,
}

/// What `reattach` did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ReattachReport {
    /// Commits in the range examined (those without evidence).
    pub without_evidence: usize,
    /// Commits that received evidence.
    pub reattached: Vec<Reattached>,
    /// Notes changed.
    pub notes_changed: usize,
}

/// Give each commit in `range` that has no evidence the evidence of the commits it was
/// made from: those its message names, else those with the same patch id (a cherry-pick
/// or rebase done elsewhere, e.g. a server-side squash of one commit).
pub fn reattach(store: &Store, range: &str) -> Result<ReattachReport> {
    let evidence = store.notes_snapshot(&NotesRef::Evidence)?;
    let targets: Vec<ObjectId> = store
        .resolve_range(range, None)?
        .into_iter()
        .filter(|c| evidence.blob_for(c).is_none())
        .collect();
    let mut report = ReattachReport {
        without_evidence: targets.len(),
        ..ReattachReport::default()
    };
    let annotated: Vec<ObjectId> = evidence.annotated();
    let mut by_patch: Option<HashMap<String, Vec<ObjectId>>> = None;
    let mut pairs = Vec::new();
    for target in &targets {
        let message = store.commit_info(*target)?.message;
        let mut sources: BTreeSet<ObjectId> = declared_sources(&message)
            .iter()
            .filter_map(|h| store.parse_id(h).ok())
            .filter(|s| evidence.blob_for(s).is_some())
            .collect();
        let mut matched_by = "message";
        if sources.is_empty() {
            // Patch ids of every annotated commit, computed once and only when needed.
            let index = match &mut by_patch {
                Some(index) => index,
                None => {
                    let mut index: HashMap<String, Vec<ObjectId>> = HashMap::new();
                    for (commit, patch) in store.patch_ids(&annotated)? {
                        index.entry(patch).or_default().push(commit);
                    }
                    by_patch.insert(index)
                }
            };
            if let Some(patch) = store.patch_ids(&[*target])?.remove(target) {
                sources.extend(index.get(&patch).into_iter().flatten().filter(|c| *c != target));
            }
            matched_by = "patch-id";
        }
        if sources.is_empty() {
            continue;
        }
        pairs.extend(sources.iter().map(|s| (*s, *target)));
        report.reattached.push(Reattached {
            commit: target.to_string(),
            sources: sources.iter().map(ObjectId::to_string).collect(),
            matched_by: matched_by.to_owned(),
        });
    }
    report.notes_changed = carry(store, &pairs, "reattach")?;
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_declare_cherry_picks_and_squashes() {
        let a = "5922e31cd7f579dac857b3944a786b9751756475";
        let b = "84290f0aa1b2c3d4e5f60718293a4b5c6d7e8f90";
        assert_eq!(
            declared_sources(&format!("fix\n\n(cherry picked from commit {a})\n")),
            [a]
        );
        let squash =
            format!("Squashed commit of the following:\n\ncommit {a}\nAuthor: x\n\n    one\n\ncommit {b}\nAuthor: y\n");
        assert_eq!(declared_sources(&squash), [a, b]);
        // A "commit" line in an ordinary message is prose, not a source.
        assert!(declared_sources(&format!("revert\n\ncommit {a} broke it")).is_empty());
    }
}

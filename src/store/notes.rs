//! Git notes under `refs/notes/distill/<kind>`, stored exactly as git stores them.
//!
//! The notes tree layout (including git's progressive fanout) is handled by
//! `gix_note::State`; a batch of edits becomes one notes commit.

use super::error::{GitContext, Result, StoreError};
pub use super::layout::{NOTES_PREFIX, NotesRef};
use super::{Store, jsonl};
use gix::ObjectId;
use gix::objs::tree::EntryKind;
use std::collections::HashMap;

/// What to do with the note of one commit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NoteEdit {
    /// Union these JSONL lines into the note (sorted, deduplicated).
    Union(Vec<u8>),
    /// Replace the note with these bytes.
    Replace(Vec<u8>),
    /// Remove the note.
    Remove,
    /// Set the note to an already written blob that was merged against the note blob
    /// `base` (`None`: no note); if the note changed meanwhile, the two are unioned.
    Blob {
        /// The new note's blob.
        blob: ObjectId,
        /// The note blob it was merged against.
        base: Option<ObjectId>,
    },
}

/// The result of a batch note write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WriteOutcome {
    /// The new notes commit, or `None` when nothing changed.
    pub notes_commit: Option<ObjectId>,
    /// How many notes changed.
    pub changed: usize,
}

/// Every note of a notes ref at one moment: annotated object → note blob.
#[derive(Debug, Default)]
pub struct NotesSnapshot {
    notes: HashMap<ObjectId, ObjectId>,
}

impl NotesSnapshot {
    /// The note blob attached to `commit`, if any.
    pub fn blob_for(&self, commit: &ObjectId) -> Option<ObjectId> {
        self.notes.get(commit).copied()
    }

    /// Number of notes.
    pub fn len(&self) -> usize {
        self.notes.len()
    }

    /// True when there are no notes.
    pub fn is_empty(&self) -> bool {
        self.notes.is_empty()
    }

    /// Annotated objects, sorted.
    pub fn annotated(&self) -> Vec<ObjectId> {
        let mut ids: Vec<_> = self.notes.keys().copied().collect();
        ids.sort();
        ids
    }
}

impl Store {
    /// The note `notes_ref` holds for `commit`.
    pub fn read_note(&self, notes_ref: &NotesRef, commit: ObjectId) -> Result<Option<Vec<u8>>> {
        match self.note_blob(notes_ref, commit)? {
            Some(blob) => Ok(Some(self.blob(blob)?)),
            None => Ok(None),
        }
    }

    /// The notes commit `notes_ref` points at, if it exists.
    pub fn notes_tip(&self, notes_ref: &NotesRef) -> Result<Option<ObjectId>> {
        self.ref_tip(&notes_ref.full_name())
    }

    /// The note of `commit` as it was in notes commit `notes_commit` (history of the notes ref).
    pub fn read_note_at(&self, notes_commit: ObjectId, commit: ObjectId) -> Result<Option<Vec<u8>>> {
        match self.note_blob_at(notes_commit, commit)? {
            Some(blob) => Ok(Some(self.blob(blob)?)),
            None => Ok(None),
        }
    }

    /// The blob annotating `commit` in the tree of notes commit `notes_commit`.
    fn note_blob_at(&self, notes_commit: ObjectId, commit: ObjectId) -> Result<Option<ObjectId>> {
        let tree = self.tree_of(notes_commit)?;
        let mut state = gix::note::plumbing::State::new(tree, &self.repo)
            .ctx(|| format!("cannot read notes tree of {notes_commit}"))?;
        state
            .get(&commit, &self.repo)
            .ctx(|| format!("cannot look up note for {commit}"))
    }

    /// The blob of the note `notes_ref` holds for `commit`.
    pub fn note_blob(&self, notes_ref: &NotesRef, commit: ObjectId) -> Result<Option<ObjectId>> {
        match self.ref_tip(&notes_ref.full_name())? {
            Some(tip) => self.note_blob_at(tip, commit),
            None => Ok(None),
        }
    }

    /// The bytes of a blob.
    pub fn blob(&self, id: ObjectId) -> Result<Vec<u8>> {
        let mut blob = self
            .repo
            .find_blob(id)
            .map_err(|_| StoreError::MissingObject { id: id.to_string() })?;
        Ok(blob.take_data())
    }

    /// A blob's bytes as a stream. A loose object (what collect writes) is inflated as
    /// it is read, so a note of gigabytes is never held whole; a packed one is read whole,
    /// as gix has no streaming read for it.
    pub fn blob_reader(&self, id: ObjectId) -> Result<Box<dyn std::io::BufRead + Send>> {
        let hex = id.to_string();
        let Ok(file) = std::fs::File::open(self.loose_object_path(id)) else {
            return Ok(Box::new(std::io::Cursor::new(self.blob(id)?)));
        };
        let mut inflated =
            std::io::BufReader::with_capacity(1 << 20, flate2::read::ZlibDecoder::new(std::io::BufReader::new(file)));
        // The loose header, `blob <size>\0`, precedes the content.
        let mut header = Vec::new();
        std::io::BufRead::read_until(&mut inflated, 0, &mut header).ctx(|| format!("cannot read object {hex}"))?;
        if !header.starts_with(b"blob ") || header.last() != Some(&0) {
            return Err(StoreError::MissingObject { id: hex });
        }
        Ok(Box::new(inflated))
    }

    /// All notes of `notes_ref` (empty when the ref does not exist).
    pub fn notes_snapshot(&self, notes_ref: &NotesRef) -> Result<NotesSnapshot> {
        match self.ref_tip(&notes_ref.full_name())? {
            None => Ok(NotesSnapshot::default()),
            Some(tip) => self.notes_at(tip),
        }
    }

    /// All notes of a notes ref another tool owns (`refs/notes/ai`); empty when absent.
    pub fn foreign_notes_snapshot(&self, full_ref: &str) -> Result<NotesSnapshot> {
        match self.ref_tip(full_ref)? {
            None => Ok(NotesSnapshot::default()),
            Some(tip) => self.notes_at(tip),
        }
    }

    /// The commit a ref points at, if it exists.
    pub fn tip_of(&self, full_ref: &str) -> Result<Option<ObjectId>> {
        self.ref_tip(full_ref)
    }

    /// All notes in the tree of notes commit `notes_commit`.
    pub(crate) fn notes_at(&self, notes_commit: ObjectId) -> Result<NotesSnapshot> {
        let mut snapshot = NotesSnapshot::default();
        let tree = self.tree_of(notes_commit)?;
        self.collect_notes(tree, String::new(), &mut snapshot)?;
        Ok(snapshot)
    }

    /// Walk a notes tree: fanout directories are two hex digits; a note's path, with
    /// the slashes removed, is the full hex id of the annotated object.
    fn collect_notes(&self, tree: ObjectId, prefix: String, out: &mut NotesSnapshot) -> Result<()> {
        let hex_len = self.hex_len();
        let tree = self
            .repo
            .find_tree(tree)
            .map_err(|_| StoreError::MissingObject { id: tree.to_string() })?;
        let decoded = tree.decode().ctx(|| "cannot decode notes tree".into())?;
        for entry in &decoded.entries {
            let name = entry.filename.to_string();
            if !name.bytes().all(|b| b.is_ascii_hexdigit()) {
                continue;
            }
            let path = format!("{prefix}{name}");
            match entry.mode.kind() {
                EntryKind::Tree if name.len() == 2 && path.len() < hex_len => {
                    self.collect_notes(entry.oid.to_owned(), path, out)?;
                }
                EntryKind::Blob | EntryKind::BlobExecutable if path.len() == hex_len => {
                    if let Ok(id) = ObjectId::from_hex(path.to_ascii_lowercase().as_bytes()) {
                        out.notes.insert(id, entry.oid.to_owned());
                    }
                }
                _ => {}
            }
        }
        Ok(())
    }

    /// Apply a batch of note edits as one notes commit, compare-and-swap, retrying on races.
    pub fn write_notes(
        &self,
        notes_ref: &NotesRef,
        edits: &[(ObjectId, NoteEdit)],
        message: &str,
    ) -> Result<WriteOutcome> {
        self.write_notes_with_parent(notes_ref, edits, None, message)
    }

    /// Like [`Store::write_notes`], optionally recording `also_parent` as a second parent
    /// (a merge of fetched notes), and moving the ref even when only that parent is new.
    pub(crate) fn write_notes_with_parent(
        &self,
        notes_ref: &NotesRef,
        edits: &[(ObjectId, NoteEdit)],
        also_parent: Option<ObjectId>,
        message: &str,
    ) -> Result<WriteOutcome> {
        let refname = notes_ref.full_name();
        let reflog = format!("git-distill: {message}");
        let writer = self.writer();
        let outcome = self.update_ref_with(&refname, &reflog, |tip| {
            let base_tree = match tip {
                Some(tip) => self.tree_of(tip)?,
                None => ObjectId::empty_tree(self.repo.object_hash()),
            };
            let mut state = gix::note::plumbing::State::new(base_tree, &writer)
                .ctx(|| format!("cannot read notes tree of {refname}"))?;
            let mut changed = 0;
            for (commit, edit) in edits {
                let current = state
                    .get(commit, &writer)
                    .ctx(|| format!("cannot look up note for {commit}"))?;
                if let NoteEdit::Blob { blob, base } = edit {
                    // Merged against `base` beforehand; if the note moved since, merge again.
                    let target = if current == *base {
                        *blob
                    } else {
                        let theirs = match current {
                            Some(id) => self.blob(id)?,
                            None => Vec::new(),
                        };
                        let merged = jsonl::union(&[&theirs, &self.blob(*blob)?]);
                        writer
                            .write_blob(merged)
                            .ctx(|| "cannot write note blob".into())?
                            .detach()
                    };
                    if current != Some(target) {
                        state
                            .edit(*commit, Some(target), &writer)
                            .ctx(|| format!("cannot edit note for {commit}"))?;
                        changed += 1;
                    }
                    continue;
                }
                let old = match current {
                    Some(blob) => Some(self.blob(blob)?),
                    None => None,
                };
                let new = match edit {
                    NoteEdit::Union(lines) => {
                        Some(jsonl::union(&[old.as_deref().unwrap_or_default(), lines])).filter(|t| !t.is_empty())
                    }
                    NoteEdit::Replace(bytes) => Some(bytes.clone()),
                    NoteEdit::Remove | NoteEdit::Blob { .. } => None,
                };
                if new == old {
                    continue;
                }
                let blob = match new {
                    Some(bytes) => Some(
                        writer
                            .write_blob(bytes)
                            .ctx(|| "cannot write note blob".into())?
                            .detach(),
                    ),
                    None => None,
                };
                state
                    .edit(*commit, blob, &writer)
                    .ctx(|| format!("cannot edit note for {commit}"))?;
                changed += 1;
            }
            let merge_parent = also_parent.filter(|p| Some(*p) != tip);
            if changed == 0 && merge_parent.is_none() {
                return Ok(None);
            }
            let tree = state
                .write(&self.repo)
                .ctx(|| format!("cannot write notes tree of {refname}"))?;
            let parents: Vec<ObjectId> = tip.into_iter().chain(merge_parent).collect();
            let commit = self.write_commit(tree, &parents, message)?;
            Ok(Some((commit, (commit, changed))))
        })?;
        Ok(match outcome {
            Some((commit, changed)) => WriteOutcome {
                notes_commit: Some(commit),
                changed,
            },
            None => WriteOutcome {
                notes_commit: None,
                changed: 0,
            },
        })
    }
}

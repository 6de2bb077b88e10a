//! Trees of files committed on `refs/distill/<name>`: playbooks, ledgers, datasets.

use super::Store;
use super::error::{GitContext, Result, StoreError};
use gix::ObjectId;
use gix::objs::tree::EntryKind;
use std::collections::BTreeMap;

pub use super::layout::OBJECTS_PREFIX;
use super::layout::TreeRef;

/// A build committed on a `refs/distill/*` ref.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TreeCommit {
    /// The commit on the ref.
    pub commit: ObjectId,
    /// Its tree, which depends only on the files.
    pub tree: ObjectId,
    /// False when the tree equalled the current tip's and the ref was left alone.
    pub moved: bool,
}

impl Store {
    /// Write `files` (repository-relative path → bytes) as a tree and commit it on
    /// `tree_ref`, parented on the current tip. Unchanged trees do not move the ref.
    pub fn write_files_commit(
        &self,
        tree_ref: &TreeRef,
        files: &BTreeMap<String, Vec<u8>>,
        message: &str,
    ) -> Result<TreeCommit> {
        let refname = tree_ref.to_string();
        let tree = self.write_files_tree(files)?;
        let reflog = format!("git-distill: {message}");
        let written = self.update_ref_with(&refname, &reflog, |tip| {
            if let Some(tip) = tip
                && self.tree_of(tip)? == tree
            {
                return Ok(None);
            }
            let commit = self.write_commit(tree, tip.as_slice(), message)?;
            Ok(Some((commit, commit)))
        })?;
        match written {
            Some(commit) => Ok(TreeCommit {
                commit,
                tree,
                moved: true,
            }),
            None => Ok(TreeCommit {
                commit: self.ref_tip(&refname)?.ok_or(StoreError::BadRefName(refname))?,
                tree,
                moved: false,
            }),
        }
    }

    /// Write a tree holding `files`; the id depends only on paths and bytes.
    pub fn write_files_tree(&self, files: &BTreeMap<String, Vec<u8>>) -> Result<ObjectId> {
        let writer = self.writer();
        let mut editor = writer
            .edit_tree(ObjectId::empty_tree(self.repo.object_hash()))
            .ctx(|| "cannot start a tree".into())?;
        for (path, bytes) in files {
            let blob = self
                .repo
                .write_blob(bytes)
                .ctx(|| format!("cannot write blob for {path}"))?;
            editor
                .upsert(path.as_str(), EntryKind::Blob, blob.detach())
                .ctx(|| format!("cannot add {path} to the tree"))?;
        }
        Ok(editor.write().ctx(|| "cannot write tree".into())?.detach())
    }

    /// Read one file from the tree of the commit `refs/distill/<name>` points at.
    pub fn read_file_at_ref(&self, tree_ref: &TreeRef, path: &str) -> Result<Option<Vec<u8>>> {
        let Some(tip) = self.ref_tip(&tree_ref.to_string())? else {
            return Ok(None);
        };
        self.read_file_at_commit(tip, path)
    }

    /// Read one file at `path` from the tree of `commit`.
    pub fn read_file_at_commit(&self, commit: ObjectId, path: &str) -> Result<Option<Vec<u8>>> {
        let tree = self.tree_of(commit)?;
        let tree = self
            .repo
            .find_tree(tree)
            .map_err(|_| StoreError::MissingObject { id: tree.to_string() })?;
        let entry = tree
            .lookup_entry_by_path(path)
            .ctx(|| format!("cannot look up {path}"))?;
        match entry {
            Some(entry) if entry.mode().is_blob() => Ok(Some(self.blob(entry.object_id())?)),
            _ => Ok(None),
        }
    }
}

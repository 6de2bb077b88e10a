//! Read-only views of a tree, for stages that check files: a commit's tree (from
//! git objects only, so any historical commit and shallow clones work) or the work tree.

use super::Store;
use super::error::{GitContext, Result, StoreError};
use crate::drift::{TreeView, Unreadable};
use gix::ObjectId;
use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

/// Every path of one commit's tree, with blobs read on demand.
pub struct CommitTree<'a> {
    store: &'a Store,
    commit: ObjectId,
    /// The trees of the commit's first-parent ancestors, listed on first use.
    earlier_trees: std::cell::OnceCell<Vec<ObjectId>>,
    files: HashMap<String, ObjectId>,
    dirs: HashSet<String>,
    children: HashMap<String, (u64, u64)>,
}

impl Store {
    /// Index the tree of `commit`.
    pub fn commit_tree(&self, commit: ObjectId) -> Result<CommitTree<'_>> {
        let tree_id = self.tree_of(commit)?;
        let tree = self.repo.find_tree(tree_id).map_err(|_| StoreError::MissingObject {
            id: tree_id.to_string(),
        })?;
        let mut recorder = gix::traverse::tree::Recorder::default();
        tree.traverse()
            .breadthfirst(&mut recorder)
            .ctx(|| format!("cannot read the tree of {commit} (shallow clone missing objects?)"))?;
        let mut view = CommitTree {
            store: self,
            commit,
            earlier_trees: std::cell::OnceCell::new(),
            files: HashMap::with_capacity(recorder.records.len()),
            dirs: HashSet::new(),
            children: HashMap::new(),
        };
        for entry in recorder.records {
            let path = entry.filepath.to_string();
            let parent = path.rsplit_once('/').map(|(p, _)| p.to_owned()).unwrap_or_default();
            let counts = view.children.entry(parent).or_default();
            if entry.mode.is_tree() {
                counts.1 += 1;
                view.dirs.insert(path);
            } else {
                counts.0 += 1;
                view.files.insert(path, entry.oid);
            }
        }
        Ok(view)
    }
}

impl CommitTree<'_> {
    /// Every file path in the tree, with its blob id.
    pub fn files(&self) -> impl Iterator<Item = (&str, ObjectId)> {
        self.files.iter().map(|(p, id)| (p.as_str(), *id))
    }
}

/// First-parent ancestors searched for a path's earlier place: enough for a document's
/// life in most projects, bounded so an old repository stays fast.
const EARLIER_COMMITS: usize = 1000;

impl TreeView for CommitTree<'_> {
    fn had_earlier(&self, path: &str, alongside: &str) -> bool {
        let trees = self.earlier_trees.get_or_init(|| {
            // Each ancestor read once, for its tree and its first parent. A missing one (a
            // shallow clone) ends the search: nothing is assumed of it.
            let mut trees = Vec::new();
            let mut next = self.store.first_parent(self.commit).ok().flatten();
            while let Some(id) = next.filter(|_| trees.len() < EARLIER_COMMITS) {
                let Ok(commit) = self.store.repo.find_commit(id) else {
                    break;
                };
                let Ok(tree) = commit.tree_id() else { break };
                trees.push(tree.detach());
                next = commit.parent_ids().next().map(|p| p.detach());
            }
            trees
        });
        trees.iter().any(|&id| {
            self.store.repo.find_tree(id).is_ok_and(|tree| {
                let has = |p: &str| tree.lookup_entry_by_path(p).ok().flatten().is_some();
                has(path) && has(alongside)
            })
        })
    }

    fn exists(&self, path: &str) -> bool {
        self.files.contains_key(path) || self.dirs.contains(path)
    }

    fn read(&self, path: &str) -> Result<Option<Vec<u8>>, Unreadable> {
        match self.files.get(path) {
            None => Ok(None),
            Some(id) => self.store.blob(*id).map(Some).map_err(|e| Unreadable(e.to_string())),
        }
    }

    fn children(&self, dir: &str) -> (u64, u64) {
        self.children.get(dir).copied().unwrap_or_default()
    }

    fn for_each_entry(&self, each: &mut dyn FnMut(&str, bool)) {
        self.files.keys().for_each(|p| each(p, false));
        self.dirs.iter().for_each(|p| each(p, true));
    }
}

/// The work tree: tracked and untracked-but-not-ignored files, read from disk.
pub struct WorkTree {
    root: PathBuf,
    files: HashSet<String>,
    dirs: HashSet<String>,
    children: HashMap<String, (u64, u64)>,
}

impl Store {
    /// Index the work tree as git sees it (`git ls-files --cached --others --exclude-standard`).
    pub fn work_tree(&self) -> Result<WorkTree> {
        let listing = self.git(&[
            "ls-files".into(),
            "-z".into(),
            "--cached".into(),
            "--others".into(),
            "--exclude-standard".into(),
        ])?;
        let mut view = WorkTree {
            root: self.workdir(),
            files: HashSet::new(),
            dirs: HashSet::new(),
            children: HashMap::new(),
        };
        for path in listing.split('\0').filter(|p| !p.is_empty()) {
            if !view.files.insert(path.to_owned()) {
                continue;
            }
            let mut child = path;
            let mut is_dir = false;
            loop {
                let parent = child.rsplit_once('/').map(|(p, _)| p).unwrap_or("");
                let counts = view.children.entry(parent.to_owned()).or_default();
                if is_dir {
                    if !view.dirs.insert(child.to_owned()) {
                        break;
                    }
                    counts.1 += 1;
                } else {
                    counts.0 += 1;
                }
                if parent.is_empty() {
                    break;
                }
                child = parent;
                is_dir = true;
            }
        }
        Ok(view)
    }
}

impl TreeView for WorkTree {
    fn exists(&self, path: &str) -> bool {
        self.files.contains(path) || self.dirs.contains(path)
    }

    fn read(&self, path: &str) -> Result<Option<Vec<u8>>, Unreadable> {
        if self.files.contains(path) {
            std::fs::read(self.root.join(path))
                .map(Some)
                .map_err(|e| Unreadable(e.to_string()))
        } else {
            Ok(None)
        }
    }

    fn children(&self, dir: &str) -> (u64, u64) {
        self.children.get(dir).copied().unwrap_or_default()
    }

    fn for_each_entry(&self, each: &mut dyn FnMut(&str, bool)) {
        self.files.iter().for_each(|p| each(p, false));
        self.dirs.iter().for_each(|p| each(p, true));
    }
}

//! A tree of files held in memory, for the tests of the drift modules.

use super::check::{TreeView, Unreadable};

/// Files and their text; directories are implied by the paths.
pub(crate) struct MemoryTree(pub Vec<(&'static str, &'static str)>);

impl TreeView for MemoryTree {
    fn exists(&self, path: &str) -> bool {
        self.0.iter().any(|(p, _)| *p == path)
    }
    fn read(&self, path: &str) -> Result<Option<Vec<u8>>, Unreadable> {
        Ok(self
            .0
            .iter()
            .find(|(p, _)| *p == path)
            .map(|(_, text)| text.as_bytes().to_vec()))
    }
    fn children(&self, _: &str) -> (u64, u64) {
        (self.0.len() as u64, 0)
    }
    fn for_each_entry(&self, each: &mut dyn FnMut(&str, bool)) {
        for (path, _) in &self.0 {
            each(path, false);
        }
    }
}

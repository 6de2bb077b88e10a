//! The repository's own `.gitignore` files, read from the tree being checked: a path a
//! PRD names that the repository ignores (`.claude/active-work/plan.md`, `.env`) may be
//! a local file, never committed, so its absence from the tree may say nothing (the
//! resolver decides which ignored paths are local).

use super::check::TreeView;
use gix::bstr::ByteSlice as _;
use gix_ignore::search::Ignore;
use std::path::Path;

/// `.gitignore` files read at most: a monorepo's dozens, not a vendored tree's thousands.
const MAX_FILES: usize = 200;

/// The ignore rules of one tree.
pub struct Ignores {
    search: gix_ignore::Search,
    /// The `.gitignore` files whose blobs could not be read, with why: below their
    /// directories no absence is certain.
    unreadable: Vec<(String, String)>,
}

impl Ignores {
    /// The rules of `files` (the tree's `.gitignore` paths), the deeper ones last so
    /// they take precedence, as in git.
    pub fn read(tree: &dyn TreeView, files: &[String]) -> Ignores {
        let mut files: Vec<&String> = files.iter().take(MAX_FILES).collect();
        files.sort_by_key(|f| (f.matches('/').count(), f.as_str()));
        let mut ignores = Ignores {
            search: gix_ignore::Search::default(),
            unreadable: Vec::new(),
        };
        for file in files {
            match tree.read(file) {
                Ok(Some(bytes)) => {
                    // Cannot fail: a source inside the root always has a parent.
                    let _ = ignores
                        .search
                        .add_patterns_buffer(&bytes, file, Some(Path::new("")), Ignore::default());
                }
                Ok(None) => {}
                Err(why) => ignores.unreadable.push((file.clone(), why.0)),
            }
        }
        ignores
    }

    /// A `.gitignore` that could not be read and would apply to `path` (its directory
    /// holds `path`), with why.
    pub fn unreadable_above(&self, path: &str) -> Option<String> {
        self.unreadable.iter().find_map(|(file, why)| {
            let dir = file.strip_suffix(".gitignore").unwrap_or(file);
            path.starts_with(dir).then(|| format!("{file}: {why}"))
        })
    }

    /// The `.gitignore` that ignores `path` (itself, or a directory above it), if any.
    pub fn ignoring(&self, path: &str) -> Option<String> {
        let case = gix_ignore::glob::pattern::Case::Sensitive;
        // The path itself is absent: it may be a file or a directory (`models/`).
        let dirs = path.match_indices('/').map(|(at, _)| (&path[..at], true));
        let last = [(path, false), (path, true)];
        for (prefix, is_dir) in dirs.chain(last) {
            let found = self
                .search
                .pattern_matching_relative_path(prefix.as_bytes().as_bstr(), Some(is_dir), case);
            match found {
                Some(m) if !m.pattern.is_negative() => {
                    let source = m.source.map_or(".gitignore".into(), |s| s.display().to_string());
                    return Some(format!("{source} (`{}`)", m.pattern));
                }
                // A directory ignored excludes everything below it; a re-included one
                // (`!dir/`) does not.
                _ => {}
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::drift::check::Unreadable;
    use crate::drift::memory_tree::MemoryTree as Files;

    /// test9 (sgupta604/wind-lens): agent working files under `.claude/active-work/`,
    /// which the root `.gitignore` excludes but for a `.gitkeep`.
    #[test]
    fn ignored_paths_are_told_by_the_gitignore_that_ignores_them() {
        let tree = Files(vec![
            (
                ".gitignore",
                "/build\n.claude/active-work/*\n!.claude/active-work/.gitkeep\n",
            ),
            ("app/.gitignore", "*.local.json\nmodels/\n"),
        ]);
        let ignores = Ignores::read(&tree, &[".gitignore".into(), "app/.gitignore".into()]);
        let ignoring = |p: &str| ignores.ignoring(p);
        assert!(ignoring(".claude/active-work/altitude-slider/diagnosis.md").is_some());
        assert_eq!(ignoring(".claude/active-work/.gitkeep"), None);
        assert!(ignoring("build/out.js").is_some());
        assert_eq!(ignoring("src/build/out.js"), None, "anchored to the root");
        assert!(
            ignoring("app/settings.local.json")
                .unwrap()
                .starts_with("app/.gitignore")
        );
        assert_eq!(ignoring("settings.local.json"), None, "only below app/");
        assert_eq!(ignoring("src/main.rs"), None);
        assert!(
            ignoring("app/models").is_some(),
            "a directory pattern, for an absent path"
        );
    }

    /// A partial clone may lack a nested `.gitignore`: only paths below it are uncertain.
    #[test]
    fn an_unreadable_gitignore_makes_only_its_own_directory_uncertain() {
        struct Partial;
        impl TreeView for Partial {
            fn exists(&self, _: &str) -> bool {
                true
            }
            fn read(&self, path: &str) -> Result<Option<Vec<u8>>, Unreadable> {
                match path {
                    "app/.gitignore" => Err(Unreadable("blob missing".into())),
                    _ => Ok(Some(b"/dist\n".to_vec())),
                }
            }
            fn children(&self, _: &str) -> (u64, u64) {
                (0, 0)
            }
            fn for_each_entry(&self, _: &mut dyn FnMut(&str, bool)) {}
        }
        let ignores = Ignores::read(&Partial, &[".gitignore".into(), "app/.gitignore".into()]);
        assert!(ignores.unreadable_above("app/.cache/x").is_some());
        assert_eq!(ignores.unreadable_above("web/.cache/x"), None);
        assert!(ignores.ignoring("dist/app.js").is_some());
    }
}

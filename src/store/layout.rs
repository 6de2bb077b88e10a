//! The storage contract as types: the notes refs, the build refs, the names a receipt
//! gives what it read and wrote, and the stages. Other clones, older binaries and plain
//! git read these names, so each has one writer (`Display`) and one parser (`FromStr`),
//! and the two round-trip.

use super::error::StoreError;
use std::fmt;
use std::str::FromStr;

/// The prefix of every notes ref git-distill owns.
pub const NOTES_PREFIX: &str = "refs/notes/distill/";

/// The prefix of every non-notes ref git-distill owns (builds: commits of files).
pub const OBJECTS_PREFIX: &str = "refs/distill/";

/// A notes ref owned by git-distill: `refs/notes/distill/<kind>`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum NotesRef {
    /// Evidence records (JSONL).
    Evidence,
    /// Scored runs (JSONL).
    Scores,
    /// Receipts (JSONL).
    Receipts,
    /// DSSE envelopes signing receipts (JSONL).
    Signatures,
    /// Drift reports (one JSON document).
    Drift,
    /// Quarantined input lines (JSONL).
    Quarantine,
    /// Scratchpad summaries (JSONL).
    Scratchpad,
    /// Pointers from a source commit to the datasets exported there (JSONL).
    Datasets,
    /// Any other kind (`notes add --kind <name>`): lowercase letters, digits and `-`.
    Other(String),
}

impl NotesRef {
    /// The kinds git-distill itself writes, in pipeline order.
    pub const KNOWN: [NotesRef; 8] = [
        NotesRef::Evidence,
        NotesRef::Scores,
        NotesRef::Receipts,
        NotesRef::Signatures,
        NotesRef::Drift,
        NotesRef::Quarantine,
        NotesRef::Scratchpad,
        NotesRef::Datasets,
    ];

    /// The notes ref for `kind` (`evidence`, `scores`, ...).
    pub fn new(kind: &str) -> Result<NotesRef, StoreError> {
        if let Some(known) = NotesRef::KNOWN.iter().find(|k| k.kind() == kind) {
            return Ok(known.clone());
        }
        let ok = !kind.is_empty()
            && kind
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if ok {
            Ok(NotesRef::Other(kind.to_owned()))
        } else {
            Err(StoreError::BadRefName(format!("{NOTES_PREFIX}{kind}")))
        }
    }

    /// From a full ref name under [`NOTES_PREFIX`].
    pub fn from_full_name(name: &str) -> Result<NotesRef, StoreError> {
        name.parse()
    }

    /// The kind, e.g. `evidence`.
    pub fn kind(&self) -> &str {
        match self {
            NotesRef::Evidence => "evidence",
            NotesRef::Scores => "scores",
            NotesRef::Receipts => "receipts",
            NotesRef::Signatures => "signatures",
            NotesRef::Drift => "drift",
            NotesRef::Quarantine => "quarantine",
            NotesRef::Scratchpad => "scratchpad",
            NotesRef::Datasets => "datasets",
            NotesRef::Other(kind) => kind,
        }
    }

    /// The full ref name, e.g. `refs/notes/distill/evidence`.
    pub fn full_name(&self) -> String {
        self.to_string()
    }
}

impl fmt::Display for NotesRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{NOTES_PREFIX}{}", self.kind())
    }
}

impl FromStr for NotesRef {
    type Err = StoreError;

    fn from_str(name: &str) -> Result<NotesRef, StoreError> {
        let kind = name
            .strip_prefix(NOTES_PREFIX)
            .ok_or_else(|| StoreError::BadRefName(name.to_owned()))?;
        NotesRef::new(kind)
    }
}

/// The prefix of every dataset build ref.
pub const DATASETS_PREFIX: &str = "refs/distill/datasets/";

/// A build ref: `refs/distill/<name>`, a commit whose tree holds files.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TreeRef {
    /// `refs/distill/ledger`: `ledger.jsonl`.
    Ledger,
    /// `refs/distill/playbooks`: `<id>.json` and `<id>.md` per playbook.
    Playbooks,
    /// `refs/distill/datasets/<name>`: an export.
    Dataset(String),
}

impl TreeRef {
    /// A dataset ref; names are letters, digits, `-`, `_` and `.`.
    pub fn dataset(name: &str) -> Result<TreeRef, StoreError> {
        let ok = !name.is_empty()
            && !name.starts_with('.')
            && name.chars().all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c));
        if ok {
            Ok(TreeRef::Dataset(name.to_owned()))
        } else {
            Err(StoreError::BadRefName(format!("{OBJECTS_PREFIX}datasets/{name}")))
        }
    }

    /// The name under [`OBJECTS_PREFIX`], e.g. `datasets/demo`.
    pub fn short_name(&self) -> String {
        match self {
            TreeRef::Ledger => "ledger".to_owned(),
            TreeRef::Playbooks => "playbooks".to_owned(),
            TreeRef::Dataset(name) => format!("datasets/{name}"),
        }
    }
}

impl fmt::Display for TreeRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{OBJECTS_PREFIX}{}", self.short_name())
    }
}

impl FromStr for TreeRef {
    type Err = StoreError;

    fn from_str(name: &str) -> Result<TreeRef, StoreError> {
        match name.strip_prefix(OBJECTS_PREFIX) {
            Some("ledger") => Ok(TreeRef::Ledger),
            Some("playbooks") => Ok(TreeRef::Playbooks),
            Some(rest) => match rest.strip_prefix("datasets/") {
                Some(dataset) => TreeRef::dataset(dataset),
                None => Err(StoreError::BadRefName(name.to_owned())),
            },
            None => Err(StoreError::BadRefName(name.to_owned())),
        }
    }
}

/// The name a receipt gives an input or output.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ArtifactName {
    /// The note of `commit` on a notes ref: `refs/notes/distill/<kind>:<commit hex>`.
    Note {
        /// The notes ref.
        notes_ref: NotesRef,
        /// The annotated commit, full hex.
        commit: String,
    },
    /// A file of a build: `refs/distill/<name>:<path>`.
    TreeFile {
        /// The build ref.
        tree: TreeRef,
        /// The file's path in its tree.
        path: String,
    },
    /// Data another tool keeps in git: `<ref>:<commit>` on a notes ref
    /// (`refs/notes/ai:<commit>`), else `<ref>:<path>` in the tree of the ref's commit.
    GitPath {
        /// The full ref name.
        reference: String,
        /// The annotated commit (notes refs) or the path in the tree.
        path: String,
    },
    /// The scoring rules: `rules:default` or `rules:<file>`.
    Rules(String),
    /// The commit a stage ran at (a receipt's subject): `git:<commit hex>`.
    Commit(String),
    /// A file of the work tree, or `~/…` outside it (as collected).
    WorkFile(String),
}

impl fmt::Display for ArtifactName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ArtifactName::Note { notes_ref, commit } => write!(f, "{notes_ref}:{commit}"),
            ArtifactName::TreeFile { tree, path } => write!(f, "{tree}:{path}"),
            ArtifactName::GitPath { reference, path } => write!(f, "{reference}:{path}"),
            ArtifactName::Rules(origin) => write!(f, "rules:{origin}"),
            ArtifactName::Commit(commit) => write!(f, "git:{commit}"),
            ArtifactName::WorkFile(path) => f.write_str(path),
        }
    }
}

impl FromStr for ArtifactName {
    type Err = std::convert::Infallible;

    /// Every string names something: what is not a note, a build file, the rules or a
    /// commit is a file.
    fn from_str(name: &str) -> Result<ArtifactName, Self::Err> {
        let parsed = if let Some(origin) = name.strip_prefix("rules:") {
            Some(ArtifactName::Rules(origin.to_owned()))
        } else if let Some(commit) = name.strip_prefix("git:") {
            Some(ArtifactName::Commit(commit.to_owned()))
        } else if let Some((reference, rest)) = name.split_once(':') {
            if let Ok(notes_ref) = reference.parse::<NotesRef>() {
                Some(ArtifactName::Note {
                    notes_ref,
                    commit: rest.to_owned(),
                })
            } else if let Ok(tree) = reference.parse::<TreeRef>() {
                Some(ArtifactName::TreeFile {
                    tree,
                    path: rest.to_owned(),
                })
            } else {
                reference.starts_with("refs/").then(|| ArtifactName::GitPath {
                    reference: reference.to_owned(),
                    path: rest.to_owned(),
                })
            }
        } else {
            None
        };
        Ok(parsed.unwrap_or_else(|| ArtifactName::WorkFile(name.to_owned())))
    }
}

/// A pipeline stage: what a receipt's `predicate.stage` names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Stage {
    /// Agent logs → evidence notes.
    Collect,
    /// Evidence → verdicts.
    Score,
    /// Verdicts → the model ledger.
    Ledger,
    /// Verdicts → playbooks.
    Playbooks,
    /// Scratchpads → summaries.
    Scratchpad,
    /// Verdicts and evidence → datasets.
    Export,
    /// PRD + tree → drift report.
    Drift,
}

impl Stage {
    /// Every stage, in pipeline order.
    pub const ALL: [Stage; 7] = [
        Stage::Collect,
        Stage::Score,
        Stage::Ledger,
        Stage::Playbooks,
        Stage::Scratchpad,
        Stage::Export,
        Stage::Drift,
    ];

    /// The name in receipts.
    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Collect => "collect",
            Stage::Score => "score",
            Stage::Ledger => "ledger",
            Stage::Playbooks => "playbooks",
            Stage::Scratchpad => "scratchpad",
            Stage::Export => "export",
            Stage::Drift => "drift",
        }
    }

    /// The stages whose outputs this one reads: when one of them ran later, this one is stale.
    pub fn upstream(self) -> &'static [Stage] {
        match self {
            Stage::Score => &[Stage::Collect],
            Stage::Ledger | Stage::Playbooks | Stage::Export => &[Stage::Score],
            Stage::Collect | Stage::Scratchpad | Stage::Drift => &[],
        }
    }
}

impl fmt::Display for Stage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Stage {
    type Err = String;

    fn from_str(name: &str) -> Result<Stage, String> {
        Stage::ALL
            .into_iter()
            .find(|s| s.as_str() == name)
            .ok_or_else(|| format!("unknown stage `{name}`"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Seeded generator of names, so the round-trip is tried on many shapes.
    fn names(seed: u64) -> impl Iterator<Item = String> {
        let mut state = seed;
        let alphabet: Vec<char> = "abcz09-_.:/~ ".chars().collect();
        std::iter::repeat_with(move || {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let len = (state >> 59) as usize + 1;
            (0..len)
                .map(|i| alphabet[((state >> (i * 4 % 56)) as usize) % alphabet.len()])
                .collect()
        })
    }

    #[test]
    fn every_name_round_trips() {
        let commit = "a".repeat(40);
        let mut artifacts = vec![
            ArtifactName::Rules("default".into()),
            ArtifactName::Rules(".distill/scoring.toml".into()),
            ArtifactName::Commit(commit.clone()),
            ArtifactName::WorkFile("logs/a.jsonl".into()),
            ArtifactName::WorkFile("~/x/y.jsonl".into()),
            ArtifactName::GitPath {
                reference: "refs/notes/ai".into(),
                path: commit.clone(),
            },
            ArtifactName::GitPath {
                reference: "refs/entire/checkpoints/7C/01M0FQTYRS5N2W8R4T6Y1M3B7C".into(),
                path: "0/full.jsonl".into(),
            },
            ArtifactName::TreeFile {
                tree: TreeRef::Ledger,
                path: "ledger.jsonl".into(),
            },
            ArtifactName::TreeFile {
                tree: TreeRef::dataset("demo-1.0").unwrap(),
                path: "sft/train.jsonl".into(),
            },
        ];
        for notes_ref in NotesRef::KNOWN.into_iter().chain([NotesRef::new("race-2").unwrap()]) {
            assert_eq!(notes_ref.to_string().parse::<NotesRef>().unwrap(), notes_ref);
            artifacts.push(ArtifactName::Note {
                notes_ref,
                commit: commit.clone(),
            });
        }
        for tree in [TreeRef::Ledger, TreeRef::Playbooks, TreeRef::dataset("d").unwrap()] {
            assert_eq!(tree.to_string().parse::<TreeRef>().unwrap(), tree);
        }
        for stage in Stage::ALL {
            assert_eq!(stage.to_string().parse::<Stage>().unwrap(), stage);
        }
        for a in artifacts {
            assert_eq!(a.to_string().parse::<ArtifactName>().unwrap(), a, "{a}");
        }
        // Any string parses to something that writes back to the same string.
        for name in names(7).take(5000) {
            let parsed: ArtifactName = name.parse().unwrap();
            assert_eq!(parsed.to_string(), name, "{parsed:?}");
            if let Ok(notes_ref) = name.parse::<NotesRef>() {
                assert_eq!(notes_ref.to_string(), name);
            }
        }
    }

    #[test]
    fn bad_names_are_refused() {
        for kind in ["", "Evidence", "a/b", "x y"] {
            assert!(NotesRef::new(kind).is_err(), "{kind}");
        }
        assert!("refs/heads/main".parse::<NotesRef>().is_err());
        assert!("refs/distill/other".parse::<TreeRef>().is_err());
        assert!(TreeRef::dataset("../x").is_err());
    }
}

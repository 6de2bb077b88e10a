//! Searching past runs: BM25 keyword ranking and dense-embedding ranking over evidence
//! records, playbooks and RAG samples, fused by reciprocal rank fusion, with filters and
//! highlighted snippets. Which rankings run is the [`Mode`]; a search without vectors is
//! keyword-only and says so.

mod bm25;
mod corpus;
mod fusion;
pub mod segment;
mod vectors;

pub use bm25::tokenize;
pub use corpus::{Corpus, DELETED, Overlay, Stats, segment_bases};
pub use fusion::{Fusion, Mode, RankedBy};
pub use vectors::{Vectors, encode as encode_vectors};

use serde::{Deserialize, Serialize};

/// One searchable document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Document {
    /// `run`, `playbook` or `rag`.
    pub kind: String,
    /// Run id, playbook id or sample id.
    pub id: String,
    /// Task type.
    pub task_type: String,
    /// Model (runs and RAG samples).
    pub model: String,
    /// Current category of the run, when scored.
    pub category: String,
    /// Commit the run is linked to.
    pub commit: String,
    /// Source name.
    pub source: String,
    /// The searchable text, one fact a line.
    pub text: String,
}

/// Filters on a search.
#[derive(Debug, Clone, Default)]
pub struct Filters {
    /// Only this task type.
    pub task_type: Option<String>,
    /// Only models containing this text.
    pub model: Option<String>,
    /// Only this category.
    pub category: Option<crate::schema::Category>,
    /// Only this kind.
    pub kind: Option<String>,
    /// Only this source.
    pub source: Option<String>,
    /// Only runs linked to one of these commits.
    pub commits: Option<std::collections::HashSet<String>>,
}

/// A search result.
#[derive(Debug, Clone, Serialize)]
pub struct Hit {
    /// 1-based rank.
    pub rank: usize,
    /// The score it was ranked by: BM25, cosine similarity, or the fused RRF score.
    pub score: f64,
    /// Its place in the keyword ranking, when it has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub keyword: Option<RankedBy>,
    /// Its place in the dense ranking, when it has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dense: Option<RankedBy>,
    /// The document.
    pub document: Document,
    /// What the best-matching line is (`user`, `command`, `failure`, …; `text` for RAG
    /// content).
    pub field: String,
    /// The best-matching line with matched terms in `[[…]]`.
    pub snippet: String,
}

/// One query.
pub struct Query<'a> {
    /// The text (for BM25 and snippets).
    pub text: &'a str,
    /// The embedded text, for dense and hybrid search.
    pub vector: Option<&'a [f32]>,
    /// How many results.
    pub k: usize,
    /// Which rankings to run.
    pub mode: Mode,
    /// How to fuse them.
    pub fusion: Fusion,
}

/// What the line holds: its label (`command: …` → `command`, `task … (bugfix)` → `task`),
/// or `text` when it has none.
fn field_of(line: &str) -> &str {
    const LEADS: [&str; 3] = ["task", "model", "playbook"];
    let label = line.split_once(": ").map(|(l, _)| l).unwrap_or_default();
    if !label.is_empty() && label.len() <= 16 && label.chars().all(|c| c.is_ascii_lowercase() || c == ' ') {
        return label;
    }
    let first = line.split(' ').next().unwrap_or_default();
    if LEADS.contains(&first) { first } else { "text" }
}

/// The line of `document` with the most query terms, terms marked `[[like this]]`, cut to
/// 160 characters, and what that line is.
pub fn snippet(document: &Document, terms: &[String]) -> (String, String) {
    let best = document
        .text
        .lines()
        .max_by_key(|line| {
            let tokens = tokenize(line);
            (
                terms.iter().filter(|t| tokens.contains(t)).count(),
                std::cmp::Reverse(line.len()),
            )
        })
        .unwrap_or_default();
    let field = if document.kind == "rag" { "text" } else { field_of(best) };
    let mut out = String::new();
    for word in best.split_inclusive(|c: char| !(c.is_alphanumeric() || c == '_')) {
        let core = word.trim_end_matches(|c: char| !(c.is_alphanumeric() || c == '_'));
        let tail = &word[core.len()..];
        if !core.is_empty() && terms.contains(&core.to_lowercase()) {
            out.push_str(&format!("[[{core}]]{tail}"));
        } else {
            out.push_str(word);
        }
    }
    let text = match out.char_indices().nth(160) {
        Some((cut, _)) => format!("{}…", &out[..cut]),
        None => out,
    };
    (field.to_owned(), text)
}

/// A run document for tests.
#[cfg(test)]
pub(crate) fn test_doc(id: &str, category: &str, text: &str) -> Document {
    Document {
        kind: "run".into(),
        id: id.into(),
        task_type: "bugfix".into(),
        model: "model-a".into(),
        category: category.into(),
        commit: "c".into(),
        source: "s".into(),
        text: text.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::test_doc as doc;
    use super::*;

    #[test]
    fn ranks_filters_and_highlights() {
        let docs = vec![
            doc(
                "a",
                "rejected",
                "task fix login\nfailure: error[E0308]: mismatched types",
            ),
            doc("b", "accepted", "task add audit log\ncommand: cargo test"),
            doc("c", "accepted", "task rate limit\nnotes: retry backoff"),
        ];
        let corpus = Corpus::new(docs, None);
        let query = |text| Query {
            text,
            vector: None,
            k: 5,
            mode: Mode::Keyword,
            fusion: Fusion::default(),
        };
        let hits = corpus.search(&query("mismatched types"), &Filters::default());
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0].document.id, "a");
        assert_eq!(hits[0].snippet, "failure: error[E0308]: [[mismatched]] [[types]]");
        assert_eq!(hits[0].field, "failure");
        assert_eq!(corpus.search(&query("audit"), &Filters::default())[0].field, "task");
        let only_accepted = Filters {
            category: Some(crate::schema::Category::Accepted),
            ..Filters::default()
        };
        assert!(corpus.search(&query("mismatched"), &only_accepted).is_empty());
    }
}

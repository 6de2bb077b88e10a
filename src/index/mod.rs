//! Searching past runs. Today: BM25 keyword search over evidence records, playbooks and
//! RAG samples, with filters and highlighted snippets. Dense embeddings and their fusion
//! are not built yet, so search says it is keyword-only and never calls itself hybrid.

mod bm25;

pub use bm25::{Bm25, tokenize};

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
    pub category: Option<String>,
    /// Only this kind.
    pub kind: Option<String>,
    /// Only this source.
    pub source: Option<String>,
    /// Only runs linked to one of these commits.
    pub commits: Option<std::collections::HashSet<String>>,
}

impl Filters {
    fn admit(&self, d: &Document) -> bool {
        let eq = |f: &Option<String>, v: &str| f.as_ref().is_none_or(|f| f == v);
        eq(&self.task_type, &d.task_type)
            && eq(&self.category, &d.category)
            && eq(&self.kind, &d.kind)
            && eq(&self.source, &d.source)
            && self.model.as_ref().is_none_or(|m| d.model.contains(m.as_str()))
            && self.commits.as_ref().is_none_or(|c| c.contains(&d.commit))
    }
}

/// A search result.
#[derive(Debug, Clone, Serialize)]
pub struct Hit {
    /// 1-based rank.
    pub rank: usize,
    /// BM25 score.
    pub score: f64,
    /// The document.
    pub document: Document,
    /// The best-matching line with matched terms in `[[…]]`.
    pub snippet: String,
}

/// Rank `docs` for `query`: BM25 over their tokenized text, filtered, top `k`; ties by id.
pub fn search(docs: &[Document], index: &Bm25, query: &str, k: usize, filters: &Filters) -> Vec<Hit> {
    let terms = tokenize(query);
    let scores = index.scores(&terms);
    let mut ranked: Vec<(usize, f64)> = scores
        .into_iter()
        .enumerate()
        .filter(|(i, s)| *s > 0.0 && filters.admit(&docs[*i]))
        .collect();
    ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| docs[a.0].id.cmp(&docs[b.0].id)));
    ranked
        .into_iter()
        .take(k)
        .enumerate()
        .map(|(rank, (i, score))| Hit {
            rank: rank + 1,
            score,
            document: docs[i].clone(),
            snippet: snippet(&docs[i].text, &terms),
        })
        .collect()
}

/// Build the index over documents.
pub fn build_index(docs: &[Document]) -> Bm25 {
    let tokens: Vec<Vec<String>> = docs.iter().map(|d| tokenize(&d.text)).collect();
    Bm25::new(&tokens)
}

/// The line with the most query terms, terms marked `[[like this]]`, cut to 160 characters.
pub fn snippet(text: &str, terms: &[String]) -> String {
    let best = text
        .lines()
        .max_by_key(|line| {
            let tokens = tokenize(line);
            (
                terms.iter().filter(|t| tokens.contains(t)).count(),
                std::cmp::Reverse(line.len()),
            )
        })
        .unwrap_or_default();
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
    match out.char_indices().nth(160) {
        Some((cut, _)) => format!("{}…", &out[..cut]),
        None => out,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(id: &str, category: &str, text: &str) -> Document {
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
        let index = build_index(&docs);
        let hits = search(&docs, &index, "mismatched types", 5, &Filters::default());
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0].document.id, "a");
        assert_eq!(hits[0].snippet, "failure: error[E0308]: [[mismatched]] [[types]]");
        let only_accepted = Filters {
            category: Some("accepted".into()),
            ..Filters::default()
        };
        assert!(search(&docs, &index, "mismatched", 5, &only_accepted).is_empty());
    }
}

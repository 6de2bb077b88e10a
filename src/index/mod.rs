//! Searching past runs: BM25 keyword ranking and dense-embedding ranking over evidence
//! records, playbooks and RAG samples, fused by reciprocal rank fusion, with filters and
//! highlighted snippets. Which rankings run is the [`Mode`]; a search without vectors is
//! keyword-only and says so.

mod bm25;
mod fusion;

pub use bm25::{Bm25, tokenize};
pub use fusion::{Fusion, Mode, RankedBy};

use rayon::prelude::*;
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

impl Filters {
    fn admit(&self, d: &Document) -> bool {
        let eq = |f: &Option<String>, v: &str| f.as_ref().is_none_or(|f| f == v);
        eq(&self.task_type, &d.task_type)
            && self.category.is_none_or(|c| c.as_str() == d.category)
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
    /// The best-matching line with matched terms in `[[…]]`.
    pub snippet: String,
}

/// Documents with their keyword index and, when a model is configured, their vectors.
pub struct Corpus {
    /// The documents, in a fixed order.
    pub docs: Vec<Document>,
    bm25: Bm25,
    vectors: Option<Vectors>,
}

/// Unit vectors, one row per document in document order, kept twice: exact (f32) and
/// quantized to one signed byte per dimension with a scale per row. A query streams
/// through the bytes (100k rows: 38 MB instead of 150 MB; memory bandwidth, not
/// arithmetic, is the cost) and rescores the best few with the exact vectors.
pub struct Vectors {
    dim: usize,
    data: Vec<f32>,
    quantized: Vec<i8>,
    scales: Vec<f32>,
}

/// Candidates per result kept from the quantized pass for exact rescoring.
const RESCORE_FACTOR: usize = 4;

impl Vectors {
    /// From `block` (rows of `dim` floats): document `i` gets row `rows[i]`.
    /// Returns `None` when a row is out of range.
    pub fn new(dim: usize, block: &[f32], rows: &[u32]) -> Option<Vectors> {
        let mut data = Vec::with_capacity(rows.len() * dim);
        let mut quantized = Vec::with_capacity(rows.len() * dim);
        let mut scales = Vec::with_capacity(rows.len());
        for &r in rows {
            let start = (r as usize).checked_mul(dim)?;
            let row = block.get(start..start + dim)?;
            let peak = row.iter().fold(0f32, |m, x| m.max(x.abs()));
            let scale = if peak > 0.0 { peak / 127.0 } else { 1.0 };
            quantized.extend(row.iter().map(|x| (x / scale).round().clamp(-127.0, 127.0) as i8));
            scales.push(scale);
            data.extend_from_slice(row);
        }
        Some(Vectors {
            dim,
            data,
            quantized,
            scales,
        })
    }

    fn row(&self, doc: usize) -> &[f32] {
        &self.data[doc * self.dim..(doc + 1) * self.dim]
    }

    fn approximate(&self, doc: usize, query: &[f32]) -> f32 {
        crate::embed::dot_i8(query, &self.quantized[doc * self.dim..(doc + 1) * self.dim]) * self.scales[doc]
    }
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

impl Corpus {
    /// Index `docs`; `vectors`, when given, has one row per document in the same order.
    pub fn new(docs: Vec<Document>, vectors: Option<Vectors>) -> Corpus {
        let tokens: Vec<Vec<String>> = docs.par_iter().map(|d| tokenize(&d.text)).collect();
        Corpus {
            bm25: Bm25::new(&tokens),
            docs,
            vectors,
        }
    }

    /// Rank the admitted documents for `query`; ties go to the smaller id.
    pub fn search(&self, query: &Query, filters: &Filters) -> Vec<Hit> {
        let terms = tokenize(query.text);
        let depth = query.fusion.depth.max(query.k);
        let keyword = match query.mode {
            Mode::Keyword | Mode::Hybrid => self.keyword_ranking(&terms, filters, depth),
            Mode::Dense => Vec::new(),
        };
        let dense = match (query.mode, query.vector, &self.vectors) {
            (Mode::Dense | Mode::Hybrid, Some(v), Some(vectors)) => self.dense_ranking(vectors, v, filters, depth),
            _ => Vec::new(),
        };
        let ranked = match query.mode {
            Mode::Keyword => keyword.clone(),
            Mode::Dense => dense.clone(),
            Mode::Hybrid => query.fusion.fuse(&keyword, &dense, |i| self.docs[i].id.as_str()),
        };
        let place = |list: &[(usize, f64)], i: usize| {
            list.iter().position(|(j, _)| *j == i).map(|p| RankedBy {
                rank: p + 1,
                score: list[p].1,
            })
        };
        ranked
            .into_iter()
            .take(query.k)
            .enumerate()
            .map(|(rank, (i, score))| Hit {
                rank: rank + 1,
                score,
                keyword: place(&keyword, i),
                dense: place(&dense, i),
                document: self.docs[i].clone(),
                snippet: snippet(&self.docs[i].text, &terms),
            })
            .collect()
    }

    /// The `depth` best BM25 matches (score > 0) among admitted documents.
    fn keyword_ranking(&self, terms: &[String], filters: &Filters, depth: usize) -> Vec<(usize, f64)> {
        let scores = self.bm25.scores(terms);
        let candidates = scores
            .into_iter()
            .enumerate()
            .filter(|(i, s)| *s > 0.0 && filters.admit(&self.docs[*i]))
            .collect();
        top(candidates, depth, &self.docs)
    }

    /// The `depth` nearest admitted documents by cosine similarity: a pass over the
    /// quantized vectors, then the best `RESCORE_FACTOR × depth` rescored exactly.
    fn dense_ranking(&self, vectors: &Vectors, query: &[f32], filters: &Filters, depth: usize) -> Vec<(usize, f64)> {
        let approximate = (0..self.docs.len())
            .into_par_iter()
            .with_min_len(4096)
            .filter(|&i| filters.admit(&self.docs[i]))
            .map(|i| (i, f64::from(vectors.approximate(i, query))))
            .collect();
        let exact = top(approximate, depth.saturating_mul(RESCORE_FACTOR), &self.docs)
            .into_iter()
            .map(|(i, _)| (i, f64::from(crate::embed::dot(vectors.row(i), query))))
            .collect();
        top(exact, depth, &self.docs)
    }
}

/// The best `n` of `scored`, best first, ties by id: a partial selection, then a sort of
/// just those, so 100k candidates cost one linear pass.
fn top(mut scored: Vec<(usize, f64)>, n: usize, docs: &[Document]) -> Vec<(usize, f64)> {
    let order = |a: &(usize, f64), b: &(usize, f64)| b.1.total_cmp(&a.1).then_with(|| docs[a.0].id.cmp(&docs[b.0].id));
    if scored.len() > n && n > 0 {
        scored.select_nth_unstable_by(n - 1, order);
        scored.truncate(n);
    }
    scored.sort_by(order);
    scored.truncate(n);
    scored
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
        let only_accepted = Filters {
            category: Some(crate::schema::Category::Accepted),
            ..Filters::default()
        };
        assert!(corpus.search(&query("mismatched"), &only_accepted).is_empty());
    }

    #[test]
    fn quantized_pass_then_exact_rescoring_equals_exact_ranking() {
        let (n, dim) = (2000, 48);
        let mut seed = 0x2545_f491_u64;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % 2001) as f32 / 1000.0 - 1.0
        };
        let unit = |v: Vec<f32>| {
            let norm = v.iter().map(|x| x * x).sum::<f32>().sqrt();
            v.into_iter().map(|x| x / norm).collect::<Vec<f32>>()
        };
        let rows: Vec<Vec<f32>> = (0..n).map(|_| unit((0..dim).map(|_| next()).collect())).collect();
        let query = unit((0..dim).map(|_| next()).collect());
        let docs: Vec<Document> = (0..n).map(|i| doc(&format!("{i:05}"), "accepted", "text")).collect();
        let block: Vec<f32> = rows.iter().flatten().copied().collect();
        let order: Vec<u32> = (0..n as u32).collect();
        let corpus = Corpus::new(docs, Vectors::new(dim, &block, &order));
        let vectors = corpus.vectors.as_ref().unwrap();
        let ours = corpus.dense_ranking(vectors, &query, &Filters::default(), 20);
        let mut exact: Vec<(usize, f64)> = rows
            .iter()
            .enumerate()
            .map(|(i, r)| (i, f64::from(crate::embed::dot(r, &query))))
            .collect();
        exact.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        exact.truncate(20);
        assert_eq!(ours, exact);
    }
}

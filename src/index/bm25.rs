//! Okapi BM25, exactly as the reference implementation `rank_bm25.BM25Okapi` scores it
//! (k1 = 1.5, b = 0.75; idf = ln((N − n + 0.5) / (n + 0.5)), and terms in more than half
//! the documents get ε · mean idf with ε = 0.25), so its scores can be checked against it.

use std::collections::HashMap;

/// Term-frequency saturation.
pub const K1: f64 = 1.5;
/// Length normalization.
pub const B: f64 = 0.75;
/// Floor factor for negative idf.
pub const EPSILON: f64 = 0.25;

/// A BM25 index over tokenized documents.
#[derive(Debug, Clone, Default)]
pub struct Bm25 {
    doc_len: Vec<f64>,
    avgdl: f64,
    idf: HashMap<String, f64>,
    postings: HashMap<String, Vec<(u32, u32)>>,
}

impl Bm25 {
    /// Index `docs` (each a list of tokens).
    pub fn new(docs: &[Vec<String>]) -> Bm25 {
        let mut postings: HashMap<String, Vec<(u32, u32)>> = HashMap::new();
        let mut doc_len = Vec::with_capacity(docs.len());
        for (i, tokens) in docs.iter().enumerate() {
            doc_len.push(tokens.len() as f64);
            let mut tf: HashMap<&str, u32> = HashMap::new();
            for t in tokens {
                *tf.entry(t.as_str()).or_default() += 1;
            }
            for (term, n) in tf {
                postings.entry(term.to_owned()).or_default().push((i as u32, n));
            }
        }
        let n = docs.len() as f64;
        let avgdl = if docs.is_empty() {
            0.0
        } else {
            doc_len.iter().sum::<f64>() / n
        };
        let mut idf: HashMap<String, f64> = HashMap::with_capacity(postings.len());
        let mut sum = 0.0;
        let mut negative = Vec::new();
        for (term, list) in &postings {
            let df = list.len() as f64;
            let value = (n - df + 0.5).ln() - (df + 0.5).ln();
            sum += value;
            if value < 0.0 {
                negative.push(term.clone());
            }
            idf.insert(term.clone(), value);
        }
        let floor = if idf.is_empty() {
            0.0
        } else {
            EPSILON * sum / idf.len() as f64
        };
        for term in negative {
            idf.insert(term, floor);
        }
        Bm25 {
            doc_len,
            avgdl,
            idf,
            postings,
        }
    }

    /// The score of every document for `query` (repeated query tokens count again).
    pub fn scores(&self, query: &[String]) -> Vec<f64> {
        let mut scores = vec![0.0; self.doc_len.len()];
        for q in query {
            let (Some(idf), Some(list)) = (self.idf.get(q), self.postings.get(q)) else {
                continue;
            };
            for &(doc, tf) in list {
                let tf = f64::from(tf);
                let norm = K1 * (1.0 - B + B * self.doc_len[doc as usize] / self.avgdl);
                scores[doc as usize] += idf * tf * (K1 + 1.0) / (tf + norm);
            }
        }
        scores
    }
}

/// Lowercased runs of letters, digits and `_`; single characters are dropped.
pub fn tokenize(text: &str) -> Vec<String> {
    text.split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .filter(|t| t.chars().count() > 1)
        .map(str::to_lowercase)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn docs() -> Vec<Vec<String>> {
        [
            "fix login bug session token",
            "add audit log crate record fix",
            "fix build error mismatched types error",
            "update docs readme",
            "login page redirect fix session",
            "rate limit retry backoff",
        ]
        .iter()
        .map(|d| d.split(' ').map(str::to_owned).collect())
        .collect()
    }

    /// Pinned from `rank_bm25.BM25Okapi(corpus).get_scores(query)` (rank-bm25 0.2.2).
    #[test]
    fn scores_equal_rank_bm25() {
        let index = Bm25::new(&docs());
        let cases: [(&[&str], [f64; 6]); 5] = [
            (
                &["fix", "session"],
                [
                    0.8632334708926578,
                    0.26054159986399117,
                    0.26054159986399117,
                    0.0,
                    0.8632334708926578,
                    0.0,
                ],
            ),
            (&["error"], [0.0, 0.0, 1.7224780132469744, 0.0, 0.0, 0.0]),
            (
                &["audit", "record", "log"],
                [0.0, 3.5159446226853093, 0.0, 0.0, 0.0, 0.0],
            ),
            (
                &["fix"],
                [
                    0.2844282660654437,
                    0.26054159986399117,
                    0.26054159986399117,
                    0.0,
                    0.2844282660654437,
                    0.0,
                ],
            ),
            (
                &["login", "fix", "fix"],
                [
                    1.1476617369581015,
                    0.5210831997279823,
                    0.5210831997279823,
                    0.0,
                    1.1476617369581015,
                    0.0,
                ],
            ),
        ];
        for (query, expected) in cases {
            let q: Vec<String> = query.iter().map(|s| s.to_string()).collect();
            let got = index.scores(&q);
            for (g, e) in got.iter().zip(expected) {
                assert!((g - e).abs() < 1e-12, "{query:?}: {got:?} vs {expected:?}");
            }
        }
    }

    #[test]
    fn tokenizer() {
        assert_eq!(
            tokenize("Fix error[E0308]: a b-c_d"),
            vec!["fix", "error", "e0308", "c_d"]
        );
    }
}

//! Reciprocal rank fusion (Cormack, Clarke & Büttcher, SIGIR 2009): a document's fused
//! score is Σ wᵢ / (k + rankᵢ) over the rankings it appears in, so two rankers with
//! incomparable scores (BM25, cosine) combine by position alone.

use serde::Serialize;

/// Which rankings a search runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Mode {
    /// BM25 only.
    #[serde(rename = "keyword-only")]
    Keyword,
    /// Embeddings only.
    #[serde(rename = "dense-only")]
    Dense,
    /// Both, fused by reciprocal rank fusion.
    #[serde(rename = "hybrid")]
    Hybrid,
}

/// On the command line a mode is named without the `-only` its JSON name carries.
impl crate::named::Named for Mode {
    const ALL: &'static [Mode] = &[Mode::Hybrid, Mode::Keyword, Mode::Dense];

    fn name(self) -> &'static str {
        match self {
            Mode::Keyword => "keyword",
            Mode::Dense => "dense",
            Mode::Hybrid => "hybrid",
        }
    }
}

impl Mode {
    /// The name shown to users and in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Keyword => "keyword-only",
            Mode::Dense => "dense-only",
            Mode::Hybrid => "hybrid",
        }
    }
}

/// Fusion parameters.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Fusion {
    /// The RRF constant: larger flattens the advantage of the very top ranks.
    pub k: f64,
    /// Weight of the keyword ranking.
    pub keyword_weight: f64,
    /// Weight of the dense ranking.
    pub dense_weight: f64,
    /// How many of each ranking take part.
    pub depth: usize,
}

impl Default for Fusion {
    fn default() -> Fusion {
        Fusion {
            k: 60.0,
            keyword_weight: 1.0,
            dense_weight: 1.0,
            depth: 100,
        }
    }
}

/// A document's place in one ranking.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct RankedBy {
    /// 1-based rank in that ranking.
    pub rank: usize,
    /// The ranker's own score.
    pub score: f64,
}

impl Fusion {
    /// Fuse two rankings of `(document index, score)`, best first; ties go to the smaller id.
    pub fn fuse<'a>(
        &self,
        keyword: &[(usize, f64)],
        dense: &[(usize, f64)],
        id: impl Fn(usize) -> &'a str,
    ) -> Vec<(usize, f64)> {
        let mut fused: std::collections::HashMap<usize, f64> = std::collections::HashMap::new();
        for (list, weight) in [(keyword, self.keyword_weight), (dense, self.dense_weight)] {
            for (rank, (doc, _)) in list.iter().enumerate() {
                *fused.entry(*doc).or_default() += weight / (self.k + (rank + 1) as f64);
            }
        }
        let mut out: Vec<(usize, f64)> = fused.into_iter().collect();
        out.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| id(a.0).cmp(id(b.0))));
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fused_scores_follow_the_formula() {
        let ids = ["a", "b", "c", "d"];
        let keyword = [(0, 9.0), (1, 5.0), (2, 1.0)];
        let dense = [(2, 0.9), (3, 0.8), (0, 0.1)];
        let fused = Fusion::default().fuse(&keyword, &dense, |i| ids[i]);
        let expect_a = 1.0 / 61.0 + 1.0 / 63.0;
        let expect_c = 1.0 / 63.0 + 1.0 / 61.0;
        // a and c tie on score; the smaller id wins.
        assert_eq!(fused[0].0, 0);
        assert!((fused[0].1 - expect_a).abs() < 1e-12);
        assert_eq!(fused[1].0, 2);
        assert!((fused[1].1 - expect_c).abs() < 1e-12);
        assert_eq!(fused.iter().map(|f| f.0).collect::<Vec<_>>(), [0, 2, 1, 3]);

        let keyword_heavy = Fusion {
            keyword_weight: 3.0,
            ..Fusion::default()
        };
        let fused = keyword_heavy.fuse(&keyword, &dense, |i| ids[i]);
        assert_eq!(fused.iter().map(|f| f.0).collect::<Vec<_>>(), [0, 2, 1, 3]);
        assert!((fused[2].1 - 3.0 / 62.0).abs() < 1e-12);
    }
}

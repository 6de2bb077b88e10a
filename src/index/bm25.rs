//! Okapi BM25, exactly as the reference implementation `rank_bm25.BM25Okapi` scores it
//! (k1 = 1.5, b = 0.75; idf = ln((N − n + 0.5) / (n + 0.5)), and terms in more than half
//! the documents get ε · mean idf with ε = 0.25), so its scores can be checked against it.

/// Term-frequency saturation.
pub const K1: f64 = 1.5;
/// Length normalization.
pub const B: f64 = 0.75;
/// Floor factor for negative idf.
pub const EPSILON: f64 = 0.25;

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

    #[test]
    fn tokenizer() {
        assert_eq!(
            tokenize("Fix error[E0308]: a b-c_d"),
            vec!["fix", "error", "e0308", "c_d"]
        );
    }
}

//! Duplicate removal: exact (canonical hash) and near (MinHash over word shingles).

use crate::schema::sha256_hex;
use std::collections::HashSet;

/// Shingle width in words.
const SHINGLE: usize = 5;
/// Number of MinHash functions.
const HASHES: usize = 64;
const PRIME: u64 = (1 << 61) - 1;

/// A MinHash signature of a text.
pub type Signature = [u64; HASHES];

/// The MinHash signature of `text` over word `SHINGLE`-grams (the whole text when shorter).
pub fn signature(text: &str) -> Signature {
    let words: Vec<&str> = text.split_whitespace().collect();
    let shingles: Vec<u64> = if words.len() <= SHINGLE {
        vec![base_hash(&words.join(" "))]
    } else {
        words.windows(SHINGLE).map(|w| base_hash(&w.join(" "))).collect()
    };
    let mut sig = [u64::MAX; HASHES];
    for (i, slot) in sig.iter_mut().enumerate() {
        // Deterministic per-function coefficients.
        let a = ((i as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) % PRIME) | 1;
        let b = (i as u64).wrapping_mul(0xC2B2_AE3D_27D4_EB4F) % PRIME;
        for &h in &shingles {
            let v = ((u128::from(a) * u128::from(h) + u128::from(b)) % u128::from(PRIME)) as u64;
            *slot = (*slot).min(v);
        }
    }
    sig
}

/// Estimated Jaccard similarity of two signatures.
pub fn similarity(a: &Signature, b: &Signature) -> f64 {
    a.iter().zip(b).filter(|(x, y)| x == y).count() as f64 / HASHES as f64
}

fn base_hash(text: &str) -> u64 {
    let hex = sha256_hex(text.as_bytes());
    u64::from_str_radix(&hex[..15], 16).unwrap_or(0)
}

/// Keep the first of each group of duplicates, in order. `key` is the exact identity
/// (canonical hash), `text` what near-duplicates are judged on. Returns kept indices and
/// the number removed as exact and as near duplicates.
pub fn dedup(items: &[(String, String)], threshold: f64) -> (Vec<usize>, usize, usize) {
    let mut seen: HashSet<&str> = HashSet::new();
    let mut kept: Vec<usize> = Vec::new();
    let mut signatures: Vec<Signature> = Vec::new();
    let (mut exact, mut near) = (0, 0);
    for (i, (key, text)) in items.iter().enumerate() {
        if !seen.insert(key.as_str()) {
            exact += 1;
            continue;
        }
        let sig = signature(text);
        if signatures.iter().any(|s| similarity(s, &sig) >= threshold) {
            near += 1;
            continue;
        }
        signatures.push(sig);
        kept.push(i);
    }
    (kept, exact, near)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_and_near_duplicates_are_removed() {
        let base = "fix the login bug by checking the session token before the redirect happens in the handler";
        let items = vec![
            ("a".to_owned(), base.to_owned()),
            ("a".to_owned(), base.to_owned()),
            ("b".to_owned(), format!("{base} now")),
            (
                "c".to_owned(),
                "a completely different text about rate limiting and retries".to_owned(),
            ),
        ];
        let (kept, exact, near) = dedup(&items, 0.8);
        assert_eq!((kept, exact, near), (vec![0, 3], 1, 1));
        assert_eq!(similarity(&signature(base), &signature(base)), 1.0);
    }
}

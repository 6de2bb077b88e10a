//! The JSONL note format: one record a line, lines sorted bytewise and deduplicated.
//!
//! Keeping notes in this normal form makes the union of two copies the merge, and
//! makes our merge byte-identical to `git notes merge -s cat_sort_uniq`.

use std::collections::BTreeSet;

/// Normalize note text: split into lines, drop empty ones, sort bytewise, dedupe,
/// and terminate every line with `\n`.
pub fn normalize(text: &[u8]) -> Vec<u8> {
    union(&[text])
}

/// The sorted, deduplicated union of the lines of several notes.
pub fn union(parts: &[&[u8]]) -> Vec<u8> {
    let lines: BTreeSet<&[u8]> = parts
        .iter()
        .flat_map(|part| part.split(|b| *b == b'\n'))
        .filter(|line| !line.is_empty())
        .collect();
    let mut out = Vec::with_capacity(parts.iter().map(|p| p.len()).sum());
    for line in lines {
        out.extend_from_slice(line);
        out.push(b'\n');
    }
    out
}

/// Records (lines) in normalized note text: every line ends with `\n`.
pub fn line_count(text: &[u8]) -> u64 {
    text.iter().filter(|b| **b == b'\n').count() as u64
}

/// Join already-serialized records into normalized note text.
pub fn from_lines<I, S>(lines: I) -> Vec<u8>
where
    I: IntoIterator<Item = S>,
    S: AsRef<[u8]>,
{
    let mut text = Vec::new();
    for line in lines {
        text.extend_from_slice(line.as_ref());
        text.push(b'\n');
    }
    normalize(&text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn union_sorts_dedupes_and_terminates() {
        assert_eq!(union(&[b"b\na\n", b"a\nc"]), b"a\nb\nc\n");
        assert_eq!(normalize(b"\n\nz\n\ny"), b"y\nz\n");
        assert_eq!(normalize(b""), b"");
    }

    #[test]
    fn union_is_commutative_and_idempotent() {
        let x: &[u8] = b"{\"a\":1}\n{\"b\":2}\n";
        let y: &[u8] = b"{\"c\":3}\n{\"a\":1}\n";
        assert_eq!(union(&[x, y]), union(&[y, x]));
        let once = union(&[x, y]);
        assert_eq!(union(&[&once, &once]), once);
    }
}

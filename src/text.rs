//! Cutting text for storage and display: the one truncation helper.

use regex::Regex;
use std::borrow::Cow;
use std::sync::LazyLock;
use unicode_segmentation::UnicodeSegmentation as _;

/// `text` without terminal escape sequences (colours, cursor moves, hyperlinks): what a
/// tool printed to a terminal, as words. Vitest's `\x1b[31m7 failed\x1b[39m` reads
/// `7 failed`.
pub fn without_ansi(text: &str) -> Cow<'_, str> {
    static ESCAPE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[@-Z\\-_])").expect("static regex")
    });
    if text.contains('\x1b') {
        ESCAPE.replace_all(text, "")
    } else {
        Cow::Borrowed(text)
    }
}

/// `text` cut after `max` characters, with `…` appended when anything was cut. The cut
/// never falls inside a character or a grapheme cluster (a letter and its combining
/// marks, `\r\n`, an emoji sequence): the cluster it would split is kept whole.
pub fn truncate(text: &str, max: usize) -> String {
    let mut chars = 0;
    for (start, cluster) in text.grapheme_indices(true) {
        if chars >= max {
            return format!("{}…", &text[..start]);
        }
        chars += cluster.chars().count();
    }
    text.to_owned()
}

/// `text` in at most `width` characters on screen, `…` included.
pub fn clip(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        return text.to_owned();
    }
    truncate(text, width.saturating_sub(1))
}

/// Bytes kept of a request or a response that has no transcript of its own (JSONL and
/// telemetry runs): its start and its end, enough to search it by what was asked.
pub const KEPT_TEXT: (usize, usize) = (1024, 512);

/// What [`head_and_tail`] puts between the two parts it keeps.
const CUT: &str = "\n…\n";

/// `text` whole when it has at most `head + tail` bytes, else its first `head` and last
/// `tail` bytes (rounded to characters) joined by `…` on a line of its own.
pub fn head_and_tail(text: &str, head: usize, tail: usize) -> String {
    if text.len() <= head + tail {
        return text.to_owned();
    }
    let mut end = head;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let mut start = text.len() - tail;
    while !text.is_char_boundary(start) {
        start += 1;
    }
    format!("{}{CUT}{}", &text[..end], &text[start..])
}

/// Whether `text` is what [`head_and_tail`] left of a longer text: the marker where
/// the head ends (each part is rounded down to a character, so by up to 3 bytes) and a
/// tail of that length after it. Such a text is no answer to train a model on.
pub fn was_cut(text: &str, head: usize, tail: usize) -> bool {
    text.len() <= head + CUT.len() + tail
        && (head.saturating_sub(3)..=head).any(|at| {
            text.get(at..).is_some_and(|rest| {
                rest.strip_prefix(CUT)
                    .is_some_and(|kept| (tail.saturating_sub(3)..=tail).contains(&kept.len()))
            })
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// dev15 (a Claude Code session): Vitest's summary in colour.
    #[test]
    fn terminal_escapes_are_removed() {
        let coloured = "\x1b[2m Test Files \x1b[22m \x1b[1m\x1b[31m7 failed\x1b[39m\x1b[22m\x1b[90m (7)\x1b[39m\n\x1b]8;;https://x\x07link\x1b]8;;\x07";
        assert_eq!(without_ansi(coloured), " Test Files  7 failed (7)\nlink");
        assert!(matches!(without_ansi("plain"), Cow::Borrowed("plain")));
    }

    #[test]
    fn head_and_tail_cut_on_characters() {
        assert_eq!(head_and_tail("abc", 1, 2), "abc");
        assert_eq!(head_and_tail("ééééé", 3, 3), "é\n…\né");
    }

    #[test]
    fn a_cut_text_is_known_as_one() {
        let (head, tail) = KEPT_TEXT;
        for long in [
            "x".repeat(5000),
            "é".repeat(3000),
            format!("{}\n…\n{}", "a".repeat(2000), "b".repeat(900)),
        ] {
            assert!(was_cut(&head_and_tail(&long, head, tail), head, tail), "{}", long.len());
        }
        assert!(!was_cut("short answer", head, tail));
        // A whole text that happens to hold the marker is not a cut one.
        assert!(!was_cut(
            &format!("{}\n…\n{}", "a".repeat(100), "b".repeat(100)),
            head,
            tail
        ));
        assert!(!was_cut(
            &format!("{}\n…\n{}", "a".repeat(1024), "b".repeat(100)),
            head,
            tail
        ));
    }

    #[test]
    fn multi_byte_and_combining_text_is_cut_whole() {
        assert_eq!(clip("ééé", 2), "é…");
        assert_eq!(clip("ééé", 3), "ééé");
        assert_eq!(truncate("日本語のテキスト", 3), "日本語…");
        // "e" + COMBINING ACUTE ACCENT: the accent stays with its letter.
        let combining = "e\u{301}e\u{301}e\u{301}";
        assert_eq!(truncate(combining, 1), "e\u{301}…");
        assert_eq!(truncate(combining, 2), "e\u{301}…");
        assert_eq!(truncate("ab\r\ncd", 3), "ab\r\n…");
        assert_eq!(truncate("plain ascii", 5), "plain…");
        assert_eq!(truncate("short", 5), "short");
        for width in 0..8 {
            for text in ["ééé", combining, "👩‍👩‍👧 family", "a\u{301}\u{302}b"] {
                let _ = clip(text, width);
                let _ = truncate(text, width);
            }
        }
    }
}

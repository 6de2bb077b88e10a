//! Secret redaction: runs on every string of a record before anything is hashed or written.
//!
//! Each rule replaces what it matches (or only the secret value, for assignments)
//! with `[REDACTED:<rule>]`. Specific token formats come first, generic
//! assignments and high-entropy values last.

use regex::{Captures, Regex, RegexSet};
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::sync::LazyLock;

struct Rule {
    name: &'static str,
    regex: Regex,
    /// Capture group holding the secret; 0 replaces the whole match.
    group: usize,
    /// Minimum Shannon entropy (bits per char) the secret must have.
    min_entropy: f64,
}

const RULES: &[(&str, &str, usize, f64)] = &[
    (
        "private-key",
        r"-----BEGIN [A-Z0-9 ]*PRIVATE KEY( BLOCK)?-----[\s\S]*?-----END [A-Z0-9 ]*PRIVATE KEY( BLOCK)?-----",
        0,
        0.0,
    ),
    (
        "anthropic",
        r"\bsk-ant-(?:api|admin|oat)\d{2}-[A-Za-z0-9_\-]{20,}",
        0,
        0.0,
    ),
    (
        "openai",
        r"\bsk-(?:proj-|svcacct-|admin-|None-)?[A-Za-z0-9_\-]{20,}",
        0,
        0.0,
    ),
    (
        "github",
        r"\b(?:gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{22,255})",
        0,
        0.0,
    ),
    ("gitlab", r"\bgl(?:pat|dt|ptt|rt)-[A-Za-z0-9_\-]{20,}", 0, 0.0),
    ("aws-access-key", r"\b(?:AKIA|ASIA|ABIA|ACCA)[0-9A-Z]{16}\b", 0, 0.0),
    (
        "aws-secret-key",
        r#"(?i)aws_?secret_?access_?key["']?\s*[:=]\s*["']?([A-Za-z0-9/+=]{40})"#,
        1,
        0.0,
    ),
    ("google-api-key", r"\bAIza[0-9A-Za-z_\-]{35}", 0, 0.0),
    ("slack-token", r"\bxox[abposre]-[A-Za-z0-9\-]{10,}", 0, 0.0),
    (
        "slack-webhook",
        r"https://hooks\.slack\.com/services/[A-Za-z0-9/_\-]{20,}",
        0,
        0.0,
    ),
    ("stripe", r"\b(?:sk|rk|pk)_(?:live|test)_[A-Za-z0-9]{16,}", 0, 0.0),
    (
        "jwt",
        r"\beyJ[A-Za-z0-9_\-]{8,}\.eyJ[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]{8,}",
        0,
        0.0,
    ),
    ("bearer", r"(?i)\bbearer\s+([A-Za-z0-9._~+/\-]{16,}=*)", 1, 0.0),
    // A Stellar account's secret seed: `S` and 55 base32 characters.
    ("stellar-secret", STELLAR_SECRET, 0, 0.0),
    // A key passed on a command line (`jup config set --api-key jup_…`, `--token=…`).
    (
        "secret-flag",
        r#"(?i)--(?:api[_\-]?key|token|secret|password|access[_\-]token|auth[_\-]token|private[_\-]key)(?:\s+|=)["']?([^\s"'`]{8,})"#,
        1,
        0.0,
    ),
    // A key named in prose, its value in a code span ("Configured Jupiter API key
    // `jup_…`", "**Secret Key**: `S…`").
    (
        "named-secret",
        r"(?i)\b(?:api[ _\-]?key|secret[ _\-]?key|secret|token|password|private[ _\-]?key|access[ _\-]?token)\**\s*[:=]?\s*\**\s*`([^`\s]{16,})`",
        1,
        3.0,
    ),
    (
        "url-credentials",
        r"\b[a-z][a-z0-9+.\-]*://[^/\s:@]+:([^/\s@]{3,})@",
        1,
        0.0,
    ),
    // A name that ends in a secret's word, assigned a value: `DB_PASSWORD=…`,
    // `"SecretKey": "…"`, `Email__Gmail__Pass=…`, Wi-Fi's `psk=` and `wpa_passphrase=`
    // (dev43), also with a terminal's highlighting
    // around the name (`rg` prints `\x1b[7mGmail__Pass\x1b[0m=…`; dev44).
    (
        "assigned-secret",
        r#"(?i)\b[A-Z0-9_.\-]*(?:password|passwd|pwd|secret|token|api[_\-]?key|access[_\-]?key|private[_\-]?key|secret[_\-]?key|signing[_\-]?key|client[_\-]?secret|credentials?|passphrase|psk|[_\-.]pass)["']?(?:\x1b\[[0-9;]*m)?\s*[:=]\s*(?:\x1b\[[0-9;]*m)?["']?([^\s"',;}\]\x1b]{6,})"#,
        1,
        0.0,
    ),
    // Google's app passwords are four groups of four letters: `Pass=abcd efgh ijkl mnop`.
    (
        "app-password",
        r#"(?i)(?:pass|passwd|password|pwd)["']?(?:\x1b\[[0-9;]*m)?\s*[:=]\s*(?:\x1b\[[0-9;]*m)?["']?([a-z]{4} [a-z]{4} [a-z]{4} [a-z]{4})\b"#,
        1,
        0.0,
    ),
    (
        "high-entropy",
        r#"(?i)\b[A-Z0-9_.\-]*(?:key|secret|token|auth|pass|cred|sig)[A-Z0-9_.\-]*["']?\s*[:=]\s*["']?([A-Za-z0-9+/=_\-]{20,})"#,
        1,
        3.5,
    ),
];

/// A Stellar account's secret seed. Its only literal is `S`, so it is no trigger (it would
/// make the trigger search stop at every word starting with `s`); a seed is a run of
/// base64's bytes, and [`encoded_runs`] finds those.
const STELLAR_SECRET: &str = r"\bS[A-Z2-7]{55}\b";

/// [`STELLAR_SECRET`], looked for in encoded runs only.
static STELLAR: LazyLock<Regex> = LazyLock::new(|| Regex::new(STELLAR_SECRET).expect("static redaction rule"));

static COMPILED: LazyLock<(RegexSet, Vec<Rule>)> = LazyLock::new(|| {
    let set = RegexSet::new(RULES.iter().map(|r| r.1)).expect("static redaction rules");
    let rules = RULES
        .iter()
        .map(|&(name, pattern, group, min_entropy)| Rule {
            name,
            regex: Regex::new(pattern).expect("static redaction rule"),
            group,
            min_entropy,
        })
        .collect();
    (set, rules)
});

/// What no rule can match without (a superset of every rule's literal part): token
/// prefixes, and for each generic rule its secret-like word assigned a value long
/// enough to be one. The word alone ("tests passed", "token count") is in most agent
/// logs, and so is code assigning to a name that holds it (`let token_count = self.len();`
/// is no `assigned-secret`, whose word ends the name, and no `high-entropy`, whose value
/// is a run of 20 base64 characters): either sent them all through every rule.
const TRIGGER_PATTERN: &str = concat!(
    r#"\bsk-|\b[srp]k_|\bgh[pousr]_|\bgithub_pat_|\bgl(?:pat|dt|ptt|rt)-|\ba[ksbc][ic]a|\baiza|\bxox|\beyj|bearer|://|private key"#,
    // secret-flag, named-secret (stellar-secret has no literal: see `stellar_runs`)
    r#"|--(?:api[_\-]?key|token|secret|password|access[_\-]token|auth[_\-]token|private[_\-]key)[\s=]|(?:key|secret|token|password)\**\s*[:=]?\s*\**\s*`(?u:[^`\s]){16}"#,
    // assigned-secret
    r#"|(?:pwd|passw(?:or)?d|secret|token|(?:api|access|private|secret|signing)[_\-]?key|credentials?|passphrase|psk|[_\-.]pass)["']?(?:\x1b\[[0-9;]*m)?\s*[:=]\s*(?:\x1b\[[0-9;]*m)?["']?(?u:[^\s"',;}\]\x1b]){6}"#,
    // app-password, from its word: a bare `=` is on every line of code
    r#"|(?:pass(?:wd|word)?|pwd)["']?(?:\x1b\[[0-9;]*m)?\s*[:=]\s*(?:\x1b\[[0-9;]*m)?["']?[a-z]{4} [a-z]{4} [a-z]{4} [a-z]{4}\b"#,
    // high-entropy
    r#"|(?:key|secret|token|auth|pass|cred|sig)[a-z0-9_.\-]*["']?\s*[:=]\s*["']?[a-z0-9+/=_\-]{20}"#,
);

/// [`TRIGGER_PATTERN`], ignoring case as the rules do (Unicode: `ſ` folds to `s`).
static TRIGGERS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&format!("(?i){TRIGGER_PATTERN}")).expect("static redaction trigger"));

/// [`TRIGGER_PATTERN`] for ASCII text lowercased first (its one Unicode class, `(?u:…)`,
/// keeps the pattern to valid UTF-8). On ASCII text Unicode case
/// folding, `\b` and `\s` are ASCII's, so it matches where [`TRIGGERS`] does; without
/// case folding its literals are few enough for a fast search to look for them first.
static TRIGGERS_LOWERCASE_ASCII: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&format!("(?-u){TRIGGER_PATTERN}")).expect("static redaction trigger"));

/// The trigger search for `text`: ASCII text lowercased, searched without case folding.
fn trigger_search(text: &str) -> (&'static Regex, Cow<'_, str>) {
    if text.is_ascii() {
        (&TRIGGERS_LOWERCASE_ASCII, Cow::Owned(text.to_ascii_lowercase()))
    } else {
        (&TRIGGERS, Cow::Borrowed(text))
    }
}

/// Whether `text` could contain anything a rule would redact; `false` is certain.
pub fn may_contain_secret(text: &str) -> bool {
    let (triggers, haystack) = trigger_search(text);
    triggers.is_match(&haystack) || encoded_runs(text).any(|run| encoded_secret(&text[run]))
}

/// Whether an encoded run is a Stellar seed or hides a secret. A seed's 56 characters
/// all belong to the run around it, and `\b` holds at the run's ends wherever it holds
/// in the text (a flag only: the rules then run on the text itself).
fn encoded_secret(run: &str) -> bool {
    (run.len() > 55 && STELLAR.is_match(run)) || hides_secret(run)
}

/// The shortest run of base64 or hex worth decoding: shorter ones cannot wrap a token.
const ENCODED_MIN: usize = 20;

/// The bytes of base64 (standard or URL-safe) and hex.
static ENCODED_BYTE: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        table[b] = c.is_ascii_alphanumeric() || matches!(c, b'+' | b'/' | b'_' | b'-');
        b += 1;
    }
    table
};

/// Runs of base64 (standard or URL-safe) or hex long enough to wrap a token, with up to
/// two `=` of padding: the leftmost-longest matches of `[A-Za-z0-9+/_\-]{20,}={0,2}`.
///
/// It runs over every text of every run, so it skips as a string search does: a window
/// of [`ENCODED_MIN`] bytes is read from its end, and at the first byte no run holds the
/// window moves past it; the bytes already read stay known (most windows of prose end
/// a few bytes after a space, so most bytes are never read).
fn encoded_runs(text: &str) -> impl Iterator<Item = std::ops::Range<usize>> {
    let bytes = text.as_bytes();
    let is_run = |i: usize| ENCODED_BYTE[usize::from(bytes[i])];
    // Invariants: every run of ENCODED_MIN or more not yet returned starts at or after
    // `at`; `at` is 0 or follows a byte no run holds; `at..known` are all run bytes.
    let (mut at, mut known) = (0, 0);
    std::iter::from_fn(move || {
        while at + ENCODED_MIN <= bytes.len() {
            let window_end = at + ENCODED_MIN;
            match (known.max(at)..window_end).rev().find(|&i| !is_run(i)) {
                Some(breaker) => {
                    at = breaker + 1;
                    known = window_end;
                    continue;
                }
                None => {
                    let start = at;
                    let mut end = window_end;
                    while end < bytes.len() && is_run(end) {
                        end += 1;
                    }
                    let mut padded = end;
                    while padded < bytes.len() && padded - end < 2 && bytes[padded] == b'=' {
                        padded += 1;
                    }
                    (at, known) = (padded, padded);
                    // ASCII bytes only, so both ends fall on character boundaries.
                    return Some(start..padded);
                }
            }
        }
        None
    })
}

/// The text an encoded run decodes to, when it is hex or base64 of UTF-8 text.
fn decode_run(run: &str) -> Option<String> {
    use base64::Engine as _;
    let bytes = if run.len() % 2 == 0 && run.bytes().all(|b| b.is_ascii_hexdigit()) {
        hex::decode(run).ok()?
    } else {
        let config = base64::engine::GeneralPurposeConfig::new()
            .with_decode_padding_mode(base64::engine::DecodePaddingMode::Indifferent);
        let alphabet = if run.contains(['-', '_']) {
            &base64::alphabet::URL_SAFE
        } else {
            &base64::alphabet::STANDARD
        };
        base64::engine::GeneralPurpose::new(alphabet, config).decode(run).ok()?
    };
    String::from_utf8(bytes).ok()
}

/// Whether an encoded run decodes to text holding something a rule redacts
/// (`token=ghp_…` in base64). Decoded text is checked the same way, so nesting is
/// seen too; each level is shorter than the last.
fn hides_secret(run: &str) -> bool {
    decode_run(run).is_some_and(|text| {
        let mut counts = RedactionCounts::new();
        may_contain_secret(&text) && redact(&text, &mut counts) != text
    })
}

/// Counts of redactions per rule.
pub type RedactionCounts = BTreeMap<String, u64>;

/// Redact `text`, adding to `counts`. Returns the input unchanged when nothing matched.
pub fn redact(text: &str, counts: &mut RedactionCounts) -> String {
    redact_noting(text, counts, &mut Vec::new())
}

/// [`redact`], noting in `found` each secret value the rules replaced.
fn redact_noting(text: &str, counts: &mut RedactionCounts, found: &mut Vec<String>) -> String {
    let out = redact_plain(text, counts, found);
    if encoded_runs(&out).next().is_none() {
        return out;
    }
    let mut redacted = String::with_capacity(out.len());
    let mut copied = 0;
    for run in encoded_runs(&out) {
        if hides_secret(&out[run.clone()]) {
            redacted.push_str(&out[copied..run.start]);
            redacted.push_str("[REDACTED:encoded-secret]");
            copied = run.end;
            *counts.entry("encoded-secret".to_owned()).or_default() += 1;
        }
    }
    redacted.push_str(&out[copied..]);
    redacted
}

/// [`redact`] by the rules alone, on the text as it stands.
fn redact_plain(text: &str, counts: &mut RedactionCounts, found: &mut Vec<String>) -> String {
    let (set, rules) = &*COMPILED;
    let matched = set.matches(text);
    if !matched.matched_any() {
        return text.to_owned();
    }
    let mut out = text.to_owned();
    for index in matched.iter() {
        let rule = &rules[index];
        let mut hits = 0u64;
        let replaced = rule.regex.replace_all(&out, |caps: &Captures| {
            let whole = caps.get(0).map(|m| m.as_str()).unwrap_or_default();
            let Some(secret) = caps.get(rule.group) else {
                return whole.to_owned();
            };
            if secret.as_str().starts_with("[REDACTED:") || entropy(secret.as_str()) < rule.min_entropy {
                return whole.to_owned();
            }
            hits += 1;
            found.push(secret.as_str().to_owned());
            let start = secret.start() - caps.get(0).map(|m| m.start()).unwrap_or(0);
            format!(
                "{}[REDACTED:{}]{}",
                &whole[..start],
                rule.name,
                &whole[start + secret.as_str().len()..]
            )
        });
        if hits > 0 {
            out = replaced.into_owned();
            *counts.entry(rule.name.to_owned()).or_default() += hits;
        }
    }
    out
}

/// Redact `texts` in place, adding to `counts`. One prefilter pass over all of them
/// (joined by newlines) picks the texts worth running the rules on; most runs have none.
pub fn redact_all(mut texts: Vec<&mut String>, counts: &mut RedactionCounts) {
    let mut joined = String::with_capacity(texts.iter().map(|t| t.len() + 1).sum());
    let mut starts = Vec::with_capacity(texts.len());
    for text in &texts {
        starts.push(joined.len());
        joined.push_str(text);
        joined.push('\n');
    }
    let mut flagged = vec![false; texts.len()];
    // Any trigger inside a text makes some hit overlap it (hits do not overlap each
    // other, and one that hides another covers it); a hit may run across a joining
    // newline, and then every text it touches is checked.
    let (triggers, haystack) = trigger_search(&joined);
    let encoded = encoded_runs(&joined).filter(|run| encoded_secret(&joined[run.clone()]));
    let hits = triggers.find_iter(&haystack).map(|m| m.range()).chain(encoded);
    for hit in hits {
        let first = starts.partition_point(|&s| s <= hit.start).saturating_sub(1);
        let last = starts.partition_point(|&s| s < hit.end).saturating_sub(1);
        if let Some(touched) = flagged.get_mut(first..=last) {
            touched.fill(true);
        }
    }
    let mut found = Vec::new();
    for (text, flagged) in texts.iter_mut().zip(flagged) {
        if flagged {
            let redacted = redact_noting(text, counts, &mut found);
            if redacted != **text {
                **text = redacted;
            }
        }
    }
    redact_repeats(texts, &found, counts);
}

/// Shortest start of a secret that is redacted wherever it recurs.
const REPEAT_MIN: usize = 8;

/// A secret found once is redacted wherever the run repeats it, whole or by its start
/// of at least [`REPEAT_MIN`] characters, with nothing to name it there: an agent that
/// searches for leftover credentials (`rg "abcd efgh|Qw8!zKp7"`, dev44) writes them
/// into its commands.
fn redact_repeats(texts: Vec<&mut String>, found: &[String], counts: &mut RedactionCounts) {
    let mut secrets: Vec<&str> = found
        .iter()
        .map(String::as_str)
        .filter(|s| s.len() >= REPEAT_MIN)
        .collect();
    // Longest first, so a secret that starts another is not cut short.
    secrets.sort_by_key(|s| std::cmp::Reverse(s.len()));
    secrets.dedup();
    for text in texts {
        for secret in &secrets {
            let Some(head) = secret.get(..REPEAT_MIN) else { continue };
            if !text.contains(head) {
                continue;
            }
            let mut out = String::with_capacity(text.len());
            let mut rest = text.as_str();
            let mut hits = 0u64;
            while let Some(at) = rest.find(head) {
                let tail = &rest[at..];
                // As much of the secret as the text repeats.
                let len = tail
                    .char_indices()
                    .zip(secret.chars())
                    .take_while(|((_, a), b)| a == b)
                    .last()
                    .map_or(0, |((i, c), _)| i + c.len_utf8());
                out.push_str(&rest[..at]);
                out.push_str("[REDACTED:repeated-secret]");
                rest = &tail[len.max(head.len())..];
                hits += 1;
            }
            out.push_str(rest);
            *text = out;
            *counts.entry("repeated-secret".to_owned()).or_default() += hits;
        }
    }
}

/// Shannon entropy in bits per character.
fn entropy(s: &str) -> f64 {
    let mut freq: BTreeMap<char, f64> = BTreeMap::new();
    let mut n = 0.0;
    for c in s.chars() {
        *freq.entry(c).or_default() += 1.0;
        n += 1.0;
    }
    freq.values().map(|f| -(f / n) * (f / n).log2()).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Realistic fake keys of every supported kind (none of them is real).
    pub const FAKE_SECRETS: &[(&str, &str)] = &[
        ("openai", "sk-proj-Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4zAb7cDe0fGh3iJk6l"),
        (
            "anthropic",
            "sk-ant-api03-Zx9Yw8Vu7Ts6Rq5Po4Nm3Lk2Jh1Gf0EdCbA-qwertyuiopASDFGH",
        ),
        ("github", "ghp_1a2B3c4D5e6F7g8H9i0J1k2L3m4N5o6P7q8R"),
        ("gitlab", "glpat-x7Yz9AbCdEfGhIjKlMnO"),
        ("aws-access-key", "AKIAIOSFODNN7EXAMPLF"),
        ("google-api-key", "AIzaSyD-9tSrke72PouQMnMX-a7eZSW0jkFMBWY"),
        ("slack-token", "xoxb-2048-1024-aBcDeFgHiJkLmNoPqRsTuVwX"),
        ("stripe", "sk_live_4eC39HqLyjWDarjtT1zdp7dc"),
        (
            "jwt",
            "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkFkYSJ9.dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk",
        ),
    ];

    #[test]
    fn encoded_runs_are_the_matches_of_their_pattern() {
        let pattern = Regex::new(r"[A-Za-z0-9+/_\-]{20,}={0,2}").unwrap();
        let texts = [
            String::new(),
            "short+run= and aGVsbG8gd29ybGQsIG5vdGhpbmcgdG8gaGlkZQ==more".to_owned(),
            format!("{}={}===z", "x".repeat(19), "y".repeat(20)),
            format!("é{}é{}=={}", "A".repeat(25), "b-_/+".repeat(4), "c".repeat(20)),
            "abcdefghijklmnopqrst".to_owned(),
            "abcdefghijklmnopqrs=abcdefghijklmnopqrstu=".to_owned(),
        ];
        // And many random texts of run bytes, padding and separators (a fixed LCG).
        let alphabet = ["a", "Z", "9", "+", "=", " ", "é", "-"];
        let mut state = 7u64;
        let random = (0..500).map(|_| {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let len = (state >> 33) % 90;
            (0..len)
                .map(|_| {
                    state = state
                        .wrapping_mul(6364136223846793005)
                        .wrapping_add(1442695040888963407);
                    // Mostly run bytes, so long runs are common.
                    let pick = (state >> 33) % 24;
                    alphabet[if pick < 17 {
                        (pick % 3) as usize
                    } else {
                        (pick - 16) as usize
                    }]
                })
                .collect::<String>()
        });
        for text in texts.into_iter().chain(random) {
            let text = &text;
            let expected: Vec<_> = pattern.find_iter(text).map(|m| m.range()).collect();
            assert_eq!(encoded_runs(text).collect::<Vec<_>>(), expected, "{text}");
        }
    }

    #[test]
    fn secrets_wrapped_in_base64_or_hex_are_redacted() {
        use base64::Engine as _;
        let secret = "token=ghp_1a2B3c4D5e6F7g8H9i0J1k2L3m4N5o6P7q8R";
        let engines = [
            base64::engine::general_purpose::STANDARD.encode(secret),
            base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(secret),
            hex::encode(secret),
            // Nested: base64 of base64.
            base64::engine::general_purpose::STANDARD.encode(base64::engine::general_purpose::STANDARD.encode(secret)),
        ];
        for wrapped in engines {
            let text = format!("env: {wrapped} (from the CI config)");
            assert!(may_contain_secret(&text), "{wrapped}");
            let mut counts = RedactionCounts::new();
            let out = redact(&text, &mut counts);
            assert!(!out.contains(&wrapped), "{out}");
            assert!(out.contains("[REDACTED:encoded-secret]"), "{out}");
            let mut field = text.clone();
            redact_all(vec![&mut field], &mut RedactionCounts::new());
            assert_eq!(field, out);
        }
        // Encoded text without a secret, commit ids and digests stay as they are.
        let plain = base64::engine::general_purpose::STANDARD.encode("hello world, nothing to hide here");
        for text in [
            plain.as_str(),
            "commit 491a101c0ffee5e4b8a7f3c2d1e0f9a8b7c6d5e4",
            "sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
        ] {
            assert!(!may_contain_secret(text), "{text}");
            assert_eq!(redact(text, &mut RedactionCounts::new()), text);
        }
    }

    #[test]
    fn every_kind_of_fake_key_is_redacted() {
        for (rule, secret) in FAKE_SECRETS {
            let mut counts = RedactionCounts::new();
            let text = format!("log: using {secret} now");
            let out = redact(&text, &mut counts);
            assert!(!out.contains(secret), "{rule}: {out}");
            assert!(out.contains("[REDACTED:"), "{rule}: {out}");
            assert_eq!(counts.values().sum::<u64>(), 1, "{rule}: {counts:?}");
        }
    }

    #[test]
    fn assignments_bearer_private_keys_and_url_credentials() {
        let mut counts = RedactionCounts::new();
        let text = "export DB_PASSWORD=hunter2hunter2\nAuthorization: Bearer abcdefghijklmnop0123456789\n\
                    aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n\
                    -----BEGIN RSA PRIVATE KEY-----\nMIIEow\n-----END RSA PRIVATE KEY-----\n\
                    postgres://app:s3cr3tpw@db:5432/x\nclient_token: 'Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MA'";
        let out = redact(text, &mut counts);
        for secret in [
            "hunter2hunter2",
            "abcdefghijklmnop0123456789",
            "wJalrXUtnFEMI",
            "MIIEow",
            "s3cr3tpw",
            "Zm9vYmFy",
        ] {
            assert!(!out.contains(secret), "{secret} leaked: {out}");
        }
        assert!(out.contains("DB_PASSWORD=[REDACTED:assigned-secret]"), "{out}");
        assert!(out.contains("Bearer [REDACTED:bearer]"), "{out}");
    }

    /// dev44 (a Codex session cleaning credentials out of a .NET project): an app
    /// password in an `.env` file printed by `rg` with its highlighting, and a JWT signing
    /// key in `appsettings.json`. The values here are made up in the same shapes.
    #[test]
    fn app_passwords_signing_keys_and_highlighted_names() {
        let text = concat!(
            ".env.api:8:\x1b[7mGmail__Pass\x1b[0m=wxyz abcd efgh ijkl\r\n",
            "Email__Gmail__Pass=wxyz abcd efgh ijkl\n",
            "SMTP_PASS=Zt9#kq2LmP\n",
            "  \"Jwt\": {\n    \"SecretKey\": \"Xk4!pQ9$zL2@wR7#nB5^\",\n",
        );
        let out = redact(text, &mut RedactionCounts::new());
        // dev43 (a Codex session on a lab robot): Wi-Fi keys in hostapd and
        // wpa_supplicant files it printed.
        let wifi = "wpa_passphrase=s3cretWifi9\nnetwork={\n  ssid=\"lab\"\n  psk=\"r0b0tLab2024\"\n}";
        let wifi_out = redact(wifi, &mut RedactionCounts::new());
        assert!(
            !wifi_out.contains("s3cretWifi9") && !wifi_out.contains("r0b0tLab2024"),
            "{wifi_out}"
        );
        for secret in ["wxyz abcd", "Zt9#kq2LmP", "Xk4!pQ9$zL2@wR7#nB5^"] {
            assert!(!out.contains(secret), "{secret} leaked: {out}");
        }
        assert!(may_contain_secret("Gmail__Pass\x1b[0m=wxyz abcd efgh ijkl"));
        // The agent then searches for what is left of them.
        let mut command = r#"rg -n "wxyz abcd|Xk4!pQ9$|Zt9#kq2LmP" ."#.to_owned();
        let mut output = text.to_owned();
        let mut counts = RedactionCounts::new();
        redact_all(vec![&mut output, &mut command], &mut counts);
        for secret in ["wxyz abcd", "Xk4!pQ9$", "Zt9#kq2LmP"] {
            assert!(!command.contains(secret), "{secret} leaked: {command}");
        }
        // Prose with four short words after a colon is no password.
        let prose = "Status: done with the work";
        assert_eq!(redact(prose, &mut RedactionCounts::new()), prose);
    }

    /// dev31 (a Codex session of a Solana project): a Stellar secret seed under a
    /// "Secret Key" label, and a Jupiter API key in prose and on a command line. The
    /// values here are made up in the same shapes.
    #[test]
    fn seeds_keys_named_in_prose_and_keys_on_command_lines() {
        let seed = "SB7QX3MZLKD4PWE2RNAJ5TGVHYC6UFO2IQZ3KXLM4NDP5RWE6TAY7SQB";
        let jup = "jup_4c1f9a0e7b3d5c2a8f6e4d0b9a7c5e3f1d2b4a6c8e0f9d7b5a3c1e2f4d6b8a0c";
        let text = format!(
            "- **Public Key**: `GBZTWIV3ISK4KRBHP2BUVUB4PVZ6CK3AWBYLQLAI2JKVX45U63CO4PLW`\r\n\
             - **Secret Key**: `{seed}`\r\n- Configured Jupiter API key `{jup}`\r\n\
             jup config set --api-key {jup}\r\nseed again: {seed}"
        );
        assert!(may_contain_secret(&text));
        let out = redact(&text, &mut RedactionCounts::new());
        assert!(!out.contains(seed) && !out.contains(jup), "{out}");
        assert!(out.contains("GBZTWIV3ISK4KRBHP2"), "a public key is no secret: {out}");
        // A name in a code span is no key: too short, or too plain.
        let plain = "set the token `GITHUB_TOKEN` and the api key `aaaaaaaaaaaaaaaaaaaa`";
        assert_eq!(redact(plain, &mut RedactionCounts::new()), plain);
    }

    /// The trigger has no branch for a seed (its one literal is `S`) nor for a bare `=`
    /// (on every line of code): seeds are found among encoded runs, app passwords by
    /// their word. Both still reach the rules, alone or joined with other texts.
    #[test]
    fn seeds_and_app_passwords_reach_the_rules_without_a_trigger_of_their_own() {
        let seed = "SB7QX3MZLKD4PWE2RNAJ5TGVHYC6UFO2IQZ3KXLM4NDP5RWE6TAY7SQB";
        for text in [
            format!("the account seed is {seed}."),
            format!("({seed})"),
            "smtp_pwd = 'wxyz abcd efgh ijkl'".to_owned(),
            "Password: wxyz abcd efgh ijkl".to_owned(),
        ] {
            assert!(may_contain_secret(&text), "{text}");
            let mut texts = ["let total = self.sum(\"parse\")?;".to_owned(), text.clone()];
            let mut counts = RedactionCounts::new();
            redact_all(texts.iter_mut().collect(), &mut counts);
            assert_ne!(texts[1], text, "redacted when joined with code");
            assert!(!counts.is_empty());
        }
        // A seed's shape inside a longer word is none, and code assigning is no trigger.
        assert!(!may_contain_secret(&format!("x{seed}")));
        assert!(!may_contain_secret(
            "let session_count = self.cache(\"parse\")?;\nx = y == z"
        ));
    }

    #[test]
    fn the_trigger_prefilter_sees_every_fake_key() {
        for (rule, secret) in FAKE_SECRETS {
            assert!(may_contain_secret(secret), "{rule}");
        }
        assert!(may_contain_secret("DB_PASSWORD=hunter22") && may_contain_secret("postgres://a:b@c"));
        for assignment in [
            "api_key: 9f8e7d6c",
            "\"client_secret\" : \"s3cr3t-v4lue\"",
            "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
            "Credentials='hunter22'",
            "github_token:\n  9f8e7d6c",
            "X-Auth-Signature=Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MA",
        ] {
            assert!(may_contain_secret(assignment), "{assignment}");
        }
        // Code assigning to such a name: no rule redacts it.
        for code in [
            "let token_count = self.tokens.len();",
            "key = 3",
            "session_key: Option<String>,",
        ] {
            assert!(!may_contain_secret(code), "{code}");
            assert_eq!(redact(code, &mut RedactionCounts::new()), code);
        }
        assert!(!may_contain_secret("cargo build finished in 3.2s; 212 tests ok"));
        // The generic words alone are everyday prose in agent logs.
        assert!(!may_contain_secret(
            "all 212 tests passed; the token count is 1200; the auth key rotation is done"
        ));
        // Ids like these are in every record: a prefilter that fires on them (`sk-` inside
        // `task-42`) sends each record through every rule.
        assert!(!may_contain_secret("task-42") && !may_contain_secret("disk-usage"));
    }

    #[test]
    fn whatever_a_rule_redacts_the_trigger_sees() {
        let names = [
            "password",
            "DB_PASSWD",
            "pwd",
            "secret",
            "token",
            "api_key",
            "Api-Key",
            "access_key",
            "private_key",
            "client_secret",
            "credential",
            "credentials",
            "github_token",
            "session_key_v2",
            "request.sig",
            "X-Auth",
            "aws_secret_access_key",
            // Unicode case folding: the rules take these for `secret` and `key`.
            "\u{17f}ecret",
            "api_\u{212a}ey",
        ];
        let separators = ["=", ": ", " = ", "\":\"", "' : '", ":\n  "];
        let mut redacted = 0;
        for name in names {
            for sep in separators {
                let text = format!("{name}{sep}Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MA/wJalrXUtnFEMI");
                if redact(&text, &mut RedactionCounts::new()) != text {
                    redacted += 1;
                    assert!(may_contain_secret(&text), "{text:?}");
                }
            }
        }
        assert!(redacted > names.len() * 4, "the samples exercise the rules: {redacted}");
    }

    /// Together, texts are redacted as each alone, and then each secret found is
    /// redacted wherever another text repeats it.
    #[test]
    fn redacting_texts_together_is_redacting_each_alone() {
        let fragments = [
            "api_key",
            " = ",
            ": ",
            "\n",
            "token",
            "tests passed",
            "ghp_1a2B3c4D5e6F7g8H9i0J1k2L3m4N5o6P7q8R",
            "Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MA",
            "sk-proj-Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4zAb7cDe0fGh3iJk6l",
            "password",
            "hunter2hunter2",
            "task-42",
            "",
        ];
        // A fixed linear congruential sequence: many combinations, the same every run.
        let mut state = 0x2545_f491_4f6c_dd1du64;
        let mut next = |n: usize| {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (state >> 33) as usize % n
        };
        for _ in 0..2_000 {
            let texts: Vec<String> = (0..1 + next(5))
                .map(|_| (0..next(4)).map(|_| fragments[next(fragments.len())]).collect())
                .collect();
            // Each alone, then the secrets found redacted wherever they recur.
            let mut each_counts = RedactionCounts::new();
            let mut found = Vec::new();
            let mut each: Vec<String> = texts
                .iter()
                .map(|t| redact_noting(t, &mut each_counts, &mut found))
                .collect();
            redact_repeats(each.iter_mut().collect(), &found, &mut each_counts);
            let mut together = texts.clone();
            let mut together_counts = RedactionCounts::new();
            redact_all(together.iter_mut().collect(), &mut together_counts);
            assert_eq!(together, each, "{texts:?}");
            assert_eq!(together_counts, each_counts, "{texts:?}");
        }
    }

    #[test]
    fn ordinary_text_is_untouched() {
        let mut counts = RedactionCounts::new();
        let text = "cargo test -p auth: test result: ok. 212 passed; 0 failed; token count 1200";
        assert_eq!(redact(text, &mut counts), text);
        assert!(counts.is_empty());
    }
}

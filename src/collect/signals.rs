//! Deterministic heuristics shared by the session adapters: what task a prompt is and
//! which lines of a command's output name a failure.

use regex::Regex;
use std::sync::LazyLock;

/// Classify a prompt into a coarse task type by keywords (first match wins):
/// bugfix, test, refactor, docs, feature, else general.
pub fn task_type(prompt: &str) -> &'static str {
    static RULES: LazyLock<Vec<(&'static str, Regex)>> = LazyLock::new(|| {
        [
            (
                "bugfix",
                r"(?i)\b(fix|bug|broken|crash|regression|error|fails?|failing)\b",
            ),
            ("test", r"(?i)\b(tests?|coverage|flaky)\b"),
            ("refactor", r"(?i)\b(refactor|rename|clean ?up|extract|simplify|move)\b"),
            ("docs", r"(?i)\b(docs?|documentation|readme|comment)\b"),
            ("feature", r"(?i)\b(add|implement|build|create|support|introduce|new)\b"),
        ]
        .into_iter()
        .map(|(name, re)| (name, Regex::new(re).expect("static regex")))
        .collect()
    });
    RULES
        .iter()
        .find(|(_, re)| re.is_match(prompt))
        .map(|(name, _)| *name)
        .unwrap_or("general")
}

/// A stable task id for a prompt: runs given the same request compare as one task.
/// `task-` + the first 12 hex of SHA-256 over the lowercased, whitespace-collapsed prompt.
pub fn task_id(prompt: &str) -> String {
    let normalized = prompt.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase();
    format!("task-{}", &crate::schema::sha256_hex(normalized.as_bytes())[..12])
}

/// Lines of output that name a failure (compiler errors, panics, failed tests), at most five.
pub fn failure_markers(output: &str) -> Vec<String> {
    static RE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)(error\[E\d{4}\][^\n]*|^error:[^\n]*|panicked at[^\n]*|^FAILED[^\n]*|\bAssertionError[^\n]*|Traceback \(most recent call last\)|npm ERR![^\n]*|\bTS\d{4}:[^\n]*|--- FAIL:[^\n]*|Module not found[^\n]*|^Failed to compile[^\n]*|^Build failed[^\n]*|^ERROR in [^\n]*|^SyntaxError[^\n]*|^\[vite\][^\n]*error[^\n]*|^✘ \[ERROR\][^\n]*|(?-i:^FAIL\s[^\n]*)|make(?:\[\d+\])?: \*\*\*[^\n]*Error \d+)")
            .expect("static regex")
    });
    let mut out: Vec<String> = Vec::new();
    for line in output.lines() {
        if let Some(m) = RE.find(line.trim()) {
            let marker = crate::text::truncate(m.as_str().trim(), 120);
            if !out.contains(&marker) {
                out.push(marker);
            }
            if out.len() == 5 {
                break;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_and_parses() {
        assert_eq!(task_type("Fix the login crash"), "bugfix");
        assert_eq!(task_type("Implement rate limiting"), "feature");
        assert_eq!(task_type("hello"), "general");
        assert_eq!(task_id("Fix  the bug"), task_id("fix the bug"));
        assert_eq!(
            failure_markers("x\nerror[E0308]: mismatched types\n"),
            vec!["error[E0308]: mismatched types"]
        );
        assert_eq!(
            failure_markers("Failed to compile.\nModule not found: Can't resolve './Button'"),
            vec!["Failed to compile.", "Module not found: Can't resolve './Button'"]
        );
        assert_eq!(
            failure_markers(
                "ok  \tapp/a\t0.1s\nFAIL\tapp/b\t0.2s\nmake: *** [Makefile:12: test-e2e] Error 1\nFailure is an option"
            ),
            vec!["FAIL\tapp/b\t0.2s", "make: *** [Makefile:12: test-e2e] Error 1"]
        );
    }
}

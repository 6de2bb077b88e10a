//! Deterministic heuristics shared by the session adapters: what task a prompt is,
//! which commands are validations, and what their output says.

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

/// Whether a shell command runs tests, a build or a checker.
pub fn is_validation(command: &str) -> bool {
    static RE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?x)\b(
            cargo\s+(test|build|check|clippy|nextest)|npm\s+(run\s+)?(test|build|lint)|pnpm\s+(test|build)|yarn\s+(test|build)
            |pytest|python\s+-m\s+(pytest|unittest)|go\s+(test|build|vet)|make(\s+\w+)?|tsc|eslint|ruff|mypy|jest|vitest
            |mvn\s+(test|verify|package)|gradle\w*\s+(test|build)|ctest|bazel\s+(test|build)
        )\b")
        .expect("static regex")
    });
    RE.is_match(command)
}

/// Passed and failed test counts, when the output states them (cargo, pytest, jest, go).
pub fn test_counts(output: &str) -> (Option<u64>, Option<u64>) {
    static CARGO: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"test result: \w+\. (\d+) passed; (\d+) failed").expect("static regex"));
    static GENERIC_PASSED: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"(?i)\b(\d+) (?:passed|passing)\b").expect("static regex"));
    static GENERIC_FAILED: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"(?i)\b(\d+) (?:failed|failing)\b").expect("static regex"));
    let mut passed = None;
    let mut failed = None;
    for caps in CARGO.captures_iter(output) {
        *passed.get_or_insert(0) += caps[1].parse::<u64>().unwrap_or(0);
        *failed.get_or_insert(0) += caps[2].parse::<u64>().unwrap_or(0);
    }
    if passed.is_none() {
        passed = GENERIC_PASSED.captures(output).and_then(|c| c[1].parse().ok());
        failed = GENERIC_FAILED.captures(output).and_then(|c| c[1].parse().ok());
        if passed.is_some() && failed.is_none() {
            failed = Some(0);
        }
    }
    (passed, failed)
}

/// Lines of output that name a failure (compiler errors, panics, failed tests), at most five.
pub fn failure_markers(output: &str) -> Vec<String> {
    static RE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)(error\[E\d{4}\][^\n]*|^error:[^\n]*|panicked at[^\n]*|^FAILED[^\n]*|\bAssertionError[^\n]*|Traceback \(most recent call last\)|npm ERR![^\n]*|\bTS\d{4}:[^\n]*|--- FAIL:[^\n]*)")
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

/// Exit status stated in tool output ("Exit code 2", "exit status 1", "Process exited with code 1").
pub fn stated_exit_code(output: &str) -> Option<i32> {
    static RE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)(?:exit code:?|exit status|exited with code)\s*(-?\d+)").expect("static regex")
    });
    RE.captures(output).and_then(|c| c[1].parse().ok())
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
        assert!(is_validation("cd app && cargo test -p auth"));
        assert!(!is_validation("ls -la"));
        assert_eq!(
            test_counts("test result: ok. 10 passed; 0 failed\ntest result: FAILED. 2 passed; 1 failed"),
            (Some(12), Some(1))
        );
        assert_eq!(test_counts("=== 5 passed, 2 failed in 0.3s ==="), (Some(5), Some(2)));
        assert_eq!(
            failure_markers("x\nerror[E0308]: mismatched types\n"),
            vec!["error[E0308]: mismatched types"]
        );
        assert_eq!(stated_exit_code("Exit code 101\nerror"), Some(101));
    }
}

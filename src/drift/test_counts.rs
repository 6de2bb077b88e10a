//! Tests and benchmarks a file defines, for claims such as "`errordetector_test.go`
//! (37 tests)" or "- 13 benchmark functions" under a file's heading.
//!
//! Agents keep status documents that state how many tests each file holds, and the
//! numbers go stale as files change. A count is checked only where the file's language
//! has a definition this tool can count (`func TestX(t *testing.T)`, `#[test]`,
//! `def test_x`, `it(…)`, `@Test`, …); where tests can also be generated (table-driven
//! `t.Run`, `parametrize`, `.each`), a stated number above the definitions cannot be
//! decided and is left unchecked.

use regex::Regex;
use std::sync::LazyLock;

/// What a count claim counts inside a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Counted {
    /// Test functions or cases.
    Tests,
    /// Benchmark functions.
    Benchmarks,
    /// Lines of any text file ("300+ lines"): only a lower bound is read.
    Lines,
}

impl Counted {
    /// The noun a claim records.
    pub fn noun(self) -> &'static str {
        match self {
            Counted::Tests => "tests",
            Counted::Benchmarks => "benchmarks",
            Counted::Lines => "lines",
        }
    }

    /// The kind a recorded noun names, when it is one of these.
    pub fn of_noun(noun: &str) -> Option<Counted> {
        match noun {
            "tests" => Some(Counted::Tests),
            "benchmarks" => Some(Counted::Benchmarks),
            "lines" => Some(Counted::Lines),
            _ => None,
        }
    }
}

/// A number of tests or benchmarks a text states.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StatedCount {
    /// The number.
    pub expected: u64,
    /// Written `15+`: at least that many.
    pub at_least: bool,
    /// What is counted.
    pub counted: Counted,
}

/// The counts `text` states, at most one of each kind (the first): "37 tests",
/// "15+ benchmark functions", "12 unit tests". Not a count of the file: numbers of
/// tests added, changed or passing ("13 new tests", "3 tests optimized", "4/4 tests
/// passing", "+7 tests") and approximations ("~30 tests", "about 30 tests").
pub fn stated_counts(text: &str) -> Vec<StatedCount> {
    static COUNT: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"(?i)(?:^|([^\w\s])|(\w+)\s+|[\s(])(\d{1,5})(\+)?\s+(?:(?:unit|integration|e2e|end-to-end)\s+)?(tests?|test\s+cases?|test\s+functions?|benchmarks?|benchmark\s+functions?)\b(?:\s+(\w+))?",
        )
        .expect("static regex")
    });
    const BEFORE: &[&str] = &[
        "new",
        "added",
        "add",
        "more",
        "additional",
        "extra",
        "about",
        "around",
        "approximately",
        "approx",
        "over",
        "nearly",
        "roughly",
        "almost",
        "under",
        "another",
        "fixed",
        "removed",
        "across",
        "in",
        // "all 70 tests still pass": the suite's, not the file's.
        "all",
        "total",
    ];
    const AFTER: &[&str] = &[
        "passing",
        "passed",
        "pass",
        "failing",
        "failed",
        "fail",
        "optimized",
        "modified",
        "updated",
        "fixed",
        "added",
        "removed",
        "skipped",
        "refactored",
        "rewritten",
        "changed",
        "pending",
        "planned",
        "remaining",
        "left",
        "to",
        "delivered",
        "written",
        "created",
        "implemented",
        "still",
    ];
    let mut out: Vec<StatedCount> = Vec::new();
    for c in COUNT.captures_iter(text) {
        let mark = c.get(1).map_or("", |m| m.as_str());
        let word_before = c.get(2).map_or(String::new(), |m| m.as_str().to_lowercase());
        let word_after = c.get(6).map_or(String::new(), |m| m.as_str().to_lowercase());
        if matches!(mark, "/" | "+" | "~" | "-" | "." | ",")
            || BEFORE.contains(&word_before.as_str())
            || AFTER.contains(&word_after.as_str())
        {
            continue;
        }
        let Ok(expected) = c[3].parse() else { continue };
        let counted = if c[5].to_lowercase().starts_with("bench") {
            Counted::Benchmarks
        } else {
            Counted::Tests
        };
        if !out.iter().any(|s| s.counted == counted) {
            out.push(StatedCount {
                expected,
                at_least: c.get(4).is_some(),
                counted,
            });
        }
    }
    static LINES: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"(?i)(?:^|[\s(,])(\d{1,6})\+\s+lines\b").expect("static regex"));
    if let Some(expected) = LINES.captures(text).and_then(|c| c[1].parse().ok()) {
        out.push(StatedCount {
            expected,
            at_least: true,
            counted: Counted::Lines,
        });
    }
    out
}

/// What a file defines of one kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Defined {
    /// Definitions found.
    pub found: u64,
    /// Named subtests written out one by one (Go's `t.Run` outside a loop): a count
    /// may include them.
    pub subtests: u64,
    /// The file can generate more cases than it defines (subtests in a loop,
    /// parameters): no higher number can be ruled out.
    pub expands: bool,
}

/// Count the `counted` definitions of `source` (the content of `path`); `None` when its
/// language has none this tool counts.
pub fn defined(path: &str, source: &str, counted: Counted) -> Option<Defined> {
    if counted == Counted::Lines {
        return Some(Defined {
            found: source.lines().count() as u64,
            ..Defined::default()
        });
    }
    let ext = path.rsplit_once('.')?.1.to_ascii_lowercase();
    let (definition, expansion) = match (counted, ext.as_str()) {
        (Counted::Tests, "go") => (r"(?m)^func\s+Test\w*\s*\(\s*\w+\s+\*testing\.T\s*\)", r"\.Run\("),
        (Counted::Benchmarks, "go") => (r"(?m)^func\s+Benchmark\w*\s*\(\s*\w+\s+\*testing\.B\s*\)", r"\.Run\("),
        (Counted::Tests, "rs") => (
            r"(?m)^\s*#\[(?:\w+::)*test\b",
            r"#\[(?:case|rstest|test_case)\b|proptest!",
        ),
        (Counted::Benchmarks, "rs") => (r"(?m)^\s*#\[bench\]|\bbench_(?:function|with_input)\s*\(", r"\bfor\b"),
        (Counted::Tests, "py") => (r"(?m)^\s*(?:async\s+)?def\s+test\w*\s*\(", r"parametrize|subTest"),
        (Counted::Tests, "js" | "jsx" | "ts" | "tsx" | "mjs" | "cjs" | "mts" | "cts") => (
            r"(?m)^\s*(?:it|test)(?:\.(?:only|skip|concurrent|todo|fails))?\s*\(",
            r"\.each\b|\.forEach\(|\bfor\s*\(",
        ),
        (Counted::Benchmarks, "js" | "jsx" | "ts" | "tsx" | "mjs" | "cjs" | "mts" | "cts") => {
            (r"(?m)^\s*bench(?:\.(?:only|skip|todo))?\s*\(", r"\.each\b|\bfor\s*\(")
        }
        (Counted::Tests, "rb") => (
            r#"(?m)^\s*(?:it|specify|scenario)\s*(?:\(|['"]|do\b|\{)|^\s*def\s+test_|^\s*test\s+['"]"#,
            r"\.each\b",
        ),
        (Counted::Tests, "java" | "kt" | "scala" | "cs") => (
            r"(?m)^\s*@Test\b|^\s*\[(?:Test|Fact|TestMethod)\]",
            r"@ParameterizedTest|@RepeatedTest|\[Theory\]|\[TestCase",
        ),
        (Counted::Tests, "ex" | "exs") => (r#"(?m)^\s*test\s+""#, r"\bfor\s+\w+\s*<-"),
        (Counted::Tests, "swift") => (r"(?m)^\s*func\s+test\w*\s*\(|^\s*@Test\b", r"arguments:"),
        (Counted::Tests, "php") => (
            r"(?m)^\s*(?:public\s+)?function\s+test\w*\s*\(|@test\b",
            r"@dataProvider|#\[DataProvider",
        ),
        _ => return None,
    };
    let definition = Regex::new(definition).ok()?;
    let found = definition.find_iter(source).count() as u64;
    if ext == "go" {
        let (subtests, in_loops) = go_subtests(source);
        return Some(Defined {
            found,
            subtests,
            expands: in_loops,
        });
    }
    Some(Defined {
        found,
        subtests: 0,
        expands: Regex::new(expansion).ok()?.is_match(source),
    })
}

/// Go's `t.Run` / `b.Run` calls: (written out one by one, whether any sits in a `for`
/// loop). gofmt'd code opens a block at the end of the line that starts it, so the
/// blocks around a line are followed by counting braces.
fn go_subtests(source: &str) -> (u64, bool) {
    let mut blocks: Vec<bool> = Vec::new();
    let (mut subtests, mut in_loop) = (0u64, false);
    for line in source.lines() {
        let code = line.trim_start();
        if code.starts_with("//") {
            continue;
        }
        if code.contains(".Run(") {
            if blocks.iter().any(|&is_loop| is_loop) {
                in_loop = true;
            } else {
                subtests += 1;
            }
        }
        for c in code.chars() {
            match c {
                '{' => blocks.push(code.starts_with("for ") || code.starts_with("for{")),
                '}' => {
                    blocks.pop();
                }
                _ => {}
            }
        }
    }
    (subtests, in_loop)
}

/// Whether what the file defines agrees with the stated count: `None` when it cannot be
/// told (more stated than defined, in a file that generates cases).
///
/// A file that defines more than stated agrees: status documents record a count when
/// the work was done ("`operators.test.ts` (39 tests)" in Phase 3, 72 by Phase 5) or the
/// count of one part ("8 test assertions for the calendar fetcher" in a file shared
/// with the news fetcher's). Stating more than is there claims tests that do not exist.
pub fn agrees(stated: &StatedCount, defined: Defined) -> Option<bool> {
    if defined.found + defined.subtests >= stated.expected {
        Some(true)
    } else if defined.expands {
        // The file may generate the rest.
        None
    } else {
        Some(false)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(text: &str) -> Option<(u64, bool, Counted)> {
        let counts = stated_counts(text);
        assert!(counts.len() <= 1, "{counts:?}");
        counts.first().map(|c| (c.expected, c.at_least, c.counted))
    }

    /// Lines of vasic-digital/Panoptic's PHASE_5_PROGRESS.md and TESTING_STATUS.md
    /// (commit 86159466): what each says its file holds.
    #[test]
    fn counts_a_status_document_states_for_a_file() {
        assert_eq!(
            one("`internal/ai/errordetector_test.go` (37 tests)"),
            Some((37, false, Counted::Tests))
        );
        assert_eq!(
            one("`internal/executor/executor_test.go` (44 tests - 31 original + 13 Phase 5 improvements) ✅"),
            Some((44, false, Counted::Tests))
        );
        assert_eq!(
            one("`internal/ai/ai_bench_test.go` (+290 lines, 15 benchmarks) - NEW"),
            Some((15, false, Counted::Benchmarks))
        );
        assert_eq!(
            one("15+ benchmark functions for AI operations"),
            Some((15, true, Counted::Benchmarks))
        );
        assert_eq!(one("12 unit tests"), Some((12, false, Counted::Tests)));
    }

    #[test]
    fn changes_and_results_are_no_count_of_the_file() {
        for text in [
            "`internal/executor/executor_test.go` (+392 lines, 13 new tests)",
            "`tests/e2e/panoptic_test.go` (~150 lines modified, 3 tests optimized)",
            "`tests/e2e/panoptic_test.go` (4/4 tests passing) ✅",
            "`tests/e2e/panoptic_test.go` (~150 lines modified across 3 test functions)",
            "Complete `executor_test.go` (31 tests delivered)",
            "added 7 tests",
            "+7 tests",
            "~30 tests",
            "about 30 tests",
            "2 tests failing",
        ] {
            assert_eq!(one(text), None, "{text}");
        }
    }

    #[test]
    fn definitions_per_language() {
        let go = "func TestA(t *testing.T) {}\nfunc TestB(t *testing.T) {}\nfunc helper() {}\nfunc BenchmarkA(b *testing.B) {}\n";
        let two = Defined {
            found: 2,
            ..Defined::default()
        };
        assert_eq!(defined("a_test.go", go, Counted::Tests), Some(two));
        assert_eq!(defined("a_test.go", go, Counted::Benchmarks).map(|d| d.found), Some(1));
        let rs = "#[cfg(test)]\nmod tests {\n    #[test]\n    fn a() {}\n    #[tokio::test]\n    async fn b() {}\n}\n";
        assert_eq!(defined("lib.rs", rs, Counted::Tests), Some(two));
        let py = "import pytest\n\n@pytest.mark.parametrize('x', [1, 2])\ndef test_a(x): ...\nclass T:\n    async def test_b(self): ...\n";
        assert_eq!(
            defined("t.py", py, Counted::Tests),
            Some(Defined { expands: true, ..two })
        );
        let ts = "describe('x', () => {\n  it('a', () => {});\n  test.skip('b', () => {});\n});\n";
        assert_eq!(defined("x.test.ts", ts, Counted::Tests), Some(two));
        assert_eq!(defined("notes.md", "anything", Counted::Tests), None);
        assert_eq!(defined("x.py", "", Counted::Benchmarks), None);
    }

    /// Shaped on Panoptic's tests/integration/panoptic_test.go: named subtests written
    /// out count; those in a table loop could be any number.
    #[test]
    fn go_subtests_written_out_count_and_looped_ones_expand() {
        let written = "func TestA(t *testing.T) {\n\tt.Run(\"one\", func(t *testing.T) {\n\t})\n\tt.Run(\"two\", func(t *testing.T) {})\n}\n";
        let d = defined("a_test.go", written, Counted::Tests);
        assert_eq!(d.map(|d| (d.found, d.subtests, d.expands)), Some((1, 2, false)));
        let table = "func TestA(t *testing.T) {\n\tfor _, tc := range cases {\n\t\tt.Run(tc.name, func(t *testing.T) {})\n\t}\n}\n";
        let d = defined("a_test.go", table, Counted::Tests);
        assert_eq!(d.map(|d| (d.found, d.subtests, d.expands)), Some((1, 0, true)));
        let stated = |expected| StatedCount {
            expected,
            at_least: false,
            counted: Counted::Tests,
        };
        let six_and_five = Defined {
            found: 6,
            subtests: 5,
            expands: false,
        };
        assert_eq!(agrees(&stated(11), six_and_five), Some(true));
        assert_eq!(agrees(&stated(6), six_and_five), Some(true));
        assert_eq!(agrees(&stated(14), six_and_five), Some(false));
    }

    #[test]
    fn generated_cases_leave_a_higher_number_undecided() {
        let stated = |expected, at_least| StatedCount {
            expected,
            at_least,
            counted: Counted::Tests,
        };
        let plain = Defined {
            found: 4,
            ..Defined::default()
        };
        let table = Defined { expands: true, ..plain };
        assert_eq!(agrees(&stated(4, false), plain), Some(true));
        assert_eq!(agrees(&stated(15, true), plain), Some(false));
        assert_eq!(agrees(&stated(3, true), plain), Some(true));
        assert_eq!(agrees(&stated(5, false), plain), Some(false));
        assert_eq!(agrees(&stated(14, false), table), None);
        assert_eq!(agrees(&stated(3, false), table), Some(true));
    }

    /// Lines of 0xpaiDev/Cadence's and mbcrawfo/vibefun's progress logs (dev16): a count
    /// below what the file defines is an earlier state or one part of it; a suite's
    /// result is not the file's; a lower bound on lines is a count of the file.
    #[test]
    fn earlier_counts_parts_and_suite_results_are_no_mismatch() {
        let part = StatedCount {
            expected: 8,
            at_least: false,
            counted: Counted::Tests,
        };
        let whole = Defined {
            found: 18,
            ..Defined::default()
        };
        assert_eq!(agrees(&part, whole), Some(true));
        assert_eq!(
            one("`tests/conftest.py` — Updated fixtures (all 70 tests still pass)"),
            None
        );
        assert_eq!(
            one("— **8 test assertions** for calendar fetcher:"),
            Some((8, false, Counted::Tests))
        );
        assert_eq!(
            one("Learning material: `learning/phase1.md` — 10 topics, 300+ lines"),
            Some((300, true, Counted::Lines))
        );
        assert_eq!(one("`tests/e2e/panoptic_test.go` (~150 lines modified)"), None);
        let lines = defined("notes.md", "a\nb\nc\n", Counted::Lines);
        assert_eq!(lines.map(|d| d.found), Some(3));
    }
}

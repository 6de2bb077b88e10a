//! Deterministic heuristics shared by the session adapters: what task a prompt is and
//! which lines of a command's output name a failure.

use regex::Regex;
use std::sync::LazyLock;

/// Classify a prompt into a coarse task type by keywords (first match wins):
/// bugfix, test, refactor, docs, feature, else general.
/// File names and paths in the prompt are left out: `test.txt` is no test task.
pub fn task_type(prompt: &str) -> &'static str {
    let words: String = prompt
        .split_whitespace()
        .filter(|w| !(w.contains('/') || w.trim_end_matches(['.', ',', ':', ';', '?', '!', ')']).contains('.')))
        .collect::<Vec<_>>()
        .join(" ");
    let prompt = words.as_str();
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

/// Whether a request forbids changing the repository: "Do not make code changes",
/// "don't modify any files", "read-only review", "without changing any code". A clause
/// that limits the ban ("don't change the tests", "do not edit files under vendor/")
/// does not count: only a ban on code, files or changes as a whole.
pub fn forbids_changes(request: &str) -> bool {
    static BAN: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"(?i)\b(?:do not|don't|dont|never|without|no need to)\s+(?:make|making|modify|modifying|change|changing|edit|editing|touch|touching|write|writing)\s+(?:any\s+)?(?:code\s+changes|changes|code|files?|source(?:\s+files)?)\s*(?:[.;!,)\n]|$)|\bread[- ]only\s+(?:review|mode|task|investigation)\b|\bno\s+(?:code\s+)?changes\s*(?:[.;!,)\n]|$)",
        )
        .expect("static regex")
    });
    BAN.is_match(request)
}

/// Whether a request only asks if the work is done ("phase 3 are completed?", "is it
/// working now?", "anything left outstanding from the above?"): a short question ending
/// on a word of completion, or asking what is left.
pub fn asks_if_done(request: &str) -> bool {
    static DONE_QUESTION: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(concat!(
            r"(?i)(?:\b(?:complete[d]?|done|finished|implemented|working|passing|ready)\s*(?:now\s*)?",
            r"\?+\s*$|(?:^|[?.!,;]\s*|\band\s+)(?:is\s+there\s+)?(?:anything|what(?:'s|’s|\s+is|\s+do\s+(?:we|i)\s+have|\s+have\s+(?:we|i)\s+got)?)\s+(?:else\s+)?(?:left|outstanding|remaining|still\s+(?:open|to\s+do|missing))\b[^?]*\?*\s*$)",
        ))
        .expect("static regex")
    });
    request.len() <= 120 && !request.contains('\n') && DONE_QUESTION.is_match(request)
}

/// The sentence of an answer that says part of the work is still open ("not yet",
/// "remaining", "still missing", "TODO"), clipped.
pub fn work_remaining(answer: &str) -> Option<String> {
    static REMAINS: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)\b(?:not yet|remaining|remains|still (?:missing|needs?|to do|open|pending|failing)|outstanding|todo|to-do|not (?:complete|completed|done|finished|implemented)|partially|incomplete|missing)\b")
            .expect("static regex")
    });
    // "Remaining optional work would be …": what is optional is not open.
    sentence_where(answer, |sentence| {
        !sentence.to_ascii_lowercase().contains("optional") && REMAINS.is_match(sentence)
    })
}

/// The first sentence (or line) of `answer` that `holds`, without its list or heading
/// marks, clipped.
fn sentence_where(answer: &str, holds: impl Fn(&str) -> bool) -> Option<String> {
    answer
        .split(['.', '\n'])
        .find(|sentence| holds(sentence))
        .map(|sentence| crate::text::truncate(sentence.trim().trim_start_matches(['*', '#', '-', ' ']), 160))
}

/// The sentence of an answer, after work done for the request, that says the agent left
/// part of it open on purpose: a placeholder kept in what it wrote ("Ratification date
/// remains a TODO pending your input", "`TODO(RATIFICATION_DATE)` … needs the original
/// adoption date"; test45, Codex filling a constitution). Words of open work in general
/// ("no remaining issues", "the missing import") say nothing after work done, so only a
/// placeholder left, or a follow-up the agent says is needed, counts.
pub fn placeholder_left(answer: &str) -> Option<String> {
    static LEFT: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)\b(?:remains?|left|kept|still)\s+(?:as\s+)?(?:an?\s+)?`?(?:TODO|TBD|FIXME|placeholders?)\b|`(?:TODO|FIXME)\([^`]*\)`|\bpending your (?:input|confirmation|decision|answer)\b|\bfollow-?ups? (?:is |are )?(?:needed|required)\b")
            .expect("static regex")
    });
    sentence_where(answer, |sentence| LEFT.is_match(sentence))
}

/// The sentence of an agent's answer that says it cannot do what was asked ("I cannot
/// access the directory outside my workspace", "I can't read your local files", "No
/// puedo acceder"), clipped: not "I can't guarantee", which hedges work done.
pub fn declined(answer: &str) -> Option<String> {
    static CANNOT: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)\b(?:I|we)\s*(?:cannot|can't|can’t|can not|am unable to|'m unable to|am not able to|'m not able to|do not have (?:access|permission)|don't have (?:access|permission)|don’t have (?:access|permission))\s*(?:to\s+)?(?:directly\s+)?(?:access|read|open|reach|see|view|execute|run|perform|complete|find|modify|write|create|move|browse|connect|do (?:this|that|it)|(?:assist|help)(?:\s+you)?\s+with\s+(?:this|that)(?:\s+request)?)\b|\bhaven't been able to access\b|\bI can only access files\b|\btidak (?:dapat|bisa) (?:mengakses|membaca|menjalankan)\b|\btidak memiliki akses\b|\bno\s+(?:puedo|tengo acceso)\b|\bnão\s+(?:consigo|posso|tenho acesso)\b|\bje ne peux pas\b")
            .expect("static regex")
    });
    let found = CANNOT.find(answer)?;
    let start = answer[..found.start()]
        .rfind(['.', '\n', '!', '?'])
        .map_or(0, |at| at + 1);
    Some(crate::text::truncate(answer[start..].trim(), 160))
}

/// Whether a user message opens a session rather than asks for work: a greeting, a
/// warm-up, a harness's own command echo (`<command-name>/clear</command-name>`).
pub fn is_opener(text: &str) -> bool {
    const OPENERS: &[&str] = &[
        "hi",
        "hello",
        "hey",
        "warmup",
        "warm up",
        "show tools",
        "continue",
        "go",
        "go on",
        "yes",
        "ok",
        "okay",
        "thanks",
        "resume",
        "test",
        // Typed to start over, after the work was shipped (dev48, Codex).
        "new",
    ];
    let t = text.trim();
    let lower = t.trim_end_matches(['.', '!', '?']).to_lowercase();
    OPENERS.contains(&lower.as_str())
        || is_quit(t)
        || is_acknowledgement(t)
        || t.starts_with("<command-")
        || t.starts_with("<local-command")
        || t.starts_with("Caveat: The messages below were generated by the user")
        || (t.starts_with('/') && !t.contains(char::is_whitespace))
}

/// Whether a user message is a word typed to leave, into the chat ("q" after the last
/// task, test29; "exit", whose turn the user then stopped, dev47): it asks for nothing.
pub fn is_quit(text: &str) -> bool {
    const QUIT: &[&str] = &["q", ":q", "quit", "exit", "bye", "/exit", "/quit"];
    QUIT.contains(&text.trim().trim_end_matches(['.', '!']).to_lowercase().as_str())
}

/// Whether a short message only thanks or approves ("looks great, thanks!", "perfect"):
/// it asks for nothing, so the request before it is still the last one.
fn is_acknowledgement(text: &str) -> bool {
    static THANKS: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)^\W*(?:(?:ok(?:ay)?|great|perfect|awesome|nice|cool|excellent|thanks|thank you|thx|ty|lgtm|looks (?:good|great|fine)(?: to me)?|works(?: now)?|that works|good job|well done|amazing|brilliant)\b[\s,.!]*)+(?:thanks|thank you)?[\s,.!]*$")
            .expect("static regex")
    });
    // "ok im all good how are you doing ?": a closing word and small talk ask for
    // nothing either (dev15, a Claude Code session ended with it, then /exit).
    static SMALL_TALK: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)\b(?:ok(?:ay)?|thanks|thank you|great|cool|nice|(?:i'?m|im|i am|we'?re|we are)\s+(?:all\s+)?(?:good|set|done|fine|ok)|all (?:good|set|done)|(?:no(?:pe)?,?\s+)?that'?s (?:all|it)(?: for (?:now|today))?|nothing else|bye|goodbye|see (?:you|ya)(?: later)?|good ?night|cheers|how are you(?: doing)?(?: today)?|how'?s it going|have a (?:good|nice) (?:day|night|one))\b")
            .expect("static regex")
    });
    // "好 感謝您", "ありがとうございます", "merci !": thanks in other languages.
    const THANKS_ELSEWHERE: &[&str] = &[
        "ありがとうございます",
        "ありがとう",
        "感謝您",
        "感谢您",
        "謝謝",
        "谢谢",
        "感謝",
        "感谢",
        "多謝",
        "好的",
        "好",
        "了解",
        "감사합니다",
        "고마워요",
        "고마워",
        "좋아요",
        "merci beaucoup",
        "merci",
        "danke schön",
        "danke",
        "vielen dank",
        "muchas gracias",
        "gracias",
        "obrigado",
        "obrigada",
        "grazie",
        "спасибо",
        "dziękuję",
    ];
    let lower = text.to_lowercase();
    let mut rest = lower.clone();
    for word in THANKS_ELSEWHERE {
        rest = rest.replace(word, " ");
    }
    if text.chars().count() <= 24 && rest != lower && rest.chars().all(|c| !c.is_alphanumeric()) {
        return true;
    }
    let words = text.split_whitespace().count();
    words <= 6 && THANKS.is_match(text)
        || words <= 12 && SMALL_TALK.replace_all(text, "").chars().all(|c| !c.is_alphanumeric())
}

/// A stable task id for a prompt: runs given the same request compare as one task.
/// `task-` + the first 12 hex of SHA-256 over the lowercased, whitespace-collapsed prompt.
pub fn task_id(prompt: &str) -> String {
    let normalized = prompt.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase();
    format!("task-{}", &crate::schema::sha256_hex(normalized.as_bytes())[..12])
}

/// Whether a test command's output says it ran no test at all: unittest's "Ran 0 tests"
/// / "NO TESTS RAN", pytest's "collected 0 items" / "no tests ran", Jest's "No tests
/// found", Vitest's "No test files found", bats' "Executed 0 instead of expected N tests",
/// Go's `?   pkg [no test files]` (judged only when no package ran a test).
pub fn ran_no_tests(output: &str) -> bool {
    static NONE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?m)^\s*(?:NO TESTS RAN\b|Ran 0 tests in\b|collected 0 items\b|=+ no tests ran\b|No tests found\b|No test files found\b|(?:# bats warning: )?Executed 0 instead of expected \d+ tests\b|\?\s+\S+\s+\[no test files\])")
            .expect("static regex")
    });
    NONE.is_match(output)
}

/// Whether the log keeps only a preview of the output: Claude Code saves a large result
/// to a file and hands over its first 2 KB (`<persisted-output>` … "Output too large").
/// That no failure shows in a preview says nothing of the rest.
pub fn only_a_preview(output: &str) -> bool {
    output.trim_start().starts_with("<persisted-output>") && output.contains("Output too large")
}

/// Whether a check failed on its environment, not on the work: an API's rate limit, a
/// host name that did not resolve, a connection refused, an MSBuild run canceled under
/// it ("… because the build was canceled", 0 errors; dev44). (dev26: `next build`
/// stopped prerendering at "API rate limit exceeded" while fetching data from GitHub.)
pub fn environment_failure(output: &str) -> bool {
    static ENVIRONMENT: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)\bAPI rate limit exceeded\b|\b(?:ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET)\b|getaddrinfo \w+|Could not resolve host|Temporary failure in name resolution|Network is unreachable|\bthe build was canceled\b")
            .expect("static regex")
    });
    ENVIRONMENT.is_match(output)
}

/// Whether a check never started because its program is not installed: the shell's
/// "pytest: command not found", Python's "/usr/bin/python3: No module named pytest" for
/// `python3 -m pytest`, Windows' "is not recognized as an internal or external command"
/// (dev46: three tries at pytest on a machine without it). Not a test's own import
/// error (`ModuleNotFoundError: No module named 'app'`), which is a failure of the work.
pub fn tool_missing(output: &str) -> bool {
    static MISSING: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?m)^(?:\S*/)?(?:ba|z|da|k)?sh: (?:line \d+: |\d+: )?[\w.+-]+: (?:command )?not found\s*$|^zsh: command not found: \S+\s*$|^\S*python[\d.]*(?:\.exe)?: No module named [\w.]+\s*$|is not recognized as (?:an internal or external command|the name of a cmdlet)")
            .expect("static regex")
    });
    MISSING.is_match(output)
}

/// Whether a build's or a checker's output ends on its own word of success: Vite's
/// "✓ built in 89ms", Next's "✓ Compiled successfully", Cargo's "Finished `dev`
/// profile", Gradle's "BUILD SUCCESSFUL", .NET's "Build succeeded", mypy's "Success: no
/// issues found", Ruff's "All checks passed!". Where the log keeps a command's output
/// but not its status (Codex's code mode prints only `r.output`), this is what says it
/// passed.
pub fn check_succeeded(output: &str) -> bool {
    static DONE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?m)^\s*(?:✓ built in [\d.]+m?s|✓ Compiled successfully\b|Compiled successfully\b|webpack [\d.]+ compiled successfully|Finished `[\w-]+` profile\b|BUILD SUCCESSFUL\b|Build succeeded\.|Success: no issues found\b|All checks passed!)")
            .expect("static regex")
    });
    let Some(last) = DONE.find_iter(output).last() else {
        return false;
    };
    // What follows the word of success is another command's (`&& npm audit`).
    failure_markers(&output[..last.end()]).is_empty()
}

/// The first line of a formatter's report that files would change: rustfmt's `Diff in
/// src/a.rs:43:`, Black's and Ruff's `would reformat x.py`, Prettier's `[warn] Code style
/// issues found`.
pub fn format_diff(output: &str) -> Option<String> {
    static DIFF: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?m)^(?:Diff in \S+:\d+:|would reformat \S+|\d+ files? would be reformatted\b[^\n]*|\[warn\] Code style issues found[^\n]*)")
            .expect("static regex")
    });
    DIFF.find(output).map(|m| m.as_str().to_owned())
}

/// Lines of output that name a failure (compiler errors, panics, failed tests), at most five.
pub fn failure_markers(output: &str) -> Vec<String> {
    static RE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)(error\[E\d{4}\][^\n]*|^error:[^\n]*|panicked at[^\n]*|^FAILED[^\n]*|\bAssertionError[^\n]*|Traceback \(most recent call last\)|npm ERR![^\n]*|\bTS\d{4,5}:[^\n]*|--- FAIL:[^\n]*|Module not found[^\n]*|^Failed to compile[^\n]*|^Build failed[^\n]*|^ERROR in [^\n]*|^SyntaxError[^\n]*|^\[vite\][^\n]*error[^\n]*|^✘ \[ERROR\][^\n]*|(?-i:^FAIL\s[^\n]*)|make(?:\[\d+\])?: \*\*\*[^\n]*Error \d+)")
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

    /// test45 (a Codex session filling a spec-kit constitution): the agent kept a
    /// placeholder in what it wrote and said a follow-up is needed. Words of open work
    /// about other things are no placeholder left.
    #[test]
    fn a_placeholder_the_agent_left_is_open_work() {
        let answer = "Version set to `0.1.0`. Ratification date remains a TODO pending your input.\n\n\
                      **Follow-up Needed**\n- `TODO(RATIFICATION_DATE)` in `.specify/memory/constitution.md` needs the date.";
        assert_eq!(
            placeholder_left(answer).as_deref(),
            Some("Ratification date remains a TODO pending your input")
        );
        assert!(placeholder_left("- `TODO(DATE)` in `a.md` needs the date").is_some());
        assert!(placeholder_left("**Follow-up needed**: rotate the key").is_some());
        for done in [
            "Fixed the missing import; no remaining issues.",
            "Removed every TODO from the parser and replaced the placeholder text.",
            "All 12 tests pass. Next steps, if you want: add caching.",
        ] {
            assert_eq!(placeholder_left(done), None, "{done}");
        }
    }

    #[test]
    fn a_check_whose_program_is_missing_never_ran() {
        // dev46 (Ogekuri/G, Codex): pytest, python and the pytest module all missing.
        assert!(tool_missing("/bin/bash: line 1: pytest: command not found\n"));
        assert!(tool_missing("/usr/bin/python3: No module named pytest\n"));
        assert!(tool_missing("zsh: command not found: vitest\n"));
        assert!(tool_missing(
            "'npm' is not recognized as an internal or external command,\n"
        ));
        assert!(!tool_missing("E   ModuleNotFoundError: No module named 'app'\n"));
        assert!(!tool_missing("FAILED tests/test_x.py::test_a - assert 1 == 2\n"));
    }

    /// dev42 (Andregit93/kasir-kite-app, Aider in Indonesian), test29 (shaggy0397/Deimon,
    /// Gemini CLI): answers that give the request up; a hedge is no refusal.
    #[test]
    fn answers_that_say_the_agent_cannot_do_the_request() {
        let aider = "Namun, sebagai model AI, saya tidak memiliki akses langsung ke sistem file lokal Anda.";
        assert!(declined(aider).is_some());
        let gemini =
            "I've realized there's a misunderstanding. I can only access files and directories within my workspace.";
        assert_eq!(
            declined(gemini).as_deref(),
            Some("I can only access files and directories within my workspace.")
        );
        assert!(declined("I cannot access the directory outside my workspace.").is_some());
        // dev46 (a Codex run asked for a spec with an empty description): a refusal.
        assert!(declined("I’m sorry, but I can’t assist with that.").is_some());
        assert!(declined("Sorry, I can't help with this request.").is_some());
        assert!(declined("I can help with that: the fix is in place.").is_none());
        assert!(declined("Done. I can't guarantee the API keeps this shape.").is_none());
        assert!(declined("All 12 tests pass.").is_none());
    }

    /// dev42 (Agencia-Vibe-Code/new_template, Codex): "phase 3 are completed?" asks if
    /// the work is done; an answer that lists what remains says it is not.
    #[test]
    fn a_question_whether_the_work_is_done() {
        assert!(asks_if_done("phase 3 are completed?"));
        assert!(asks_if_done("Is it working now?"));
        assert!(!asks_if_done("how do I restart the server?"));
        // dev31 (Duality Pole Studio, Claude Code).
        assert!(asks_if_done("anything left outstanding from the above?"));
        assert!(asks_if_done("What's left?"));
        assert!(!asks_if_done("what is the left panel for?"));
        // dev47 (ivanma9/ship, Codex): asked at the end of a long run, no question mark.
        assert!(asks_if_done("overall statisitcs? and what do we have left"));
        assert_eq!(
            work_remaining("Here's what's outstanding:\n\n**Not yet implemented:**\n\n1. Admin flag").as_deref(),
            Some("Here's what's outstanding:")
        );
        assert!(work_remaining("Phase 3 is not complete: two migrations remain.").is_some());
        assert!(work_remaining(
            "Yes, Fase 3 is implemented and passing its tests. Remaining optional work would be more edge-case tests."
        )
        .is_none());
    }

    /// test29 (Nicksakaraw/damini-ai, Gemini CLI): "q" typed to leave is no request.
    #[test]
    fn words_typed_to_leave_are_no_request() {
        for leave in ["q", "quit", "exit", ":q"] {
            assert!(is_opener(leave), "{leave}");
        }
        assert!(!is_opener("quit the server and restart it"));
    }

    #[test]
    fn a_request_that_forbids_changes() {
        // dev5 and dev6 (entireio/entire-sem): Codex review runs the readers sent to a person.
        assert!(forbids_changes(
            "Review the current branch changes and report actionable findings. Prioritize correctness. Do not make code changes.\n\nScope: …"
        ));
        for yes in [
            "Investigate why the build is slow, don't modify any files.",
            "Explain the retry logic without changing any code",
            "Do a read-only review of src/auth",
            "Just look, no changes.",
        ] {
            assert!(forbids_changes(yes), "{yes}");
        }
        for no in [
            "Fix the parser but don't change the tests",
            "Do not edit files under vendor/ and fix the build",
            "Rename the field without changing the API",
            "Make the code changes we discussed",
            "no changes to the public interface, refactor the internals",
        ] {
            assert!(!forbids_changes(no), "{no}");
        }
    }

    #[test]
    fn classifies_and_parses() {
        assert_eq!(task_type("Fix the login crash"), "bugfix");
        assert_eq!(task_type("Implement rate limiting"), "feature");
        assert_eq!(task_type("hello"), "general");
        assert_eq!(
            task_type("Summarize notes in test.txt and docs/tests/plan.md"),
            "general"
        );
        assert!(is_opener("Warmup") && is_opener("<command-name>/clear</command-name>") && is_opener("/init"));
        // dev48 (lewislpz/CartApp): "new" after the shipped work asks for nothing yet.
        assert!(is_opener("new") && !is_opener("new endpoint for users"));
        assert!(!is_opener("Fix the login crash"));
        for thanks in [
            "Looks great, thanks!",
            "perfect",
            "Thank you!",
            "ok great",
            "LGTM",
            "ok im all good how are you doing ?",
            "no that's all, bye!",
            // dev29 (a firmware session in Chinese): "OK, thank you".
            "好 感謝您",
            "ありがとうございます！",
            "merci !",
        ] {
            assert!(is_opener(thanks), "{thanks}");
        }
        for asks in [
            "great, now add tests",
            "thanks. how do I restart?",
            "perfect, commit it",
            "ok now deploy it",
            "no, use the other endpoint",
            "no",
            "好，提交並推送",
            "merci, maintenant ajoute des tests",
        ] {
            assert!(!is_opener(asks), "{asks}");
        }
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
        // dev28 (a Next.js app): TypeScript's codes run to five digits.
        assert_eq!(
            failure_markers(
                "src/app/api/dashboard/route.ts(127,22): error TS18048: 'cachedData.meta' is possibly 'undefined'."
            ),
            vec!["TS18048: 'cachedData.meta' is possibly 'undefined'."]
        );
    }
}

use super::*;

fn tools(events: &[Event]) -> Vec<&Shown> {
    events
        .iter()
        .filter_map(|e| match e {
            Event::Tool(shown) => Some(shown),
            _ => None,
        })
        .collect()
}

fn fixture(name: &str) -> String {
    let path = format!("{}/fixtures/sessions/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn each_dialect_is_told_by_its_marks_and_json_is_neither() {
    assert_eq!(dialect(&fixture("claude-export.txt")), Some(Dialect::ClaudeCode));
    assert_eq!(dialect(&fixture("gemini-screen.md")), Some(Dialect::Gemini));
    assert_eq!(dialect(r#"{"type":"user","message":{"content":"⏺ x\n  ⎿ y"}}"#), None);
    assert_eq!(dialect("# Notes\n\n> a quote\n\nplain text"), None);
    // dev12 (mrmps/freescrape): a request of 2,400 pasted lines; the banner tells.
    let pasted =
        "\n╭─── Claude Code v2.1.6 ───╮\n│  Opus 4.5 · Claude Max  │\n╰─────╯\n\n❯ cd ..\n  mkdir mintlify\n  ls\n";
    assert_eq!(dialect(pasted), Some(Dialect::ClaudeCode));
    assert_eq!(dialect("Claude Code v2.1.6 release notes\n\n- faster"), None);
}

/// The shapes of a public `/export` (leegmoore/codex `.convo-history/`): a request
/// wrapped at the left edge, a failing command with its exit code, an edit, the same
/// command passing, and a command the user interrupted.
#[test]
fn a_claude_code_export_reads_as_requests_answers_and_calls() {
    let events = claude_events(&fixture("claude-export.txt"));
    let Event::User(request) = &events[0] else {
        panic!("{events:#?}")
    };
    assert!(request.ends_with("make sure the tests\npass"), "{request}");
    let calls = tools(&events);
    let summary: Vec<(&str, Option<&str>, &Status)> = calls
        .iter()
        .map(|c| (c.name.as_str(), c.command.as_deref(), &c.status))
        .collect();
    assert_eq!(
        summary,
        [
            ("Read", None, &Status::Passed),
            (
                "Bash",
                Some("npm test -- cart 2>&1 | tail -20"),
                &Status::Failed(Some(1))
            ),
            ("Edit", None, &Status::Passed),
            ("Bash", Some("npm test -- cart 2>&1 | tail -20"), &Status::Passed),
            ("Bash", Some("rm -rf node_modules/.cache"), &Status::NotRun),
        ]
    );
    assert_eq!(calls[2].files, ["src/cart.ts"]);
    assert!(calls[2].changes);
    assert!(calls[1].output.contains("FAIL src/cart.test.ts"), "{}", calls[1].output);
    assert!(matches!(events.last(), Some(Event::Assistant(a)) if a.starts_with("Fixed:")));
}

/// Real lines from public exports: arguments wrapped onto lines six spaces in, a call
/// cancelled beside a failing one, an interrupted request, an MCP tool and a to-do list.
#[test]
fn claude_code_screen_details() {
    let text = "● Bash(file a.png b.png\n      c.png d…)\n  ⎿  Error: Exit code 1\n     a.png: PNG image data\n\n\
                ● Bash(python3 -c \"\n      import struct…)\n  ⎿  Cancelled: parallel tool call Bash(file a.png…) errored\n\n\
                ❯ the tables are being categorised wrongly\n  ⎿  Interrupted · What should Claude do instead?\n\n\
                ❯ retrain it\n\n\
                ● context7 - resolve-library-id (MCP)(libraryName: \"vitest\")\n  ⎿  Available Libraries: …\n\n\
                ● Update Todos\n  ⎿  ☒ Retrain\n     ☐ Report\n\n\
                ● Update(PORT-PHASES/README.md)\n  ⎿  File must be read first\n";
    let events = claude_events(text);
    let calls = tools(&events);
    assert_eq!(calls[0].command.as_deref(), Some("file a.png b.png\nc.png d…"));
    assert_eq!(calls[0].status, Status::Failed(Some(1)));
    assert_eq!(calls[1].status, Status::NotRun);
    assert!(events.contains(&Event::Interrupted), "{events:#?}");
    assert_eq!(calls[2].name, "context7 - resolve-library-id");
    assert_eq!(calls[3].name, "TodoWrite");
    assert_eq!(calls[4].name, "Edit");
    assert_eq!(calls[4].status, Status::Failed(None), "an edit refused before reading");
    assert!(matches!(&events[2], Event::User(u) if u == "the tables are being categorised wrongly"));
    // dev12 (bionicbutterfly13/dionysus3-core): the context ran out and `/compact` failed.
    let events = claude_events(
        "> /compact \n  ⎿  Error: Error during compaction: Error: Conversation too long. Press esc twice to go up a few messages and try again.\n",
    );
    assert!(
        matches!(events.as_slice(), [Event::User(_), Event::HarnessError(e)] if e.contains("Conversation too long")),
        "{events:?}"
    );
}

/// Prose that happens to hold parentheses is an answer, not a call: no result follows.
#[test]
fn an_answer_with_parentheses_is_not_a_call() {
    let events = claude_events("⏺ Done(ish) — the rest is for tomorrow.\n  More text.\n\n> ok\n");
    assert!(tools(&events).is_empty(), "{events:#?}");
    assert!(matches!(&events[0], Event::Assistant(a) if a.contains("More text.")));
}

/// dev9 (coretext, Gemini CLI screens): a ✓ shell row whose pytest failed, a failed edit
/// (x, its arguments as JSON), an unboxed edit row, and the same test passing.
#[test]
fn a_gemini_screen_reads_rows_and_their_output() {
    let events = gemini_events(&fixture("gemini-screen.md"));
    assert!(matches!(&events[0], Event::User(u) if u.starts_with("add an mcpServers section")));
    let calls = tools(&events);
    let summary: Vec<(&str, &Status)> = calls.iter().map(|c| (c.name.as_str(), &c.status)).collect();
    assert_eq!(
        summary,
        [
            ("write_file", &Status::Passed),
            ("run_shell_command", &Status::Ran),
            ("replace", &Status::Failed(None)),
            ("replace", &Status::Passed),
            ("run_shell_command", &Status::Ran),
        ]
    );
    assert_eq!(calls[0].files, ["tests/test_extension.py"]);
    assert_eq!(calls[1].command.as_deref(), Some("pytest tests/test_extension.py"));
    assert!(calls[1].output.contains("1 failed in 0.09s"), "{}", calls[1].output);
    assert!(calls[2].files.is_empty(), "a path cut at the box's edge is no path");
    assert_eq!(calls[3].files, ["extension.yaml"]);
    assert!(calls[3].output.contains("20 + mcpServers:"), "{}", calls[3].output);
    assert_eq!(
        banner_model(&fixture("gemini-screen.md"), Dialect::Gemini).as_deref(),
        Some("gemini-2.5-pro")
    );
}

#[test]
fn the_banner_names_the_directory_and_the_model() {
    assert_eq!(
        banner_cwd(&fixture("claude-export.txt"), Dialect::ClaudeCode).as_deref(),
        Some("/home/dev/shop")
    );
    let newer =
        " ▐▛███▜▌   Claude Code v2.0.50\n▝▜█████▛▘  Sonnet 4.5 · Claude Pro\n  ▘▘ ▝▝    /Users/a/proj\n\n> hi\n";
    assert_eq!(banner_cwd(newer, Dialect::ClaudeCode).as_deref(), Some("/Users/a/proj"));
    assert_eq!(
        banner_model(newer, Dialect::ClaudeCode).as_deref(),
        Some("claude-sonnet-4-5")
    );
    assert_eq!(
        banner_cwd(
            "│ ✓  Shell ls [current working directory /Users/mac/Git/coretext]",
            Dialect::Gemini
        )
        .as_deref(),
        Some("/Users/mac/Git/coretext")
    );
}

/// dev9 (coretext): `bash: python: command not found` under a ✓ row; and a row with no
/// output, which Gemini CLI would have marked `Command exited with code: N` had it failed.
#[test]
fn a_gemini_shell_row_without_an_exit_code_is_read_from_what_it_printed() {
    let run = |output: &str| {
        let mut session = Session::default();
        session.user_text("check the syntax");
        let shown = gemini_call('✓', "run_shell_command", "python -m compileall src/", output);
        feed(&mut session, Event::Tool(shown), "t1");
        let mut outcome = crate::collect::FileOutcome::default();
        session.finish_into(&mut outcome, "s.md");
        outcome.runs.remove(0).commands_run.remove(0).exit_code
    };
    assert_eq!(run("bash: python: command not found"), Some(127));
    assert_eq!(run(""), Some(0));
    assert_eq!(run("Listing 'src/'..."), None);
}

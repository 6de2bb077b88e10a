//! What a tool call may change in the work tree. A run whose every call is known to
//! leave files alone changed nothing: a review or an investigation, whose passing tests
//! are not work of its own to accept.
//!
//! Conservative by design: a command or tool not known to be read-only counts as one
//! that may write, so "changed nothing" is only ever said when the log shows it.

use super::Catalogue;
use super::validation::{program_words, segments};

/// Tools that read, search or plan, by the names the agents give them (Claude Code,
/// Codex, Gemini CLI, OpenCode, Aider).
const READ_ONLY_TOOLS: &[&str] = &[
    // Claude Code
    "Read",
    "Grep",
    "Glob",
    "LS",
    "WebFetch",
    "WebSearch",
    "TodoWrite",
    "TodoRead",
    "ExitPlanMode",
    "BashOutput",
    // Codex
    "update_plan",
    "view_image",
    "web_search",
    "write_stdin",
    "list_mcp_resources",
    "read_mcp_resource",
    // Gemini CLI
    "read_file",
    "read_many_files",
    "list_directory",
    "search_file_content",
    "web_fetch",
    "google_web_search",
    // OpenCode
    "read",
    "list",
    "glob",
    "grep",
    "webfetch",
    "todowrite",
    "todoread",
    // Aider: its lint runs and its own commits change no file.
    "lint",
    "commit",
];

/// Programs that only read and print (their output redirected nowhere).
const READERS: &[&str] = &[
    "cat",
    "head",
    "tail",
    "less",
    "more",
    "ls",
    "tree",
    "rg",
    "grep",
    "egrep",
    "fgrep",
    "ag",
    "ack",
    "fd",
    "wc",
    "nl",
    "pwd",
    "echo",
    "printf",
    "which",
    "type",
    "file",
    "stat",
    "du",
    "df",
    "diff",
    "cmp",
    "sort",
    "uniq",
    "cut",
    "tr",
    "column",
    "jq",
    "yq",
    "awk",
    "date",
    "whoami",
    "uname",
    "hostname",
    "id",
    "printenv",
    "true",
    "false",
    "test",
    "[",
    "sleep",
    "ps",
    "lsof",
    "basename",
    "dirname",
    "realpath",
    "readlink",
    "sha256sum",
    "shasum",
    "md5sum",
    "xxd",
    "hexdump",
    "od",
    "strings",
    "bat",
    "eza",
    "exa",
    "cd",
];

/// Git subcommands that leave the work tree and the index alone.
const GIT_READERS: &[&str] = &[
    "status",
    "diff",
    "log",
    "show",
    "ls-files",
    "ls-tree",
    "rev-parse",
    "blame",
    "grep",
    "describe",
    "fetch",
    "shortlog",
    "reflog",
    "cat-file",
    "rev-list",
    "merge-base",
    "show-ref",
    "for-each-ref",
    "name-rev",
    "check-ignore",
    "count-objects",
    "remote",
    "help",
    "version",
];

/// Whether a call of tool `name` (running `command`, when it is a shell) may have
/// changed files other than those the adapter saw it edit; `checks` tells validations.
pub fn may_write(name: &str, command: Option<&str>, checks: &Catalogue) -> bool {
    match command {
        Some(command) => command_may_write(command, checks),
        None => !READ_ONLY_TOOLS.contains(&name),
    }
}

/// Whether a shell command may write a file: output redirected to one, or a program
/// not known to only read. Checks (tests, lints, builds) write no source file unless
/// told to fix or format it.
pub fn command_may_write(command: &str, checks: &Catalogue) -> bool {
    // Every simple command counts, a pipeline's filters too (`| tee out.txt`).
    redirects_to_file(command) || segments(command).iter().any(|s| piece_may_write(&s.text, checks))
}

fn piece_may_write(piece: &str, checks: &Catalogue) -> bool {
    let words = program_words(piece);
    let Some(program) = words.first() else {
        return false;
    };
    let has = |flags: &[&str]| words.iter().any(|w| flags.contains(&w.as_str()));
    let program = program.rsplit('/').next().unwrap_or(program);
    match program {
        "sed" | "perl" => words
            .iter()
            .any(|w| w.starts_with("-i") || w == "-pi" || w == "--in-place"),
        "tee" => words[1..].iter().any(|w| !w.starts_with('-') && w != "/dev/null"),
        "find" => has(&["-delete", "-exec", "-execdir", "-ok", "-fprint"]),
        "git" => !git_reads(&words[1..]),
        "curl" => has(&["-o", "-O", "--output", "--remote-name"]),
        _ if READERS.contains(&program) => false,
        _ => has(&["--fix", "--write", "-w", "--fix-only", "--unsafe-fixes"]) || checks.recognize(piece).is_empty(),
    }
}

/// Whether git `args` (after `git`) only read.
fn git_reads(args: &[String]) -> bool {
    let mut args = args.iter().map(String::as_str).skip_while(|a| a.starts_with('-'));
    let Some(sub) = args.next() else {
        return true;
    };
    let rest: Vec<&str> = args.collect();
    match sub {
        "branch" | "tag" | "stash" | "worktree" => {
            let listing = [
                "--list",
                "-l",
                "--show-current",
                "-a",
                "-r",
                "-v",
                "-vv",
                "--all",
                "list",
                "show",
            ];
            rest.is_empty()
                || rest
                    .iter()
                    .all(|a| listing.contains(a) || (a.starts_with("--") && !a.contains("delete")))
        }
        "config" => rest
            .iter()
            .any(|a| matches!(*a, "--get" | "--list" | "-l" | "--get-all")),
        _ => GIT_READERS.contains(&sub),
    }
}

/// Whether `command` redirects output to a file (`> f`, `>> f`), not to a stream or
/// `/dev/null` (`| tee f` is judged as a command).
fn redirects_to_file(command: &str) -> bool {
    let bytes = command.as_bytes();
    for (i, _) in command.match_indices('>') {
        let after = command[i + 1..].trim_start_matches('>').trim_start();
        let to_stream = after.starts_with('&') || after.starts_with("/dev/null") || after.starts_with("/dev/std");
        // `2>&1`, `>&2`: a stream; `->` and `=>` inside words (arrows in code) are not redirects.
        let in_word = i > 0 && matches!(bytes[i - 1], b'-' | b'=');
        if !to_stream && !in_word {
            return true;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reading_and_checking_write_nothing() {
        for command in [
            "git status --short --branch",
            "git diff -- src/provider.ts",
            "git log --oneline -5 | head",
            "sed -n '1,220p' src/lib.rs",
            "rg --files -g 'SKILL.md' | sort",
            "cd packages/worker && npm test",
            "npm --workspace packages/worker test 2>&1 | tail -20",
            "go test ./internal/planner",
            "cargo clippy -- -D warnings 2>/dev/null",
            "find . -maxdepth 3 -type d -name '.codex'",
            "git branch --show-current",
            "cat README.md",
            r#"rg --files | rg "RepositoriesPage|navigation\.ts|cache\.ts""#,
            "go mod tidy -diff",
        ] {
            assert!(!command_may_write(command, &Catalogue::default()), "{command}");
        }
    }

    #[test]
    fn editing_moving_fixing_or_unknown_programs_may_write() {
        for command in [
            "sed -i 's/a/b/' src/lib.rs",
            "cat > src/new.rs <<'EOF'\nfn main() {}\nEOF",
            "echo done >> notes.md",
            "git checkout main",
            "git pull --ff-only",
            "git apply fix.patch",
            "rm -rf build",
            "mv a.rs b.rs",
            "npx eslint --fix src",
            "python scripts/migrate.py",
            "cargo fmt",
            "npm install left-pad",
            "grep foo a.txt | tee out.txt",
            "find . -name '*.orig' -delete",
            "git branch -D old",
        ] {
            assert!(command_may_write(command, &Catalogue::default()), "{command}");
        }
    }

    #[test]
    fn tools_are_judged_by_name_when_they_run_no_command() {
        let checks = Catalogue::default();
        assert!(!may_write("Read", None, &checks));
        assert!(!may_write("update_plan", None, &checks));
        assert!(may_write("Task", None, &checks), "a subagent may edit");
        assert!(may_write("mcp.github.create_file", None, &checks));
        assert!(!may_write("shell", Some("git status"), &checks));
        assert!(may_write("shell", Some("git commit -am wip && git push"), &checks));
    }
}

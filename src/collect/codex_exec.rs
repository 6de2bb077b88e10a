//! `codex exec` transcripts: what Codex CLI prints when it runs without `--json`. Agent
//! loops (Ralph and the like) tee it into `logs/loop_N.log` and commit it; it is the
//! only record of those runs. The `codex` adapter reads it.
//!
//! ```text
//! OpenAI Codex v0.77.0 (research preview)
//! --------
//! workdir: /Users/me/project                 the banner: working directory, model
//! model: gpt-5.2-codex
//! --------
//! user                                       a section: its name alone on a line
//! the request
//! exec
//! /bin/zsh -lc 'npm test' in /Users/me/project exited 1 in 830ms:
//! … the command's output …
//! file update
//! M /Users/me/project/js/app.js              the files a patch touches, then its diff
//! apply_patch(auto_approved=true) exited 0 in 32ms:
//! codex
//! the answer
//! tokens used
//! 49,619
//! ```
//! Versions before 0.50 put `[2025-08-06T18:12:34] ` before each section name and the
//! command on the `exec` line itself; both are read. A command's status line ends
//! `succeeded in <time>:` (exit 0) or `exited N in <time>:`.

use super::session::{ExitStatus, Session};
use super::{RunDraft, SourceSpec};
use regex::Regex;
use std::sync::LazyLock;

/// A command's closing line: `<command> in <dir> succeeded in 28ms:` or `… exited 1 in
/// 44ms:` (the command may be the tail of a multi-line script, or absent).
static STATUS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(.*?)\s*(?:\bsucceeded|\bexited (-?\d+)) in [0-9][0-9.]*\s?(?:ms|s|m)(?: [0-9.]+s)?:$")
        .expect("static regex")
});

/// The timestamp older versions put before each section name.
static STAMP: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\[\d{4}-\d\d-\d\dT[0-9:.]+Z?\]\s?").expect("static regex"));

/// A patch's closing line, old and new: `apply_patch(auto_approved=true) exited 0 in 3ms:`.
static PATCH_STATUS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^apply_patch\([^)]*\) exited (-?\d+) in ").expect("static regex"));

/// Whether `head` (a file's start) is a `codex exec` transcript.
pub(super) fn is_transcript(head: &str) -> bool {
    let lines = || head.lines().map(unstamped);
    let banner =
        lines().take(3).any(|l| l.starts_with("OpenAI Codex v")) && lines().any(|l| l.starts_with("workdir: "));
    banner || (lines().any(|l| l == "codex" || l == "exec") && lines().any(|l| STATUS.is_match(l)))
}

/// A line without the timestamp older versions put before it.
fn unstamped(line: &str) -> &str {
    STAMP.find(line).map_or(line, |m| &line[m.end()..])
}

/// What is being read.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Section {
    /// Before the first section (the banner).
    Banner,
    User,
    Answer,
    /// Reasoning, token counts, the turn's whole diff, MCP start-up: not read.
    Skipped,
    /// A command, until its status line.
    Command,
    /// A command's output.
    Output,
    /// The files of a patch, until its status line.
    Patch,
}

/// The run a transcript holds.
pub(super) fn parse(spec: &SourceSpec, display: &str, text: &str) -> Vec<RunDraft> {
    let mut reader = Reader {
        session: Session::new(spec.checks.clone()),
        section: Section::Banner,
        text: String::new(),
        command: String::new(),
        patch_files: Vec::new(),
        calls: 0,
        open_call: None,
    };
    reader.session.saw_line(0, 1, None);
    for line in text.lines() {
        reader.line(line);
    }
    reader.close();
    reader.session.infer_cwd();
    let mut outcome = super::FileOutcome::default();
    reader.session.finish_into(&mut outcome, display);
    outcome.runs
}

struct Reader {
    session: Session,
    section: Section,
    /// The text of the open user, answer or output section.
    text: String,
    /// The command being read.
    command: String,
    patch_files: Vec<String>,
    calls: usize,
    /// The command whose output is being read: its id and exit code.
    open_call: Option<(String, i32)>,
}

impl Reader {
    fn line(&mut self, raw: &str) {
        let line = unstamped(raw);
        if self.section == Section::Banner {
            if let Some(dir) = line.strip_prefix("workdir: ") {
                self.session.cwd = Some(dir.trim().to_owned());
            } else if let Some(model) = line.strip_prefix("model: ") {
                self.session.model(model.trim());
            }
        }
        // Inside a command the lines are the command's own, whatever they say.
        if self.section == Section::Command {
            return self.command_line(line);
        }
        if let Some(section) = section_start(line) {
            self.close();
            self.section = section;
            if section == Section::Command {
                // Old versions: `exec bash -lc 'ls' in /p`, the status on a later line.
                let rest = line.strip_prefix("exec").unwrap_or_default().trim();
                if !rest.is_empty() {
                    self.command = strip_dir(rest).to_owned();
                }
            }
            return;
        }
        if let Some(code) = PATCH_STATUS.captures(line).and_then(|c| c[1].parse::<i32>().ok()) {
            self.close_patch(Some(code));
            self.section = Section::Output;
            return;
        }
        match self.section {
            Section::Patch => {
                if let Some(path) = changed_file(line) {
                    self.patch_files.push(path.to_owned());
                }
            }
            Section::User | Section::Answer | Section::Output => {
                self.text.push_str(raw);
                self.text.push('\n');
            }
            Section::Banner | Section::Skipped | Section::Command => {}
        }
    }

    /// A line of a command: its status line ends it.
    fn command_line(&mut self, line: &str) {
        let Some(status) = STATUS.captures(line) else {
            if !self.command.is_empty() {
                self.command.push('\n');
            }
            self.command.push_str(line);
            return;
        };
        let tail = status.get(1).map_or("", |m| m.as_str());
        // The new form ends the command on this line; the old repeats it here.
        if self.command.is_empty() || !tail.is_empty() && !self.command.ends_with(strip_dir(tail)) {
            if !self.command.is_empty() {
                self.command.push('\n');
            }
            self.command.push_str(strip_dir(tail));
        }
        let code = status.get(2).map_or(Some(0), |c| c.as_str().parse().ok());
        let id = self.start_command();
        self.open_call = Some((id, code.unwrap_or(-1)));
        self.section = Section::Output;
    }

    /// The command read so far, as a call; its id.
    fn start_command(&mut self) -> String {
        let command = unwrap_shell(std::mem::take(&mut self.command).trim());
        self.calls += 1;
        let id = format!("exec-{}", self.calls);
        self.session
            .tool_call(&id, "exec_command", command.clone(), Some(command), Vec::new(), false);
        id
    }

    fn close_patch(&mut self, code: Option<i32>) {
        if self.section != Section::Patch && self.patch_files.is_empty() {
            return;
        }
        self.calls += 1;
        let id = format!("patch-{}", self.calls);
        let files = std::mem::take(&mut self.patch_files);
        let changes = code.is_none_or(|c| c == 0);
        self.session
            .tool_call(&id, "apply_patch", files.join("\n"), None, files, changes);
        let status = code.map_or(ExitStatus::Unknown, ExitStatus::Known);
        self.open_call = None;
        self.session.tool_result(&id, "", status);
    }

    /// End the open section.
    fn close(&mut self) {
        let text = std::mem::take(&mut self.text);
        match self.section {
            Section::User if !text.trim().is_empty() => self.session.user_text(text.trim()),
            Section::Answer if !text.trim().is_empty() => self.session.assistant_text(text.trim(), false),
            Section::Output => {
                if let Some((id, code)) = self.open_call.take() {
                    self.session.tool_result(&id, text.trim_end(), ExitStatus::Known(code));
                }
            }
            // A patch whose status line never came (the run was cut off).
            Section::Patch => self.close_patch(None),
            // A command whose status line never came: the log ends while it runs.
            Section::Command if !self.command.trim().is_empty() => {
                self.start_command();
            }
            _ => {}
        }
    }
}

/// The section a line opens, if it is a section name.
fn section_start(line: &str) -> Option<Section> {
    let section = match line {
        "user" | "User instructions:" => Section::User,
        "codex" => Section::Answer,
        "exec" => Section::Command,
        "thinking" | "file update:" | "tokens used" => Section::Skipped,
        "file update" => Section::Patch,
        _ if line.starts_with("exec ") => Section::Command,
        _ if line.starts_with("apply_patch auto_approved=") => Section::Patch,
        _ if line.starts_with("tokens used:") || line.starts_with("mcp startup:") => Section::Skipped,
        _ => return None,
    };
    Some(section)
}

/// A file a patch names: `M /p/js/app.js`, `A src/new.rs`, `D old.rs`.
fn changed_file(line: &str) -> Option<&str> {
    let (kind, path) = line.split_once(' ')?;
    (matches!(kind, "M" | "A" | "D") && !path.trim().is_empty()).then(|| path.trim())
}

/// A command without the ` in <dir>` Codex adds after it.
fn strip_dir(command: &str) -> &str {
    match command.rfind(" in /") {
        Some(at) if !command[at + 4..].contains(' ') || command[at + 4..].starts_with('/') => &command[..at],
        _ => command,
    }
}

/// `bash -lc 'npm test'` → `npm test`: the script a shell was given.
fn unwrap_shell(command: &str) -> String {
    super::validation::shell_body(command).unwrap_or_else(|| command.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_lines_old_and_new() {
        // dev12 (alejandroOPI/third-wave-cafes, Codex 0.77).
        let line = "/bin/zsh -lc \"rg --files -g 'AGENTS.md'\" in /Users/c/third-wave-cafes exited 1 in 44ms:";
        let caps = STATUS.captures(line).unwrap();
        assert_eq!(&caps[2], "1");
        assert_eq!(strip_dir(&caps[1]), "/bin/zsh -lc \"rg --files -g 'AGENTS.md'\"");
        assert_eq!(unwrap_shell(strip_dir(&caps[1])), "rg --files -g 'AGENTS.md'");
        let caps = STATUS.captures("PY\" in /Users/c/p succeeded in 58ms:").unwrap();
        assert!(caps.get(2).is_none());
        assert_eq!(
            unstamped("[2025-08-06T18:12:34] exec bash -lc ls in /p"),
            "exec bash -lc ls in /p"
        );
        assert!(STATUS.is_match("bash -lc ls succeeded in 12ms:"));
        assert!(!STATUS.is_match("the tests succeeded in the end"));
    }
}

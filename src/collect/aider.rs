//! The `aider` adapter: Aider's chat history (`.aider.chat.history.md`), Markdown that
//! Aider appends to at every launch. Each `# aider chat started at <time>` begins a
//! run; a launch with no request in it (startup only) is no run.
//!
//! - `#### text` lines are the user's request (`#### /run cmd`, `#### /test cmd`,
//!   `#### !cmd` are commands the user ran through Aider);
//! - `> ` lines are Aider's own output: `> Applied edit to PATH` (a changed file),
//!   `> Commit abc1234 msg` (Aider's commit after its edits), `> Running cmd` (a
//!   command the assistant proposed), `> Main model: X with …` / `> Model: X …`,
//!   model-provider failures (`> litellm.…Error`), and `/undo`'s `> Commit \`abc1234\`
//!   was reset and removed from git.` (the user threw the last request's work away);
//! - other lines are the assistant's answer.
//!
//! Aider does not log exit codes: a command's status is unknown unless its output
//! holds a test summary the validation catalogue reads. Its own lint and test runs after
//! an edit (`--auto-lint`, `--auto-test`) print only failures, as `> # Fix any errors
//! below, if possible.` then `> ## Running: pylint src/x.py` and the output: such a run
//! failed. A later edit of a file whose lint failed is linted again, silently when it
//! passes: it is read as a passing run of the same command, which a failure printed
//! after it overrides. The history's times are local
//! and carry no zone; they are read as UTC.

use super::session::{ExitStatus, Session};
use super::{FileOutcome, LineReader, SourceSpec, quarantine};

const STARTED: &str = "# aider chat started at ";

/// What the current `> ` block belongs to.
enum Block {
    None,
    /// Output of the command with this call id, and whether Aider showed it as a
    /// failure to fix.
    Command(String, String, bool),
}

struct Reader<'a> {
    display: &'a str,
    session: Option<Session>,
    started: Option<String>,
    user: Vec<String>,
    answer: Vec<String>,
    block: Block,
    calls: usize,
    /// `# Fix any errors below` was seen: the next `## Running:` is a failed check.
    fixing: bool,
    /// Files whose lint failed, with the lint command; an edit of one lints it again.
    lint_failed: std::collections::BTreeMap<String, String>,
    /// Lints of files edited since: each passed unless a failure of its file follows
    /// before the next request (Aider lints after all of a reply's edits and commit).
    lint_pending: Vec<(String, String)>,
    /// Aider's own traceback is being printed: its exception line names the error.
    in_traceback: bool,
}

pub(super) fn read(
    reader: &mut LineReader<std::fs::File>,
    spec: &SourceSpec,
    display: &str,
    progress: &(dyn Fn(u64) + Sync),
) -> std::io::Result<FileOutcome> {
    let mut outcome = FileOutcome::default();
    let mut state = Reader {
        display,
        session: None,
        started: None,
        user: Vec::new(),
        answer: Vec::new(),
        block: Block::None,
        calls: 0,
        fixing: false,
        lint_failed: Default::default(),
        lint_pending: Vec::new(),
        in_traceback: false,
    };
    while let Some(line) = reader.next_line()? {
        if line.number % 1024 == 0 {
            progress(reader.offset());
        }
        let text = match &line.text {
            Ok(text) => text.trim_end(),
            Err(problem) => {
                outcome.lines_read += 1;
                outcome
                    .quarantined
                    .push(quarantine(display, &line, "aider", &problem.clone().into()));
                continue;
            }
        };
        if text.is_empty() {
            continue;
        }
        outcome.lines_read += 1;
        outcome.lines_used += 1;
        if let Some(time) = text.strip_prefix(STARTED) {
            state.finish(&mut outcome);
            let mut session = Session::new(spec.checks.clone());
            let time = super::normalize_time(time);
            session.saw_line(line.offset, line.number, time.as_deref());
            state.started = time;
            state.session = Some(session);
            continue;
        }
        if state.session.is_none() {
            // Text before the first launch header still belongs to a session.
            state.session = Some(Session::new(spec.checks.clone()));
        }
        state.line(text);
    }
    state.finish(&mut outcome);
    Ok(outcome)
}

impl Reader<'_> {
    fn session(&mut self) -> &mut Session {
        self.session.get_or_insert_with(Session::default)
    }

    fn line(&mut self, text: &str) {
        if let Some(request) = text.strip_prefix("####") {
            self.flush_answer();
            self.passed_lints();
            self.block = Block::None;
            let request = request.trim_start();
            let request = request.strip_prefix("> ").unwrap_or(request);
            if let Some(command) = request
                .strip_prefix("/run ")
                .or_else(|| request.strip_prefix("/test "))
                .or_else(|| request.strip_prefix("/lint "))
                .or_else(|| request.strip_prefix('!'))
            {
                self.flush_user();
                self.command(command.trim(), false);
            } else if !request.starts_with('/') && request.trim() != "<blank>" {
                // `#### <blank>` is how Aider records Enter on an empty prompt: no request
                // (dev43: a run ended by Enter, then Ctrl-C, after its last commit).
                self.user.push(request.to_owned());
            }
            return;
        }
        if let Some(output) = text.strip_prefix('>') {
            self.flush_user();
            self.flush_answer();
            self.aider_output(output.trim());
            return;
        }
        self.flush_user();
        if let Block::Command(..) = self.block {
            self.end_command();
        }
        self.answer.push(text.to_owned());
    }

    fn aider_output(&mut self, output: &str) {
        if let Some(path) = output.strip_prefix("Applied edit to ") {
            self.end_command();
            let id = self.next_id();
            let arguments = serde_json::json!({ "path": path }).to_string();
            self.session()
                .tool_call(&id, "edit", arguments, None, vec![path.to_owned()], true);
            // Aider lints the edited file again; it says nothing when the lint passes.
            if let Some(lint) = self.lint_failed.get(path).cloned()
                && !self.lint_pending.iter().any(|(p, _)| p == path)
            {
                self.lint_pending.push((path.to_owned(), lint));
            }
        } else if output.starts_with("# Fix any errors below") {
            self.end_command();
            self.fixing = true;
        } else if let Some(command) = output.strip_prefix("## Running: ") {
            let failed = std::mem::take(&mut self.fixing);
            let command = command.trim();
            if failed && let Some(file) = command.rsplit(' ').next().filter(|f| f.contains('.')) {
                self.lint_pending.retain(|(path, _)| path != file);
                self.lint_failed.insert(file.to_owned(), command.to_owned());
            }
            self.command(command, failed);
        } else if let Some(commit) = output.strip_prefix("Commit ").filter(|c| is_commit_line(c)) {
            self.end_command();
            let id = self.next_id();
            let command = format!("git commit # {commit}");
            let arguments = serde_json::json!({ "command": command }).to_string();
            let session = self.session();
            session.tool_call(&id, "commit", arguments, Some(command), Vec::new(), false);
            session.tool_result(&id, commit, ExitStatus::Known(0));
        } else if let Some(command) = output.strip_prefix("Running ") {
            self.end_command();
            self.command(command, false);
        } else if let Some(model) = output
            .strip_prefix("Main model: ")
            .or_else(|| output.strip_prefix("Model: "))
        {
            let name = model.split(" with ").next().unwrap_or(model).trim().to_owned();
            self.session().model(&name);
        } else if output.starts_with("Commit `") && output.contains("was reset and removed from git") {
            // `/undo`: the user threw Aider's last commit away.
            self.end_command();
            self.session().undone();
        } else if output.starts_with("Only ") && output.contains("reflections allowed") {
            // Aider gave up fixing what its lint or tests reported.
            self.end_command();
            self.session().harness_error(output);
        } else if output.starts_with("litellm.")
            || output.contains("APIConnectionError")
            || output.contains("RateLimitError")
            || (output.starts_with("Traceback (most recent call last)") && matches!(self.block, Block::None))
            || (output.starts_with("[Errno ") && matches!(self.block, Block::None))
        {
            // Aider's own crash (a traceback outside any command's output: the model
            // provider refused, dev45) or an I/O error of its prompt ends the launch.
            self.end_command();
            self.in_traceback = output.starts_with("Traceback");
            self.session().harness_error(output);
        } else if self.in_traceback && is_exception_line(output) {
            self.in_traceback = false;
            self.end_command();
            self.session().harness_error(output);
        } else if let Block::Command(_, out, _) = &mut self.block {
            out.push_str(output);
            out.push('\n');
        }
    }

    /// A command starts; `failed` when Aider shows it as a failure to fix.
    fn command(&mut self, command: &str, failed: bool) {
        self.end_command();
        let id = self.next_id();
        let arguments = serde_json::json!({ "command": command }).to_string();
        self.session()
            .tool_call(&id, "run", arguments, Some(command.to_owned()), Vec::new(), false);
        self.block = Block::Command(id, String::new(), failed);
    }

    /// The command's output is complete: its status is unknown (Aider logs none) unless
    /// Aider showed it as a failure to fix.
    fn end_command(&mut self) {
        if let Block::Command(id, output, failed) = std::mem::replace(&mut self.block, Block::None) {
            let status = if failed {
                ExitStatus::Flagged(true)
            } else {
                ExitStatus::Unknown
            };
            self.session().tool_result(&id, &output, status);
        }
    }

    fn next_id(&mut self) -> String {
        self.calls += 1;
        format!("aider-{}", self.calls)
    }

    fn flush_user(&mut self) {
        if !self.user.is_empty() {
            let text = std::mem::take(&mut self.user).join("\n");
            self.session().user_text(&text);
        }
    }

    fn flush_answer(&mut self) {
        if !self.answer.is_empty() {
            let text = std::mem::take(&mut self.answer).join("\n");
            self.session().assistant_text(&text, false);
        }
    }

    /// The lints of edited files that no failure followed: each passed, silently.
    fn passed_lints(&mut self) {
        self.end_command();
        for (_, lint) in std::mem::take(&mut self.lint_pending) {
            let id = self.next_id();
            let arguments = serde_json::json!({ "command": lint }).to_string();
            let session = self.session();
            session.tool_call(&id, "lint", arguments, Some(lint), Vec::new(), false);
            session.tool_result(&id, "", ExitStatus::Known(0));
        }
    }

    fn finish(&mut self, outcome: &mut FileOutcome) {
        self.flush_user();
        self.flush_answer();
        self.passed_lints();
        if let Some(mut session) = self.session.take() {
            let stamp: String = self
                .started
                .take()
                .unwrap_or_default()
                .chars()
                .filter(char::is_ascii_digit)
                .collect();
            session.id = Some(format!("aider-{}", if stamp.is_empty() { "session" } else { &stamp }));
            session.finish_into(outcome, self.display);
        }
    }
}

/// `abc1234 feat: …`: a short hash, then the message.
fn is_commit_line(text: &str) -> bool {
    let hash = text.split(' ').next().unwrap_or_default();
    (7..=12).contains(&hash.len()) && hash.chars().all(|c| c.is_ascii_hexdigit())
}

/// The last line of a Python traceback: `litellm_patch.OpenGPUPatchError: OpenGPU error
/// 403: …`, `KeyboardInterrupt`.
fn is_exception_line(text: &str) -> bool {
    let name = text.split(':').next().unwrap_or_default();
    !name.contains(' ') && (name.ends_with("Error") || name.ends_with("Exception") || name.ends_with("Interrupt"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commit_lines_need_a_short_hash() {
        assert!(is_commit_line("dde0244 feat: add scripts"));
        assert!(!is_commit_line("message to the chat"));
    }
}

//! What the session adapters (Claude Code, Codex) share: one session is one run,
//! built up event by event.

use super::effects::Effect;
use super::git_ops::{Asked, GitOps};
use super::outcome::{Observed, Outcomes};
use super::signals;
use super::{Catalogue, RunDraft, relative_to};
use crate::schema::{ChatMessage, ChatRole, CommandRun, ToolCall, ToolFunction};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

/// Tool output kept in a transcript is cut to this many characters.
const MAX_TOOL_OUTPUT: usize = 2000;

/// How a tool result states its exit status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitStatus {
    /// The log states it.
    Known(i32),
    /// The harness only flagged an error (or not).
    Flagged(bool),
    /// The command is still running (a unified-exec session); a later poll or end event
    /// says how it ended.
    Running,
    /// The log never states it (Aider).
    Unknown,
}

/// A session being read.
#[derive(Debug, Default)]
pub struct Session {
    /// Session id.
    pub id: Option<String>,
    /// Working directory, to make paths repository-relative.
    pub cwd: Option<String>,
    /// A commit the session names.
    pub commit: Option<String>,
    first_time: Option<jiff::Timestamp>,
    last_time: Option<jiff::Timestamp>,
    last_time_text: Option<String>,
    models: BTreeMap<String, usize>,
    model_order: Vec<String>,
    first_prompt: Option<String>,
    /// The git operations the last request asks for, and how many commands had run
    /// before it.
    last_request: (GitOps, usize, bool),
    /// The last request's words, trimmed.
    last_request_text: String,
    first_opener: Option<String>,
    summary: Option<String>,
    /// The harness's last error (API failure, timeout) when nothing followed it.
    ended_on_error: Option<String>,
    /// The user stopped the agent's last turn (Codex `turn_aborted`, Claude Code's
    /// `[Request interrupted by user]`) and the agent did nothing after it.
    ended_interrupted: bool,
    /// The agent closes every turn with words (Claude Code, Codex): a log whose last
    /// request got calls and results but no closing words stops mid-turn (dev49: the log
    /// ends on a restarted dev server's "running in background").
    pub ends_on_its_answer: bool,
    /// The user's last words were typed to leave ("exit") and nothing ran since: an
    /// interrupt then stops nothing asked (dev47).
    quit_typed: bool,
    /// Calls since the last request that changed, or may have changed, files.
    changing_since_request: Vec<String>,
    /// Documentation was edited for the last request (not an opener), by a call that
    /// ran no command.
    edited_docs_for_last: bool,
    /// The calls that ran or changed anything else for the last request. With neither,
    /// the request was answered in words alone.
    acted_otherwise_for_last: Vec<String>,
    /// What the agent said is still open, answering an earlier request that asked what
    /// is left, with nothing but words since.
    open_work_said: Option<String>,
    /// Commands (indices into `commands`) that only made directories.
    directory_commands: Vec<usize>,
    /// The user undid the work of the last request (Aider's `/undo`), and nothing new
    /// was asked or done after it.
    ended_undone: bool,
    /// The last tool call, while no result for it has come.
    call_without_result: Option<String>,
    /// Subagent calls (Claude Code's `Task`, `Agent`) still waiting for their result: the
    /// subagent's own calls and results come in between, so the last call alone does not
    /// say the log ended inside one (dev42: the log ends while a subagent reads files).
    open_subagents: BTreeSet<String>,
    last_answer: String,
    /// The agent's last act was an answer, not a tool call still to report back.
    answered_last: bool,
    /// The last request got no answer and no call at all (the log ends after it).
    unanswered_last: bool,
    transcript: Vec<ChatMessage>,
    /// Tool call id → index of its command, kept after the result (late end events).
    calls: HashMap<String, usize>,
    /// Unified-exec session id → index of the command still running in it.
    running: HashMap<String, usize>,
    /// Calls that read a background command's output (Claude Code's `TaskOutput`): call
    /// id → the command's session id.
    polling: HashMap<String, String>,
    commands: Vec<CommandRun>,
    observed: Vec<Observed>,
    files: Vec<String>,
    /// Files the run changed (writes, edits, patches), in order.
    changed: Vec<String>,
    /// Tool call id → the files it was first to change (undone if the call is rejected).
    changes_by_call: HashMap<String, Vec<String>>,
    /// Calls that may have changed files the log does not name (a shell command not known
    /// to only read, an unknown tool), by id, with what they are known to do (write, or
    /// unknown): while any stands, "changed nothing" is unknown.
    unseen_writes: BTreeMap<String, Effect>,
    checks: Arc<Catalogue>,
    /// Offset and line number of the first line.
    pub start: Option<(u64, u64)>,
}

impl Session {
    /// A session whose commands are judged by `checks`.
    pub fn new(checks: Arc<Catalogue>) -> Session {
        Session {
            checks,
            ..Session::default()
        }
    }

    /// Note a line's position and time.
    pub fn saw_line(&mut self, offset: u64, number: u64, time: Option<&str>) {
        self.start.get_or_insert((offset, number));
        if let Some(text) = time
            && let Ok(ts) = text.parse::<jiff::Timestamp>()
        {
            self.first_time = Some(self.first_time.map_or(ts, |f| f.min(ts)));
            if self.last_time.is_none_or(|l| ts >= l) {
                self.last_time = Some(ts);
                self.last_time_text = Some(text.to_owned());
            }
        }
    }

    /// Note the model answering.
    pub fn model(&mut self, name: &str) {
        if name.is_empty() || name.starts_with('<') {
            return;
        }
        if !self.models.contains_key(name) {
            self.model_order.push(name.to_owned());
        }
        *self.models.entry(name.to_owned()).or_default() += 1;
    }

    /// A user message.
    pub fn user_text(&mut self, text: &str) {
        if text.trim().is_empty() {
            return;
        }
        if text.trim_start().starts_with("[Request interrupted by user") {
            self.interrupted();
        } else {
            // The harness's error was not the end: the user spoke after it (test45: "out
            // of extra usage", then "continue generating" that got no reply).
            self.ended_on_error = None;
            self.quit_typed = signals::is_quit(text);
            if self.quit_typed {
                self.ended_interrupted = false;
            }
            self.changing_since_request.clear();
            if !signals::is_opener(text) {
                // What is left, asked and answered in words, stays said while only words
                // follow ("what do we have left", then "what prompt should I start the
                // next session with?"; dev47).
                if self.edited_docs_for_last || !self.acted_otherwise_for_last.is_empty() {
                    self.open_work_said = None;
                } else if self.answered_last && signals::asks_if_done(&self.last_request_text) {
                    self.open_work_said = signals::work_remaining(&self.last_answer).or(self.open_work_said.take());
                }
                self.last_request = (GitOps::asked_in(text), self.commands.len(), GitOps::is_command(text));
                self.last_request_text = text.trim().to_owned();
                self.edited_docs_for_last = false;
                self.acted_otherwise_for_last.clear();
                self.ended_undone = false;
                // Unanswered until the agent says or does something for it.
                self.answered_last = false;
                self.unanswered_last = true;
            }
        }
        // The task is the first request for work, not a greeting or a command echo;
        // a session of nothing but openers keeps its first one.
        if self.first_prompt.is_none() && !signals::is_opener(text) {
            self.first_prompt = Some(text.to_owned());
        }
        if self.first_opener.is_none() {
            self.first_opener = Some(text.to_owned());
        }
        self.push(ChatRole::User, text.to_owned(), None);
    }

    /// The last user text was a command's recipe the harness expanded, not the person's
    /// words: the git operations it names ("3. Create Pull Request") are not asked.
    pub fn request_is_a_template(&mut self) {
        self.last_request.0 = GitOps::default();
    }

    /// A summary line (the harness's own title for the session).
    pub fn summary(&mut self, text: &str) {
        self.summary.get_or_insert_with(|| text.to_owned());
    }

    /// Assistant text; `merge` appends to the previous assistant message (split content blocks).
    pub fn assistant_text(&mut self, text: &str, merge: bool) {
        if text.trim().is_empty() {
            return;
        }
        self.last_answer = text.to_owned();
        self.answered_last = true;
        self.unanswered_last = false;
        self.ended_on_error = None;
        self.ended_interrupted = false;
        if merge && let Some(last) = self.transcript.last_mut().filter(|m| m.role == ChatRole::Assistant) {
            if !last.content.is_empty() {
                last.content.push('\n');
            }
            last.content.push_str(text);
            return;
        }
        self.push(ChatRole::Assistant, text.to_owned(), None);
    }

    /// A tool call. `command` is the shell command for shell tools, `files` the paths
    /// it touches, `changes` whether it writes them.
    pub fn tool_call(
        &mut self,
        id: &str,
        name: &str,
        arguments: String,
        command: Option<String>,
        files: Vec<String>,
        changes: bool,
    ) {
        self.answered_last = false;
        self.unanswered_last = false;
        self.quit_typed = false;
        self.call_without_result = Some(id.to_owned());
        if matches!(name, "Task" | "Agent") {
            self.open_subagents.insert(id.to_owned());
        }
        self.ended_on_error = None;
        self.ended_interrupted = false;
        let call = ToolCall {
            id: id.to_owned(),
            kind: "function".into(),
            function: ToolFunction {
                name: name.to_owned(),
                arguments,
            },
        };
        match self.transcript.last_mut().filter(|m| m.role == ChatRole::Assistant) {
            Some(last) => last.tool_calls.push(call),
            None => {
                let mut message = ChatMessage {
                    role: ChatRole::Assistant,
                    content: String::new(),
                    tool_calls: Vec::new(),
                    tool_call_id: None,
                };
                message.tool_calls.push(call);
                self.transcript.push(message);
            }
        }
        // Plain file operations (`mv "a.csv" "data/a.csv"`) and here-documents (`cat <<EOF >
        // a.md`) change the paths they name; `mkdir -p a b` alone, none.
        let file_operations = command.as_deref().and_then(super::effects::file_operations);
        let makes_directories = file_operations.as_ref().is_some_and(Vec::is_empty)
            || command.as_deref().is_some_and(super::effects::new_item_directories);
        let operations = file_operations.filter(|_| !changes).or_else(|| {
            command
                .as_deref()
                .filter(|_| !changes)
                .and_then(super::effects::heredoc_target)
                .map(|path| vec![path])
        });
        let (changes, files) = match operations {
            Some(moved) if !moved.is_empty() => (true, moved),
            _ => (changes, files),
        };
        // An edit that names no file, or a call that may write what the log does not name.
        let effect = if makes_directories {
            Effect::Reads
        } else if changes {
            if files.is_empty() {
                Effect::Writes
            } else {
                Effect::Reads
            }
        } else {
            super::effects::call_effect(name, command.as_deref(), &self.checks)
        };
        // A script the request told the agent to run is one of its steps, not an unseen write.
        let prescribed = effect == Effect::Unknown
            && command
                .as_deref()
                .is_some_and(|c| super::effects::prescribed_by(c, &self.last_request_text, &self.checks));
        if effect != Effect::Reads && !prescribed {
            self.unseen_writes.insert(id.to_owned(), effect);
        }
        // A plan or scratch file written outside the working tree (`~/.claude/plans/…`)
        // does nothing for the request.
        let outside = |f: &String| self.cwd.is_some() && outside_work_tree(&relative_to(f, self.cwd.as_deref()));
        if effect != Effect::Reads || (changes && !files.iter().all(outside)) {
            self.changing_since_request.push(id.to_owned());
        }
        // Looking (`ls`, `git status`, `spl-token --help`) is not acting for a request;
        // a check that runs is.
        let checks = command.as_deref().is_some_and(|c| !self.checks.recognize(c).is_empty());
        if effect != Effect::Reads || changes || checks || makes_directories {
            if command.is_none() && changes && !files.is_empty() && files.iter().all(|f| is_documentation(f)) {
                self.edited_docs_for_last = true;
            } else {
                self.acted_otherwise_for_last.push(id.to_owned());
            }
            self.ended_undone = false;
        }
        for file in files {
            let rel = relative_to(&file, self.cwd.as_deref());
            if changes && !self.changed.contains(&rel) {
                self.changed.push(rel.clone());
                self.changes_by_call.entry(id.to_owned()).or_default().push(rel.clone());
            }
            if !self.files.contains(&rel) {
                self.files.push(rel);
            }
        }
        if let Some(command) = command {
            if makes_directories {
                self.directory_commands.push(self.commands.len());
            }
            self.commands.push(CommandRun {
                command,
                exit_code: None,
            });
            self.observed.push(Observed {
                after_changes: self.changed.len(),
                ..Observed::default()
            });
            self.calls.insert(id.to_owned(), self.commands.len() - 1);
        }
    }

    /// The call `id` is known to only read, whatever its tool may do in general (Claude
    /// Code's built-in Explore and Plan subagents have no tool that writes).
    pub fn reads_only(&mut self, id: &str) {
        self.unseen_writes.remove(id);
        self.changing_since_request.retain(|c| c != id);
        // An explorer subagent does nothing for the request (dev47).
        self.acted_otherwise_for_last.retain(|c| c != id);
    }

    /// A tool's result: its output and what it says of the exit status. A result for a
    /// call the user rejected means the command never ran.
    pub fn tool_result(&mut self, id: &str, output: &str, status: ExitStatus) {
        self.result_came(id);
        self.push(
            ChatRole::Tool,
            crate::text::truncate(output, MAX_TOOL_OUTPUT),
            Some(id.to_owned()),
        );
        if let Some(&index) = self.calls.get(id) {
            self.command_result(index, output, status);
        }
    }

    /// The harness failed (the model API errored, a turn failed). When the session ends
    /// on it, nothing the agent did after it exists: that is a failure of the run.
    pub fn harness_error(&mut self, text: &str) {
        let text = text.trim();
        self.ended_on_error = Some(if text.is_empty() {
            "error".to_owned()
        } else {
            crate::text::truncate(text, 120)
        });
    }

    /// The user interrupted the agent's turn. When the session ends on it, the task was
    /// not finished: a failure of the run, as a reader judges it.
    pub fn interrupted(&mut self) {
        // Stopping the turn of a word typed to leave stops nothing asked.
        self.ended_interrupted = !self.quit_typed;
    }

    /// The user undid the work of the last request (Aider's `/undo` reset its commit):
    /// when nothing follows, the request's outcome was thrown away.
    pub fn undone(&mut self) {
        self.ended_undone = true;
    }

    /// A tool call the user rejected: it did not run and changed nothing.
    pub fn rejected(&mut self, id: &str, output: &str) {
        self.result_came(id);
        self.push(
            ChatRole::Tool,
            crate::text::truncate(output, MAX_TOOL_OUTPUT),
            Some(id.to_owned()),
        );
        if let Some(&index) = self.calls.get(id) {
            self.observed[index].rejected = true;
        }
        self.unseen_writes.remove(id);
        self.changing_since_request.retain(|c| c != id);
        if let Some(files) = self.changes_by_call.remove(id) {
            self.changed.retain(|f| !files.contains(f));
        }
    }

    /// The end of a command known by its call id, reported apart from a tool result
    /// (Codex `exec_command_end`, a code-mode script's output): a measured exit code
    /// beats anything read from text. Nothing is added to the transcript.
    pub fn command_end(&mut self, call_id: &str, output: &str, status: ExitStatus) {
        self.result_came(call_id);
        if let Some(&index) = self.calls.get(call_id) {
            self.command_result(index, output, status);
        }
    }

    /// Output of a poll of a still-running unified-exec session (`write_stdin`).
    pub fn session_poll(&mut self, session_id: &str, output: &str, status: ExitStatus) {
        if let Some(&index) = self.running.get(session_id) {
            let mut text = std::mem::take(&mut self.observed[index].output);
            text.push_str(output);
            self.command_result(index, &text, status);
        }
    }

    /// Call `call_id` reads the output of the command running as `session_id`.
    pub fn polls(&mut self, call_id: &str, session_id: &str) {
        self.polling.insert(call_id.to_owned(), session_id.to_owned());
    }

    /// The command session a poll call reads, when `call_id` is one.
    pub fn polled_by(&self, call_id: &str) -> Option<String> {
        self.polling.get(call_id).cloned()
    }

    /// The whole output so far of the command running as `session_id`, and its status.
    pub fn session_output(&mut self, session_id: &str, output: &str, status: ExitStatus) {
        if let Some(&index) = self.running.get(session_id) {
            self.command_result(index, output, status);
        }
    }

    /// A unified-exec command keeps running in session `session_id`.
    pub fn still_running(&mut self, call_id: &str, session_id: &str) {
        if let Some(&index) = self.calls.get(call_id) {
            self.running.insert(session_id.to_owned(), index);
        }
    }

    fn result_came(&mut self, id: &str) {
        if self.call_without_result.as_deref() == Some(id) {
            self.call_without_result = None;
        }
        self.open_subagents.remove(id);
    }

    fn command_result(&mut self, index: usize, output: &str, status: ExitStatus) {
        let observed = &mut self.observed[index];
        if observed.measured && !matches!(status, ExitStatus::Known(_)) {
            return;
        }
        observed.output = super::outcome::keep_for_judging(output);
        let exit = match status {
            ExitStatus::Known(code) => {
                observed.measured = true;
                Some(code)
            }
            ExitStatus::Flagged(is_error) => Some(i32::from(is_error)),
            ExitStatus::Running | ExitStatus::Unknown => None,
        };
        self.commands[index].exit_code = exit;
    }

    fn push(&mut self, role: ChatRole, content: String, tool_call_id: Option<String>) {
        self.transcript.push(ChatMessage {
            role,
            content,
            tool_calls: Vec::new(),
            tool_call_id,
        });
    }

    /// For a log that names no working directory (Entire's compact transcripts): take
    /// the deepest directory holding every file the run changed, when it is at least
    /// three levels deep (`/Users/a/proj`, not `/Users/a`), and make paths relative to it.
    pub fn infer_cwd(&mut self) {
        if self.cwd.is_some() {
            return;
        }
        let mut dirs = self
            .changed
            .iter()
            .filter(|f| f.starts_with('/'))
            .filter_map(|f| f.rsplit_once('/').map(|(dir, _)| dir));
        let Some(mut common) = dirs.next().map(str::to_owned) else {
            return;
        };
        for dir in dirs {
            while !(dir == common || dir.starts_with(&format!("{common}/"))) {
                match common.rsplit_once('/') {
                    Some((parent, _)) if !parent.is_empty() => common = parent.to_owned(),
                    _ => return,
                }
            }
        }
        if common.matches('/').count() < 3 {
            return;
        }
        for path in self.files.iter_mut().chain(self.changed.iter_mut()) {
            *path = relative_to(path, Some(&common));
        }
        self.cwd = Some(common);
    }

    /// Whether anything of a conversation was seen.
    pub fn is_empty(&self) -> bool {
        self.transcript.is_empty()
    }

    /// Add the run this session was to `outcome` (nothing when no conversation was seen);
    /// the file name stands in for a missing session id.
    pub fn finish_into(self, outcome: &mut super::FileOutcome, display: &str) {
        if self.is_empty() {
            return;
        }
        let file = display.rsplit('/').next().unwrap_or(display);
        let fallback = file.trim_end_matches(".jsonl").to_owned();
        outcome.runs.push(self.into_draft(&fallback));
    }

    /// The run this session was.
    fn into_draft(mut self, fallback_id: &str) -> RunDraft {
        let prompt = self
            .first_prompt
            .clone()
            .or(self.first_opener.clone())
            .unwrap_or_default();
        let task_basis = self.summary.clone().unwrap_or_else(|| prompt.clone());
        let latency = match (self.first_time, self.last_time) {
            (Some(a), Some(b)) => u64::try_from(b.duration_since(a).as_millis()).ok(),
            _ => None,
        };
        let model = self
            .model_order
            .iter()
            .max_by_key(|m| (self.models.get(*m).copied().unwrap_or(0), std::cmp::Reverse(*m)))
            .cloned();
        let (offset, number) = self.start.unwrap_or((0, 1));
        let (last, last_from, last_is_command) = self.last_request;
        let asked = Asked {
            any: GitOps::asked_in(&prompt).with(last),
            last,
            last_from,
            last_is_command,
        };
        // "gcloud auth list" typed as the request, run as given, exit 0: done as asked
        // (test29, Gemini CLI).
        let request = &self.last_request_text;
        let ran_as_given = (!request.contains('\n') && request.len() <= 200)
            .then(|| self.commands.get(last_from..))
            .flatten()
            .and_then(|ran| ran.last())
            .filter(|last| last.command.trim() == request && last.exit_code == Some(0))
            .map(|last| {
                format!(
                    "ran the command the last request gave (`{}`): exit 0",
                    last.command.trim()
                )
            });
        let made_directories = !self.directory_commands.is_empty()
            && self
                .directory_commands
                .iter()
                .all(|&i| self.commands.get(i).is_some_and(|c| c.exit_code == Some(0)));
        let Outcomes {
            commands,
            validations,
            mut failure_markers,
            mut success_markers,
        } = super::outcome::judge(&self.checks, self.commands, self.observed, &self.changed, asked);
        if validations.is_empty() {
            success_markers.extend(ran_as_given);
        }
        // A last request answered in words (a question about the work, a plan, a reply
        // beside the point) leaves the run's evidence about earlier requests.
        // Answered in words alone, or not at all (the log ends on the request).
        // So is one answered by editing documentation alone, with nothing run for it
        // (dev26: "rewrite the constitution" after requests whose checks passed): the
        // checks judged other work.
        let documented_last = self.edited_docs_for_last
            && self.acted_otherwise_for_last.is_empty()
            && !(validations.is_empty() && failure_markers.is_empty());
        let acted_for_last = self.edited_docs_for_last || !self.acted_otherwise_for_last.is_empty();
        let asks_if_done = signals::asks_if_done(&self.last_request_text);
        // What the last answer says is still open, if anything.
        let remaining = signals::work_remaining(&self.last_answer);
        let mut answered_in_words = self.first_prompt.is_some()
            && (self.answered_last || self.unanswered_last)
            && (!acted_for_last || documented_last)
            && !self.ended_interrupted
            && self.ended_on_error.is_none()
            && (!commands.is_empty() || !self.changed.is_empty())
            // "phase 3 are completed?" asks after the work itself, answered with nothing
            // left open: the work's own checks answer it (dev42, Codex).
            && (!asks_if_done || remaining.is_some());
        // "I cannot read your local filesystem", with nothing done for the request: the
        // agent gave up on it, which says how it ended (dev42 Aider, test29 Gemini).
        if self.first_prompt.is_some()
            && self.answered_last
            && !acted_for_last
            && !self.ended_interrupted
            && self.ended_on_error.is_none()
            && let Some(words) = signals::declined(&self.last_answer)
        {
            answered_in_words = false;
            failure_markers.push(format!("{}: {words}", crate::schema::DECLINED_MARKER));
        }
        // "Anything left outstanding?" answered with what is still open: the agent itself
        // says the work it was asked for is not all done (dev31, Claude Code).
        let open_work = if asks_if_done {
            remaining.clone()
        } else if acted_for_last {
            signals::placeholder_left(&self.last_answer)
        } else {
            self.open_work_said.clone()
        };
        if self.first_prompt.is_some()
            && self.answered_last
            && !self.changed.is_empty()
            && let Some(words) = &open_work
        {
            answered_in_words = false;
            failure_markers.push(format!("{}: {words}", crate::schema::WORK_REMAINS_MARKER));
        }
        // The log stops on a call whose result never came (a checkpoint taken mid-command):
        // how the run ended is unknown.
        let cut_off =
            (self.call_without_result.is_some() || !self.open_subagents.is_empty() || self.ends_on_its_answer)
                && !self.answered_last
                && !self.unanswered_last
                && !self.ended_interrupted
                && self.ended_on_error.is_none();
        // Known when every call is accounted for: the files edited, or none at all. A
        // request that forbids changes ("Do not make code changes") is taken at its word
        // when no call is known to write, though some ran programs we cannot see into.
        // A file written outside the work tree (a report in a temporary directory, a plan
        // under `~/.claude`) is no change to the repository.
        if self.cwd.is_some() {
            self.changed.retain(|f| !outside_work_tree(f));
        }
        let files_changed = if self.unseen_writes.is_empty() || !self.changed.is_empty() {
            Some(self.changed)
        } else if !self.unseen_writes.values().any(|e| *e == Effect::Writes) && signals::forbids_changes(&prompt) {
            Some(Vec::new())
        } else {
            None
        };
        // Nothing to check the outcome by, nothing failed, every call accounted for and
        // the run answered: what it changed is its outcome, read by a person.
        let nothing_to_check = validations.is_empty()
            && failure_markers.is_empty()
            && self.answered_last
            && self.unseen_writes.is_empty()
            && !self.ended_interrupted
            && self.ended_on_error.is_none();
        // An edit of documentation alone is judged by reading it, not by checks.
        if let Some(changed) = files_changed
            .as_ref()
            .filter(|c| !c.is_empty() && c.iter().all(|f| is_documentation(f) || is_document_or_data(f)))
            && nothing_to_check
        {
            let what = if changed.iter().all(|f| is_documentation(f)) {
                "documentation"
            } else {
                "documents and data"
            };
            let named = match changed.len() {
                0..=4 => changed.join(", "),
                n => format!("{}, and {} more", changed[..3].join(", "), n - 3),
            };
            success_markers.push(format!("the run changed {what} only ({named})"));
        }
        // "Make folders F1 to F30", done by commands that made them, each exit 0, and
        // nothing else changed: the directories are the outcome (test42, Codex).
        if files_changed.as_ref().is_some_and(Vec::is_empty)
            && made_directories
            && nothing_to_check
            && remaining.is_none()
        {
            success_markers
                .push("the run made directories only, and every command that made them succeeded".to_owned());
        }
        if self.ended_interrupted {
            failure_markers.push(if self.changing_since_request.is_empty() {
                crate::schema::ABANDONED_MARKER.to_owned()
            } else {
                crate::schema::INTERRUPTED_MARKER.to_owned()
            });
        }
        if self.ended_undone {
            failure_markers.push(crate::schema::UNDONE_MARKER.to_owned());
        }
        if let Some(error) = self.ended_on_error {
            failure_markers.push(format!("{}: {error}", crate::schema::HARNESS_ERROR_MARKER));
        }
        RunDraft {
            run_id: Some(self.id.unwrap_or_else(|| fallback_id.to_owned())),
            task_id: (!task_basis.is_empty()).then(|| signals::task_id(&prompt_or(&prompt, &task_basis))),
            task_type: Some(signals::task_type(&task_basis).to_owned()),
            timestamp: self.last_time_text,
            model_name: model,
            model_role: None,
            input_text: prompt,
            output_text: self.last_answer,
            source_files: self.files,
            files_changed,
            commands_run: commands,
            success_markers,
            failure_markers,
            validation_results: validations,
            latency_ms: latency,
            answered_in_words,
            cut_off,
            transcript: self.transcript,
            commit_hint: self.commit,
            line_offset: offset,
            line_number: number,
            ..RunDraft::default()
        }
    }
}

/// Whether a path, made relative to the working directory, lies outside the work tree
/// (`/tmp/report.md`, `~/.claude/plans/x.md`).
fn outside_work_tree(relative: &str) -> bool {
    relative.starts_with(['/', '~'])
}

/// Whether a path is a document or data no program check reads: spreadsheets, office
/// documents, PDFs, images, tables (dev42: a request to rename and sort a folder of
/// them, done by `mv`).
fn is_document_or_data(path: &str) -> bool {
    ends_with_any(
        path,
        &[
            ".csv", ".tsv", ".xlsx", ".xls", ".ods", ".docx", ".doc", ".odt", ".pptx", ".pdf", ".png", ".jpg", ".jpeg",
            ".gif", ".webp", ".json", ".yaml", ".yml",
        ],
    )
}

/// Whether a path's file name ends with one of `extensions`, in any case.
fn ends_with_any(path: &str, extensions: &[&str]) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path).to_ascii_lowercase();
    extensions.iter().any(|ext| name.ends_with(ext))
}

/// Whether a path is prose documentation (`README.md`, `docs/guide.rst`), which no
/// test or build checks.
fn is_documentation(path: &str) -> bool {
    ends_with_any(path, &[".md", ".mdx", ".rst", ".txt", ".adoc"])
}

/// The text of a message content: a string, or the `text` of each part of a list
/// (`text`, `input_text`, `output_text` blocks), joined by newlines.
pub fn content_text(content: Option<&serde_json::Value>) -> String {
    use serde_json::Value;
    match content {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Array(parts)) => parts
            .iter()
            .filter_map(|p| p.get("text").and_then(Value::as_str))
            .collect::<Vec<_>>()
            .join("\n"),
        _ => String::new(),
    }
}

/// The task id comes from the prompt when there is one (runs of one request compare).
fn prompt_or(prompt: &str, fallback: &str) -> String {
    if prompt.trim().is_empty() {
        fallback.to_owned()
    } else {
        prompt.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn markers(session: Session) -> Vec<String> {
        let mut outcome = super::super::FileOutcome::default();
        session.finish_into(&mut outcome, "s.jsonl");
        outcome.runs.remove(0).failure_markers
    }

    /// dev5 (PackmindHub/context-evaluator), test45: the user declined Claude Code's plan
    /// and stopped its last turn; both readers judged the plan rejected. (dev47's reader
    /// judged one such end an approval moved to a fresh session, from another log of its
    /// repository; this log alone reads as a refusal.)
    #[test]
    fn an_interruption_counts_only_when_nothing_follows_it() {
        let interrupted = "the user interrupted the run's last turn".to_owned();
        let abandoned = crate::schema::ABANDONED_MARKER.to_owned();
        let mut last = Session {
            cwd: Some("/home/u/evaluator".into()),
            ..Session::default()
        };
        last.user_text("Fix the prompt generator");
        last.tool_call("e1", "Edit", "{}".into(), None, vec!["src/gen.ts".into()], true);
        last.user_text("Keep the git URL visible at the top of the report");
        let plan = "/home/u/.claude/plans/giggly-doodling-toast.md".to_owned();
        last.tool_call("w1", "Write", "{}".into(), None, vec![plan], true);
        last.assistant_text("Here is my plan.", false);
        last.tool_call("p1", "ExitPlanMode", "{}".into(), None, Vec::new(), false);
        last.rejected("p1", "The user doesn't want to proceed with this tool use.");
        last.user_text("[Request interrupted by user for tool use]");
        assert_eq!(
            markers(last),
            [crate::schema::ABANDONED_MARKER],
            "nothing was changed for the last request"
        );
        let mut stopped = Session::default();
        stopped.user_text("Keep the git URL visible at the top of the report");
        stopped.tool_call("r1", "Read", "{}".into(), None, vec!["src/header.tsx".into()], false);
        stopped.user_text("[Request interrupted by user]");
        assert_eq!(
            markers(stopped),
            [abandoned],
            "nothing was changed for the last request"
        );

        let mut edited = Session::default();
        edited.user_text("Keep the git URL visible at the top of the report");
        edited.tool_call("e1", "Edit", "{}".into(), None, vec!["src/header.tsx".into()], true);
        edited.user_text("[Request interrupted by user]");
        assert_eq!(markers(edited), [interrupted], "the last request changed a file");

        let mut resumed = Session::default();
        resumed.user_text("Keep the git URL visible at the top of the report");
        resumed.user_text("[Request interrupted by user]");
        resumed.user_text("Go on, but keep it short");
        resumed.assistant_text("Done: the URL is pinned in the header.", false);
        assert!(markers(resumed).is_empty());
    }

    /// test29 (Nicksakaraw/damini-ai, Gemini CLI): the user types `gcloud auth list`,
    /// the agent runs it as given and it exits 0, then "q": done as asked.
    #[test]
    fn a_command_typed_as_the_request_and_run_as_given_is_a_success() {
        let mut session = Session::default();
        session.user_text("gcloud auth list");
        session.tool_call(
            "c1",
            "run_shell_command",
            "{}".into(),
            Some("gcloud auth list".into()),
            Vec::new(),
            false,
        );
        session.tool_result("c1", "ACTIVE: *", ExitStatus::Known(0));
        session.assistant_text("The active account is m09.", false);
        session.user_text("q");
        let mut outcome = super::super::FileOutcome::default();
        session.finish_into(&mut outcome, "s.jsonl");
        assert_eq!(
            outcome.runs.remove(0).success_markers,
            ["ran the command the last request gave (`gcloud auth list`): exit 0"]
        );
    }

    /// dev42 (Damon-Salvetore/claude-code): asked "is it correct?", the agent starts a
    /// subagent, whose reads and their results come after; the log ends before the
    /// subagent's answer. The run is cut off, though its last call has a result.
    #[test]
    fn a_log_ending_inside_a_subagent_is_cut_off() {
        let run = |finished: bool| {
            let mut session = Session::default();
            session.user_text("Is the quantization correct?");
            session.tool_call("t1", "Task", "{}".into(), None, Vec::new(), false);
            session.tool_call("r1", "Read", "{}".into(), None, vec!["llm/arch/ffn.py".into()], false);
            session.tool_result("r1", "import math", ExitStatus::Unknown);
            if finished {
                session.tool_result("t1", "The quantization matches the spec.", ExitStatus::Unknown);
                session.assistant_text("Yes: it matches the spec.", false);
            }
            let mut outcome = super::super::FileOutcome::default();
            session.finish_into(&mut outcome, "s.jsonl");
            outcome.runs.remove(0).cut_off
        };
        assert!(run(false));
        assert!(!run(true));
    }

    /// dev9 (entireio/git-sync, Codex): asked to drop a claim from the README's FAQ, the
    /// agent edited README.md, checked the diff and said so: a documentation edit that no
    /// check judges, read as done. A log that ends on a call, or a write it cannot see,
    /// says nothing.
    #[test]
    fn an_answered_edit_of_documentation_alone_is_a_success() {
        let successes = |end_on_call: bool, shell_write: bool| {
            let mut session = Session {
                cwd: Some("/home/dev/app".into()),
                ..Session::default()
            };
            session.user_text("Remove the atomicity question from the FAQ");
            session.tool_call("e1", "apply_patch", "{}".into(), None, vec!["README.md".into()], true);
            if shell_write {
                session.tool_call(
                    "s1",
                    "shell",
                    "{}".into(),
                    Some("echo x >> docs/notes.md".into()),
                    vec![],
                    false,
                );
            }
            session.assistant_text("Removed the question and its answer; nothing else changed.", false);
            if end_on_call {
                session.tool_call("s2", "shell", "{}".into(), Some("git status".into()), vec![], false);
            }
            let mut outcome = super::super::FileOutcome::default();
            session.finish_into(&mut outcome, "s.jsonl");
            outcome.runs.remove(0).success_markers
        };
        assert_eq!(
            successes(false, false),
            ["the run changed documentation only (README.md)"]
        );
        assert!(successes(true, false).is_empty());
        assert!(successes(false, true).is_empty());
    }

    /// test45 and dev50 (Codex running spec-kit's `/speckit.specify` and `/speckit.tasks`):
    /// the script the prompt says to run, then the spec written by a here-document into
    /// the directory made for it. The script is a step of the request, not a write the
    /// log cannot see; a script the request did not name still is one.
    #[test]
    fn a_script_the_request_prescribes_leaves_a_documentation_run_judged() {
        let markers = |script: &str| {
            let mut session = Session {
                cwd: Some("/work/app".into()),
                ..Session::default()
            };
            session.user_text(
                "## Outline\n1. Run `.specify/scripts/bash/create-new-feature.sh --json \"$ARGUMENTS\"` from repo root",
            );
            session.tool_call("c1", "shell", "{}".into(), Some(script.into()), vec![], false);
            session.tool_result(
                "c1",
                "{\"SPEC_FILE\":\"/work/app/specs/001-x/spec.md\"}",
                ExitStatus::Known(0),
            );
            let heredoc = "mkdir -p specs/001-x/checklists && cat > specs/001-x/spec.md <<'EOF'\n# Spec\nEOF";
            session.tool_call("c2", "shell", "{}".into(), Some(heredoc.into()), vec![], false);
            session.tool_result("c2", "", ExitStatus::Known(0));
            session.assistant_text("Wrote the spec for branch 001-x.", false);
            finished(session).success_markers
        };
        assert_eq!(
            markers(".specify/scripts/bash/create-new-feature.sh --json \"add a thing\""),
            ["the run changed documentation only (specs/001-x/spec.md)"]
        );
        assert!(markers("scripts/setup.sh --json").is_empty());
    }

    fn finished(session: Session) -> super::super::draft::RunDraft {
        let mut outcome = super::super::FileOutcome::default();
        session.finish_into(&mut outcome, "s.jsonl");
        outcome.runs.remove(0)
    }

    /// A session that changed `src/a.ts` for its first request.
    fn after_an_edit() -> Session {
        let mut session = Session::default();
        session.user_text("Add the sync of saved filters");
        session.tool_call("e1", "apply_patch", "{}".into(), None, vec!["src/a.ts".into()], true);
        session.tool_result("e1", "Success", ExitStatus::Unknown);
        session
    }

    /// dev47 (memrynote): "exit" typed into Codex, whose turn the user then stopped,
    /// stops nothing asked, so it abandons nothing.
    #[test]
    fn an_interrupt_that_stops_nothing_asked_abandons_nothing() {
        let mut session = after_an_edit();
        session.assistant_text("Implemented the sync. Tests not run.", false);
        session.user_text("exit");
        session.interrupted();
        assert!(finished(session).failure_markers.is_empty());

        // Stopping the agent's work is still an interruption.
        let mut session = after_an_edit();
        session.user_text("Now add the tests");
        session.tool_call("r1", "Read", "{}".into(), None, vec!["src/a.ts".into()], false);
        session.user_text("[Request interrupted by user]");
        assert_eq!(finished(session).failure_markers, [crate::schema::ABANDONED_MARKER]);
    }

    /// test45 (a Claude Code grant session): the harness ran out of usage, then the user
    /// asked to continue and the log ends: the error was not the end, the request is
    /// unanswered.
    #[test]
    fn a_harness_error_the_user_spoke_after_is_not_the_end() {
        let mut session = after_an_edit();
        session.harness_error("You're out of extra usage");
        session.user_text("continue generating");
        let run = finished(session);
        assert!(run.failure_markers.is_empty(), "{:?}", run.failure_markers);
        assert!(run.answered_in_words, "the last request got no answer");
    }

    /// dev47 (ivanma9/ship, Codex): "what do we have left" answered with the open test
    /// groups, then a question about the next session's prompt: the work said to remain
    /// stays said while only words follow.
    #[test]
    fn open_work_said_earlier_stays_said_while_only_words_follow() {
        let mut session = after_an_edit();
        session.assistant_text("Group 3 passes.", false);
        session.user_text("overall statistics? and what do we have left");
        session.assistant_text("Layer 3 is partially complete: groups 5 to 7 are not yet run.", false);
        session.user_text("what prompt should I start the next session with?");
        session.assistant_text("Use this: continue the Layer 3 closure work.", false);
        let run = finished(session);
        assert!(
            run.failure_markers
                .iter()
                .any(|m| m.starts_with(crate::schema::WORK_REMAINS_MARKER)),
            "{:?}",
            run.failure_markers
        );
    }
}

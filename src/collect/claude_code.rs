//! The `claude-code` adapter: Claude Code session transcripts
//! (`~/.claude/projects/<project-slug>/<session-id>.jsonl`), one session per file.
//!
//! Lines carry `type` (`user`, `assistant`, `summary`, `system`, ...), `sessionId`,
//! `cwd`, `gitBranch`, `timestamp` and a `message` whose `content` is a string or a
//! list of blocks: `text`, `tool_use {id, name, input}`, `tool_result {tool_use_id,
//! content, is_error}`. Bash calls become commands with their exit status; Read,
//! Edit, MultiEdit, Write and NotebookEdit paths become source files; test and build
//! commands become validation results.
//!
//! A subagent's tool calls relayed in `progress` lines (`agent_progress`) are read as
//! the parent's; a subagent's own file (`isSidechain` lines) is its own run,
//! `<session>/agent-<agentId>`.
//!
//! A Bash result's exit status is read only from its own wrapper: `is_error` and an
//! `Exit code N` first line — never from text inside the output. A call the user
//! rejected did not run.
//!
//! A line wrapped by a tool that keeps transcripts (`{"role", "content", "raw": <line>}`)
//! is read as the line it wraps.
//!
//! A `/export` text or a copy of the screen is read by [`super::screen`].

use super::session::{ExitStatus, Session, content_text};
use super::{FileOutcome, LineReader, Rejected, SourceSpec, for_each_line};
use serde_json::Value;

pub(super) fn read(
    reader: &mut LineReader<std::fs::File>,
    spec: &SourceSpec,
    display: &str,
    progress: &(dyn Fn(u64) + Sync),
) -> std::io::Result<FileOutcome> {
    let mut session = Session::new(spec.checks.clone());
    session.ends_on_its_answer = true;
    let mut last_message_id: Option<String> = None;
    let mut sidechain_agent: Option<String> = None;
    // A local command (`/context`, `/cost`) ran: the harness's next meta message is its
    // output, shown to the model, not a request.
    let mut local_command_ran = false;
    let mut outcome = for_each_line(reader, display, "claude-code", progress, |line, value| {
        let value = unwrapped(value);
        let kind = value
            .get("type")
            .and_then(Value::as_str)
            .ok_or_else(|| Rejected::OtherFormat("no `type`: not a Claude Code transcript line".into()))?;
        session.saw_line(line.offset, line.number, value.get("timestamp").and_then(Value::as_str));
        if session.id.is_none() {
            session.id = value.get("sessionId").and_then(Value::as_str).map(str::to_owned);
        }
        if session.cwd.is_none() {
            session.cwd = value.get("cwd").and_then(Value::as_str).map(str::to_owned);
        }
        let message = value.get("message");
        match kind {
            "summary" => {
                if let Some(text) = value.get("summary").and_then(Value::as_str) {
                    session.summary(text);
                }
            }
            "user"
                if std::mem::take(&mut local_command_ran)
                    && value.get("isMeta").and_then(Value::as_bool) == Some(true) => {}
            "user" => {
                let message = message.ok_or(Rejected::Incomplete("user line without `message`"))?;
                match message.get("content") {
                    Some(Value::String(text)) => user_text(&mut session, text),
                    Some(Value::Array(blocks)) => {
                        for block in blocks {
                            user_block(&mut session, block);
                        }
                    }
                    _ => return Err(Rejected::Incomplete("user message without content")),
                }
                // A slash command's or skill's text, expanded by the harness (`isMeta`):
                // the git operations its recipe lists were not asked by the person.
                if value.get("isMeta").and_then(Value::as_bool) == Some(true) {
                    session.request_is_a_template();
                }
                last_message_id = None;
            }
            // The harness queues a background command's notification before the model
            // sees it as a user message.
            "queue-operation" => {
                if let Some(content) = value.get("content").and_then(Value::as_str)
                    && let Some((task, status)) = task_notification(content)
                {
                    session.session_poll(task, content, status);
                }
            }
            "system" if value.get("subtype").and_then(Value::as_str) == Some("local_command") => {
                local_command_ran = true;
            }
            "system" if value.get("subtype").and_then(Value::as_str) == Some("api_error") => {
                session.harness_error("API error");
            }
            "assistant" if value.get("isApiErrorMessage").and_then(Value::as_bool) == Some(true) => {
                session.harness_error(&content_text(message.and_then(|m| m.get("content"))));
            }
            "assistant" => {
                let message = message.ok_or(Rejected::Incomplete("assistant line without `message`"))?;
                if let Some(model) = message.get("model").and_then(Value::as_str) {
                    session.model(model);
                }
                let id = message.get("id").and_then(Value::as_str).map(str::to_owned);
                let merge = id.is_some() && id == last_message_id;
                last_message_id = id;
                match message.get("content") {
                    Some(Value::String(text)) => session.assistant_text(text, merge),
                    Some(Value::Array(blocks)) => {
                        for (i, block) in blocks.iter().enumerate() {
                            assistant_block(&mut session, block, merge || i > 0);
                        }
                    }
                    _ => return Err(Rejected::Incomplete("assistant message without content")),
                }
            }
            // A subagent's turns, relayed in the parent's transcript: its tool calls and
            // results are the parent run's work (its prompt and prose are not).
            "progress" => {
                let data = value.get("data");
                if data.and_then(|d| d.get("type")).and_then(Value::as_str) == Some("agent_progress")
                    && let Some(inner) = data
                        .and_then(|d| d.pointer("/message/message/content"))
                        .and_then(Value::as_array)
                {
                    for block in inner {
                        match block.get("type").and_then(Value::as_str) {
                            Some("tool_use") => assistant_block(&mut session, block, true),
                            Some("tool_result") => user_block(&mut session, block),
                            _ => {}
                        }
                    }
                }
            }
            _ => {}
        }
        if sidechain_agent.is_none() && value.get("isSidechain").and_then(Value::as_bool) == Some(true) {
            sidechain_agent = value.get("agentId").and_then(Value::as_str).map(str::to_owned);
        }
        Ok(())
    })?;
    // A subagent's own file (`agent-*.jsonl`) shares its parent's session id; it is its
    // own run, named after the parent: `<session>/agent-<agentId>`.
    if let (Some(agent), Some(id)) = (sidechain_agent, session.id.as_mut()) {
        *id = format!("{id}/agent-{agent}");
    }
    session.finish_into(&mut outcome, display);
    Ok(outcome)
}

/// A transcript line as it was written: tools that keep Claude Code's transcripts (the
/// wasa CLI's checkpoints) wrap each line as `{"role", "content", "raw": <line>}`.
fn unwrapped(value: Value) -> Value {
    match value {
        Value::Object(mut map) if !map.contains_key("type") && map.get("raw").and_then(|r| r.get("type")).is_some() => {
            map.remove("raw").unwrap_or_default()
        }
        other => other,
    }
}

/// A user message: a request, or the harness telling how a background command ended.
fn user_text(session: &mut Session, text: &str) {
    match task_notification(text) {
        Some((task, status)) => session.session_poll(task, text, status),
        None => session.user_text(text),
    }
}

/// The text of `<name>…</name>` in `text` (the last closing tag, so an output may hold
/// the tag's name).
fn tag<'a>(text: &'a str, name: &str) -> Option<&'a str> {
    let open = format!("<{name}>");
    let start = text.find(&open)? + open.len();
    let len = text[start..].rfind(&format!("</{name}>"))?;
    Some(text[start..start + len].trim())
}

/// A `TaskOutput` (or older `BashOutput`) result: the background command's status, exit
/// code and whole output so far.
fn task_output(text: &str) -> Option<(ExitStatus, String)> {
    let status = tag(text, "status")?;
    let output = match tag(text, "output") {
        Some(output) => output.to_owned(),
        None => [tag(text, "stdout"), tag(text, "stderr")]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join("\n"),
    };
    let code = tag(text, "exit_code").and_then(|n| n.parse().ok());
    let exit = match (status, code) {
        (_, Some(code)) => ExitStatus::Known(code),
        ("completed", None) => ExitStatus::Known(0),
        ("failed" | "killed", None) => ExitStatus::Flagged(true),
        _ => ExitStatus::Running,
    };
    Some((exit, output))
}

/// `<task-notification><task-id>X</task-id>…<status>failed</status><summary>Background
/// command "…" failed with exit code 1</summary>`: how background command X ended.
fn task_notification(text: &str) -> Option<(&str, ExitStatus)> {
    if !text.trim_start().starts_with("<task-notification>") {
        return None;
    }
    let task = tag(text, "task-id")?;
    let summary = tag(text, "summary").unwrap_or_default();
    let code = summary
        .rsplit_once("exit code ")
        .and_then(|(_, n)| n.trim_end_matches(|c: char| !c.is_ascii_digit()).parse().ok());
    let status = match (tag(text, "status"), code) {
        (_, Some(code)) => ExitStatus::Known(code),
        (Some("completed"), None) => ExitStatus::Known(0),
        (Some("failed" | "killed"), None) => ExitStatus::Flagged(true),
        _ => ExitStatus::Running,
    };
    Some((task, status))
}

/// `Command running in background with ID: X. Output is being written to: …`: the
/// command goes on, and a task notification says how it ended.
fn background_task(output: &str) -> Option<&str> {
    let rest = output
        .trim_start()
        .strip_prefix("Command running in background with ID:")?;
    rest.split(['.', '\n'])
        .next()
        .map(str::trim)
        .filter(|id| !id.is_empty())
}

fn user_block(session: &mut Session, block: &Value) {
    match block.get("type").and_then(Value::as_str) {
        Some("text") => user_text(session, block.get("text").and_then(Value::as_str).unwrap_or_default()),
        Some("tool_result") => {
            let id = block.get("tool_use_id").and_then(Value::as_str).unwrap_or_default();
            let output = content_text(block.get("content"));
            let is_error = block.get("is_error").and_then(Value::as_bool).unwrap_or(false);
            if let Some((task, (status, text))) = session.polled_by(id).zip(task_output(&output)) {
                session.tool_result(id, &output, status);
                session.session_output(&task, &text, status);
            } else if is_error && was_rejected(&output) {
                session.rejected(id, &output);
            } else if let Some(task) = background_task(&output).filter(|_| !is_error) {
                session.tool_result(id, &output, ExitStatus::Running);
                session.still_running(id, task);
            } else {
                session.tool_result(id, &output, exit_status(&output, is_error));
            }
        }
        _ => {}
    }
}

fn assistant_block(session: &mut Session, block: &Value, merge: bool) {
    match block.get("type").and_then(Value::as_str) {
        Some("text") => session.assistant_text(block.get("text").and_then(Value::as_str).unwrap_or_default(), merge),
        Some("tool_use") => {
            let id = block.get("id").and_then(Value::as_str).unwrap_or_default();
            let name = block.get("name").and_then(Value::as_str).unwrap_or_default();
            let input = block.get("input").cloned().unwrap_or(Value::Null);
            let command = (name == "Bash")
                .then(|| input.get("command").and_then(Value::as_str).map(str::to_owned))
                .flatten();
            let files = match name {
                "Read" | "Edit" | "MultiEdit" | "Write" | "NotebookEdit" => ["file_path", "notebook_path"]
                    .iter()
                    .filter_map(|k| input.get(*k).and_then(Value::as_str).map(str::to_owned))
                    .collect(),
                _ => Vec::new(),
            };
            // Only the editing tools write the file they name; any other tool is judged
            // by what it is (Grep and Glob read; Bash by its command).
            let changes = matches!(name, "Edit" | "MultiEdit" | "Write" | "NotebookEdit");
            let subagent = input.get("subagent_type").and_then(Value::as_str);
            session.tool_call(id, name, input.to_string(), command, files, changes);
            // `TaskOutput {task_id}` reads a background command's output and status.
            if let Some(task) = matches!(name, "TaskOutput" | "BashOutput")
                .then(|| {
                    input
                        .get("task_id")
                        .or_else(|| input.get("bash_id"))
                        .and_then(Value::as_str)
                })
                .flatten()
            {
                session.polls(id, task);
            }
            if matches!(name, "Task" | "Agent") && matches!(subagent, Some("Explore" | "Plan")) {
                session.reads_only(id);
            }
        }
        _ => {}
    }
}

/// Claude Code's answer for a call the user refused or interrupted: nothing ran.
pub(super) fn was_rejected(output: &str) -> bool {
    let start = output.trim_start();
    start.starts_with("The user doesn't want to proceed with this tool use")
        || start.starts_with("[Request interrupted by user")
        || start.contains("tool use was rejected")
}

/// A result's exit status from its wrapper: `Exit code N` as the first line of an
/// error result, else 1 for an error and 0 for a success.
pub(super) fn exit_status(output: &str, is_error: bool) -> ExitStatus {
    if !is_error {
        return ExitStatus::Known(0);
    }
    let first = output.trim_start().lines().next().unwrap_or_default();
    match first.strip_prefix("Exit code ").and_then(|n| n.trim().parse().ok()) {
        Some(code) => ExitStatus::Known(code),
        None => ExitStatus::Flagged(true),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// dev7 (obsessiondb/chkit): `gh pr checks 28 --watch` went to the background; the
    /// harness's notification later said it failed. It had not passed when it started.
    #[test]
    fn a_background_command_ends_when_its_notification_says() {
        let started =
            "Command running in background with ID: bd7df0c. Output is being written to: /tmp/t/bd7df0c.output";
        assert_eq!(background_task(started), Some("bd7df0c"));
        assert_eq!(background_task("ok"), None);
        let note = "<task-notification>\n<task-id>bd7df0c</task-id>\n<status>failed</status>\n<summary>Background command \"Watch PR checks until complete\" failed with exit code 1</summary>\n</task-notification>\nRead the output file";
        assert_eq!(task_notification(note), Some(("bd7df0c", ExitStatus::Known(1))));
        let done = "<task-notification><task-id>b1</task-id><status>completed</status><summary>Background command \"x\" completed (exit code 0)</summary></task-notification>";
        assert_eq!(task_notification(done), Some(("b1", ExitStatus::Known(0))));
        assert_eq!(task_notification("please fix the <status> bug"), None);
    }

    #[test]
    fn exit_status_comes_from_the_wrapper_only() {
        assert_eq!(exit_status("Exit code 2\nboom", true), ExitStatus::Known(2));
        assert_eq!(
            exit_status("all good; the log said exit code 1 earlier", false),
            ExitStatus::Known(0)
        );
        assert_eq!(
            exit_status("npm ERR! Test failed. See above; exit code 1", true),
            ExitStatus::Flagged(true)
        );
        assert!(was_rejected(
            "The user doesn't want to proceed with this tool use. The tool use was rejected (eg. if it was a file edit, the new_string was NOT written to the file)."
        ));
        assert!(!was_rejected("Exit code 1\nrejected by the linter"));
    }
}

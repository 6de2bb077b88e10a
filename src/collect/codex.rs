//! The `codex` adapter: OpenAI Codex CLI rollouts
//! (`~/.codex/sessions/YYYY/MM/DD/rollout-<time>-<uuid>.jsonl`), one session per file.
//!
//! Current rollouts wrap every line as `{timestamp, type, payload}` with types
//! `session_meta` (id, cwd, git.commit_hash), `turn_context` (model), `response_item`
//! (`message`, `function_call`, `function_call_output`, `custom_tool_call`,
//! `local_shell_call`, `reasoning`) and `event_msg`. Older rollouts start with a bare
//! `{id, timestamp, instructions, git}` line followed by bare response items; both are read.
//! The `codex exec --json` event stream (`thread.started`, `item.completed`,
//! `turn.completed`) is read too.
//!
//! A command's exit status comes, best first, from its `exec_command_end` event, the
//! header of its output (`Exit code: N`, `Process exited with code N`), or a later
//! `write_stdin` poll of the unified-exec session it kept running in.
//!
//! Code mode's `exec` scripts are read by [`code_mode`].

use super::code_mode;
use super::session::{ExitStatus, Session, content_text};
use super::{FileOutcome, LineReader, Rejected, SourceSpec, for_each_line};
use serde_json::Value;
use std::collections::HashMap;

/// Every name Codex has given its shell tool.
const SHELL_TOOLS: &[&str] = &[
    "shell",
    "shell_command",
    "exec_command",
    "unified_exec",
    "container.exec",
    "local_shell",
];

/// What a code-mode script's output reports on.
enum Target {
    /// A command it ran, by call id.
    Command(String),
    /// An exec session it polled.
    Session(String),
}

/// The reader's state beyond the session.
#[derive(Default)]
struct Polls {
    /// `write_stdin` call id → exec session id.
    by_call: HashMap<String, String>,
    /// Code-mode script call id → what its output reports on.
    scripts: HashMap<String, Vec<Target>>,
    /// Running script cell → what its output will report on.
    cells: HashMap<String, Vec<Target>>,
    /// `wait` call id → the cell it waits for.
    waits: HashMap<String, String>,
}

pub(super) fn read(
    reader: &mut LineReader<std::fs::File>,
    spec: &SourceSpec,
    display: &str,
    progress: &(dyn Fn(u64) + Sync),
) -> std::io::Result<FileOutcome> {
    let mut session = Session::new(spec.checks.clone());
    session.ends_on_its_answer = true;
    let mut polls = Polls::default();
    let mut outcome = for_each_line(reader, display, "codex", progress, |line, value| {
        session.saw_line(line.offset, line.number, value.get("timestamp").and_then(Value::as_str));
        match (value.get("type").and_then(Value::as_str), value.get("payload")) {
            (Some("session_meta"), Some(payload)) => meta(&mut session, payload),
            (Some("turn_context"), Some(payload)) => {
                if let Some(model) = payload.get("model").and_then(Value::as_str) {
                    session.model(model);
                }
            }
            (Some("response_item"), Some(payload)) => item(&mut session, &mut polls, payload),
            (Some("event_msg"), Some(payload)) => event(&mut session, payload),
            (Some("compacted"), _) => {}
            (Some("thread.started"), None) => {
                if session.id.is_none() {
                    session.id = value.get("thread_id").and_then(Value::as_str).map(str::to_owned);
                }
            }
            (Some("item.completed"), None) => {
                if let Some(item) = value.get("item") {
                    exec_item(&mut session, item);
                }
            }
            (Some("turn.failed" | "error"), None) => {
                let message = value.pointer("/error/message").or_else(|| value.get("message"));
                session.harness_error(message.and_then(Value::as_str).unwrap_or_default());
            }
            (Some("turn.started" | "turn.completed" | "item.started" | "item.updated"), None) => {}
            (Some(_), None) => item(&mut session, &mut polls, &value),
            (None, _) if value.get("record_type").is_some() => {}
            (None, _) if value.get("id").is_some() => meta(&mut session, &value),
            _ => {
                return Err(Rejected::OtherFormat(
                    "neither a rollout line nor a response item".into(),
                ));
            }
        }
        Ok(())
    })?;
    session.finish_into(&mut outcome, display);
    Ok(outcome)
}

fn meta(session: &mut Session, payload: &Value) {
    if session.id.is_none() {
        session.id = payload.get("id").and_then(Value::as_str).map(str::to_owned);
    }
    if session.cwd.is_none() {
        session.cwd = payload.get("cwd").and_then(Value::as_str).map(str::to_owned);
    }
    if session.commit.is_none() {
        session.commit = payload
            .pointer("/git/commit_hash")
            .and_then(Value::as_str)
            .map(str::to_owned);
    }
    if let Some(model) = payload.get("model").and_then(Value::as_str) {
        session.model(model);
    }
}

fn item(session: &mut Session, polls: &mut Polls, payload: &Value) {
    let call_id = payload
        .get("call_id")
        .or_else(|| payload.get("id"))
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    match payload.get("type").and_then(Value::as_str) {
        Some("message") => {
            let text = content_text(payload.get("content"));
            match payload.get("role").and_then(Value::as_str) {
                Some("user") if !is_harness_boilerplate(&text) => session.user_text(&text),
                Some("assistant") => session.assistant_text(&text, false),
                _ => {}
            }
        }
        Some("function_call") => {
            let name = payload.get("name").and_then(Value::as_str).unwrap_or_default();
            let raw = payload.get("arguments").and_then(Value::as_str).unwrap_or("{}");
            let args: Value = serde_json::from_str(raw).unwrap_or(Value::Null);
            let command = SHELL_TOOLS.contains(&name).then(|| shell_command(&args)).flatten();
            // Codex 0.2x ran patches through its shell tool: `["apply_patch", "*** Begin
            // Patch…"]`, or `apply_patch <<'EOF'` in a script (test29).
            let shell_patch = command
                .as_deref()
                .filter(|c| c.trim_start().starts_with("apply_patch") || c.contains("apply_patch <<"))
                .map(patch_files)
                .filter(|files| !files.is_empty());
            let patches = name == "apply_patch" || shell_patch.is_some();
            let files = if name == "apply_patch" {
                patch_files(args.get("input").and_then(Value::as_str).unwrap_or_default())
            } else {
                shell_patch.unwrap_or_default()
            };
            if name == "write_stdin"
                && let Some(id) = args.get("session_id").map(id_text)
            {
                polls.by_call.insert(call_id.clone(), id);
            }
            if name == "wait"
                && let Some(cell) = args.get("cell_id").map(id_text)
            {
                polls.waits.insert(call_id.clone(), cell);
            }
            session.tool_call(&call_id, name, raw.to_owned(), command, files, patches);
        }
        Some("custom_tool_call") => {
            let name = payload.get("name").and_then(Value::as_str).unwrap_or_default();
            let input = payload.get("input").and_then(Value::as_str).unwrap_or_default();
            if name == "exec" {
                return script_call(session, polls, &call_id, input);
            }
            let files = if name == "apply_patch" {
                patch_files(input)
            } else {
                Vec::new()
            };
            let arguments = serde_json::json!({ "input": input }).to_string();
            session.tool_call(&call_id, name, arguments, None, files, name == "apply_patch");
        }
        Some("local_shell_call") => {
            let action = payload.get("action").cloned().unwrap_or(Value::Null);
            let command = shell_command(&action);
            session.tool_call(&call_id, "local_shell", action.to_string(), command, Vec::new(), false);
        }
        Some("function_call_output" | "custom_tool_call_output" | "local_shell_call_output") => {
            let finished = match polls.waits.remove(&call_id) {
                Some(cell) => polls.cells.remove(&cell),
                None => polls.scripts.remove(&call_id),
            };
            if let Some(targets) = finished {
                let text = content_text(payload.get("output"));
                session.tool_result(&call_id, &text, ExitStatus::Flagged(false));
                return script_output(session, polls, targets, &text);
            }
            let (output, status, running_in) = tool_output(payload.get("output"));
            // "aborted by user after 33.4s": the user stopped the command (an approval
            // prompt, a run taking too long); it says nothing of what it checks.
            if output.starts_with("aborted by user") {
                session.rejected(&call_id, &output);
                return;
            }
            if let Some(exec_session) = polls.by_call.remove(&call_id) {
                session.tool_result(&call_id, &output, ExitStatus::Flagged(false));
                session.session_poll(&exec_session, &output, status);
                return;
            }
            session.tool_result(&call_id, &output, status);
            if let Some(exec_session) = running_in {
                session.still_running(&call_id, &exec_session);
            }
        }
        _ => {}
    }
}

/// A code-mode script ([`code_mode`]): each command it runs is a call of its own
/// (`<call>/<n>`), a patch it applies is the script's own call, a poll of a command an
/// earlier script left running feeds that command, and a script that runs nothing (it
/// reads tool lists, calls a connector) only reads.
fn script_call(session: &mut Session, polls: &mut Polls, call_id: &str, input: &str) {
    let script = code_mode::read_script(input);
    let arguments = serde_json::json!({ "input": input }).to_string();
    let mut targets = Vec::new();
    for (n, command) in script.commands.iter().enumerate() {
        let id = format!("{call_id}/{n}");
        let args = serde_json::json!({ "cmd": command }).to_string();
        session.tool_call(&id, "exec_command", args, Some(command.clone()), Vec::new(), false);
        targets.push(Target::Command(id));
    }
    targets.extend(script.polled.iter().cloned().map(Target::Session));
    let unknown = script.dynamic_commands > 0 || script.dynamic_polls > 0;
    if script.patches {
        session.tool_call(call_id, "apply_patch", arguments, None, script.patched, true);
    } else if script.commands.is_empty() || unknown {
        session.tool_call(call_id, "exec", arguments, None, Vec::new(), false);
        if !unknown {
            session.reads_only(call_id);
        }
    }
    polls.scripts.insert(call_id.to_owned(), targets);
}

/// A script's output, or the `wait` output that finished it, given to its commands and
/// to the running commands it polled.
fn script_output(session: &mut Session, polls: &mut Polls, targets: Vec<Target>, text: &str) {
    match code_mode::script_output(text) {
        code_mode::ScriptOutput::Running(cell) => {
            polls.cells.insert(cell, targets);
        }
        code_mode::ScriptOutput::Completed(printed) => {
            let results = code_mode::command_results(&printed, targets.len());
            for (target, result) in targets.iter().zip(results) {
                match target {
                    Target::Command(id) => {
                        session.command_end(id, &result.output, result.status);
                        if let Some(exec_session) = &result.session {
                            session.still_running(id, exec_session);
                        }
                    }
                    Target::Session(exec_session) => session.session_poll(exec_session, &result.output, result.status),
                }
            }
        }
    }
}

/// Codex injects environment and instruction blocks as user messages; they are not the prompt.
fn is_harness_boilerplate(text: &str) -> bool {
    let t = text.trim_start();
    // `<turn_aborted>`: the harness telling the model the user stopped a turn (dev47).
    t.starts_with("<environment_context>")
        || t.starts_with("<user_instructions>")
        || t.starts_with("# AGENTS.md")
        || t.starts_with("<turn_aborted>")
}

/// The command of a shell call: `["bash", "-lc", "cargo test"]` → `cargo test`.
fn shell_command(args: &Value) -> Option<String> {
    match args.get("command").or_else(|| args.get("cmd")) {
        Some(Value::String(s)) => Some(s.clone()),
        Some(Value::Array(parts)) => {
            let parts: Vec<&str> = parts.iter().filter_map(Value::as_str).collect();
            if let [shell, flag, script] = parts.as_slice()
                && shell.ends_with("sh")
                && flag.starts_with('-')
            {
                return Some((*script).to_owned());
            }
            // `powershell.exe -NoLogo -Command "pytest"`, `cmd /c …`: the script after the
            // shell's command flag (dev29, Codex on Windows).
            let program = parts.first().map(|p| {
                let name = p.rsplit(['/', '\\']).next().unwrap_or(p).to_ascii_lowercase();
                name.trim_end_matches(".exe").to_owned()
            });
            let shell =
                program.is_some_and(|p| p.ends_with("sh") || matches!(p.as_str(), "powershell" | "pwsh" | "cmd"));
            let script_at = parts.iter().position(|p| {
                matches!(
                    p.to_ascii_lowercase().as_str(),
                    "-c" | "-lc" | "-ic" | "-command" | "/c"
                )
            });
            match script_at {
                Some(at) if shell && at + 1 < parts.len() => Some(parts[at + 1..].join(" ")),
                _ => Some(parts.join(" ")),
            }
        }
        _ => None,
    }
}

/// Output text, exit status and (for a command still running) its exec session id:
/// `{"output": "...", "metadata": {"exit_code": 0}}`, or text whose header (the lines
/// before `Output:`) says `Exit code: N`, `Process exited with code N` or `Process
/// running with session ID N`, or that starts `failed in sandbox:`. Text inside the
/// output itself is never read as a status.
fn tool_output(output: Option<&Value>) -> (String, ExitStatus, Option<String>) {
    let raw = match output {
        Some(Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
        None => String::new(),
    };
    if let Ok(Value::Object(obj)) = serde_json::from_str::<Value>(&raw) {
        let text = obj.get("output").and_then(Value::as_str).unwrap_or_default().to_owned();
        let status = obj
            .get("metadata")
            .and_then(|m| m.get("exit_code"))
            .and_then(Value::as_i64)
            .and_then(|n| i32::try_from(n).ok())
            .map_or(ExitStatus::Flagged(false), ExitStatus::Known);
        return (text, status, None);
    }
    // Codex before 0.50 reports a command that exited non-zero under its sandbox by
    // this prefix alone, with the command's stderr and no code.
    if raw.starts_with("failed in sandbox") {
        return (raw, ExitStatus::Flagged(true), None);
    }
    let mut status = ExitStatus::Flagged(false);
    let mut running_in = None;
    for line in raw.lines().take(8) {
        let line = line.trim();
        if line == "Output:" {
            break;
        }
        let number = |prefix: &str| line.strip_prefix(prefix).and_then(|n| n.trim().parse::<i32>().ok());
        if let Some(code) = number("Exit code:").or_else(|| number("Process exited with code")) {
            status = ExitStatus::Known(code);
        } else if let Some(id) = line.strip_prefix("Process running with session ID") {
            status = ExitStatus::Running;
            running_in = Some(id.trim().to_owned());
        }
    }
    (raw, status, running_in)
}

/// `event_msg` payloads: `exec_command_end` carries the measured exit code.
fn event(session: &mut Session, payload: &Value) {
    match payload.get("type").and_then(Value::as_str) {
        Some("exec_command_end") => {}
        Some("error" | "stream_error") => {
            session.harness_error(payload.get("message").and_then(Value::as_str).unwrap_or_default());
            return;
        }
        Some("turn_aborted") => {
            if payload.get("reason").and_then(Value::as_str) == Some("interrupted") {
                session.interrupted();
            }
            return;
        }
        _ => return,
    }
    let (Some(call_id), Some(code)) = (
        payload.get("call_id").and_then(Value::as_str),
        payload
            .get("exit_code")
            .and_then(Value::as_i64)
            .and_then(|n| i32::try_from(n).ok()),
    ) else {
        return;
    };
    let output = ["aggregated_output", "formatted_output", "stdout"]
        .iter()
        .find_map(|k| payload.get(*k).and_then(Value::as_str).filter(|s| !s.is_empty()))
        .unwrap_or_default();
    let stderr = payload.get("stderr").and_then(Value::as_str).unwrap_or_default();
    let text = if stderr.is_empty() || output.contains(stderr) {
        output.to_owned()
    } else {
        format!("{output}\n{stderr}")
    };
    session.command_end(call_id, &text, ExitStatus::Known(code));
}

/// One completed item of the `codex exec --json` stream.
fn exec_item(session: &mut Session, item: &Value) {
    let id = item.get("id").and_then(Value::as_str).unwrap_or_default();
    let text = |key: &str| item.get(key).and_then(Value::as_str).unwrap_or_default();
    match item.get("type").and_then(Value::as_str) {
        Some("agent_message") => session.assistant_text(text("text"), false),
        Some("command_execution") => {
            let command = text("command").to_owned();
            let arguments = serde_json::json!({ "command": command }).to_string();
            session.tool_call(id, "shell", arguments, Some(command.clone()), Vec::new(), false);
            let output = text("aggregated_output");
            if text("status") == "declined" {
                session.rejected(id, output);
                return;
            }
            let status = match item
                .get("exit_code")
                .and_then(Value::as_i64)
                .and_then(|n| i32::try_from(n).ok())
            {
                Some(code) => ExitStatus::Known(code),
                None => ExitStatus::Flagged(text("status") == "failed"),
            };
            session.tool_result(id, output, status);
        }
        Some("file_change") => {
            let files: Vec<String> = item
                .get("changes")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter(|c| c.get("kind").and_then(Value::as_str) != Some("delete"))
                .filter_map(|c| c.get("path").and_then(Value::as_str).map(str::to_owned))
                .collect();
            let arguments = item.get("changes").cloned().unwrap_or(Value::Null).to_string();
            // A write that failed ("Failed to write file", a read-only sandbox) changed nothing.
            let failed = text("status") == "failed";
            session.tool_call(id, "apply_patch", arguments, None, files, !failed);
            session.tool_result(id, "", ExitStatus::Flagged(failed));
        }
        Some("mcp_tool_call") => {
            let name = format!("{}.{}", text("server"), text("tool"));
            let arguments = item.get("arguments").cloned().unwrap_or(Value::Null).to_string();
            session.tool_call(id, &name, arguments, None, Vec::new(), false);
        }
        _ => {}
    }
}

/// A session id as text, whether the log wrote it as a number or a string.
fn id_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Files named by an apply_patch body (`*** Update File: path`, `*** Add File:`, `*** Delete File:`).
pub(super) fn patch_files(patch: &str) -> Vec<String> {
    patch
        .lines()
        .filter_map(|l| {
            [
                "*** Update File: ",
                "*** Add File: ",
                "*** Delete File: ",
                "*** Move to: ",
            ]
            .iter()
            .find_map(|p| l.strip_prefix(p))
        })
        .map(|p| p.trim().to_owned())
        .collect()
}

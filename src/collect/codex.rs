//! The `codex` adapter: OpenAI Codex CLI rollouts
//! (`~/.codex/sessions/YYYY/MM/DD/rollout-<time>-<uuid>.jsonl`), one session per file.
//!
//! Current rollouts wrap every line as `{timestamp, type, payload}` with types
//! `session_meta` (id, cwd, git.commit_hash), `turn_context` (model), `response_item`
//! (`message`, `function_call`, `function_call_output`, `custom_tool_call`,
//! `local_shell_call`, `reasoning`) and `event_msg`. Older rollouts start with a bare
//! `{id, timestamp, instructions, git}` line followed by bare response items; both are read.

use super::session::{Session, content_text};
use super::{FileOutcome, LineReader, for_each_line};
use serde_json::Value;

const SHELL_TOOLS: &[&str] = &["shell", "exec_command", "container.exec", "local_shell"];

pub(super) fn read(
    reader: &mut LineReader<std::fs::File>,
    display: &str,
    progress: &(dyn Fn(u64) + Sync),
) -> std::io::Result<FileOutcome> {
    let mut session = Session::default();
    let mut outcome = for_each_line(reader, display, "codex", progress, |line, value| {
        session.saw_line(line.offset, line.number, value.get("timestamp").and_then(Value::as_str));
        match (value.get("type").and_then(Value::as_str), value.get("payload")) {
            (Some("session_meta"), Some(payload)) => meta(&mut session, payload),
            (Some("turn_context"), Some(payload)) => {
                if let Some(model) = payload.get("model").and_then(Value::as_str) {
                    session.model(model);
                }
            }
            (Some("response_item"), Some(payload)) => item(&mut session, payload),
            (Some("event_msg" | "compacted"), _) => {}
            (Some(_), None) => item(&mut session, &value),
            (None, _) if value.get("record_type").is_some() => {}
            (None, _) if value.get("id").is_some() => meta(&mut session, &value),
            _ => return Err("neither a rollout line nor a response item".into()),
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

fn item(session: &mut Session, payload: &Value) {
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
            let files = if name == "apply_patch" {
                patch_files(args.get("input").and_then(Value::as_str).unwrap_or_default())
            } else {
                Vec::new()
            };
            session.tool_call(&call_id, name, raw.to_owned(), command, files);
        }
        Some("custom_tool_call") => {
            let name = payload.get("name").and_then(Value::as_str).unwrap_or_default();
            let input = payload.get("input").and_then(Value::as_str).unwrap_or_default();
            let files = if name == "apply_patch" {
                patch_files(input)
            } else {
                Vec::new()
            };
            let arguments = serde_json::json!({ "input": input }).to_string();
            session.tool_call(&call_id, name, arguments, None, files);
        }
        Some("local_shell_call") => {
            let action = payload.get("action").cloned().unwrap_or(Value::Null);
            let command = shell_command(&action);
            session.tool_call(&call_id, "local_shell", action.to_string(), command, Vec::new());
        }
        Some("function_call_output" | "custom_tool_call_output" | "local_shell_call_output") => {
            let (output, exit_code) = tool_output(payload.get("output"));
            session.tool_result(&call_id, &output, exit_code, false);
        }
        _ => {}
    }
}

/// Codex injects environment and instruction blocks as user messages; they are not the prompt.
fn is_harness_boilerplate(text: &str) -> bool {
    let t = text.trim_start();
    t.starts_with("<environment_context>") || t.starts_with("<user_instructions>") || t.starts_with("# AGENTS.md")
}

/// The command of a shell call: `["bash", "-lc", "cargo test"]` → `cargo test`.
fn shell_command(args: &Value) -> Option<String> {
    match args.get("command").or_else(|| args.get("cmd")) {
        Some(Value::String(s)) => Some(s.clone()),
        Some(Value::Array(parts)) => {
            let parts: Vec<&str> = parts.iter().filter_map(Value::as_str).collect();
            match parts.as_slice() {
                [shell, flag, script] if shell.ends_with("sh") && flag.starts_with('-') => Some((*script).to_owned()),
                _ => Some(parts.join(" ")),
            }
        }
        _ => None,
    }
}

/// Output text and exit code: `{"output": "...", "metadata": {"exit_code": 0}}`, or plain text.
fn tool_output(output: Option<&Value>) -> (String, Option<i32>) {
    let raw = match output {
        Some(Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
        None => String::new(),
    };
    if let Ok(Value::Object(obj)) = serde_json::from_str::<Value>(&raw) {
        let text = obj.get("output").and_then(Value::as_str).unwrap_or_default().to_owned();
        let exit = obj
            .get("metadata")
            .and_then(|m| m.get("exit_code"))
            .and_then(Value::as_i64)
            .and_then(|n| i32::try_from(n).ok());
        return (text, exit);
    }
    (raw, None)
}

/// Files named by an apply_patch body (`*** Update File: path`, `*** Add File:`, `*** Delete File:`).
fn patch_files(patch: &str) -> Vec<String> {
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

//! The `gemini` adapter: Gemini CLI chat recordings
//! (`~/.gemini/tmp/<project-hash>/chats/session-*.json[l]`), one session per file.
//!
//! Older versions write one JSON document `{sessionId, startTime, messages: [...]}`;
//! newer ones append JSONL records: a metadata line, message records (a record whose
//! `id` was seen before replaces it in place), `{"$rewindTo": id}` (drops that message
//! and everything after it) and `{"$set": {...}}`. Both are read.
//!
//! A message has `type` (`user`, `gemini`, `info`, `error`, `warning`), `content`
//! (a string or parts), and for `gemini` `model`, `toolCalls[{id, name, args, result,
//! status}]`. `run_shell_command` calls are commands: the exit status comes from the
//! tool's own footer (`Exit Code: N` among the last lines of its response; none on
//! success) and the call's `status`; a `cancelled` call did not run. `write_file`,
//! `replace` and `edit` change files; `read_file` reads one.
//!
//! The Markdown that `/chat share` exports is read too ([`gemini_share`]), so is a copy
//! of the CLI's screen ([`screen`]), and so is the event stream of headless runs
//! (`--output-format stream-json`), turned into the messages a recording would hold.

use super::gemini_share;
use super::screen;
use super::session::{ExitStatus, Session, content_text};
use super::{Rejected, RunDraft, SourceSpec};
use serde_json::Value;

/// Parse a whole recording (document or JSONL) into its run.
pub(super) fn parse(spec: &SourceSpec, display: &str, text: &str) -> Result<Vec<RunDraft>, Rejected> {
    let trimmed = text.trim_start();
    let document = serde_json::from_str::<Value>(trimmed)
        .ok()
        .filter(|v| v.get("messages").is_some_and(Value::is_array));
    let (meta, messages) = match document {
        Some(mut doc) => {
            let messages = doc
                .get_mut("messages")
                .and_then(|m| m.as_array_mut())
                .map(std::mem::take)
                .unwrap_or_default();
            (doc, messages)
        }
        None if gemini_share::is_share(trimmed) => (Value::Null, gemini_share::messages(trimmed)),
        None if is_stream(trimmed) => stream_messages(trimmed)?,
        None if screen::dialect(trimmed) == Some(screen::Dialect::Gemini) => {
            return Ok(screen::parse(spec, display, trimmed, screen::Dialect::Gemini));
        }
        None => records(trimmed)?,
    };
    let mut session = Session::new(spec.checks.clone());
    session.id = meta.get("sessionId").and_then(Value::as_str).map(str::to_owned);
    for (number, message) in messages.iter().enumerate() {
        let time = message.get("timestamp").and_then(Value::as_str);
        session.saw_line(0, number as u64 + 1, time);
        read_message(&mut session, message);
    }
    let mut outcome = super::FileOutcome::default();
    session.finish_into(&mut outcome, display);
    Ok(outcome.runs)
}

/// The JSONL form: metadata merged from every metadata and `$set` record, messages in
/// order with replacements and rewinds applied.
fn records(text: &str) -> Result<(Value, Vec<Value>), Rejected> {
    let mut meta = serde_json::Map::new();
    let mut ids: Vec<String> = Vec::new();
    let mut messages: std::collections::HashMap<String, Value> = Default::default();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let at = i as u64 + 1;
        let record: Value = serde_json::from_str(line).map_err(|e| Rejected::of_json(&e).at_line(at))?;
        let Value::Object(object) = record else {
            return Err(Rejected::NotAnObject.at_line(at));
        };
        if let Some(target) = object.get("$rewindTo").and_then(Value::as_str) {
            match ids.iter().position(|id| id == target) {
                Some(at) => {
                    for id in ids.drain(at..) {
                        messages.remove(&id);
                    }
                }
                None => {
                    ids.clear();
                    messages.clear();
                }
            }
        } else if let Some(Value::Object(set)) = object.get("$set") {
            meta.extend(set.clone());
        } else if let (Some(id), Some(_)) = (object.get("id").and_then(Value::as_str), object.get("type")) {
            if !messages.contains_key(id) {
                ids.push(id.to_owned());
            }
            messages.insert(id.to_owned(), Value::Object(object));
        } else {
            meta.extend(object);
        }
    }
    let ordered = ids.iter().filter_map(|id| messages.remove(id)).collect();
    Ok((Value::Object(meta), ordered))
}

/// Whether `text` is the event stream of headless runs (`gemini -p … --output-format
/// stream-json`): its first record is an event (`init`, `message`, `tool_use`, …) with
/// none of a recording's message ids.
fn is_stream(text: &str) -> bool {
    let first = text.lines().next().and_then(|l| serde_json::from_str::<Value>(l).ok());
    first.is_some_and(|event| {
        event.get("id").is_none()
            && matches!(
                event.get("type").and_then(Value::as_str),
                Some("init" | "message" | "tool_use" | "tool_result")
            )
    })
}

/// The event stream as recording messages: user and assistant `message` events (the
/// assistant's `delta` chunks joined), each `tool_use` a call of the assistant message
/// it follows, its `tool_result` (`status`, `output`, `error.message`) the call's
/// result; `error` events and a failed `result` are the harness's errors.
fn stream_messages(text: &str) -> Result<(Value, Vec<Value>), Rejected> {
    let mut meta = serde_json::Map::new();
    let mut model = Value::Null;
    let mut messages: Vec<Value> = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let event: Value = serde_json::from_str(line).map_err(|e| Rejected::of_json(&e).at_line(i as u64 + 1))?;
        let field = |key: &str| event.get(key).cloned().unwrap_or(Value::Null);
        let text_of = |key: &str| event.get(key).and_then(Value::as_str).unwrap_or_default().to_owned();
        let assistant = |model: &Value| {
            serde_json::json!({"type": "gemini", "content": "", "model": model, "toolCalls": [],
                "timestamp": field("timestamp")})
        };
        match event.get("type").and_then(Value::as_str) {
            Some("init") => {
                meta.insert("sessionId".to_owned(), field("session_id"));
                model = field("model");
            }
            Some("message") if event.get("role").and_then(Value::as_str) == Some("user") => {
                messages.push(serde_json::json!({"type": "user", "content": field("content"),
                    "timestamp": field("timestamp")}));
            }
            Some("message") => {
                let delta = event.get("delta").and_then(Value::as_bool) == Some(true);
                let open = messages
                    .last()
                    .is_some_and(|m| m["type"] == "gemini" && m["toolCalls"].as_array().is_some_and(Vec::is_empty));
                if !(delta && open) {
                    messages.push(assistant(&model));
                }
                if let Some(Value::String(content)) = messages.last_mut().map(|m| &mut m["content"]) {
                    content.push_str(&text_of("content"));
                }
            }
            Some("tool_use") => {
                if messages.last().is_none_or(|m| m["type"] != "gemini") {
                    messages.push(assistant(&model));
                }
                let call = serde_json::json!({"id": field("tool_id"), "name": field("tool_name"),
                    "args": field("parameters")});
                if let Some(Value::Array(calls)) = messages.last_mut().map(|m| &mut m["toolCalls"]) {
                    calls.push(call);
                }
            }
            Some("tool_result") => {
                let id = field("tool_id");
                let error = event.pointer("/error/message").cloned().unwrap_or(Value::Null);
                let result = serde_json::json!([{"functionResponse": {"response":
                    {"output": field("output"), "error": error}}}]);
                let call = messages
                    .iter_mut()
                    .rev()
                    .filter_map(|m| m.get_mut("toolCalls").and_then(Value::as_array_mut))
                    .flatten()
                    .find(|c| c["id"] == id);
                if let Some(call) = call {
                    call["status"] = field("status");
                    call["result"] = result;
                }
            }
            Some("error") => {
                messages.push(serde_json::json!({"type": "error", "content": field("message")}));
            }
            Some("result") if event.get("status").and_then(Value::as_str) == Some("error") => {
                let message = event.pointer("/error/message").cloned().unwrap_or(Value::Null);
                messages.push(serde_json::json!({"type": "error", "content": message}));
            }
            _ => {}
        }
    }
    Ok((Value::Object(meta), messages))
}

fn read_message(session: &mut Session, message: &Value) {
    let text = content_text(message.get("content"));
    match message.get("type").and_then(Value::as_str) {
        Some("user") => session.user_text(&text),
        Some("gemini") => {
            if let Some(model) = message.get("model").and_then(Value::as_str) {
                session.model(model);
            }
            session.assistant_text(&text, false);
            for call in message.get("toolCalls").and_then(Value::as_array).into_iter().flatten() {
                tool_call(session, call);
            }
        }
        Some("error") => session.harness_error(&text),
        _ => {}
    }
}

fn tool_call(session: &mut Session, call: &Value) {
    let id = call.get("id").and_then(Value::as_str).unwrap_or_default();
    let name = call.get("name").and_then(Value::as_str).unwrap_or_default();
    let args = call.get("args").cloned().unwrap_or(Value::Null);
    let arg = |key: &str| args.get(key).and_then(Value::as_str).map(str::to_owned);
    let command = (name == "run_shell_command").then(|| arg("command")).flatten();
    let (files, changes) = match name {
        "write_file" | "replace" | "edit" => (arg("file_path").into_iter().collect(), true),
        "read_file" => (
            arg("absolute_path").or_else(|| arg("file_path")).into_iter().collect(),
            false,
        ),
        _ => (Vec::new(), false),
    };
    session.tool_call(id, name, args.to_string(), command, files, changes);
    // A call with neither status nor result is one the log stops on (a stream cut off
    // while `git push` ran): it stays without a result.
    if call.get("status").is_none_or(Value::is_null) && call.get("result").is_none_or(Value::is_null) {
        return;
    }
    let output = response_text(call.get("result"));
    match call.get("status").and_then(Value::as_str) {
        // The user cancelled the request while the call waited (Esc, "Request
        // cancelled."): it did not run, and unless the agent goes on, the request ends
        // there (dev28: an install cancelled, nothing done).
        Some("cancelled") => {
            session.rejected(id, &output);
            session.interrupted();
        }
        status => {
            let exit = footer_exit_code(&output);
            let status = match (exit, status) {
                (Some(code), _) => ExitStatus::Known(code),
                (None, Some("success")) => ExitStatus::Known(0),
                (None, Some("error")) => ExitStatus::Flagged(true),
                _ => ExitStatus::Unknown,
            };
            session.tool_result(id, &output, status);
        }
    }
}

/// `Exit Code: N` among the last lines of a shell response (the tool's footer), or
/// `Command exited with code: N`, what the CLI shows for a failure that printed nothing.
pub(super) fn footer_exit_code(output: &str) -> Option<i32> {
    output.lines().rev().take(6).find_map(|l| {
        let l = l.trim();
        let n = l
            .strip_prefix("Exit Code:")
            .or_else(|| l.strip_prefix("Command exited with code"))?;
        n.trim_start_matches(':').trim().parse().ok()
    })
}

/// Text of a tool call's result: `[{functionResponse: {response: {output | error}}}]`.
fn response_text(result: Option<&Value>) -> String {
    let mut out = Vec::new();
    for part in result.and_then(Value::as_array).into_iter().flatten() {
        let response = part.pointer("/functionResponse/response");
        for key in ["output", "error", "llmContent"] {
            if let Some(text) = response.and_then(|r| r.get(key)).and_then(Value::as_str) {
                out.push(text.to_owned());
            }
        }
        if let Some(text) = part.get("text").and_then(Value::as_str) {
            out.push(text.to_owned());
        }
    }
    out.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_exit_code_is_read_from_the_footer_only() {
        assert_eq!(
            footer_exit_code("Output: 3 failed\nError: (none)\nExit Code: 1\nSignal: (none)"),
            Some(1)
        );
        assert_eq!(
            footer_exit_code("Output: Exit Code: 7 is what the script prints\nline\nline\nline\nline\nline\nline"),
            None
        );
        assert_eq!(footer_exit_code("npm ERR!\nExit Code: 1"), Some(1));
        assert_eq!(footer_exit_code("boom\nCommand exited with code: 2"), Some(2));
        assert_eq!(footer_exit_code("all fine"), None);
    }

    #[test]
    fn jsonl_records_replace_and_rewind() {
        let text = [
            r#"{"sessionId":"s1","projectHash":"p","startTime":"2026-01-01T00:00:00Z"}"#,
            r#"{"id":"m1","type":"user","timestamp":"2026-01-01T00:00:01Z","content":"first"}"#,
            r#"{"id":"m2","type":"gemini","timestamp":"2026-01-01T00:00:02Z","content":"draft"}"#,
            r#"{"id":"m2","type":"gemini","timestamp":"2026-01-01T00:00:02Z","content":"final"}"#,
            r#"{"id":"m3","type":"user","timestamp":"2026-01-01T00:00:03Z","content":"undone"}"#,
            r#"{"$rewindTo":"m3"}"#,
            r#"{"$set":{"summary":"s"}}"#,
        ]
        .join("\n");
        let (meta, messages) = records(&text).unwrap();
        assert_eq!(meta["sessionId"], "s1");
        assert_eq!(meta["summary"], "s");
        let texts: Vec<&str> = messages.iter().map(|m| m["content"].as_str().unwrap()).collect();
        assert_eq!(texts, ["first", "final"]);
    }
}

//! The `opencode` adapter: OpenCode sessions as `opencode export <session>` writes them,
//! one JSON document per session: `{info: {id, directory, ...}, messages: [{info: {role,
//! modelID, time}, parts: [...]}]}`.
//!
//! A message's parts are `text` (the prompt or the answer; `synthetic` ones the harness
//! added are not the user's words), `tool` (`{callID, tool, state: {status, input,
//! output, error, metadata}}`) and others (`reasoning`, `step-start`, `patch`, …) that
//! add no facts. A `bash` call is a command: its exit status is `metadata.exit` when the
//! tool recorded it, `error` when it failed to run, else unknown (its output decides);
//! a call the user refused permission for did not run. `edit`, `write` and `patch`
//! change files; `read` reads one.

use super::session::{ExitStatus, Session};
use super::{Rejected, RunDraft, SourceSpec};
use serde_json::Value;

/// The session's messages and its `info`, from an export (`{info, messages}`, or the
/// same under `data`), or from JSON Lines of messages (`{info, parts}` a line, as
/// Entire's checkpoints kept early OpenCode sessions).
fn messages_of(text: &str) -> Result<(Vec<Value>, Option<Value>), Rejected> {
    let text = without_banner(text);
    let document: Value = match serde_json::from_str(text.trim_start()) {
        Ok(document) => document,
        Err(e) => {
            let lines: Result<Vec<Value>, _> = text
                .lines()
                .filter(|l| !l.trim().is_empty())
                .map(serde_json::from_str::<Value>)
                .collect();
            return match lines {
                Ok(messages)
                    if !messages.is_empty()
                        && messages
                            .iter()
                            .all(|m| m.get("info").is_some() && m.get("parts").is_some()) =>
                {
                    Ok((messages, None))
                }
                _ => Err(Rejected::of_json(&e)),
            };
        }
    };
    let mut document = match document {
        Value::Object(mut map) if !map.contains_key("messages") && map.contains_key("data") => {
            map.remove("data").unwrap_or_default()
        }
        other => other,
    };
    // Taken out of the document, not copied: an export is megabytes.
    match document.get_mut("messages").map(Value::take) {
        Some(Value::Array(messages)) => Ok((messages, document.get_mut("info").map(Value::take))),
        _ => Err(Rejected::OtherFormat(
            "no `messages`: not an `opencode export` document".into(),
        )),
    }
}

/// An export saved from the terminal starts with the line `opencode export` prints
/// before the document ("Exporting session: ses_…"; dev42): the document starts at
/// the first line that opens a JSON object.
fn without_banner(text: &str) -> &str {
    match text.trim_start().strip_prefix("Exporting session:") {
        Some(rest) => rest.find("\n{").map_or(rest, |at| &rest[at + 1..]),
        None => text,
    }
}

/// Parse one exported session into its run.
pub(super) fn parse(spec: &SourceSpec, display: &str, text: &str) -> Result<Vec<RunDraft>, Rejected> {
    let (messages, info) = messages_of(text)?;
    let first = messages.first().and_then(|m| m.get("info"));
    let mut session = Session::new(spec.checks.clone());
    session.id = info
        .as_ref()
        .and_then(|i| i.get("id"))
        .or_else(|| first.and_then(|i| i.get("sessionID")))
        .and_then(Value::as_str)
        .map(str::to_owned);
    session.cwd = info
        .as_ref()
        .and_then(|i| i.get("directory"))
        .or_else(|| messages.iter().find_map(|m| m.pointer("/info/path/cwd")))
        .and_then(Value::as_str)
        .map(str::to_owned);
    for (number, message) in messages.iter().enumerate() {
        let info = message.get("info");
        let time = info
            .and_then(|i| i.pointer("/time/created"))
            .and_then(Value::as_i64)
            .and_then(|ms| jiff::Timestamp::from_millisecond(ms).ok())
            .map(|t| t.to_string());
        session.saw_line(0, number as u64 + 1, time.as_deref());
        let role = info.and_then(|i| i.get("role")).and_then(Value::as_str);
        if role == Some("assistant")
            && let Some(model) = info.and_then(|i| i.get("modelID")).and_then(Value::as_str)
        {
            session.model(model);
        }
        for part in message.get("parts").and_then(Value::as_array).into_iter().flatten() {
            read_part(&mut session, role, part);
        }
        if let Some(error) = info
            .and_then(|i| i.pointer("/error/data/message"))
            .and_then(Value::as_str)
        {
            session.harness_error(error);
        }
    }
    let mut outcome = super::FileOutcome::default();
    session.finish_into(&mut outcome, display);
    Ok(outcome.runs)
}

fn read_part(session: &mut Session, role: Option<&str>, part: &Value) {
    let text = || part.get("text").and_then(Value::as_str).unwrap_or_default();
    let synthetic = part.get("synthetic").and_then(Value::as_bool) == Some(true);
    match (part.get("type").and_then(Value::as_str), role) {
        (Some("text"), Some("user")) if !synthetic => session.user_text(text()),
        (Some("text"), Some("assistant")) => session.assistant_text(text(), false),
        (Some("tool"), _) => tool_part(session, part),
        _ => {}
    }
}

fn tool_part(session: &mut Session, part: &Value) {
    let id = part.get("callID").and_then(Value::as_str).unwrap_or_default();
    let name = part.get("tool").and_then(Value::as_str).unwrap_or_default();
    let state = part.get("state");
    let input = state.and_then(|s| s.get("input")).cloned().unwrap_or(Value::Null);
    let arg = |key: &str| input.get(key).and_then(Value::as_str).map(str::to_owned);
    let command = (name == "bash").then(|| arg("command")).flatten();
    let (files, changes) = match name {
        "edit" | "write" | "patch" | "multiedit" => (arg("filePath").into_iter().collect(), true),
        // GPT models under OpenCode patch as Codex does: the files are in the body.
        "apply_patch" => (super::codex::patch_files(&arg("patchText").unwrap_or_default()), true),
        "read" => (arg("filePath").into_iter().collect(), false),
        _ => (Vec::new(), false),
    };
    session.tool_call(id, name, input.to_string(), command, files, changes);
    let field = |key: &str| {
        state
            .and_then(|s| s.get(key))
            .and_then(Value::as_str)
            .unwrap_or_default()
    };
    match state.and_then(|s| s.get("status")).and_then(Value::as_str) {
        Some("completed") => {
            let exit = state
                .and_then(|s| s.pointer("/metadata/exit"))
                .and_then(Value::as_i64)
                .and_then(|n| i32::try_from(n).ok());
            let status = exit.map_or(ExitStatus::Unknown, ExitStatus::Known);
            session.tool_result(id, field("output"), status);
        }
        Some("error") if refused(field("error")) => session.rejected(id, field("error")),
        Some("error") => session.tool_result(id, field("error"), ExitStatus::Flagged(true)),
        // Pending or running when the session was exported: no result.
        _ => {}
    }
}

/// Whether a tool error says the user refused the call (it never ran).
fn refused(error: &str) -> bool {
    let lower = error.to_ascii_lowercase();
    lower.contains("rejected permission")
        || lower.contains("permission denied by user")
        || lower.contains("user rejected")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// dev42 (klan1/k1.lib-bootstrap): an export redirected from the terminal keeps
    /// the line `opencode export` prints first.
    #[test]
    fn the_export_banner_is_not_part_of_the_document() {
        let text = "Exporting session: ses_1be5\n{\n  \"info\": {\"id\": \"ses_1be5\"},\n  \"messages\": []\n}\n";
        let (messages, info) = messages_of(text).expect("an export");
        assert!(messages.is_empty());
        assert_eq!(
            info.and_then(|i| i["id"].as_str().map(str::to_owned)).as_deref(),
            Some("ses_1be5")
        );
    }
}

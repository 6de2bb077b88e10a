//! Gemini CLI's `/chat share file.md` export: the conversation as Markdown, turned here
//! into the messages of a chat recording so the `gemini` adapter reads both alike.
//!
//! ```text
//! ## USER 🧑‍💻            a user turn, or the results of the model's tool calls:
//!                          **Tool Response**: then a ```json {id, name, response:
//!                          {output | error}} fence, one per call
//! ---
//! ## MODEL ✨             the model's text; each **Tool Command**: is followed by a
//!                          ```json {name, args} fence
//! ```
//!
//! The export has no timestamps, model names or call ids: a response is matched to the
//! oldest call of the same tool name still waiting for one. The CLI's opening context
//! ("This is the Gemini CLI. We are setting up the context…") and its reply are not turns.

use serde_json::{Value, json};

const TOOL_COMMAND: &str = "**Tool Command**:";
const TOOL_RESPONSE: &str = "**Tool Response**:";
const SETUP: &str = "This is the Gemini CLI. We are setting up the context";
const SETUP_REPLY: &str = "Got it. Thanks for the additional context!";

/// Whether `text` looks like a `/chat share` export.
pub(super) fn is_share(text: &str) -> bool {
    let first = text.trim_start_matches('\u{feff}').trim_start();
    heading(first.lines().next().unwrap_or_default()).is_some()
}

/// The role a heading line starts: `## USER 🧑‍💻`, or the emoji first (`🧑‍💻 ## USER`,
/// `✨ ## MODEL`), as other versions of the CLI write it.
fn heading(line: &str) -> Option<Role> {
    let line = line.trim_start_matches(|c: char| !c.is_ascii()).trim_start();
    if line.starts_with("## USER") {
        Some(Role::User)
    } else if line.starts_with("## MODEL") {
        Some(Role::Model)
    } else {
        None
    }
}

/// The messages of an export, in the chat-recording shape (`type`, `content`,
/// `toolCalls[{id, name, args, result, status}]`). A fence that is not JSON is skipped.
pub(super) fn messages(text: &str) -> Vec<Value> {
    let mut out: Vec<Value> = Vec::new();
    let mut calls = 0usize;
    for (role, body) in sections(text) {
        let body = body.trim();
        match role {
            Role::User if body.starts_with(SETUP) => {}
            Role::Model if body == SETUP_REPLY => {}
            Role::User if body.starts_with(TOOL_RESPONSE) => {
                for response in fenced_after(body, TOOL_RESPONSE).1 {
                    answer(&mut out, &response);
                }
            }
            Role::User => out.push(json!({"type": "user", "content": body})),
            Role::Model => {
                let (text, commands) = fenced_after(body, TOOL_COMMAND);
                let tool_calls: Vec<Value> = commands
                    .into_iter()
                    .map(|command| {
                        calls += 1;
                        json!({"id": format!("share-{calls}"), "name": command.get("name").cloned().unwrap_or(Value::Null),
                               "args": command.get("args").cloned().unwrap_or(Value::Null)})
                    })
                    .collect();
                out.push(json!({"type": "gemini", "content": text, "toolCalls": tool_calls}));
            }
        }
    }
    out
}

#[derive(Clone, Copy)]
enum Role {
    User,
    Model,
}

/// (role, body) of each `## USER` / `## MODEL` section, the `---` rules between them
/// dropped.
fn sections(text: &str) -> Vec<(Role, String)> {
    let mut out: Vec<(Role, String)> = Vec::new();
    for line in text.lines() {
        match (heading(line), out.last_mut()) {
            (Some(role), _) => out.push((role, String::new())),
            (None, Some((_, body))) => {
                body.push_str(line);
                body.push('\n');
            }
            (None, None) => {}
        }
    }
    for (_, body) in &mut out {
        let trimmed = body
            .trim_end()
            .strip_suffix("---")
            .unwrap_or(body.trim_end())
            .to_owned();
        *body = trimmed;
    }
    out
}

/// The text of `body` outside its `marker` blocks, and the JSON of the fence that
/// follows each marker.
fn fenced_after(body: &str, marker: &str) -> (String, Vec<Value>) {
    let mut text = String::new();
    let mut values = Vec::new();
    let mut rest = body;
    while let Some(at) = rest.find(marker) {
        text.push_str(&rest[..at]);
        let after = rest[at + marker.len()..].trim_start();
        let Some(open) = after.strip_prefix("```json").or_else(|| after.strip_prefix("```")) else {
            rest = after;
            continue;
        };
        // The fence closes on a line of its own; JSON escapes newlines in strings, so
        // no line inside it is only backticks.
        let (inside, next) = match open.find("\n```") {
            Some(end) => (&open[..end], &open[end + 4..]),
            None => (open, ""),
        };
        if let Ok(value) = serde_json::from_str::<Value>(inside) {
            values.push(value);
        }
        rest = next;
    }
    text.push_str(rest);
    (text.trim().to_owned(), values)
}

/// Attach a tool response to the oldest call of its name still waiting for one.
fn answer(messages: &mut [Value], response: &Value) {
    let name = response.get("name").and_then(Value::as_str).unwrap_or_default();
    let body = response.get("response").cloned().unwrap_or(Value::Null);
    let error = body.get("error").and_then(Value::as_str).map(str::to_owned);
    let status = match &error {
        Some(e) if e.contains("[Operation Cancelled]") => "cancelled",
        Some(_) => "error",
        None => "success",
    };
    let waiting = messages
        .iter_mut()
        .filter(|m| m.get("type").and_then(Value::as_str) == Some("gemini"))
        .flat_map(|m| {
            m.get_mut("toolCalls")
                .and_then(Value::as_array_mut)
                .into_iter()
                .flatten()
        })
        .find(|call| call.get("status").is_none() && call.get("name").and_then(Value::as_str) == Some(name));
    if let Some(call) = waiting {
        call["result"] = json!([{"functionResponse": {"response": body}}]);
        call["status"] = json!(status);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The shape of a real export (a public Gemini CLI session, January 2026): the
    /// opening context, a call the user cancelled, a shell call that failed with its
    /// footer, a write that succeeded.
    const SHARE: &str = "## USER 🧑\u{200d}💻\n\nThis is the Gemini CLI. We are setting up the context for our chat.\nToday's date is …\n\n---\n\n\
## MODEL ✨\n\nGot it. Thanks for the additional context!\n\n---\n\n\
## USER 🧑\u{200d}💻\n\nCreate PROMPTIT.md with our conversation.\n\n---\n\n\
## MODEL ✨\n\nI'll check first.**Tool Command**:\n```json\n{\n  \"name\": \"run_shell_command\",\n  \"args\": {\n    \"command\": \"ls PROMPTIT.md\"\n  }\n}\n```\n\n---\n\n\
## USER 🧑\u{200d}💻\n\n**Tool Response**:\n```json\n{\n  \"id\": \"run_shell_command-1-a\",\n  \"name\": \"run_shell_command\",\n  \"response\": {\n    \"error\": \"[Operation Cancelled] Reason: User cancelled the operation.\"\n  }\n}\n```\n\n---\n\n\
## MODEL ✨\n\nAppending.\n\n**Tool Command**:\n```json\n{\"name\": \"run_shell_command\", \"args\": {\"command\": \"cat <<EOF >> PROMPTIT.md\\nx\\n\"}}\n```\n\n**Tool Command**:\n```json\n{\"name\": \"write_file\", \"args\": {\"file_path\": \"PROMPTIT.md\", \"content\": \"# Log\\n```\\n\"}}\n```\n\n---\n\n\
## USER 🧑\u{200d}💻\n\n**Tool Response**:\n```json\n{\"id\": \"run_shell_command-2-b\", \"name\": \"run_shell_command\", \"response\": {\"output\": \"Command: cat\\nOutput: bash: syntax error\\nError: (none)\\nExit Code: 2\\nSignal: 0\"}}\n```\n\n**Tool Response**:\n```json\n{\"id\": \"write_file-3-c\", \"name\": \"write_file\", \"response\": {\"output\": \"Successfully created and wrote to new file: PROMPTIT.md.\"}}\n```\n";

    #[test]
    fn an_export_reads_as_a_chat_recording() {
        assert!(is_share(SHARE));
        assert!(!is_share("# aider chat started at 2026-01-01"));
        let messages = messages(SHARE);
        let kinds: Vec<&str> = messages.iter().map(|m| m["type"].as_str().unwrap()).collect();
        assert_eq!(kinds, ["user", "gemini", "gemini"]);
        assert_eq!(messages[0]["content"], "Create PROMPTIT.md with our conversation.");
        assert_eq!(messages[1]["content"], "I'll check first.");
        assert_eq!(messages[1]["toolCalls"][0]["status"], "cancelled");
        let calls = &messages[2]["toolCalls"];
        assert_eq!(calls[0]["args"]["command"], "cat <<EOF >> PROMPTIT.md\nx\n");
        assert_eq!(calls[0]["status"], "success");
        let output = &calls[0]["result"][0]["functionResponse"]["response"]["output"];
        assert!(output.as_str().unwrap().contains("Exit Code: 2"));
        assert_eq!(calls[1]["name"], "write_file");
        assert_eq!(calls[1]["status"], "success");
        assert_ne!(calls[0]["id"], calls[1]["id"]);
    }

    /// dev7 (weverkley/go-ai-agent-v2): other CLI versions put the emoji first.
    #[test]
    fn headings_with_the_emoji_first_read_alike() {
        let emoji_first = SHARE
            .replace("## USER 🧑\u{200d}💻", "🧑\u{200d}💻 ## USER")
            .replace("## MODEL ✨", "✨ ## MODEL");
        assert!(is_share(&emoji_first));
        assert_eq!(messages(&emoji_first), messages(SHARE));
    }
}

//! Entire's compact transcripts (checkpoints v2): one session per file, one JSON line
//! per message, the same shape whichever agent ran —
//! `{"v":1, "agent":"claude-code"|"opencode"|…, "cli_version", "type":"user"|"assistant",
//! "ts", "content":[…]}`. A user message's content is `[{id, text}]`; an assistant's is
//! `[{type:"text", text}]` and `[{type:"tool_use", id, name, input, result:{output,
//! status}}]`, the call and its result together.
//!
//! The agent's own tool names are kept (`Bash`/`bash`, `Edit`/`edit`, `file_path`/
//! `filePath`). A Claude Code result is a success (exit 0) or an error whose first line
//! is its `Exit code N`; an OpenCode shell success says nothing of the exit status (the
//! compact form drops it), so its output decides.

use super::claude_code;
use super::session::{ExitStatus, Session};
use super::{FileOutcome, LineReader, Rejected, SourceSpec, for_each_line};
use serde_json::Value;

/// Whether `first_line` is a compact transcript's.
pub(super) fn is_compact(first_line: &str) -> bool {
    serde_json::from_str::<Value>(first_line).is_ok_and(|v| {
        v.get("v").and_then(Value::as_u64) == Some(1)
            && v.get("agent").is_some_and(Value::is_string)
            && v.get("type").is_some_and(Value::is_string)
    })
}

pub(super) fn read(
    reader: &mut LineReader<std::fs::File>,
    spec: &SourceSpec,
    display: &str,
    progress: &(dyn Fn(u64) + Sync),
) -> std::io::Result<FileOutcome> {
    let mut session = Session::new(spec.checks.clone());
    let mut outcome = for_each_line(reader, display, "compact transcript", progress, |line, value| {
        if value.get("v").and_then(Value::as_u64) != Some(1) {
            return Err(Rejected::OtherFormat(
                "not a compact transcript line (`v` is not 1)".into(),
            ));
        }
        let agent = value.get("agent").and_then(Value::as_str).unwrap_or_default();
        session.saw_line(line.offset, line.number, value.get("ts").and_then(Value::as_str));
        if let Some(model) = value.get("model").and_then(Value::as_str) {
            session.model(model);
        }
        let blocks = value.get("content").and_then(Value::as_array).into_iter().flatten();
        match value.get("type").and_then(Value::as_str) {
            Some("user") => {
                for text in blocks.filter_map(|b| b.get("text").and_then(Value::as_str)) {
                    session.user_text(text);
                }
            }
            Some("assistant") => {
                for block in blocks {
                    match block.get("type").and_then(Value::as_str) {
                        Some("text") => {
                            session.assistant_text(block.get("text").and_then(Value::as_str).unwrap_or_default(), true);
                        }
                        Some("tool_use") => tool_use(&mut session, agent, block),
                        _ => {}
                    }
                }
            }
            _ => {}
        }
        Ok(())
    })?;
    session.infer_cwd();
    session.finish_into(&mut outcome, display);
    Ok(outcome)
}

fn tool_use(session: &mut Session, agent: &str, block: &Value) {
    let id = block.get("id").and_then(Value::as_str).unwrap_or_default();
    let name = block.get("name").and_then(Value::as_str).unwrap_or_default();
    let input = block.get("input").cloned().unwrap_or(Value::Null);
    let arg = |keys: &[&str]| {
        keys.iter()
            .find_map(|k| input.get(*k).and_then(Value::as_str))
            .map(str::to_owned)
    };
    let tool = name.to_ascii_lowercase();
    let command = matches!(tool.as_str(), "bash" | "shell")
        .then(|| arg(&["command"]))
        .flatten();
    let path = || arg(&["file_path", "filePath", "notebook_path"]).into_iter().collect();
    let (files, changes) = match tool.as_str() {
        "edit" | "multiedit" | "write" | "notebookedit" | "patch" => (path(), true),
        "read" => (path(), false),
        _ => (Vec::new(), false),
    };
    session.tool_call(id, name, input.to_string(), command, files, changes);
    let Some(result) = block.get("result") else {
        return;
    };
    let output = result.get("output").and_then(Value::as_str).unwrap_or_default();
    let error = result.get("status").and_then(Value::as_str) == Some("error");
    // Results keep the agent's own wording: Claude Code's refusals and `Exit code N`.
    if error && claude_code::was_rejected(output) {
        session.rejected(id, output);
        return;
    }
    let status = if error || agent == "claude-code" {
        claude_code::exit_status(output, error)
    } else {
        ExitStatus::Unknown
    };
    session.tool_result(id, output, status);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// dev9 (Soph/energy-import-export): the compact form names no working directory.
    #[test]
    fn paths_are_made_relative_to_the_directory_of_the_changes() {
        let mut session = Session::default();
        let edit =
            |s: &mut Session, id: &str, f: &str| s.tool_call(id, "Edit", "{}".into(), None, vec![f.into()], true);
        session.user_text("expand the script to a date range");
        edit(&mut session, "a", "/Users/soph/Work/own/energy/de_trade_balance.py");
        edit(&mut session, "b", "/Users/soph/Work/own/energy/docs/index.html");
        session.infer_cwd();
        let mut outcome = FileOutcome::default();
        session.finish_into(&mut outcome, "t.jsonl");
        assert_eq!(
            outcome.runs[0].files_changed.as_deref(),
            Some(&["de_trade_balance.py".to_owned(), "docs/index.html".to_owned()][..])
        );
    }

    #[test]
    fn a_compact_line_is_told_by_its_version_and_agent() {
        assert!(is_compact(
            r#"{"v":1,"agent":"claude-code","cli_version":"0.10.1","type":"user","ts":"2026-08-17T13:36:37Z","content":[{"id":"c","text":"hi"}]}"#
        ));
        assert!(!is_compact(
            r#"{"type":"user","message":{"role":"user","content":"hi"}}"#
        ));
        assert!(!is_compact("not json"));
    }
}

//! The `git-ai` adapter: authorship logs git-ai keeps as notes on `refs/notes/ai`
//! (format `authorship/3.0.0`), one note per commit.
//!
//! A note is an attestation section — a file path, then lines of two spaces, an
//! attestation key and line ranges — a line `---`, then JSON metadata: `prompts` (older
//! notes: key → `{agent_id {tool, id, model}, human_author, messages, total_additions,
//! total_deletions, accepted_lines, overriden_lines}`) and `sessions` (newer notes:
//! key → `{agent_id, human_author}`, attested as `<session key>::<trace>`). Each prompt
//! or session is one run on the note's commit; `accepted_lines` / `overriden_lines`
//! become [`LineAcceptance`], a fact scoring rules can use.

use super::Rejected;
use super::draft::RunDraft;
use crate::schema::{ChatMessage, ChatRole, CommandRun, LineAcceptance};
use serde_json::Value;
use std::collections::BTreeMap;

/// The schema family this adapter reads.
const SCHEMA_PREFIX: &str = "authorship/3.";

/// The runs of one note, or why the note cannot be read.
pub(super) fn read(text: &str) -> Result<Vec<RunDraft>, Rejected> {
    let (attestation, metadata) =
        split(text).ok_or_else(|| Rejected::OtherFormat("no `---` line: not a git-ai authorship note".into()))?;
    let metadata: Value = serde_json::from_str(metadata.trim())
        .map_err(|e| Rejected::OtherFormat(format!("git-ai metadata is not JSON: {e}")))?;
    let version = metadata
        .get("schema_version")
        .and_then(Value::as_str)
        .unwrap_or_default();
    if !version.starts_with(SCHEMA_PREFIX) {
        return Err(Rejected::UnsupportedVersion(format!(
            "unsupported git-ai schema_version `{version}`; this build reads {SCHEMA_PREFIX}x"
        )));
    }
    let files = attested_files(attestation);
    let commit = metadata.get("base_commit_sha").and_then(Value::as_str);
    let mut drafts = Vec::new();
    for (kind, separator) in [("prompts", None), ("sessions", Some("::"))] {
        let Some(Value::Object(records)) = metadata.get(kind) else {
            continue;
        };
        for (key, record) in records {
            let touched: Vec<String> = files
                .iter()
                .filter(|(k, _)| match separator {
                    Some(sep) => k.split(sep).next() == Some(key.as_str()),
                    None => *k == key,
                })
                .flat_map(|(_, paths)| paths.iter().cloned())
                .collect();
            drafts.push(draft(key, record, touched, commit));
        }
    }
    Ok(drafts)
}

/// The attestation section and the metadata, split at the first line that is `---`.
fn split(text: &str) -> Option<(&str, &str)> {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        if line.trim_end_matches(['\n', '\r']) == "---" {
            return Some((&text[..offset], &text[offset + line.len()..]));
        }
        offset += line.len();
    }
    None
}

/// Attestation key → the files it attests lines of.
fn attested_files(section: &str) -> BTreeMap<String, Vec<String>> {
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut file: Option<String> = None;
    for line in section.lines() {
        if let Some(entry) = line.strip_prefix("  ") {
            if let (Some(file), Some(key)) = (&file, entry.split_whitespace().next()) {
                let paths = out.entry(key.to_owned()).or_default();
                if !paths.contains(file) {
                    paths.push(file.clone());
                }
            }
        } else if !line.trim().is_empty() {
            file = Some(line.trim().trim_matches('"').to_owned());
        }
    }
    out
}

fn draft(key: &str, record: &Value, source_files: Vec<String>, commit: Option<&str>) -> RunDraft {
    let text = |v: &Value, k: &str| v.get(k).and_then(Value::as_str).map(str::to_owned);
    let agent = record.get("agent_id").cloned().unwrap_or(Value::Null);
    let tool = text(&agent, "tool").unwrap_or_else(|| "unknown".into());
    let session = text(&agent, "id").unwrap_or_else(|| key.to_owned());
    let count = |k: &str| record.get(k).and_then(Value::as_u64);
    let mut d = RunDraft {
        run_id: Some(format!("git-ai:{tool}:{session}")),
        task_id: Some(session),
        model_name: text(&agent, "model"),
        source_files,
        commit_hint: commit.map(str::to_owned),
        line_number: 1,
        line_acceptance: match (count("accepted_lines"), count("overriden_lines")) {
            (None, None) => None,
            (accepted, overridden) => Some(LineAcceptance {
                accepted_lines: accepted.unwrap_or(0),
                overridden_lines: overridden.unwrap_or(0),
            }),
        },
        ..RunDraft::default()
    };
    for message in record.get("messages").and_then(Value::as_array).into_iter().flatten() {
        let body = text(message, "text").unwrap_or_default();
        if d.timestamp.is_none() {
            d.timestamp = text(message, "timestamp");
        }
        match message.get("type").and_then(Value::as_str) {
            Some("user") => {
                if d.task_type.is_none() {
                    d.task_type = Some(super::signals::task_type(&body).to_owned());
                }
                d.input_text.push_str(&body);
                d.transcript.push(chat(ChatRole::User, body));
            }
            Some("assistant") => {
                d.output_text.push_str(&body);
                d.transcript.push(chat(ChatRole::Assistant, body));
            }
            Some("tool_use") => {
                if let Some(command) = message.pointer("/input/command").and_then(Value::as_str) {
                    // git-ai keeps no tool output: the exit status is unknown.
                    d.commands_run.push(CommandRun {
                        command: command.to_owned(),
                        exit_code: None,
                    });
                }
            }
            _ => {}
        }
    }
    d
}

fn chat(role: ChatRole, content: String) -> ChatMessage {
    ChatMessage {
        role,
        content,
        tool_calls: Vec::new(),
        tool_call_id: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOTE: &str = r#"src/retry.rs
  a1e62f067fab72f7 1-15
  s_8ea0dcf4701283::t_3c9d1e7a5b2f40 20
"tests/retry test.rs"
  s_8ea0dcf4701283::t_7e2a9c4d1f6b08 1-3
---
{
  "schema_version": "authorship/3.0.0",
  "git_ai_version": "1.6.24",
  "base_commit_sha": "0123456789012345678901234567890123456789",
  "prompts": {
    "a1e62f067fab72f7": {
      "agent_id": {"tool": "claude", "id": "9b2f", "model": "claude-sonnet-4-5"},
      "human_author": "A <a@example.com>",
      "messages": [
        {"type": "user", "text": "Fix the retry bug", "timestamp": "2026-08-19T10:05:11.204Z"},
        {"type": "tool_use", "name": "Bash", "input": {"command": "cargo test"}},
        {"type": "assistant", "text": "Fixed; cargo test passes."}
      ],
      "total_additions": 16, "total_deletions": 0, "accepted_lines": 14, "overriden_lines": 2
    }
  },
  "sessions": {
    "s_8ea0dcf4701283": {"agent_id": {"tool": "cursor", "id": "4e7a", "model": "gpt-5"}, "human_author": null}
  }
}"#;

    #[test]
    fn prompts_and_sessions_become_runs_with_their_files_and_acceptance() {
        let drafts = read(NOTE).unwrap();
        assert_eq!(drafts.len(), 2);
        let prompt = &drafts[0];
        assert_eq!(prompt.run_id.as_deref(), Some("git-ai:claude:9b2f"));
        assert_eq!(prompt.source_files, ["src/retry.rs"]);
        assert_eq!(prompt.task_type.as_deref(), Some("bugfix"));
        assert_eq!(prompt.commands_run[0].command, "cargo test");
        assert_eq!(
            prompt.line_acceptance,
            Some(LineAcceptance {
                accepted_lines: 14,
                overridden_lines: 2
            })
        );
        let session = &drafts[1];
        assert_eq!(session.model_name.as_deref(), Some("gpt-5"));
        assert_eq!(session.source_files, ["src/retry.rs", "tests/retry test.rs"]);
        assert_eq!(session.line_acceptance, None);
        assert!(read("no divider").is_err());
        assert!(matches!(
            read("---\n{\"schema_version\":\"authorship/9.0.0\"}"),
            Err(Rejected::UnsupportedVersion(_))
        ));
    }
}

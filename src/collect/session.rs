//! What the session adapters (Claude Code, Codex) share: one session is one run,
//! built up event by event.

use super::signals;
use super::{RunDraft, relative_to};
use crate::schema::{ChatMessage, ChatRole, CommandRun, ToolCall, ToolFunction, ValidationResult};
use std::collections::{BTreeMap, HashMap};

/// Tool output kept in a transcript is cut to this many characters.
const MAX_TOOL_OUTPUT: usize = 2000;

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
    summary: Option<String>,
    last_answer: String,
    transcript: Vec<ChatMessage>,
    pending: HashMap<String, (String, Option<usize>)>,
    commands: Vec<CommandRun>,
    files: Vec<String>,
    validations: Vec<ValidationResult>,
    failures: Vec<String>,
    /// Offset and line number of the first line.
    pub start: Option<(u64, u64)>,
}

impl Session {
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
        if self.first_prompt.is_none() {
            self.first_prompt = Some(text.to_owned());
        }
        self.push(ChatRole::User, text.to_owned(), None);
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
        if merge && let Some(last) = self.transcript.last_mut().filter(|m| m.role == ChatRole::Assistant) {
            if !last.content.is_empty() {
                last.content.push('\n');
            }
            last.content.push_str(text);
            return;
        }
        self.push(ChatRole::Assistant, text.to_owned(), None);
    }

    /// A tool call. `command` is the shell command for shell tools, `files` the paths it touches.
    pub fn tool_call(&mut self, id: &str, name: &str, arguments: String, command: Option<String>, files: Vec<String>) {
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
        for file in files {
            let rel = relative_to(&file, self.cwd.as_deref());
            if !self.files.contains(&rel) {
                self.files.push(rel);
            }
        }
        let index = command.map(|command| {
            self.commands.push(CommandRun {
                command,
                exit_code: None,
            });
            self.commands.len() - 1
        });
        self.pending.insert(id.to_owned(), (name.to_owned(), index));
    }

    /// A tool's result: exit status (when known), output, and whether the harness flagged an error.
    pub fn tool_result(&mut self, id: &str, output: &str, exit_code: Option<i32>, is_error: bool) {
        self.push(
            ChatRole::Tool,
            crate::text::truncate(output, MAX_TOOL_OUTPUT),
            Some(id.to_owned()),
        );
        let Some((_, Some(index))) = self.pending.remove(id) else {
            return;
        };
        let exit = exit_code
            .or_else(|| signals::stated_exit_code(output))
            .or(Some(if is_error { 1 } else { 0 }));
        let command = &mut self.commands[index];
        command.exit_code = exit;
        if exit != Some(0) {
            for marker in signals::failure_markers(output) {
                if !self.failures.contains(&marker) {
                    self.failures.push(marker);
                }
            }
        }
        if signals::is_validation(&command.command) {
            let (passed_count, failed_count) = signals::test_counts(output);
            let passed = exit == Some(0) && failed_count.unwrap_or(0) == 0;
            self.validations.push(ValidationResult {
                name: crate::text::truncate(&command.command, 200),
                passed,
                passed_count,
                failed_count,
                detail: (!passed)
                    .then(|| signals::failure_markers(output).into_iter().next())
                    .flatten(),
            });
        }
    }

    fn push(&mut self, role: ChatRole, content: String, tool_call_id: Option<String>) {
        self.transcript.push(ChatMessage {
            role,
            content,
            tool_calls: Vec::new(),
            tool_call_id,
        });
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
    fn into_draft(self, fallback_id: &str) -> RunDraft {
        let prompt = self.first_prompt.clone().unwrap_or_default();
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
            commands_run: self.commands,
            success_markers: if !self.validations.is_empty() && self.validations.iter().all(|v| v.passed) {
                vec!["all validations passed".to_owned()]
            } else {
                Vec::new()
            },
            failure_markers: self.failures,
            validation_results: self.validations,
            latency_ms: latency,
            transcript: self.transcript,
            commit_hint: self.commit,
            line_offset: offset,
            line_number: number,
            ..RunDraft::default()
        }
    }
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

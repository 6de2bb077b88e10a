//! EvidenceRecord: one agent run, normalized from whatever log it came from.

use super::common::{Category, ModelRole, Provenance, Violations};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The failure marker of a run whose last request the user stopped before the agent
/// changed anything for it: that request was abandoned, whatever earlier ones achieved.
/// The scorer's `abandoned` fact counts it.
pub const ABANDONED_MARKER: &str = "the user stopped the run's last request before it changed anything";

/// How the failure marker of a git operation the last request asked for, and the run
/// never completed, begins (`… push`): the work may be done, but not delivered. The
/// scorer's `undelivered` fact counts them.
pub const UNDELIVERED_MARKER: &str = "the last request asked for a git";

/// How the success marker of a last request that asked only to deliver the work
/// (commit, push) begins, when every operation it asked for succeeded and nothing else
/// was done for it. The scorer's `delivered` fact counts them.
pub const DELIVERED_MARKER: &str = "the last request asked only to deliver the work";

/// How the failure marker of a run whose agent answered the last request by saying it
/// cannot do it ("I cannot access your local filesystem"), and did nothing for it,
/// begins: the request failed.
pub const DECLINED_MARKER: &str = "the agent said it could not do the last request";

/// How the failure marker of a run begins whose last request asked whether the work is
/// done ("anything left outstanding?"), answered by the agent saying part of it is still
/// open: the work the run was asked for is not all done.
pub const WORK_REMAINS_MARKER: &str = "the agent said part of the requested work is still open";

/// The failure marker of a run whose last request's work the user undid (Aider's
/// `/undo`): the outcome was thrown away, as when the request is abandoned.
pub const UNDONE_MARKER: &str = "the user undid the work of the run's last request";

/// How the failure marker of a session that ended on the harness's own error (the model
/// API failed) begins. The scorer's `harness_failures` fact counts it.
pub const HARNESS_ERROR_MARKER: &str = "the session ended on a harness error";

/// The failure marker of a run whose last turn the user interrupted after it had started
/// changing things. The scorer's `harness_failures` fact counts it.
pub const INTERRUPTED_MARKER: &str = "the user interrupted the run's last turn";

/// One agent run, normalized, redacted, with provenance.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EvidenceRecord {
    /// Always 1 for this build; any other value is refused.
    pub schema_version: u32,
    /// Identifier of the run (a session id, a rollout id, a telemetry run id).
    pub run_id: String,
    /// Identifier of the task the run worked on; runs of one task are compared.
    pub task_id: String,
    /// Coarse class of task (`bugfix`, `refactor`, `general`, ...), used by the ledger.
    pub task_type: String,
    /// When the run happened (RFC 3339).
    pub timestamp: String,
    /// Model that did the run, as the log names it.
    pub model_name: String,
    /// Part the model played.
    pub model_role: ModelRole,
    /// SHA-256 of the run's input (prompt), so equal inputs can be found without the text.
    pub input_hash: String,
    /// SHA-256 of the run's output.
    pub output_hash: String,
    /// Repository paths the run read or changed.
    #[serde(default)]
    pub source_files: Vec<String>,
    /// Repository paths the run changed (wrote, edited, patched), when its log accounts for
    /// every tool call; `[]` when it changed nothing; absent when the log cannot tell.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub files_changed: Option<Vec<String>>,
    /// Shell commands the run executed, with exit status where known.
    #[serde(default)]
    pub commands_run: Vec<CommandRun>,
    /// Context retrieved for the run (paths, document ids, snippets' names).
    #[serde(default)]
    pub retrieved_context: Vec<String>,
    /// Notes from an observer model or person.
    #[serde(default)]
    pub observer_notes: Vec<String>,
    /// Short structured summary of the run's scratchpad, if it kept one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scratchpad_summary: Option<String>,
    /// Signals that the run succeeded ("tests pass", "PR merged").
    #[serde(default)]
    pub success_markers: Vec<String>,
    /// Signals that the run failed ("error[E0308]", "timeout").
    #[serde(default)]
    pub failure_markers: Vec<String>,
    /// Outcomes of tests, builds and checks the run executed.
    #[serde(default)]
    pub validation_results: Vec<ValidationResult>,
    /// A person's verdict, which wins over every rule.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub human_override: Option<HumanOverride>,
    /// Wall time of the run in milliseconds, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latency_ms: Option<u64>,
    /// How much of what the run wrote a person kept, when a tool measured it (git-ai).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line_acceptance: Option<LineAcceptance>,
    /// Cost of the run in US dollars, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cost_usd: Option<f64>,
    /// The run's last request was answered in words alone — in the reply, or in
    /// documentation it edited with nothing run — so its checks and markers speak of
    /// earlier requests. Left out when false.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub answered_in_words: bool,
    /// The log stops mid-turn: on a tool call whose result never came, or after results
    /// the agent never closed its turn on (a checkpoint taken while a
    /// command ran): how the run ended is unknown. Left out when false.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub cut_off: bool,
    /// The run's conversation (redacted), when the source has one; feeds SFT exports.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub transcript: Vec<ChatMessage>,
    /// Where the record came from.
    pub provenance: Provenance,
}

/// Lines an agent wrote that were committed as written, and lines a person changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LineAcceptance {
    /// Lines committed as the agent wrote them.
    pub accepted_lines: u64,
    /// Lines of the agent's that a person changed before committing.
    pub overridden_lines: u64,
}

/// A shell command run by the agent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CommandRun {
    /// The command line as run.
    pub command: String,
    /// Exit status, when the log shows it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exit_code: Option<i32>,
}

/// Outcome of one test, build or check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ValidationResult {
    /// What ran (`cargo test`, `npm run build`).
    pub name: String,
    /// Whether it passed.
    pub passed: bool,
    /// Tests passed, when the output says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub passed_count: Option<u64>,
    /// Tests failed, when the output says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failed_count: Option<u64>,
    /// A short excerpt explaining the outcome.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

/// A person's verdict on a run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct HumanOverride {
    /// Who decided.
    pub by: String,
    /// The verdict.
    pub category: Category,
    /// Why.
    pub reason: String,
}

/// One message of a conversation, in the shape chat fine-tuning tools take.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ChatMessage {
    /// `system`, `user`, `assistant` or `tool`.
    pub role: ChatRole,
    /// The text of the message.
    pub content: String,
    /// Tool calls the assistant made in this message.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tool_calls: Vec<ToolCall>,
    /// For `tool` messages: the id of the call this answers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tool_call_id: Option<String>,
}

/// Who speaks in a chat message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ChatRole {
    /// Instructions that frame the conversation.
    System,
    /// The person or harness asking.
    User,
    /// The model answering.
    Assistant,
    /// A tool's result.
    Tool,
}

/// A function-style tool call (OpenAI / TRL shape).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ToolCall {
    /// Call id, echoed by the tool message that answers it.
    pub id: String,
    /// Always `function`.
    #[serde(rename = "type")]
    pub kind: String,
    /// The function called.
    pub function: ToolFunction,
}

/// Name and JSON-encoded arguments of a tool call.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ToolFunction {
    /// Tool name.
    pub name: String,
    /// Arguments as a JSON string, as the OpenAI format has them.
    pub arguments: String,
}

impl EvidenceRecord {
    /// Check every invariant of the record.
    pub fn validate(&self, v: &mut Violations) {
        v.schema_version(self.schema_version);
        v.non_empty(&self.run_id, "run_id");
        v.non_empty(&self.task_id, "task_id");
        v.non_empty(&self.task_type, "task_type");
        v.timestamp(&self.timestamp, "timestamp");
        v.non_empty(&self.model_name, "model_name");
        v.sha256_hex(&self.input_hash, "input_hash");
        v.sha256_hex(&self.output_hash, "output_hash");
        for (i, c) in self.commands_run.iter().enumerate() {
            v.non_empty(&c.command, format_args!("commands_run[{i}].command"));
        }
        for (i, r) in self.validation_results.iter().enumerate() {
            v.non_empty(&r.name, format_args!("validation_results[{i}].name"));
        }
        if let Some(h) = &self.human_override {
            v.non_empty(&h.by, "human_override.by");
            v.non_empty(&h.reason, "human_override.reason");
        }
        if let Some(cost) = self.cost_usd {
            v.check(
                cost.is_finite() && cost >= 0.0,
                "cost_usd",
                "must be a non-negative number",
            );
        }
        v.provenance(&self.provenance, "provenance");
    }
}

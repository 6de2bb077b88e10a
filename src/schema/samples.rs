//! Dataset rows: RagSample, SftSample, PreferenceSample — the guards that keep
//! anything but accepted work out of training data live here.

use super::common::{Category, Provenance, Violations};
use super::evidence::{ChatMessage, ChatRole};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A retrieval document distilled from one accepted or partially accepted run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RagSample {
    /// Always 1 for this build.
    pub schema_version: u32,
    /// Stable id of the sample (canonical hash of its content).
    pub sample_id: String,
    /// The source run.
    pub run_id: String,
    /// The task of the source run.
    pub task_id: String,
    /// The task type of the source run.
    pub task_type: String,
    /// The distilled text: task, what worked, commands, files, outcome.
    pub content: String,
    /// Search tags (model, task type, files).
    #[serde(default)]
    pub tags: Vec<String>,
    /// Only `accepted` or `partially_accepted`.
    pub success_score: Category,
    /// Provenance of the source run.
    pub provenance: Provenance,
}

impl RagSample {
    /// Check every invariant of the record.
    pub fn validate(&self, v: &mut Violations) {
        v.schema_version(self.schema_version);
        v.non_empty(&self.sample_id, "sample_id");
        v.non_empty(&self.run_id, "run_id");
        v.non_empty(&self.task_id, "task_id");
        v.non_empty(&self.content, "content");
        v.check(
            matches!(self.success_score, Category::Accepted | Category::PartiallyAccepted),
            "success_score",
            "must be accepted or partially_accepted; other runs never reach RAG",
        );
        v.provenance(&self.provenance, "provenance");
    }
}

/// A supervised fine-tuning conversation from one accepted run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SftSample {
    /// Always 1 for this build.
    pub schema_version: u32,
    /// Stable id of the sample.
    pub sample_id: String,
    /// The source run.
    pub run_id: String,
    /// The task of the source run.
    pub task_id: String,
    /// The conversation, ending with an assistant turn.
    #[schemars(length(min = 1))]
    pub messages: Vec<ChatMessage>,
    /// Must be `accepted`: nothing else ever reaches SFT.
    pub quality_score: Category,
    /// Provenance of the source run.
    pub provenance: Provenance,
}

impl SftSample {
    /// Check every invariant of the record.
    pub fn validate(&self, v: &mut Violations) {
        v.schema_version(self.schema_version);
        v.non_empty(&self.sample_id, "sample_id");
        v.non_empty(&self.run_id, "run_id");
        v.non_empty(&self.task_id, "task_id");
        v.non_empty_list(&self.messages, "messages");
        v.check(
            self.messages.iter().any(|m| m.role == ChatRole::Assistant),
            "messages",
            "must contain at least one assistant message",
        );
        v.check(
            self.quality_score == Category::Accepted,
            "quality_score",
            "must be accepted; only accepted runs reach SFT",
        );
        v.provenance(&self.provenance, "provenance");
    }
}

/// A DPO-style pair: two runs of one task, the better one chosen.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PreferenceSample {
    /// Always 1 for this build.
    pub schema_version: u32,
    /// Stable id of the pair.
    pub sample_id: String,
    /// The task both runs worked on.
    pub task_id: String,
    /// The shared prompt.
    pub prompt: String,
    /// The better run's answer.
    pub chosen: String,
    /// The worse run's answer.
    pub rejected: String,
    /// The better run.
    pub chosen_run_id: String,
    /// The worse run.
    pub rejected_run_id: String,
    /// Category of the better run.
    pub chosen_score: Category,
    /// Category of the worse run.
    pub rejected_score: Category,
    /// Why one was preferred, citing both scores.
    pub reason: String,
    /// Provenance of the chosen run.
    pub chosen_provenance: Provenance,
    /// Provenance of the rejected run.
    pub rejected_provenance: Provenance,
}

impl PreferenceSample {
    /// Check every invariant of the record.
    pub fn validate(&self, v: &mut Violations) {
        v.schema_version(self.schema_version);
        v.non_empty(&self.sample_id, "sample_id");
        v.non_empty(&self.task_id, "task_id");
        v.non_empty(&self.prompt, "prompt");
        v.non_empty(&self.chosen, "chosen");
        v.non_empty(&self.rejected, "rejected");
        v.check(self.chosen != self.rejected, "rejected", "must differ from chosen");
        v.non_empty(&self.chosen_run_id, "chosen_run_id");
        v.check(
            self.chosen_run_id != self.rejected_run_id,
            "rejected_run_id",
            "must be a different run than chosen_run_id",
        );
        v.check(
            self.chosen_score < self.rejected_score,
            "chosen_score",
            "must be strictly better than rejected_score",
        );
        v.check(
            self.rejected_score != Category::NeedsHumanReview,
            "rejected_score",
            "must be a judged outcome; needs_human_review runs are not known to be worse",
        );
        v.non_empty(&self.reason, "reason");
        v.provenance(&self.chosen_provenance, "chosen_provenance");
        v.provenance(&self.rejected_provenance, "rejected_provenance");
    }
}

#[cfg(test)]
mod tests {
    use crate::schema::{Kind, Record, validate_line};

    fn sft_line(quality: &str) -> String {
        let line = include_str!("../../fixtures/schemas/sft-sample.valid.jsonl")
            .lines()
            .next()
            .unwrap();
        line.replace(
            "\"quality_score\":\"accepted\"",
            &format!("\"quality_score\":\"{quality}\""),
        )
    }

    #[test]
    fn sft_accepts_accepted() {
        assert!(matches!(
            validate_line(Kind::SftSample, &sft_line("accepted")),
            Ok(Record::Sft(_))
        ));
    }

    #[test]
    fn sft_refuses_partially_accepted() {
        assert!(validate_line(Kind::SftSample, &sft_line("partially_accepted")).is_err());
    }

    #[test]
    fn sft_refuses_rejected() {
        assert!(validate_line(Kind::SftSample, &sft_line("rejected")).is_err());
    }

    #[test]
    fn sft_refuses_needs_human_review() {
        assert!(validate_line(Kind::SftSample, &sft_line("needs_human_review")).is_err());
    }

    #[test]
    fn preference_needs_a_strictly_better_chosen_run() {
        let line = include_str!("../../fixtures/schemas/preference-sample.valid.jsonl")
            .lines()
            .next()
            .unwrap();
        assert!(validate_line(Kind::PreferenceSample, line).is_ok());
        let swapped = line.replace("\"chosen_score\":\"accepted\"", "\"chosen_score\":\"rejected\"");
        let err = validate_line(Kind::PreferenceSample, &swapped).unwrap_err();
        assert_eq!(err[0].field, "chosen_score");
    }
}

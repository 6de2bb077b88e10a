//! ScoredRun: the scorer's verdict on one run, always with reasons.

use super::common::{Category, Provenance, Violations};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The scorer's verdict on one evidence record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ScoredRun {
    /// Always 1 for this build.
    pub schema_version: u32,
    /// The run scored.
    pub run_id: String,
    /// The task of the run.
    pub task_id: String,
    /// The model of the run.
    pub model_name: String,
    /// Exactly one outcome class.
    pub category: Category,
    /// Which evidence led to the category; never empty.
    #[schemars(length(min = 1))]
    pub reasons: Vec<String>,
    /// Overall score in [0, 1] (1 = accepted with full confidence).
    #[schemars(range(min = 0.0, max = 1.0))]
    pub score: f64,
    /// Share of the run's claims the repository confirms, in [0, 1].
    #[schemars(range(min = 0.0, max = 1.0))]
    pub anchor_grounding: f64,
    /// When the score was computed (RFC 3339; from the commit time, not the clock).
    pub scored_at: String,
    /// Version of the scorer that produced the verdict.
    pub scorer_version: String,
    /// SHA-256 of the canonical rule set, so rescoring with other rules stays distinguishable.
    pub rule_set_hash: String,
    /// Provenance of the scored evidence record.
    pub provenance: Provenance,
}

impl ScoredRun {
    /// Check every invariant of the record.
    pub fn validate(&self, v: &mut Violations) {
        v.schema_version(self.schema_version);
        v.non_empty(&self.run_id, "run_id");
        v.non_empty(&self.task_id, "task_id");
        v.non_empty(&self.model_name, "model_name");
        v.non_empty_list(&self.reasons, "reasons");
        for (i, r) in self.reasons.iter().enumerate() {
            v.non_empty(r, format_args!("reasons[{i}]"));
        }
        v.unit_interval(self.score, "score");
        v.unit_interval(self.anchor_grounding, "anchor_grounding");
        v.timestamp(&self.scored_at, "scored_at");
        v.non_empty(&self.scorer_version, "scorer_version");
        v.sha256_hex(&self.rule_set_hash, "rule_set_hash");
        v.provenance(&self.provenance, "provenance");
    }
}

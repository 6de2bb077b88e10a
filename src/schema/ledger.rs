//! ModelLedgerEntry: how one model fares on one task type.

use super::common::{ModelRole, Violations};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// One row of the model routing ledger: a (task_type, model) pair and its record.
///
/// A ledger row aggregates many runs, so it carries counts and the scored-runs
/// notes it was built from rather than one run's provenance.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ModelLedgerEntry {
    /// Always 1 for this build.
    pub schema_version: u32,
    /// Task type of the runs counted.
    pub task_type: String,
    /// Model family of the runs counted: the name without provider prefix or dated
    /// snapshot (`claude-sonnet-4-5`, not `anthropic/claude-sonnet-4-5-20250929`).
    pub model_name: String,
    /// The names the runs gave, when any differs from the family.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub raw_model_names: Vec<String>,
    /// Number of scored runs counted; at least 1.
    #[schemars(range(min = 1))]
    pub sample_count: u64,
    /// Share of accepted runs, in [0, 1].
    #[schemars(range(min = 0.0, max = 1.0))]
    pub success_rate: f64,
    /// Median latency in milliseconds, when runs report it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latency_p50_ms: Option<u64>,
    /// 95th percentile latency in milliseconds, when runs report it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latency_p95_ms: Option<u64>,
    /// Total cost in US dollars, when runs report it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cost_usd_total: Option<f64>,
    /// Most frequent failure markers, most frequent first.
    #[serde(default)]
    pub top_failure_modes: Vec<String>,
    /// Role to escalate to when this model fails, when the data suggests one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub escalation_role: Option<ModelRole>,
    /// The model that most often succeeds on tasks where this one failed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub best_partner_model: Option<String>,
}

impl ModelLedgerEntry {
    /// Check every invariant of the record.
    pub fn validate(&self, v: &mut Violations) {
        v.schema_version(self.schema_version);
        v.non_empty(&self.task_type, "task_type");
        v.non_empty(&self.model_name, "model_name");
        v.check(self.sample_count >= 1, "sample_count", "must be at least 1");
        v.unit_interval(self.success_rate, "success_rate");
        if let (Some(p50), Some(p95)) = (self.latency_p50_ms, self.latency_p95_ms) {
            v.check(p50 <= p95, "latency_p50_ms", "must not exceed latency_p95_ms");
        }
        if let Some(cost) = self.cost_usd_total {
            v.check(
                cost.is_finite() && cost >= 0.0,
                "cost_usd_total",
                "must be a non-negative number",
            );
        }
    }
}

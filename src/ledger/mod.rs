//! The model routing ledger: how each model fares on each task type.
//!
//! Per (task_type, model): sample_count; success_rate = accepted / samples;
//! latency p50/p95 by nearest rank over runs that report latency; total cost;
//! the three most frequent failure markers; escalation role `reviewer` when fewer
//! than half the runs are accepted; and the best partner model — the model accepted
//! most often on tasks where this one was not (ties broken by name).

use crate::schema::{Category, EvidenceRecord, ModelLedgerEntry, ModelRole, SCHEMA_VERSION, ScoredRun};
use std::collections::{BTreeMap, BTreeSet};

/// A scored run with the evidence it was scored from.
#[derive(Debug, Clone)]
pub struct Sample<'a> {
    /// The verdict.
    pub scored: &'a ScoredRun,
    /// The run's primary evidence record.
    pub evidence: &'a EvidenceRecord,
}

/// A model's family: its name without a provider prefix (`anthropic/`, `openai/`,
/// `models/`, `anthropic.`), a dated snapshot (`-20250929`, `-2024-08-06`, `@20240620`),
/// a Bedrock version (`-v1:0`) or `-latest`, lower-cased.
pub fn model_family(name: &str) -> String {
    use regex::Regex;
    use std::sync::LazyLock;
    static SNAPSHOT: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?:[-@]\d{8}|-\d{4}-\d{2}-\d{2}|-v\d+(?::\d+)?|-latest)$").expect("static regex")
    });
    let mut family = name.trim().to_lowercase();
    if let Some((_, rest)) = family.rsplit_once('/') {
        family = rest.to_owned();
    }
    for prefix in ["anthropic.", "openai.", "us.anthropic.", "eu.anthropic."] {
        if let Some(rest) = family.strip_prefix(prefix) {
            family = rest.to_owned();
        }
    }
    while let Some(m) = SNAPSHOT.find(&family) {
        family.truncate(m.start());
    }
    if family.is_empty() { name.to_owned() } else { family }
}

/// Build the ledger, sorted by task type then model family.
pub fn build_ledger(samples: &[Sample<'_>]) -> Vec<ModelLedgerEntry> {
    let families: Vec<String> = samples.iter().map(|s| model_family(&s.scored.model_name)).collect();
    let mut groups: BTreeMap<(&str, &str), Vec<&Sample<'_>>> = BTreeMap::new();
    for (s, family) in samples.iter().zip(&families) {
        groups
            .entry((s.evidence.task_type.as_str(), family.as_str()))
            .or_default()
            .push(s);
    }
    // task id → model families accepted on it
    let mut accepted_on: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for (s, family) in samples.iter().zip(&families) {
        if s.scored.category == Category::Accepted {
            accepted_on
                .entry(s.scored.task_id.as_str())
                .or_default()
                .insert(family.as_str());
        }
    }
    groups
        .into_iter()
        .map(|((task_type, model), runs)| {
            let raw: BTreeSet<&str> = runs.iter().map(|s| s.scored.model_name.as_str()).collect();
            let raw_model_names = if raw.iter().all(|r| *r == model) {
                Vec::new()
            } else {
                raw.into_iter().map(str::to_owned).collect()
            };
            let n = runs.len() as u64;
            let accepted = runs.iter().filter(|s| s.scored.category == Category::Accepted).count() as u64;
            let success_rate = accepted as f64 / n as f64;
            let mut latencies: Vec<u64> = runs.iter().filter_map(|s| s.evidence.latency_ms).collect();
            latencies.sort_unstable();
            let costs: Vec<f64> = runs.iter().filter_map(|s| s.evidence.cost_usd).collect();
            let mut failures: BTreeMap<&str, usize> = BTreeMap::new();
            for s in &runs {
                for m in &s.evidence.failure_markers {
                    *failures.entry(m.as_str()).or_default() += 1;
                }
            }
            let mut top: Vec<(&str, usize)> = failures.into_iter().collect();
            top.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
            let mut partners: BTreeMap<&str, usize> = BTreeMap::new();
            for s in runs.iter().filter(|s| s.scored.category != Category::Accepted) {
                for other in accepted_on.get(s.scored.task_id.as_str()).into_iter().flatten() {
                    if *other != model {
                        *partners.entry(other).or_default() += 1;
                    }
                }
            }
            let best_partner = partners
                .into_iter()
                .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(a.0)))
                .map(|(m, _)| m.to_owned());
            ModelLedgerEntry {
                schema_version: SCHEMA_VERSION,
                task_type: task_type.to_owned(),
                model_name: model.to_owned(),
                raw_model_names,
                sample_count: n,
                success_rate,
                latency_p50_ms: nearest_rank(&latencies, 50),
                latency_p95_ms: nearest_rank(&latencies, 95),
                cost_usd_total: (!costs.is_empty()).then(|| round6(costs.iter().sum())),
                top_failure_modes: top.into_iter().take(3).map(|(m, _)| m.to_owned()).collect(),
                escalation_role: (success_rate < 0.5).then_some(ModelRole::Reviewer),
                best_partner_model: best_partner,
            }
        })
        .collect()
}

/// Nearest-rank percentile of sorted values.
pub fn nearest_rank(sorted: &[u64], percentile: u64) -> Option<u64> {
    if sorted.is_empty() {
        return None;
    }
    let rank = (percentile * sorted.len() as u64).div_ceil(100).max(1) as usize;
    sorted.get(rank - 1).copied()
}

/// Sums of floats are rounded to micro-dollars so the bytes do not depend on summation noise.
fn round6(x: f64) -> f64 {
    (x * 1e6).round() / 1e6
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn model_names_map_to_one_family() {
        for name in [
            "claude-sonnet-4-5-20250929",
            "anthropic/claude-sonnet-4-5",
            "anthropic.claude-sonnet-4-5-20250929-v1:0",
            "Claude-Sonnet-4-5@20250929",
        ] {
            assert_eq!(model_family(name), "claude-sonnet-4-5", "{name}");
        }
        assert_eq!(model_family("openai/gpt-4o-2024-08-06"), "gpt-4o");
        assert_eq!(model_family("models/gemini-2.5-pro"), "gemini-2.5-pro");
        assert_eq!(model_family("gpt-5-codex"), "gpt-5-codex");
    }

    #[test]
    fn nearest_rank_percentiles() {
        let v = [100, 200, 300, 400, 500, 600, 700, 800, 900, 1000];
        assert_eq!(nearest_rank(&v, 50), Some(500));
        assert_eq!(nearest_rank(&v, 95), Some(1000));
        assert_eq!(nearest_rank(&[7], 95), Some(7));
        assert_eq!(nearest_rank(&[], 50), None);
    }
}

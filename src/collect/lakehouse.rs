//! The `lakehouse` adapter: presets for agent-pipeline telemetry streams, one run per line.
//!
//! | preset      | recognised by                | fields read |
//! |-------------|------------------------------|-------------|
//! | `mode`      | `mode` + `task_class`        | ts, task_class, mode, model, file_path, sources, latency_ms, response |
//! | `contract`  | `observer_verdict` / `matrix_hits` | ok, analysis, matrix_hits, observer_verdict, observer_conf, observer_notes, cost, duration_ms |
//! | `distilled` | `extractor`                  | run_id, sig_hash, created_at, extractor, verifier, category, text, schema_version (must be 1) |
//! | `trust`     | `trust_score` / `successes`  | model, task_class, trust_score, successes, failures, updated_at |
//! | `scrum`     | `reviewer`                   | review_id, reviewer, verdict, comments, pr, ts |
//! | `audit`     | `auditor` / `audit_id`       | audit_id, auditor, target, passed, findings, severity, ts |
//! | `outcome`   | `outcome`                    | run_id, model, task_id, outcome, tests_passed, tests_failed, ts |
//! | `override`  | `verdict` + `by`             | run_id, by, verdict, reason, ts |
//!
//! A source may pin its preset (`preset = "mode"`); otherwise each line is recognised
//! by its keys, and a line no preset recognises is quarantined.

use super::Rejected;
use super::jsonl::{any_text, list, number, text};
use super::{Line, RunDraft};
use crate::schema::{HumanOverride, ModelRole, ValidationResult};
use serde_json::Value;

/// The preset names.
pub const PRESETS: &[&str] = &[
    "mode",
    "contract",
    "distilled",
    "trust",
    "scrum",
    "audit",
    "outcome",
    "override",
];

/// One line as a run: with the pinned preset, or the one its keys show.
pub(super) fn map_line(pinned: Option<&str>, line: &Line, value: &Value) -> Result<RunDraft, Rejected> {
    let preset = match pinned {
        Some(p) => p,
        None => {
            detect(value).ok_or_else(|| Rejected::OtherFormat("no lakehouse preset recognises this line".into()))?
        }
    };
    map(preset, value, &line.raw_sha256())
}

fn detect(v: &Value) -> Option<&'static str> {
    let has = |k: &str| v.get(k).is_some();
    if has("reviewer") {
        Some("scrum")
    } else if has("auditor") || has("audit_id") {
        Some("audit")
    } else if has("verdict") && has("by") {
        Some("override")
    } else if has("outcome") {
        Some("outcome")
    } else if has("trust_score") || has("successes") {
        Some("trust")
    } else if has("extractor") {
        Some("distilled")
    } else if has("observer_verdict") || has("matrix_hits") {
        Some("contract")
    } else if has("mode") && has("task_class") {
        Some("mode")
    } else {
        None
    }
}

fn map(preset: &str, v: &Value, raw_sha256: &str) -> Result<RunDraft, Rejected> {
    let s = |k: &str| v.get(k).and_then(text);
    let n = |k: &str| v.get(k).and_then(number);
    let id_or = |k: &str, prefix: &str| s(k).unwrap_or_else(|| format!("{prefix}-{}", &raw_sha256[..16]));
    let time = || {
        s("ts")
            .or_else(|| s("timestamp"))
            .or_else(|| s("created_at"))
            .or_else(|| s("updated_at"))
    };
    let mut d = RunDraft {
        timestamp: time(),
        ..RunDraft::default()
    };
    match preset {
        "mode" => {
            let class = s("task_class").unwrap_or_else(|| "general".into());
            let file = s("file_path");
            d.run_id = Some(id_or("run_id", "mode"));
            d.task_id = Some(format!("{class}:{}", file.clone().unwrap_or_default()));
            d.task_type = Some(class);
            d.model_name = s("model");
            d.source_files = file.into_iter().collect();
            d.retrieved_context = v.get("sources").map(list).unwrap_or_default();
            d.latency_ms = n("latency_ms").map(|x| x.max(0.0) as u64);
            d.output_text = v.get("response").map(any_text).unwrap_or_default();
            d.observer_notes = s("mode").map(|m| format!("mode: {m}")).into_iter().collect();
        }
        "contract" => {
            let ok = v
                .get("ok")
                .and_then(Value::as_bool)
                .ok_or(Rejected::Incomplete("contract line without boolean `ok`"))?;
            d.run_id = Some(id_or("run_id", "contract"));
            d.task_id = s("contract_id").or_else(|| s("task_id")).or(Some("contract".into()));
            d.task_type = Some("contract-analysis".into());
            d.model_name = s("model");
            d.validation_results = vec![validation("contract analysis", ok, None, None)];
            if !ok {
                d.failure_markers.push("contract analysis not ok".into());
            }
            if let Some(verdict) = s("observer_verdict") {
                let conf = n("observer_conf")
                    .map(|c| format!(" (confidence {c})"))
                    .unwrap_or_default();
                d.observer_notes.push(format!("observer verdict: {verdict}{conf}"));
            }
            d.observer_notes
                .extend(v.get("observer_notes").map(list).unwrap_or_default());
            d.retrieved_context = match v.get("matrix_hits") {
                Some(Value::Array(_)) => v.get("matrix_hits").map(list).unwrap_or_default(),
                Some(other) => vec![format!("matrix hits: {}", any_text(other))],
                None => Vec::new(),
            };
            d.cost_usd = n("cost");
            d.latency_ms = n("duration_ms").map(|x| x.max(0.0) as u64);
            d.output_text = v.get("analysis").map(any_text).unwrap_or_default();
        }
        "distilled" => {
            match v.get("schema_version").and_then(Value::as_u64) {
                None | Some(1) => {}
                Some(other) => {
                    return Err(Rejected::UnsupportedVersion(format!(
                        "unsupported schema_version {other}; this adapter reads 1"
                    )));
                }
            }
            let category = s("category").unwrap_or_else(|| "general".into());
            d.run_id = Some(id_or("run_id", "distilled"));
            d.task_id = Some(format!("distilled:{category}"));
            d.task_type = Some(category);
            d.model_name = s("extractor");
            d.model_role = Some(ModelRole::Extractor);
            d.output_text = s("text").unwrap_or_default();
            if let Some(verifier) = s("verifier") {
                d.success_markers.push(format!("verified by {verifier}"));
            }
        }
        "trust" => {
            let successes = n("successes").unwrap_or(0.0).max(0.0) as u64;
            let failures = n("failures").unwrap_or(0.0).max(0.0) as u64;
            let model = s("model").ok_or(Rejected::Incomplete("trust row without `model`"))?;
            let class = s("task_class").unwrap_or_else(|| "general".into());
            d.run_id = Some(format!("trust:{model}:{class}:{}", time().unwrap_or_default()));
            d.task_id = Some(format!("trust:{class}"));
            d.task_type = Some(class);
            d.model_name = Some(model);
            d.model_role = Some(ModelRole::Overseer);
            d.validation_results = vec![validation(
                "trust ledger",
                failures == 0,
                Some(successes),
                Some(failures),
            )];
            if let Some(score) = n("trust_score") {
                d.observer_notes.push(format!("trust score {score}"));
            }
        }
        "scrum" => {
            let verdict = s("verdict").unwrap_or_default().to_lowercase();
            d.run_id = Some(id_or("review_id", "review"));
            d.task_id = s("pr").map(|p| format!("pr:{p}"));
            d.task_type = Some("review".into());
            d.model_name = s("reviewer");
            d.model_role = Some(ModelRole::Reviewer);
            d.observer_notes = v.get("comments").map(list).unwrap_or_default();
            match verdict.as_str() {
                "approve" | "approved" | "lgtm" => d.success_markers.push("review approved".into()),
                "request_changes" | "changes_requested" | "reject" | "rejected" => {
                    d.failure_markers.push("review requested changes".into())
                }
                _ => {}
            }
        }
        "audit" => {
            let passed = v
                .get("passed")
                .and_then(Value::as_bool)
                .ok_or(Rejected::Incomplete("audit line without boolean `passed`"))?;
            d.run_id = Some(id_or("audit_id", "audit"));
            d.task_id = s("target").or_else(|| s("audit_id"));
            d.task_type = Some("audit".into());
            d.model_name = s("auditor");
            d.model_role = Some(ModelRole::Verifier);
            d.validation_results = vec![validation("audit", passed, None, None)];
            d.failure_markers = v.get("findings").map(list).unwrap_or_default();
            if let Some(severity) = s("severity") {
                d.observer_notes.push(format!("severity: {severity}"));
            }
        }
        "outcome" => {
            let outcome = s("outcome").unwrap_or_default().to_lowercase();
            let passed = n("tests_passed").map(|x| x.max(0.0) as u64);
            let failed = n("tests_failed").map(|x| x.max(0.0) as u64);
            d.run_id = Some(s("run_id").ok_or(Rejected::Incomplete("outcome line without `run_id`"))?);
            d.task_id = s("task_id");
            d.model_name = s("model");
            if passed.is_some() || failed.is_some() {
                let ok = failed.unwrap_or(0) == 0 && outcome != "failure";
                d.validation_results = vec![validation("outcome tests", ok, passed, failed)];
            }
            match outcome.as_str() {
                "success" | "succeeded" | "merged" => d.success_markers.push(format!("outcome: {outcome}")),
                "failure" | "failed" | "reverted" => d.failure_markers.push(format!("outcome: {outcome}")),
                _ => {}
            }
        }
        "override" => {
            let verdict = s("verdict").ok_or(Rejected::Incomplete("override line without `verdict`"))?;
            let by = s("by").unwrap_or_else(|| "unknown".into());
            d.run_id = Some(s("run_id").ok_or(Rejected::Incomplete("override line without `run_id`"))?);
            d.task_id = s("task_id");
            d.model_name = Some(by.clone());
            d.model_role = Some(ModelRole::Human);
            d.human_override = Some(HumanOverride {
                by,
                category: serde_json::from_value(Value::String(verdict.clone())).map_err(|_| {
                    Rejected::UnknownValue {
                        field: "",
                        what: "verdict",
                        value: verdict.clone(),
                    }
                })?,
                reason: s("reason").unwrap_or_else(|| "no reason given".into()),
            });
        }
        other => {
            return Err(Rejected::OtherFormat(format!(
                "unknown lakehouse preset `{other}`; known: {}",
                PRESETS.join(", ")
            )));
        }
    }
    Ok(d)
}

fn validation(name: &str, passed: bool, passed_count: Option<u64>, failed_count: Option<u64>) -> ValidationResult {
    ValidationResult {
        name: name.to_owned(),
        passed,
        passed_count,
        failed_count,
        detail: None,
    }
}

//! Scoring rules: ordered conditions on facts derived from a run, each giving a
//! category and a reason. The first rule whose conditions all hold decides.
//!
//! `.distill/scoring.toml` replaces the defaults:
//! ```toml
//! [[rule]]
//! name = "accepted"
//! when = { validations_total = ">0", failures = "0" }
//! category = "accepted"
//! reason = "all {validations_total} validations passed"
//! ```

use crate::schema::Category;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The facts a condition may test, all counts (or 0/1 for flags).
pub const FACTS: &[&str] = &[
    "human_override",
    "validations_total",
    "validations_passed",
    "validations_failed",
    "substantive_validations",
    "failure_markers",
    "success_markers",
    "failures",
    "commands_total",
    "commands_failed",
    "lines_accepted",
    "lines_overridden",
    "files_changed",
    "changed_nothing",
    "abandoned",
    "declined",
    "work_remains",
    "undelivered",
    "delivered",
    "other_failures",
    "harness_failures",
    "answered_in_words",
    "cut_off",
];

/// One rule.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    /// Name, cited in reasons.
    pub name: String,
    /// Fact → condition (`"0"`, `">0"`, `">=2"`, `"<3"`, `"!=0"`); all must hold. Empty: always.
    #[serde(default)]
    pub when: BTreeMap<String, String>,
    /// The category, or `from_override` to take the human override's.
    pub category: String,
    /// Reason template; `{fact}` and `{override_by}`, `{override_category}`, `{override_reason}` are filled in.
    pub reason: String,
}

/// An ordered rule set.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleSet {
    /// The rules, first match wins; the last should match everything.
    #[serde(rename = "rule")]
    pub rules: Vec<Rule>,
}

/// A rule file that cannot be used.
#[derive(Debug, thiserror::Error)]
#[error("{file}: {message}")]
pub struct RuleError {
    /// The file.
    pub file: String,
    /// What is wrong.
    pub message: String,
}

impl RuleSet {
    /// The default rules (see docs/scoring.md).
    pub fn default_rules() -> RuleSet {
        let rule = |name: &str, when: &[(&str, &str)], category: &str, reason: &str| Rule {
            name: name.into(),
            when: when.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
            category: category.into(),
            reason: reason.into(),
        };
        RuleSet {
            rules: vec![
                rule(
                    "human-override",
                    &[("human_override", "1")],
                    "from_override",
                    "human override by {override_by}: {override_category} ({override_reason})",
                ),
                rule(
                    "abandoned-last-request",
                    &[("abandoned", "1")],
                    "rejected",
                    "the user stopped the last request before anything was changed for it",
                ),
                rule(
                    "declined-last-request",
                    &[("declined", ">0")],
                    "rejected",
                    "the agent said it could not do the last request, and did nothing for it",
                ),
                rule(
                    "work-remains",
                    &[("work_remains", ">0"), ("files_changed", ">0")],
                    "partially_accepted",
                    "asked whether the work is done, the agent said part of it is still open",
                ),
                rule(
                    "changed-nothing",
                    &[
                        ("changed_nothing", "1"),
                        ("success_markers", "0"),
                        ("harness_failures", "0"),
                    ],
                    "needs_human_review",
                    "the run changed no file: its {validations_total} validations and {failure_markers} failure markers judge code it did not write",
                ),
                rule(
                    "answered-in-words",
                    &[("answered_in_words", "1")],
                    "needs_human_review",
                    "the last request was answered in words alone: the run's {validations_total} validations and {success_markers} success markers speak of earlier requests",
                ),
                rule(
                    "cut-off",
                    &[("cut_off", "1"), ("undelivered", "0")],
                    "needs_human_review",
                    "the log stops mid-turn (a call's result never came, or the agent never closed its turn): how the run ended is unknown",
                ),
                rule(
                    "delivered-as-asked",
                    &[("delivered", ">0"), ("undelivered", "0"), ("abandoned", "0")],
                    "accepted",
                    "the last request asked only to deliver the work, and every git operation it asked for succeeded: the run's {validations_total} validations judged earlier requests",
                ),
                rule(
                    "all-final-validations-passed",
                    &[("substantive_validations", ">0"), ("failures", "0")],
                    "accepted",
                    "the last run of each of {validations_total} validations passed, no failure left standing",
                ),
                rule(
                    "success-markers-only",
                    &[
                        ("substantive_validations", "0"),
                        ("success_markers", ">0"),
                        ("failures", "0"),
                    ],
                    "accepted",
                    "{success_markers} success markers, no failures",
                ),
                rule(
                    "some-passed-some-failed",
                    &[("validations_passed", ">0"), ("failures", ">0")],
                    "partially_accepted",
                    "{validations_passed} of {validations_total} validations passed, {failures} failures",
                ),
                rule(
                    "done-not-delivered",
                    &[("undelivered", ">0"), ("other_failures", "0"), ("files_changed", ">0")],
                    "partially_accepted",
                    "the work was done but not delivered: {undelivered} git operations the last request asked for never succeeded",
                ),
                rule(
                    "failed-nothing-passed",
                    &[("failures", ">0"), ("validations_passed", "0")],
                    "rejected",
                    "{failures} failures and no validation passed",
                ),
                rule(
                    "no-outcome-signal",
                    &[],
                    "needs_human_review",
                    "no validation, marker or override to judge by",
                ),
            ],
        }
    }

    /// Parse and check a rule file: unknown facts, categories or operators are errors.
    pub fn parse(file: &str, text: &str) -> Result<RuleSet, RuleError> {
        let err = |message: String| RuleError {
            file: file.to_owned(),
            message,
        };
        let set: RuleSet = toml::from_str(text).map_err(|e| {
            let line = e
                .span()
                .map(|s| text[..s.start.min(text.len())].matches('\n').count() + 1)
                .unwrap_or(1);
            err(format!("line {line}: {}", e.message().replace('\n', " ")))
        })?;
        if set.rules.is_empty() {
            return Err(err("no [[rule]] entries".into()));
        }
        for rule in &set.rules {
            for (fact, condition) in &rule.when {
                if !FACTS.contains(&fact.as_str()) {
                    return Err(err(format!(
                        "rule `{}`: unknown field `{fact}` (known: {})",
                        rule.name,
                        FACTS.join(", ")
                    )));
                }
                parse_condition(condition).ok_or_else(|| {
                    err(format!(
                        "rule `{}`: bad condition `{condition}` for `{fact}`",
                        rule.name
                    ))
                })?;
            }
            if rule.category != "from_override" && parse_category(&rule.category).is_none() {
                return Err(err(format!(
                    "rule `{}`: unknown category `{}`",
                    rule.name, rule.category
                )));
            }
        }
        Ok(set)
    }
}

/// `(operator, value)` of a condition.
pub fn parse_condition(text: &str) -> Option<(&str, u64)> {
    let text = text.trim();
    for op in [">=", "<=", "!=", ">", "<", "="] {
        if let Some(rest) = text.strip_prefix(op) {
            return rest.trim().parse().ok().map(|n| (op, n));
        }
    }
    text.parse().ok().map(|n| ("=", n))
}

/// Whether `value` satisfies `condition`.
pub fn holds(condition: &str, value: u64) -> bool {
    match parse_condition(condition) {
        Some((">=", n)) => value >= n,
        Some(("<=", n)) => value <= n,
        Some(("!=", n)) => value != n,
        Some((">", n)) => value > n,
        Some(("<", n)) => value < n,
        Some((_, n)) => value == n,
        None => false,
    }
}

/// A category by its snake_case name.
pub fn parse_category(name: &str) -> Option<Category> {
    <Category as crate::named::Named>::from_name(name)
}

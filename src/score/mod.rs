//! The success scorer: deterministic rules over a run's evidence, never a model call.
//!
//! Records sharing a `run_id` are one run (a human override may arrive as its own
//! record). The first rule that holds gives the category; reasons cite the rule and
//! every piece of evidence behind it.

mod rules;

pub use rules::{FACTS, Rule, RuleError, RuleSet, holds, parse_category};

use crate::drift::TreeView;
use crate::schema::{Category, EvidenceRecord, HumanOverride, ModelRole, SCHEMA_VERSION, ScoredRun, canonical_sha256};
use std::collections::BTreeMap;

/// Version of the scorer, on every ScoredRun.
pub const SCORER_VERSION: &str = concat!("git-distill/", env!("CARGO_PKG_VERSION"));

/// What the facts mean: bumped whenever their derivation changes, and part of
/// [`rule_set_hash`], so a score stored under the old meaning is never taken for one
/// under the same rules now. 2: validations are judged on their last run. 3: what the
/// run changed (`files_changed`, `changed_nothing`). 4: `abandoned`,
/// `substantive_validations` (format checks are validations too), `undelivered`,
/// `other_failures`. 5: `harness_failures`; files written outside the work tree are no
/// change. 6: `answered_in_words`, `cut_off`. 8: `delivered`. 9: `declined`. 10: `work_remains`.
/// 11: `cut_off` also for a turn its agent never closed with words; `abandoned` not for an
/// interrupt after a quit word or a declined plan. 12: a script the request told the agent
/// to run is no write the log cannot see; YAML is data beside JSON.
const FACTS_VERSION: u32 = 12;

/// Facts derived from one run's records.
#[derive(Debug, Clone, Default)]
pub struct Facts {
    /// Fact name → value.
    pub values: BTreeMap<&'static str, u64>,
    /// The human override, if any record of the run carries one.
    pub human_override: Option<HumanOverride>,
    /// Evidence lines cited in reasons.
    pub evidence: Vec<String>,
}

/// Group records by run id (sorted), so each run is scored once.
pub fn group_runs<'a>(records: impl IntoIterator<Item = &'a EvidenceRecord>) -> Vec<Vec<&'a EvidenceRecord>> {
    let mut groups: BTreeMap<&str, Vec<&EvidenceRecord>> = BTreeMap::new();
    for r in records {
        groups.entry(r.run_id.as_str()).or_default().push(r);
    }
    groups.into_values().collect()
}

/// The record that stands for the run: the first non-human record, else the first.
pub fn primary<'a>(group: &[&'a EvidenceRecord]) -> &'a EvidenceRecord {
    group
        .iter()
        .find(|r| r.model_role != ModelRole::Human)
        .or_else(|| group.first())
        .copied()
        .expect("a run group is never empty")
}

/// Derive the facts of a run.
pub fn facts(group: &[&EvidenceRecord]) -> Facts {
    let mut f = Facts::default();
    let (mut total, mut passed, mut failed, mut failures, mut successes, mut commands, mut commands_failed) =
        (0u64, 0u64, 0u64, 0u64, 0u64, 0u64, 0u64);
    let mut substantive = 0u64;
    let (mut lines_accepted, mut lines_overridden) = (0u64, 0u64);
    let mut abandoned = false;
    let mut declined = 0u64;
    let mut work_remains = 0u64;
    let mut undelivered = 0u64;
    let mut delivered = 0u64;
    let mut harness_failures = 0u64;
    let mut answered_in_words = false;
    let mut cut_off = false;
    // The last result under each name counts (records from before collect judged the
    // final state list every run).
    let mut last: BTreeMap<&str, bool> = BTreeMap::new();
    for r in group {
        for v in &r.validation_results {
            last.insert(v.name.as_str(), v.passed);
        }
    }
    for (&name, &ok) in &last {
        total += 1;
        substantive += u64::from(!crate::collect::is_format_check(name));
        if ok {
            passed += 1;
        } else {
            failed += 1;
        }
    }
    for r in group {
        for v in &r.validation_results {
            let counts = match (v.passed_count, v.failed_count) {
                (Some(p), Some(x)) => format!(": {x} failed of {}", p + x),
                (Some(p), None) => format!(": {p} passed"),
                _ => String::new(),
            };
            let history = v
                .detail
                .as_deref()
                .filter(|d| d.contains('→'))
                .map(|d| format!(", {d}"));
            f.evidence.push(format!(
                "validation {}{counts} ({}{})",
                v.name,
                if v.passed { "passed" } else { "failed" },
                history.unwrap_or_default()
            ));
        }
        for m in &r.failure_markers {
            failures += 1;
            abandoned |= m == crate::schema::ABANDONED_MARKER || m == crate::schema::UNDONE_MARKER;
            undelivered += u64::from(m.starts_with(crate::schema::UNDELIVERED_MARKER));
            declined += u64::from(m.starts_with(crate::schema::DECLINED_MARKER));
            work_remains += u64::from(m.starts_with(crate::schema::WORK_REMAINS_MARKER));
            harness_failures += u64::from(
                m == crate::schema::ABANDONED_MARKER
                    || m == crate::schema::INTERRUPTED_MARKER
                    || m.starts_with(crate::schema::HARNESS_ERROR_MARKER),
            );
            f.evidence.push(format!("failure marker: {m}"));
        }
        for m in &r.success_markers {
            successes += 1;
            delivered += u64::from(m.starts_with(crate::schema::DELIVERED_MARKER));
            f.evidence.push(format!("success marker: {m}"));
        }
        for c in &r.commands_run {
            commands += 1;
            if c.exit_code.is_some_and(|code| code != 0) {
                commands_failed += 1;
            }
        }
        if f.human_override.is_none() {
            f.human_override = r.human_override.clone();
        }
        if r.cut_off {
            cut_off = true;
            f.evidence.push(
                "the log stops mid-turn: a call's result never came, or the agent never closed its turn".to_owned(),
            );
        }
        if r.answered_in_words {
            answered_in_words = true;
            f.evidence.push(
                "the last request was answered in words, or not at all: nothing ran and no file changed for it"
                    .to_owned(),
            );
        }
        if let Some(a) = r.line_acceptance {
            lines_accepted += a.accepted_lines;
            lines_overridden += a.overridden_lines;
            f.evidence.push(format!(
                "lines: {} kept as written, {} changed by a person",
                a.accepted_lines, a.overridden_lines
            ));
        }
    }
    // What the run changed, from the records of the agent (not a person's verdict).
    let agent = group.iter().filter(|r| r.model_role != ModelRole::Human);
    let changed: Vec<Option<&Vec<String>>> = agent.map(|r| r.files_changed.as_ref()).collect();
    let files_changed = changed.iter().flatten().map(|files| files.len() as u64).sum::<u64>();
    let changed_nothing = !changed.is_empty() && changed.iter().all(|c| c.is_some_and(Vec::is_empty));
    if changed_nothing {
        f.evidence
            .push("the log accounts for every tool call, and none changed a file".to_owned());
    }
    f.values = BTreeMap::from([
        ("human_override", u64::from(f.human_override.is_some())),
        ("files_changed", files_changed),
        ("changed_nothing", u64::from(changed_nothing)),
        ("abandoned", u64::from(abandoned)),
        ("declined", declined),
        ("work_remains", work_remains),
        ("answered_in_words", u64::from(answered_in_words)),
        ("cut_off", u64::from(cut_off)),
        ("undelivered", undelivered),
        ("delivered", delivered),
        ("harness_failures", harness_failures),
        ("other_failures", failed + failures - undelivered),
        ("validations_total", total),
        ("validations_passed", passed),
        ("validations_failed", failed),
        ("substantive_validations", substantive),
        ("failure_markers", failures),
        ("success_markers", successes),
        ("failures", failed + failures),
        ("commands_total", commands),
        ("commands_failed", commands_failed),
        ("lines_accepted", lines_accepted),
        ("lines_overridden", lines_overridden),
    ]);
    f
}

/// Canonical SHA-256 of a rule set and the meaning of the facts it tests.
pub fn rule_set_hash(rules: &RuleSet) -> String {
    #[derive(serde::Serialize)]
    struct Identity<'a> {
        facts_version: u32,
        rule: &'a [Rule],
    }
    canonical_sha256(&Identity {
        facts_version: FACTS_VERSION,
        rule: &rules.rules,
    })
    .unwrap_or_default()
}

/// Score one run. `grounding` is its anchor grounding; `scored_at` its commit's time.
pub fn score_run(
    group: &[&EvidenceRecord],
    rules: &RuleSet,
    rule_hash: &str,
    grounding: f64,
    scored_at: &str,
) -> ScoredRun {
    let run = primary(group);
    let f = facts(group);
    let rule = rules.rules.iter().find(|rule| {
        rule.when
            .iter()
            .all(|(fact, cond)| holds(cond, f.values.get(fact.as_str()).copied().unwrap_or(0)))
    });
    let (category, mut reasons) = match rule {
        Some(rule) => {
            let category = if rule.category == "from_override" {
                f.human_override
                    .as_ref()
                    .map(|h| h.category)
                    .unwrap_or(Category::NeedsHumanReview)
            } else {
                parse_category(&rule.category).unwrap_or(Category::NeedsHumanReview)
            };
            (
                category,
                vec![format!("rule {}: {}", rule.name, fill(&rule.reason, &f))],
            )
        }
        None => (
            Category::NeedsHumanReview,
            vec!["no rule matched: needs a person to decide".to_owned()],
        ),
    };
    reasons.extend(f.evidence.iter().cloned());
    let passed = f.values["validations_passed"] as f64;
    let failures = f.values["failures"] as f64;
    let score = match category {
        Category::Accepted => 1.0,
        Category::Rejected => 0.0,
        Category::NeedsHumanReview => 0.5,
        Category::PartiallyAccepted if passed + failures > 0.0 => passed / (passed + failures),
        Category::PartiallyAccepted => 0.5,
    };
    ScoredRun {
        schema_version: SCHEMA_VERSION,
        run_id: run.run_id.clone(),
        task_id: run.task_id.clone(),
        model_name: run.model_name.clone(),
        category,
        reasons,
        score,
        anchor_grounding: grounding,
        scored_at: scored_at.to_owned(),
        scorer_version: SCORER_VERSION.to_owned(),
        rule_set_hash: rule_hash.to_owned(),
        provenance: run.provenance.clone(),
    }
}

fn fill(template: &str, f: &Facts) -> String {
    let mut out = template.to_owned();
    for (name, value) in &f.values {
        out = out.replace(&format!("{{{name}}}"), &value.to_string());
    }
    let h = f.human_override.as_ref();
    out.replace("{override_by}", h.map(|h| h.by.as_str()).unwrap_or("-"))
        .replace("{override_category}", h.map(|h| h.category.as_str()).unwrap_or("-"))
        .replace("{override_reason}", h.map(|h| h.reason.as_str()).unwrap_or("-"))
}

/// The checkable claims of a run: its source files and the repository scripts its
/// commands invoke (a first word that is a relative path, like `./scripts/check.sh`).
pub fn anchor_claims(group: &[&EvidenceRecord]) -> Vec<String> {
    let mut claims: Vec<String> = Vec::new();
    for r in group {
        for path in &r.source_files {
            push_unique(&mut claims, path.trim_start_matches("./").to_owned());
        }
        for c in &r.commands_run {
            if let Some(first) = c.command.split_whitespace().next()
                && (first.starts_with("./") || first.starts_with("scripts/") || first.starts_with("bin/"))
            {
                push_unique(&mut claims, first.trim_start_matches("./").to_owned());
            }
        }
    }
    claims
}

/// Anchor grounding: the share of a run's [`anchor_claims`] that the tree confirms,
/// `confirmed / claims`, and 0 when the run makes no checkable claim.
pub fn anchor_grounding(claims: &[String], tree: &dyn TreeView) -> f64 {
    if claims.is_empty() {
        return 0.0;
    }
    let confirmed = claims.iter().filter(|p| !p.starts_with('/') && tree.exists(p)).count();
    confirmed as f64 / claims.len() as f64
}

fn push_unique(list: &mut Vec<String>, item: String) {
    if !list.contains(&item) {
        list.push(item);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_rules_are_valid_and_parse_back() {
        let rules = RuleSet::default_rules();
        let text = toml::to_string(&rules).unwrap();
        assert_eq!(RuleSet::parse("x", &text).unwrap(), rules);
    }

    #[test]
    fn bad_rule_files_are_errors() {
        assert!(
            RuleSet::parse(
                "s.toml",
                "[[rule]]\nname='a'\nwhen={nope='1'}\ncategory='accepted'\nreason='r'"
            )
            .is_err()
        );
        assert!(RuleSet::parse("s.toml", "[[rule]]\nname='a'\ncategory='great'\nreason='r'").is_err());
        assert!(RuleSet::parse("s.toml", "[[rule]\n").is_err());
        let err = RuleSet::parse(
            "s.toml",
            "[[rule]]\nname='a'\nwhen={failures='~1'}\ncategory='accepted'\nreason='r'",
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("bad condition"), "{err}");
    }
}

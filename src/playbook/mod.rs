//! Playbooks: what accepted runs teach, grouped by task type and problem pattern.
//!
//! A task with at least one accepted run contributes. Its problem pattern is the first
//! failure marker of its non-accepted runs (in time order), normalized — lowercased,
//! numbers → `<n>`, quoted text → `<s>`, paths → `<path>`, whitespace collapsed — or
//! `no-failure` when nothing failed. Only accepted runs are cited as sources.

use crate::ledger::Sample;
use crate::schema::{Category, Playbook, SCHEMA_VERSION, sha256_hex};
use regex::Regex;
use std::collections::BTreeMap;
use std::sync::LazyLock;

/// Build playbooks from every scored run, sorted by id.
pub fn build_playbooks(samples: &[Sample<'_>]) -> Vec<Playbook> {
    let mut by_task: BTreeMap<&str, Vec<&Sample<'_>>> = BTreeMap::new();
    for s in samples {
        by_task.entry(s.scored.task_id.as_str()).or_default().push(s);
    }
    let mut groups: BTreeMap<(String, String), Vec<Vec<&Sample<'_>>>> = BTreeMap::new();
    for (_, mut runs) in by_task {
        runs.sort_by(|a, b| (&a.evidence.timestamp, &a.scored.run_id).cmp(&(&b.evidence.timestamp, &b.scored.run_id)));
        let Some(accepted) = runs.iter().find(|s| s.scored.category == Category::Accepted) else {
            continue;
        };
        let pattern = runs
            .iter()
            .filter(|s| s.scored.category != Category::Accepted)
            .flat_map(|s| s.evidence.failure_markers.iter())
            .next()
            .map(|m| problem_pattern(m))
            .unwrap_or_else(|| "no-failure".to_owned());
        groups
            .entry((accepted.evidence.task_type.clone(), pattern))
            .or_default()
            .push(runs);
    }
    groups
        .into_iter()
        .map(|((task_type, pattern), tasks)| playbook(task_type, pattern, &tasks))
        .collect()
}

fn playbook(task_type: String, pattern: String, tasks: &[Vec<&Sample<'_>>]) -> Playbook {
    let mut p = Playbook {
        schema_version: SCHEMA_VERSION,
        playbook_id: format!("pb-{}", &sha256_hex(format!("{task_type}\n{pattern}").as_bytes())[..16]),
        task_type,
        problem_pattern: pattern,
        useful_context: Vec::new(),
        model_routing_path: Vec::new(),
        commands_worked: Vec::new(),
        commands_failed: Vec::new(),
        validation_steps: Vec::new(),
        files_touched: Vec::new(),
        recovery_strategy: Vec::new(),
        known_failure_modes: Vec::new(),
        acceptance_criteria: Vec::new(),
        source_run_ids: Vec::new(),
        provenance: Vec::new(),
    };
    for runs in tasks {
        let mut failed_before: Vec<&Sample<'_>> = Vec::new();
        for s in runs {
            let e = s.evidence;
            push(&mut p.model_routing_path, &s.scored.model_name);
            for c in e.commands_run.iter().filter(|c| c.exit_code.is_some_and(|x| x != 0)) {
                push(&mut p.commands_failed, &c.command);
            }
            if s.scored.category != Category::Accepted {
                for m in &e.failure_markers {
                    push(&mut p.known_failure_modes, m);
                }
                failed_before.push(s);
                continue;
            }
            for f in &failed_before {
                let what = f
                    .evidence
                    .failure_markers
                    .first()
                    .map(String::as_str)
                    .unwrap_or(f.scored.category.as_str());
                push(
                    &mut p.recovery_strategy,
                    &format!(
                        "after {} ({}) hit `{what}`, {} succeeded",
                        f.scored.run_id, f.scored.model_name, s.scored.model_name
                    ),
                );
            }
            failed_before.clear();
            for c in &e.retrieved_context {
                push(&mut p.useful_context, c);
            }
            for c in e.commands_run.iter().filter(|c| c.exit_code == Some(0)) {
                push(&mut p.commands_worked, &c.command);
            }
            for v in e.validation_results.iter().filter(|v| v.passed) {
                push(&mut p.validation_steps, &v.name);
                push(&mut p.acceptance_criteria, &format!("{} passes", v.name));
            }
            if !e.validation_results.iter().any(|v| v.passed) {
                let why = e
                    .success_markers
                    .first()
                    .map(|m| format!("success marker: {m}"))
                    .unwrap_or_else(|| {
                        format!(
                            "accepted: {}",
                            s.scored.reasons.first().map(String::as_str).unwrap_or("")
                        )
                    });
                push(&mut p.acceptance_criteria, &why);
            }
            for f in &e.source_files {
                push(&mut p.files_touched, f);
            }
            push(&mut p.source_run_ids, &s.scored.run_id);
            p.provenance.push(e.provenance.clone());
        }
    }
    p
}

fn push(list: &mut Vec<String>, item: &str) {
    if !item.trim().is_empty() && !list.iter().any(|x| x == item) {
        list.push(item.to_owned());
    }
}

/// The normalized signature of a failure marker.
pub fn problem_pattern(marker: &str) -> String {
    static QUOTED: LazyLock<Regex> = LazyLock::new(|| Regex::new(r#"`[^`]*`|'[^']*'|"[^"]*""#).expect("static regex"));
    static PATH: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"[\w.\-]*/[\w./\-]+|\b[\w\-]+\.(rs|py|ts|js|go|toml|json)\b").expect("static regex")
    });
    static NUMBER: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\d+").expect("static regex"));
    let lower = marker.to_lowercase();
    let s = QUOTED.replace_all(&lower, "<s>");
    let s = PATH.replace_all(&s, "<path>");
    let s = NUMBER.replace_all(&s, "<n>");
    let collapsed = s.split_whitespace().collect::<Vec<_>>().join(" ");
    collapsed.chars().take(80).collect()
}

/// A playbook as Markdown.
pub fn to_markdown(p: &Playbook) -> String {
    let mut md = format!(
        "# Playbook {}: {} — {}\n\n",
        p.playbook_id, p.task_type, p.problem_pattern
    );
    let sections: [(&str, &Vec<String>); 10] = [
        ("Acceptance criteria", &p.acceptance_criteria),
        ("Validation steps", &p.validation_steps),
        ("Commands that worked", &p.commands_worked),
        ("Commands that failed", &p.commands_failed),
        ("Files touched", &p.files_touched),
        ("Useful context", &p.useful_context),
        ("Model routing path", &p.model_routing_path),
        ("Recovery strategy", &p.recovery_strategy),
        ("Known failure modes", &p.known_failure_modes),
        ("Source runs (accepted)", &p.source_run_ids),
    ];
    for (title, items) in sections {
        if items.is_empty() {
            continue;
        }
        md.push_str(&format!("## {title}\n\n"));
        for item in items {
            md.push_str(&format!("- {item}\n"));
        }
        md.push('\n');
    }
    md
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_normalize_numbers_paths_and_quotes() {
        assert_eq!(
            problem_pattern("error[E0308]: mismatched types in `src/a.rs` at line 12"),
            "error[e<n>]: mismatched types in <s> at line <n>"
        );
        assert_eq!(problem_pattern("cannot find crates/x/lib.rs"), "cannot find <path>");
    }
}

//! `git distill score`: score stored runs with deterministic rules.

use super::{Context, Exit, output::print_json};
use crate::text::clip;
use crate::workflow::score::{load_rules, score};
use std::path::PathBuf;

/// Score every stored run (or the runs on a range of commits) into accepted,
/// partially_accepted, rejected or needs_human_review, always with reasons.
///
/// Rules come from .distill/scoring.toml when present, else the defaults (docs/scoring.md).
/// Verdicts are stored on refs/notes/distill/scores beside the evidence; rescoring with
/// other rules adds new lines (their rule_set_hash differs) and keeps the old ones.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Commits to score: `A..B`, or a revision and its ancestors (default: every commit with evidence).
    range: Option<String>,
    /// Rule file to use instead of .distill/scoring.toml.
    #[arg(long, value_name = "FILE")]
    rules: Option<PathBuf>,
    /// Print JSON.
    #[arg(long)]
    json: bool,
}

/// Run `git distill score`.
pub fn run(ctx: &Context, args: Args) -> anyhow::Result<Exit> {
    let store = ctx.store()?;
    let rules = load_rules(&store.workdir(), args.rules.as_deref().map(|p| ctx.path(p)).as_deref())?;
    let commits = args
        .range
        .as_deref()
        .map(|r| store.resolve_range(r, None))
        .transpose()?;
    let report = score(&store, commits.as_deref(), &rules)?;
    if args.json {
        print_json(&report)?;
        return Ok(Exit::Ok);
    }
    for run in &report.runs {
        println!(
            "{:<24} {:<28} {:<19} {}",
            clip(&run.run_id, 24),
            clip(&run.model_name, 28),
            run.category.as_str(),
            run.reasons.first().map(String::as_str).unwrap_or_default()
        );
    }
    let mut counts = std::collections::BTreeMap::new();
    for run in &report.runs {
        *counts.entry(run.category.as_str()).or_insert(0) += 1;
    }
    let summary: Vec<String> = counts.iter().map(|(c, n)| format!("{n} {c}")).collect();
    println!(
        "{} runs scored ({}); {} score notes changed; rules {}",
        report.runs.len(),
        summary.join(", "),
        report.notes_changed,
        report.rules
    );
    println!("receipt {}", report.receipt_id);
    Ok(Exit::Ok)
}

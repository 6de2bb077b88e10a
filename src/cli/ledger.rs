//! `git distill ledger`: the model routing ledger.

use super::{Context, Exit, output::print_json};
use crate::text::clip;
use crate::workflow::derive::ledger;
use crate::workflow::score::load_rules;

/// Build the model routing ledger from scored runs: per task type and model, the
/// sample count, success rate, latency p50/p95, cost, top failure modes, escalation
/// role and best partner model. Stored as ledger.jsonl on refs/distill/ledger.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Print JSON.
    #[arg(long)]
    json: bool,
}

/// Run `git distill ledger`.
pub fn run(ctx: &Context, args: Args) -> anyhow::Result<Exit> {
    let store = ctx.store()?;
    let rules = load_rules(&store.workdir(), None)?;
    let built = ledger(&store, &rules)?;
    if args.json {
        print_json(&built)?;
        return Ok(Exit::Ok);
    }
    // Sized for a 100-column terminal; --json has everything unabridged.
    println!(
        "{:<12} {:<22} {:>4} {:>5} {:>7} {:>7} {:>7} {:<14} top failure",
        "task type", "model", "runs", "ok%", "p50 ms", "p95 ms", "cost $", "best partner"
    );
    for e in &built.entries {
        let opt = |v: Option<u64>| v.map(|x| x.to_string()).unwrap_or_else(|| "-".into());
        println!(
            "{:<12} {:<22} {:>4} {:>4.0}% {:>7} {:>7} {:>7} {:<14} {}",
            clip(&e.task_type, 12),
            clip(&e.model_name, 22),
            e.sample_count,
            e.success_rate * 100.0,
            opt(e.latency_p50_ms),
            opt(e.latency_p95_ms),
            e.cost_usd_total
                .map(|c| format!("{c:.2}"))
                .unwrap_or_else(|| "-".into()),
            clip(e.best_partner_model.as_deref().unwrap_or("-"), 14),
            clip(e.top_failure_modes.first().map(String::as_str).unwrap_or("-"), 18),
        );
    }
    println!(
        "{} rows on refs/distill/ledger ({})",
        built.entries.len(),
        &built.commit[..12]
    );
    println!("receipt {}", built.receipt_id);
    Ok(Exit::Ok)
}

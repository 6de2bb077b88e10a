//! `git distill export`: RAG, SFT and preference datasets.

use super::{Context, Exit, output::print_json};
use crate::export::{ExportOptions, Format};
use crate::workflow::export::export;
use crate::workflow::score::load_rules;
use anyhow::bail;
use std::path::PathBuf;

/// Build RAG, SFT and preference datasets from scored runs, in the formats Hugging Face
/// `datasets` loads as-is and TRL's SFTTrainer / DPOTrainer expect, with a dataset card.
///
/// SFT holds accepted runs only; RAG accepted and partially accepted; preference pairs
/// two runs of one task, the better chosen. Splits are by hash of the task id. The files
/// (JSON Lines, or Parquet with --format parquet) are committed on
/// refs/distill/datasets/<NAME> (same inputs, same tree id) and noted on HEAD
/// (refs/notes/distill/datasets).
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Commits whose runs to export: `A..B`, or a revision and its history (default: all).
    range: Option<String>,
    /// Dataset name.
    #[arg(long, default_value = "default")]
    name: String,
    /// Also write the files into this directory.
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// File format: `jsonl`, or `parquet` (nested columns as lists and structs, what the
    /// Hugging Face Hub serves and DuckDB reads); the card's configs point at these files.
    #[arg(long, value_enum, default_value_t = Format::Jsonl, hide_possible_values = true)]
    format: Format,
    /// Share of tasks in the validation split.
    #[arg(long, default_value_t = 0.1)]
    eval_ratio: f64,
    /// Similarity at or above which rows are near duplicates (MinHash estimate of Jaccard).
    #[arg(long, default_value_t = 0.9)]
    near_dup_threshold: f64,
    /// Print JSON.
    #[arg(long)]
    json: bool,
}

/// Run `git distill export`.
pub fn run(ctx: &Context, args: Args) -> anyhow::Result<Exit> {
    if !(0.0..=1.0).contains(&args.eval_ratio) || !(0.0..=1.0).contains(&args.near_dup_threshold) {
        bail!("--eval-ratio and --near-dup-threshold must be in [0, 1]");
    }
    let store = ctx.store()?;
    let rules = load_rules(&store.workdir(), None)?;
    let commits = args
        .range
        .as_deref()
        .map(|r| store.resolve_range(r, None))
        .transpose()?;
    let config = crate::config::Config::load(&store.workdir())?;
    let options = ExportOptions {
        eval_ratio: args.eval_ratio,
        near_dup_threshold: args.near_dup_threshold,
        license: config.export.license.clone(),
        language: config.export.language.clone(),
        format: args.format,
    };
    let out = args.out.as_deref().map(|p| ctx.path(p));
    let report = export(&store, &args.name, out.as_deref(), commits.as_deref(), &options, &rules)?;
    if args.json {
        print_json(&report)?;
        return Ok(Exit::Ok);
    }
    for (file, rows) in &report.rows {
        println!("{file:<28} {rows:>6} rows");
    }
    println!(
        "dataset {} on {} (tree {}); skipped for SFT: {} accepted runs without a conversation, {} whose answer was stored cut",
        report.name,
        report.reference,
        &report.tree[..12],
        report.sft_skipped_no_conversation,
        report.skipped_cut_answers
    );
    if let Some(dir) = &out {
        println!("written to {}", dir.display());
    }
    for c in &report.verdict_conflicts {
        eprintln!(
            "warning: run {}: a stored verdict says {} but its evidence scores {}; {} counts",
            c.run_id, c.stored, c.recomputed, c.kept
        );
    }
    println!("receipt {}", report.receipt_id);
    Ok(Exit::Ok)
}

//! `git distill scratchpad`: normalize agent scratchpads.

use super::{Context, Exit, output::print_json};
use crate::workflow::derive::scratchpads;
use anyhow::bail;
use std::path::PathBuf;

/// Normalize free-form agent scratchpads (checklists, Done/TODO/Failed/Next sections,
/// plain notes) into ScratchpadSummary records, stored on refs/notes/distill/scratchpad
/// at HEAD. What a scratchpad does not state stays empty.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Scratchpad files (Markdown or text).
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// Print JSON.
    #[arg(long)]
    json: bool,
}

/// Run `git distill scratchpad`.
pub fn run(ctx: &Context, args: Args) -> anyhow::Result<Exit> {
    let store = ctx.store()?;
    let mut files = Vec::new();
    for f in &args.files {
        let path = ctx.path(f);
        if !path.is_file() {
            bail!("no such file: {}", f.display());
        }
        files.push((path, f.display().to_string()));
    }
    let built = scratchpads(&store, &files)?;
    if args.json {
        print_json(&built)?;
        return Ok(Exit::Ok);
    }
    for s in &built.summaries {
        println!("{}", s.provenance.source_file);
        println!("  objective: {}", s.objective.as_deref().unwrap_or("(not stated)"));
        println!(
            "  completed {}, failed {}, pending {}, decisions {}, questions {}",
            s.completed.len(),
            s.failed.len(),
            s.pending.len(),
            s.decisions.len(),
            s.unresolved_questions.len()
        );
        println!("  validation: {}", s.validation_status);
        if let Some(next) = &s.next_command {
            println!("  next: {next}");
        }
    }
    println!("receipt {}", built.receipt_id);
    Ok(Exit::Ok)
}

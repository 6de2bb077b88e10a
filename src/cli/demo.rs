//! `git distill demo`: build the demo repository and run the whole pipeline on it.

use super::{Context, Exit};
use crate::receipt::verify::CheckStatus;
use crate::workflow::derive::{ledger, playbooks};
use crate::workflow::drift::compare;
use crate::workflow::export::export;
use crate::workflow::log::{LogFilter, log};
use crate::workflow::score::load_rules;
use crate::workflow::verify::{commits_with_receipts, verify};
use std::path::PathBuf;

/// Build a demo repository from the bundled fixtures — three commits with Claude Code,
/// Codex, JSONL and lakehouse logs, a PRD that drifts and recovers — with the hooks
/// installed, then build the ledger, playbooks and datasets, check drift between revisions,
/// verify every receipt, and show `git distill log`. Offline.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Where to build it (must not exist or be empty).
    #[arg(default_value = "git-distill-demo")]
    dir: PathBuf,
}

/// Run `git distill demo`.
pub fn run(ctx: &Context, args: Args) -> anyhow::Result<Exit> {
    let dir = ctx.path(&args.dir);
    let binary = std::env::current_exe()?;
    println!(
        "building {} (hooks installed: each commit collects, scores and checks drift)",
        dir.display()
    );
    let (store, commits) = crate::workflow::demo::build(&dir, &binary)?;
    for c in &commits {
        println!("  committed {c}");
    }
    let rules = load_rules(&store.workdir(), None)?;
    let built = ledger(&store, &rules)?;
    println!("ledger: {} rows on refs/distill/ledger", built.entries.len());
    let books = playbooks(&store, &rules)?;
    println!("playbooks: {} on refs/distill/playbooks", books.playbooks.len());
    let options = crate::export::ExportOptions::default();
    let dataset = export(&store, "demo", None, None, &options, &rules)?;
    let sft: u64 = dataset
        .rows
        .iter()
        .filter(|(f, _)| f.starts_with("sft/") && !f.ends_with("records.jsonl"))
        .map(|(_, n)| n)
        .sum();
    println!("export: {sft} SFT rows (accepted runs only) on {}", dataset.reference);
    let config = crate::config::Config::load(&store.workdir())?;
    let (base, head) = (store.resolve("HEAD~2")?, store.resolve("HEAD~1")?);
    let cmp = compare(&store, &config.drift.files, base, head, true)?;
    let introduced = cmp.comparison.of(crate::drift::TransitionKind::Introduced).count();
    println!("drift HEAD~2..HEAD~1: {introduced} claims introduced drift (the PR check would fail)");
    let verdicts = verify(&store, &commits_with_receipts(&store)?, true)?;
    let failed = verdicts.iter().filter(|v| v.status == CheckStatus::Fail).count();
    println!("verify --all --reproduce: {} receipts, {failed} failed", verdicts.len());
    println!();
    let entries = log(&store, "HEAD", None, &LogFilter::default(), &rules)?;
    print!("{}", super::log::render(&entries));
    println!();
    println!(
        "explore: cd {} && git distill log / show / drift --base HEAD~2 --head HEAD~1",
        dir.display()
    );
    Ok(if failed == 0 { Exit::Ok } else { Exit::Failed })
}

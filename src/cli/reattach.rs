//! `git distill reattach`: give commits made from other commits their evidence.

use super::{Context, Exit, output::print_json};
use crate::workflow::reattach::reattach;

/// Give each commit in a range that has no evidence the evidence (and verdicts) of the
/// commits it was made from.
///
/// A commit's sources are the commits its message names — `(cherry picked from commit
/// …)` trailers, the list git writes for `merge --squash` — else the commits with the
/// same patch id (`git patch-id --stable`). Hooks do this for local cherry-picks and
/// squashes; run it after a merge made elsewhere, e.g. in CI after a squash merge on
/// the server: `git distill reattach origin/main~20..origin/main`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Revision range (`A..B`) or a revision and its history.
    range: String,
    /// Print JSON.
    #[arg(long)]
    json: bool,
}

/// Run `git distill reattach`.
pub fn run(ctx: &Context, args: Args) -> anyhow::Result<Exit> {
    let store = ctx.store()?;
    let report = reattach(&store, &args.range)?;
    if args.json {
        print_json(&report)?;
        return Ok(Exit::Ok);
    }
    for r in &report.reattached {
        let sources: Vec<&str> = r.sources.iter().map(|s| &s[..12]).collect();
        println!("{} <- {} (by {})", &r.commit[..12], sources.join(", "), r.matched_by);
    }
    println!(
        "{} of {} commits without evidence reattached; {} notes changed",
        report.reattached.len(),
        report.without_evidence,
        report.notes_changed
    );
    Ok(Exit::Ok)
}

//! `git distill push` and `git distill fetch`: move the notes refs with a remote.

use super::{Context, Exit, output::print_json};
use crate::store::{FetchReport, RefMerge};

/// Push refs/notes/distill/* and refs/distill/* to a remote, never forcing.
///
/// A push that loses a race (someone else pushed notes, or the remote could not lock a
/// ref another push was moving) fetches, union-merges and tries again with backoff, up
/// to 8 times; a race still lost then exits 1. Transport uses the `git` binary.
#[derive(Debug, clap::Args)]
pub struct PushArgs {
    /// Remote name or URL; default: the current branch's remote, else `origin`.
    remote: Option<String>,
    /// Print JSON.
    #[arg(long)]
    json: bool,
}

/// Fetch a remote's git-distill refs and union-merge them into ours.
///
/// Fetched refs land in refs/distill-remote/<remote>/ first; notes are merged as the
/// sorted union of both sides (a merge commit keeps both histories), builds on
/// refs/distill/* fast-forward only. Every incoming note line must be a record this
/// build reads (valid JSON, schema and schema_version); a line that is not is refused,
/// a note over `[sync] max_note_bytes` / `max_note_lines` is refused whole, and a
/// remote ref that is not a commit is skipped — the rest is merged, and the command
/// exits 1 with a warning for each.
#[derive(Debug, clap::Args)]
pub struct FetchArgs {
    /// Remote name or URL; default: the current branch's remote, else `origin`.
    remote: Option<String>,
    /// Also fetch what another tool keeps in git, for `collect --adapter <tool>`:
    /// `git-ai` (refs/notes/ai, fast-forward only) or `entire` (its checkpoint refs and
    /// the entire/checkpoints/v1 branch). Repeatable.
    #[arg(long = "with", value_name = "TOOL", value_parser = ["git-ai", "entire"])]
    with: Vec<String>,
    /// Print JSON.
    #[arg(long)]
    json: bool,
}

/// Run `git distill push`.
pub fn push(ctx: &Context, args: PushArgs) -> anyhow::Result<Exit> {
    let store = ctx.store()?;
    let remote = args.remote.unwrap_or_else(|| store.default_remote());
    let config = crate::config::Config::load(&store.workdir())?;
    let report = crate::workflow::sync::push(&store, &config, &remote)?;
    if args.json {
        print_json(&report)?;
    } else {
        if let Some(merge) = &report.merge {
            println!("push to {remote} was rejected; fetched and merged first:");
            render_fetch(merge);
        }
        println!("pushed git-distill refs to {remote}");
    }
    Ok(Exit::Ok)
}

/// Run `git distill fetch`.
pub fn fetch(ctx: &Context, args: FetchArgs) -> anyhow::Result<Exit> {
    let store = ctx.store()?;
    let remote = args.remote.unwrap_or_else(|| store.default_remote());
    let config = crate::config::Config::load(&store.workdir())?;
    let report = crate::workflow::sync::fetch(&store, &config, &remote)?;
    for tool in &args.with {
        crate::workflow::sync::fetch_tool(&store, &remote, tool)?;
        if !args.json {
            println!("  fetched {tool} data");
        }
    }
    if args.json {
        print_json(&report)?;
    } else {
        render_fetch(&report);
    }
    Ok(if report.refused_anything() {
        Exit::Failed
    } else {
        Exit::Ok
    })
}

fn render_fetch(report: &FetchReport) {
    if report.refs.is_empty() {
        println!("{}: no git-distill refs", report.remote);
    }
    for r in &report.refs {
        match r {
            RefMerge::Created { name } => println!("  created       {name}"),
            RefMerge::FastForward { name } => println!("  fast-forward  {name}"),
            RefMerge::UpToDate { name } => println!("  up to date    {name}"),
            RefMerge::Merged { name, notes_changed } => {
                println!("  merged        {name} ({notes_changed} notes changed)")
            }
            RefMerge::Diverged { name, side_ref } => {
                println!("  diverged      {name}: kept ours, theirs is at {side_ref}")
            }
        }
    }
    for i in report.incoming.iter().filter(|i| i.notes > 0) {
        println!(
            "  {}: {} notes differed, {} lines checked, {} lines and {} notes refused",
            i.name, i.notes, i.lines_checked, i.lines_refused, i.notes_refused
        );
        for p in &i.problems {
            eprintln!("warning: {}: refused {p}", i.name);
        }
    }
    for s in &report.skipped {
        eprintln!("warning: skipped {}: {}", s.name, s.reason);
    }
}

//! `git distill push` and `git distill fetch`: move the notes refs with a remote.

use super::{Context, Exit, output::print_json};
use crate::store::{FetchReport, RefMerge};

/// Push refs/notes/distill/* and refs/distill/* to a remote, never forcing.
///
/// A push the remote rejects (someone else pushed notes) fetches, union-merges
/// and pushes once more. Transport uses the `git` binary.
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
/// refs/distill/* fast-forward only.
#[derive(Debug, clap::Args)]
pub struct FetchArgs {
    /// Remote name or URL; default: the current branch's remote, else `origin`.
    remote: Option<String>,
    /// Print JSON.
    #[arg(long)]
    json: bool,
}

/// Run `git distill push`.
pub fn push(ctx: &Context, args: PushArgs) -> anyhow::Result<Exit> {
    let store = ctx.store()?;
    let remote = args.remote.unwrap_or_else(|| store.default_remote());
    let report = store.push(&remote)?;
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
    let report = store.fetch(&remote)?;
    if args.json {
        print_json(&report)?;
    } else {
        render_fetch(&report);
    }
    Ok(Exit::Ok)
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
}

//! `git distill status`: which stages are stale.

use super::{Context, Exit, output::print_json};
use crate::workflow::status::status;

/// Show which stages are stale: their inputs changed since their last receipt, or an
/// upstream stage ran after them (like `dvc status`).
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Print JSON.
    #[arg(long)]
    json: bool,
}

/// Run `git distill status`.
pub fn run(ctx: &Context, args: Args) -> anyhow::Result<Exit> {
    let store = ctx.store()?;
    let stages = status(&store)?;
    if args.json {
        print_json(&stages)?;
        return Ok(Exit::Ok);
    }
    for s in &stages {
        println!(
            "{:<10} {:<11} {}",
            s.stage,
            s.state,
            s.last_run.as_deref().unwrap_or("")
        );
        for r in &s.reasons {
            if s.state == "stale" {
                println!("           - {r}");
            }
        }
    }
    Ok(Exit::Ok)
}

//! `git distill status`: which stages are stale.

use super::{Context, Exit, output::print_json};
use crate::workflow::status::status;

/// Show which stages are stale: their inputs changed since their last receipt, or an
/// upstream stage ran after them (like `dvc status`); then, per coding agent, whether
/// its hook is installed in this project, where its logs are and how many sessions it
/// reported wait to be collected.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Print JSON: `{stages: [...], agents: [...]}`.
    #[arg(long)]
    json: bool,
}

/// Run `git distill status`.
pub fn run(ctx: &Context, args: Args) -> anyhow::Result<Exit> {
    let store = ctx.store()?;
    let stages = status(&store)?;
    let agents = crate::workflow::capture::states(&store, &crate::capture::Agent::ALL, false)?;
    if args.json {
        print_json(&serde_json::json!({ "stages": stages, "agents": agents }))?;
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
    println!("agents:");
    let relevant: Vec<_> = agents
        .into_iter()
        .filter(|a| a.detected || a.installed || a.pending > 0)
        .collect();
    super::hooks::print_agent_states(&relevant);
    if relevant.is_empty() {
        println!("  none found (git distill hooks install --agent <agent>)");
    }
    Ok(Exit::Ok)
}

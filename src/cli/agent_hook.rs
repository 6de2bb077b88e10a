//! `git distill agent-hook <agent>`: what a coding agent's hook runs.

use super::{Context, Exit};
use crate::capture::Agent;
use std::io::Read as _;

/// Record the session a coding agent reports (its hook event, JSON on stdin) for the
/// next commit or `git distill collect` to pick up.
///
/// Installed by `git distill hooks install --agent <agent>`. It never blocks or fails
/// the agent: it prints nothing on stdout, always exits 0, and logs a failure in
/// .git/distill/hook.log (shown once). It only appends a line, so it returns at once.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The agent sending the event (claude-code, codex, gemini, cursor, opencode).
    agent: String,
    /// An event passed as an argument instead of stdin (Codex's `notify`).
    payload: Option<String>,
}

/// Run `git distill agent-hook`.
pub fn run(ctx: &Context, args: Args) -> anyhow::Result<Exit> {
    let mut payload = args.payload.unwrap_or_default();
    if payload.is_empty() {
        let _ = std::io::stdin().take(1 << 20).read_to_string(&mut payload);
    }
    // The agent may run the hook from a subdirectory or elsewhere: its event says where.
    let cwd = serde_json::from_str::<serde_json::Value>(&payload)
        .ok()
        .and_then(|v| v.get("cwd").and_then(|c| c.as_str()).map(std::path::PathBuf::from));
    let store = match (&ctx.directory, cwd) {
        (None, Some(dir)) if dir.is_dir() => crate::store::Store::discover(&dir).map_err(anyhow::Error::from),
        _ => ctx.store(),
    };
    let Ok(store) = store else {
        // Not in a repository: nothing to record, and nothing to tell the agent.
        return Ok(Exit::Ok);
    };
    let recorded = match Agent::parse(&args.agent) {
        Some(agent) => crate::workflow::capture::record_event(&store, agent, &payload).map_err(|e| e.to_string()),
        None => Err(format!("unknown agent `{}`", args.agent)),
    };
    if let Err(e) = recorded
        && crate::workflow::hooks::log_failure(&store, "agent-hook", &e)
    {
        eprintln!("git-distill: agent hook failed: {e} (logged in .git/distill/hook.log)");
    }
    Ok(Exit::Ok)
}

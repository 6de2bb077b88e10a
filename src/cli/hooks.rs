//! `git distill hooks` (install/uninstall/status) and `git distill hook <name>` (what
//! the installed hook scripts call).

use super::{Context, Exit, output::print_json};
use crate::capture::Agent;
use crate::workflow::capture::{self, AgentHookState, detected_agents};
use crate::workflow::hooks::{
    PushUpdate, hook_states, install, log_failure, post_commit, post_rewrite, pre_push, uninstall,
};
use std::io::Read;

/// Install, remove or show git-distill's git hooks (post-commit, pre-push, post-rewrite),
/// or with --agent the hooks of coding agents.
///
/// Git hooks go into the effective hooks directory (core.hooksPath and worktrees
/// respected). A hook already there is never overwritten: it is kept as
/// <name>.pre-distill and runs first, and its exit status is kept. Installing twice
/// changes nothing; uninstall puts back exactly what was there.
///
/// --agent claude-code|codex|gemini|cursor|opencode|all writes the agent's own hook
/// configuration (.claude/settings.json, .codex/hooks.json, .gemini/settings.json,
/// .cursor/hooks.json, an OpenCode plugin) in this project, or with --global in your
/// home directory, keeping every hook already there. The agent then runs
/// `git distill agent-hook <agent>` when a session or turn ends, and the next commit (or
/// `git distill collect`) collects the session with no [[source]] configured. `all`
/// means every agent found on this machine.
#[derive(Debug, clap::Args)]
pub struct HooksArgs {
    #[command(subcommand)]
    action: HooksAction,
}

#[derive(Debug, clap::Subcommand)]
enum HooksAction {
    /// Install the hooks.
    Install {
        #[command(flatten)]
        agents: AgentArgs,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Remove the hooks, restoring chained ones.
    Uninstall {
        #[command(flatten)]
        agents: AgentArgs,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Show what is installed and whether notes travel with push/fetch.
    Status {
        #[command(flatten)]
        agents: AgentArgs,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
}

/// Which agents' hooks to work on.
#[derive(Debug, clap::Args)]
struct AgentArgs {
    /// A coding agent (claude-code, codex, gemini, cursor, opencode) or `all`
    /// (every agent found on this machine); repeatable.
    #[arg(long = "agent", value_name = "AGENT")]
    agents: Vec<String>,
    /// The agent's user-wide configuration instead of this project's.
    #[arg(long, requires = "agents")]
    global: bool,
}

impl AgentArgs {
    fn resolve(&self) -> anyhow::Result<Vec<Agent>> {
        let mut out = Vec::new();
        for name in &self.agents {
            if name == "all" {
                out.extend(detected_agents());
                continue;
            }
            match Agent::parse(name) {
                Some(agent) => out.push(agent),
                None => anyhow::bail!("unknown agent `{name}` (claude-code, codex, gemini, cursor, opencode, all)"),
            }
        }
        out.sort();
        out.dedup();
        Ok(out)
    }
}

/// Run `git distill hooks`.
pub fn hooks(ctx: &Context, args: HooksArgs) -> anyhow::Result<Exit> {
    let store = ctx.store()?;
    let (agent_args, json) = match &args.action {
        HooksAction::Install { agents, json }
        | HooksAction::Uninstall { agents, json }
        | HooksAction::Status { agents, json } => (agents, *json),
    };
    if !agent_args.agents.is_empty() {
        let agents = agent_args.resolve()?;
        let global = agent_args.global;
        let states = match args.action {
            HooksAction::Install { .. } => capture::install(&store, &agents, global)?,
            HooksAction::Uninstall { .. } => capture::uninstall(&store, &agents, global)?,
            HooksAction::Status { .. } => capture::states(&store, &agents, global)?,
        };
        return render_agents(&states, json);
    }
    let states = match args.action {
        HooksAction::Install { .. } => install(&store, &std::env::current_exe()?)?,
        HooksAction::Uninstall { .. } => uninstall(&store)?,
        HooksAction::Status { .. } => hook_states(&store)?,
    };
    let remote = store.default_remote();
    let configured = |key: &str| {
        store
            .git_command(&["config", "--get-all", key])
            .map(|v| v.contains("refs/notes/distill"))
            .unwrap_or(false)
    };
    let push_configured = configured(&format!("remote.{remote}.push"));
    let fetch_configured = configured(&format!("remote.{remote}.fetch"));
    let pre_push = states.iter().any(|s| s.name == "pre-push" && s.installed);
    if json {
        print_json(&serde_json::json!({
            "hooks_dir": store.hooks_dir()?,
            "hooks": states,
            "remote": remote,
            "notes_pushed": pre_push || push_configured,
            "notes_fetch_refspec": fetch_configured,
        }))?;
        return Ok(Exit::Ok);
    }
    println!("hooks in {}", store.hooks_dir()?.display());
    for s in &states {
        println!(
            "  {:<13} {}{}",
            s.name,
            if s.installed { "installed" } else { "not installed" },
            if s.chained { " (chains the previous hook)" } else { "" }
        );
    }
    println!(
        "notes refs to {remote}: {}",
        if pre_push {
            "pushed by the pre-push hook"
        } else if push_configured {
            "pushed by remote.<name>.push"
        } else {
            "not pushed automatically (run `git distill push`)"
        }
    );
    println!(
        "notes refs from {remote}: {}",
        if fetch_configured {
            "fetched by remote.<name>.fetch"
        } else {
            "run `git distill fetch` to merge them"
        }
    );
    Ok(Exit::Ok)
}

/// Print agent hook states.
fn render_agents(states: &[AgentHookState], json: bool) -> anyhow::Result<Exit> {
    if json {
        print_json(&states)?;
        return Ok(Exit::Ok);
    }
    if states.is_empty() {
        println!("no coding agent found on this machine (name one with --agent)");
    }
    print_agent_states(states);
    Ok(Exit::Ok)
}

/// One line per agent: its hook, pending sessions and where its logs are.
pub(super) fn print_agent_states(states: &[AgentHookState]) {
    for s in states {
        println!(
            "  {:<12} hook {} in {}; {} sessions pending; logs in {}",
            s.agent.name(),
            if s.installed { "installed" } else { "not installed" },
            s.config,
            s.pending,
            s.logs
        );
        if let Some(note) = &s.note {
            println!("               note: {note}");
        }
    }
}

/// Run a hook's logic (called by the installed scripts).
#[derive(Debug, clap::Args)]
pub struct HookArgs {
    /// Which hook.
    #[arg(value_parser = ["post-commit", "pre-push", "post-rewrite"])]
    name: String,
    /// The arguments git passed to the hook.
    #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
    args: Vec<String>,
}

/// Run `git distill hook <name>`: never fails the git operation, except a pre-push
/// refused for drift when `distill.drift.prePush=block`.
pub fn hook(ctx: &Context, args: HookArgs) -> anyhow::Result<Exit> {
    let store = ctx.store()?;
    let mut input = String::new();
    if args.name != "post-commit" {
        let _ = std::io::stdin().read_to_string(&mut input);
    }
    let result = match args.name.as_str() {
        "post-commit" => post_commit(&store).map(Some),
        "pre-push" => {
            let remote = args.args.first().cloned().unwrap_or_else(|| store.default_remote());
            let updates: Vec<PushUpdate> = input
                .lines()
                .filter_map(|l| {
                    let f: Vec<&str> = l.split_whitespace().collect();
                    (f.len() == 4).then(|| PushUpdate {
                        local_ref: f[0].into(),
                        local_sha: f[1].into(),
                        remote_ref: f[2].into(),
                        remote_sha: f[3].into(),
                    })
                })
                .collect();
            pre_push(&store, &remote, &updates).map(Some)
        }
        _ => {
            let pairs: Vec<(String, String)> = input
                .lines()
                .filter_map(|l| {
                    let mut f = l.split_whitespace();
                    Some((f.next()?.to_owned(), f.next()?.to_owned()))
                })
                .collect();
            post_rewrite(&store, &pairs).map(|_| None)
        }
    };
    match result {
        Ok(Some(report)) if report.blocked.is_some() => {
            eprintln!("git-distill: push refused: {}", report.blocked.unwrap_or_default());
            Ok(Exit::Failed)
        }
        Ok(_) => Ok(Exit::Ok),
        Err(e) => {
            if log_failure(&store, &args.name, &e.to_string()) {
                eprintln!(
                    "git-distill: {} hook failed: {e} (logged in .git/distill/hook.log)",
                    args.name
                );
            }
            Ok(Exit::Ok)
        }
    }
}

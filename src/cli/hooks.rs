//! `git distill hooks` (install/uninstall/status) and `git distill hook <name>` (what
//! the installed hook scripts call).

use super::{Context, Exit, output::print_json};
use crate::workflow::hooks::{
    PushUpdate, hook_states, install, log_failure, post_commit, post_rewrite, pre_push, uninstall,
};
use std::io::Read;

/// Install, remove or show git-distill's git hooks (post-commit, pre-push, post-rewrite).
///
/// Hooks go into the effective hooks directory (core.hooksPath and worktrees respected).
/// A hook already there is never overwritten: it is kept as <name>.pre-distill and runs
/// first, and its exit status is kept. Installing twice changes nothing; uninstall puts
/// back exactly what was there.
#[derive(Debug, clap::Args)]
pub struct HooksArgs {
    #[command(subcommand)]
    action: HooksAction,
}

#[derive(Debug, clap::Subcommand)]
enum HooksAction {
    /// Install the hooks.
    Install {
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Remove the hooks, restoring chained ones.
    Uninstall {
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Show what is installed and whether notes travel with push/fetch.
    Status {
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
}

/// Run `git distill hooks`.
pub fn hooks(ctx: &Context, args: HooksArgs) -> anyhow::Result<Exit> {
    let store = ctx.store()?;
    let (states, json) = match args.action {
        HooksAction::Install { json } => (install(&store, &std::env::current_exe()?)?, json),
        HooksAction::Uninstall { json } => (uninstall(&store)?, json),
        HooksAction::Status { json } => (hook_states(&store)?, json),
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
    let argv = crate::workflow::paths::invocation(&store.workdir());
    let mut input = String::new();
    if args.name != "post-commit" {
        let _ = std::io::stdin().read_to_string(&mut input);
    }
    let result = match args.name.as_str() {
        "post-commit" => post_commit(&store, &argv).map(Some),
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
            pre_push(&store, &remote, &updates, &argv).map(Some)
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

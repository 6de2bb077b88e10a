//! Command-line interface: argument parsing and rendering only.
//!
//! Each subcommand lives in its own file with an `Args` struct (whose doc comments
//! are the help text) and a `run` function that calls the library and renders.

mod output;
mod schema;
mod validate;

use clap::{Parser, Subcommand};
use std::path::PathBuf;

pub use output::Exit;

/// git-distill turns AI coding-agent run logs into evidence stored in git.
///
/// Records live in the repository as git notes under refs/notes/distill/* and as
/// commits under refs/distill/*, so they travel with push and fetch.
#[derive(Debug, Parser)]
#[command(
    name = "git-distill",
    bin_name = "git distill",
    version,
    about,
    long_about
)]
pub struct Cli {
    /// Run as if started in <PATH> (like `git -C`).
    #[arg(short = 'C', global = true, value_name = "PATH")]
    pub directory: Option<PathBuf>,

    /// The command to run.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Validate JSONL files against a record schema.
    Validate(validate::Args),
    /// Print or write the JSON Schemas of the record kinds.
    Schema(schema::Args),
}

/// Run the parsed command line and return the process exit status.
pub fn run(cli: Cli) -> anyhow::Result<Exit> {
    let ctx = Context {
        directory: cli.directory,
    };
    match cli.command {
        Command::Validate(args) => validate::run(&ctx, args),
        Command::Schema(args) => schema::run(&ctx, args),
    }
}

/// What every command may need from the global options.
#[derive(Debug)]
pub struct Context {
    /// `-C <path>`, when given.
    pub directory: Option<PathBuf>,
}

impl Context {
    /// Resolve a user-supplied path against `-C`.
    pub fn path(&self, p: &std::path::Path) -> PathBuf {
        match &self.directory {
            Some(dir) if p.is_relative() => dir.join(p),
            _ => p.to_path_buf(),
        }
    }
}

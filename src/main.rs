//! The `git-distill` binary: parse, run, map errors to exit codes.

use clap::Parser;
use git_distill::cli::{self, Cli, Exit};
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let exit = match cli::run(cli) {
        Ok(exit) => exit,
        Err(err) => {
            eprintln!("error: {err:#}");
            Exit::Usage
        }
    };
    ExitCode::from(exit as u8)
}

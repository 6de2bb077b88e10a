//! `git distill completions` and `git distill man`: generated from the CLI definition.

use super::{Cli, Context, Exit};
use clap::CommandFactory;

/// Print a shell completion script (bash, zsh, fish, elvish, powershell).
///
/// Example: `git distill completions bash > ~/.local/share/bash-completion/completions/git-distill`
#[derive(Debug, clap::Args)]
pub struct CompletionsArgs {
    /// The shell.
    shell: clap_complete::Shell,
}

/// Print the man page (roff).
///
/// Example: `git distill man > ~/.local/share/man/man1/git-distill.1`
#[derive(Debug, clap::Args)]
pub struct ManArgs {}

/// Run `git distill completions`.
pub fn completions(_: &Context, args: CompletionsArgs) -> anyhow::Result<Exit> {
    let mut command = Cli::command();
    clap_complete::generate(args.shell, &mut command, "git-distill", &mut std::io::stdout());
    Ok(Exit::Ok)
}

/// Run `git distill man`.
pub fn man(_: &Context, _: ManArgs) -> anyhow::Result<Exit> {
    let command = Cli::command().name("git-distill");
    clap_mangen::Man::new(command).render(&mut std::io::stdout())?;
    Ok(Exit::Ok)
}

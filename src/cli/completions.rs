//! `git distill completions` and `git distill man`: generated from the CLI definition.

use super::{Cli, Context, Exit};
use clap::CommandFactory;

/// Print a shell completion script (bash, zsh, fish, elvish, powershell).
///
/// Both `git-distill <TAB>` and `git distill <TAB>` complete: the bash script also
/// defines `_git_distill`, which git's own completion calls for `git distill`; git's zsh
/// completion calls the `_git-distill` function the zsh script defines.
///
/// Example: `git distill completions bash > ~/.local/share/bash-completion/completions/git-distill`
/// (and `source` it from ~/.bashrc so git's completion finds `_git_distill`);
/// zsh: `git distill completions zsh > ~/.zfunc/_git-distill` with ~/.zfunc in fpath.
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
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut command, "git-distill", &mut script);
    let mut script = String::from_utf8_lossy(&script).into_owned();
    if args.shell == clap_complete::Shell::Bash {
        // clap_complete names the cases of a binary with `-` in its name two ways
        // (`git__distill…` where it dispatches, `git__subcmd__distill…` where it answers),
        // so no subcommand's options ever completed; one spelling fixes it.
        script = script.replace("git__subcmd__distill", "git__distill");
        script.push_str(GIT_BASH_BRIDGE);
    }
    print!("{script}");
    Ok(Exit::Ok)
}

/// For `git distill <TAB>`: git's completion calls `_git_<command>` with its own `words`
/// and `cword` (`git distill …`); this hands them to the generated `git-distill` completer.
const GIT_BASH_BRIDGE: &str = r#"
# `git distill <TAB>`: git's completion calls _git_distill with words=(git distill ...).
_git_distill() {
    local COMP_WORDS=(git-distill "${words[@]:2}")
    local COMP_CWORD=$((cword - 1))
    _git__distill git-distill "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
}
"#;

/// Run `git distill man`.
pub fn man(_: &Context, _: ManArgs) -> anyhow::Result<Exit> {
    let command = Cli::command().name("git-distill");
    let mut roff = Vec::new();
    clap_mangen::Man::new(command).render(&mut roff)?;
    // clap_mangen leaves out the value name of a short-only option (`[-C ]`).
    let page = String::from_utf8_lossy(&roff).replace("[\\fB\\-C \\fR]", "[\\fB\\-C\\fR \\fIPATH\\fR]");
    print!("{page}");
    Ok(Exit::Ok)
}

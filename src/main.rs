//! The `git-distill` binary: parse, run, map errors to exit codes.

use clap::Parser;
use git_distill::cli::{self, Cli};
use std::process::ExitCode;

/// mimalloc: collect allocates and frees millions of small strings across threads,
/// where it is markedly faster than the system allocator (see docs/benchmarks.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    reset_sigpipe();
    let cli = Cli::parse();
    let exit = match cli::run(cli) {
        Ok(exit) => exit,
        Err(err) => cli::report_error(&err),
    };
    ExitCode::from(exit as u8)
}

/// Like git, die quietly when the reader of our output goes away (`git distill log | head`):
/// Rust ignores SIGPIPE by default, which turns every later print into a panic.
fn reset_sigpipe() {
    #[cfg(unix)]
    // SAFETY: restoring the default disposition of SIGPIPE before any thread starts.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}

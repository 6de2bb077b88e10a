//! The `git-distill` binary: parse, run, map errors to exit codes.

use clap::Parser;
use git_distill::cli::{self, Cli, Command};
use std::process::ExitCode;

/// mimalloc: collect allocates and frees millions of small strings across threads,
/// where it is markedly faster than the system allocator (see docs/benchmarks.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    reset_sigpipe();
    let cli = Cli::parse();
    if matches!(cli.command, Command::Index(_)) {
        embed_in_batches();
    }
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

/// `index` embeds in bulk, one batch per core; candle's own pool, which splits each
/// operation across threads and spins at a barrier after it, then only contends with the
/// batches: embedding ran 1.7× faster without it (400 runs: 13.2 s → 7.8 s). A search
/// embeds one short query, which the pool does speed up (hybrid p50 120 ms against 150),
/// so it keeps it. The setting is read once, so it is made here, before any thread
/// starts; a value the user set is left alone.
fn embed_in_batches() {
    if std::env::var_os("CANDLE_NUM_THREADS").is_none() {
        // SAFETY: no other thread exists yet (only argument parsing has run).
        unsafe { std::env::set_var("CANDLE_NUM_THREADS", "1") };
    }
}

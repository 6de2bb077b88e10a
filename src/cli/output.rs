//! Exit statuses and small rendering helpers shared by the commands.

use std::io::Write;

/// Process exit statuses, stable for scripts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// Everything worked and every check passed.
    Ok = 0,
    /// A check failed or invalid data was found.
    Failed = 1,
    /// Usage or configuration error; the command could not run.
    Usage = 2,
    /// A check could not be decided (objects missing).
    Inconclusive = 3,
}

/// Print `value` as pretty JSON on stdout.
pub fn print_json<T: serde::Serialize>(value: &T) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    serde_json::to_writer_pretty(&mut out, value)?;
    writeln!(out)?;
    Ok(())
}

//! Writing index files safely: through a temporary name renamed into place, by one
//! updater at a time.

use crate::workflow::{Result, WorkflowError};
use std::path::{Path, PathBuf};

/// The lock file's name in the index directory.
pub(super) const LOCK: &str = "lock";

/// Write `bytes` to `path` through a temporary file renamed into place, so a reader sees
/// the old file or the new one, never part of one.
pub(super) fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let tmp = PathBuf::from(format!("{}.tmp{}", path.display(), std::process::id()));
    std::fs::write(&tmp, bytes).map_err(WorkflowError::io_on(&tmp))?;
    std::fs::rename(&tmp, path).map_err(WorkflowError::io_on(path))
}

/// The right to update the index: a file holding the updater's process id, removed when
/// dropped. A lock left by a process that no longer runs is taken over.
pub(super) struct Lock {
    path: PathBuf,
}

impl Lock {
    pub(super) fn try_acquire(dir: &Path) -> Result<Option<Lock>> {
        let path = dir.join(LOCK);
        for _ in 0..2 {
            match std::fs::OpenOptions::new().write(true).create_new(true).open(&path) {
                Ok(mut file) => {
                    use std::io::Write;
                    let _ = write!(file, "{}", std::process::id());
                    return Ok(Some(Lock { path }));
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                    if !holder_is_gone(&path) {
                        return Ok(None);
                    }
                    let _ = std::fs::remove_file(&path);
                }
                Err(e) => return Err(WorkflowError::io(&path, e)),
            }
        }
        Ok(None)
    }
}

impl Drop for Lock {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

/// Whether the process named in the lock file has ended (a lock without a readable id
/// is left alone for a minute: its holder may be writing it).
fn holder_is_gone(path: &Path) -> bool {
    let pid = std::fs::read_to_string(path)
        .ok()
        .and_then(|t| t.trim().parse::<i32>().ok());
    match pid {
        Some(pid) => !process_alive(pid),
        None => std::fs::metadata(path)
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.elapsed().ok())
            .is_some_and(|age| age > std::time::Duration::from_secs(60)),
    }
}

#[cfg(unix)]
fn process_alive(pid: i32) -> bool {
    // SAFETY: signal 0 only asks whether the process exists; nothing is sent.
    let sent = unsafe { libc::kill(pid, 0) };
    sent == 0 || std::io::Error::last_os_error().raw_os_error() != Some(libc::ESRCH)
}

#[cfg(not(unix))]
fn process_alive(_pid: i32) -> bool {
    true
}

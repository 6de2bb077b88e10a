//! Porcelain the hooks and the demo need: hook paths, config values, commits of the
//! work tree. These shell out to `git` so behaviour (hooksPath, worktrees, identity,
//! pre-commit hooks) is exactly git's.

use super::Store;
use super::error::{Result, StoreError};
use std::path::{Path, PathBuf};

impl Store {
    /// The effective hooks directory (respects `core.hooksPath` and worktrees).
    pub fn hooks_dir(&self) -> Result<PathBuf> {
        let out = self.git(&[
            "rev-parse".into(),
            "--path-format=absolute".into(),
            "--git-path".into(),
            "hooks".into(),
        ])?;
        Ok(PathBuf::from(out.trim()))
    }

    /// The directory where git-distill keeps local state (`<git-common-dir>/distill`).
    pub fn state_dir(&self) -> PathBuf {
        self.repo.common_dir().join("distill")
    }

    /// A config value as git sees it (all scopes), if set.
    pub fn config_value(&self, key: &str) -> Option<String> {
        self.repo.config_snapshot().string(key).map(|v| v.to_string())
    }

    /// Set `key` in the repository's own config (`git config --local`).
    pub fn set_config_value(&self, key: &str, value: &str) -> Result<()> {
        self.git(&["config".into(), "--local".into(), key.into(), value.into()])?;
        Ok(())
    }

    /// Stage everything and commit with `message`; `date` (RFC 3339) pins author and committer time.
    pub fn commit_all(&self, message: &str, date: Option<&str>) -> Result<String> {
        self.git(&["add".into(), "-A".into()])?;
        let mut cmd = std::process::Command::new("git");
        cmd.arg("-C").arg(self.workdir()).args(["commit", "-q", "-m", message]);
        if let Some(date) = date {
            cmd.env("GIT_AUTHOR_DATE", date).env("GIT_COMMITTER_DATE", date);
        }
        let out = cmd.output().map_err(|e| StoreError::GitCommand {
            args: "commit".into(),
            stderr: e.to_string(),
        })?;
        if !out.status.success() {
            return Err(StoreError::GitCommand {
                args: format!("commit -m {message}"),
                stderr: super::error::one_line(&String::from_utf8_lossy(&out.stderr)),
            });
        }
        Ok(self.git(&["rev-parse".into(), "HEAD".into()])?.trim().to_owned())
    }

    /// Run `git` with `args` in the work tree and return stdout (for plumbing the store lacks).
    pub fn git_command(&self, args: &[&str]) -> Result<String> {
        self.git(&args.iter().map(|s| s.to_string()).collect::<Vec<_>>())
    }
}

/// `git init -b main <dir>`.
pub fn init_repository(dir: &Path) -> Result<()> {
    let out = std::process::Command::new("git")
        .args(["init", "-q", "-b", "main"])
        .arg(dir)
        .output()
        .map_err(|e| StoreError::GitCommand {
            args: "init".into(),
            stderr: e.to_string(),
        })?;
    if out.status.success() {
        Ok(())
    } else {
        Err(StoreError::GitCommand {
            args: format!("init {}", dir.display()),
            stderr: super::error::one_line(&String::from_utf8_lossy(&out.stderr)),
        })
    }
}

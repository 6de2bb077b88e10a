//! Installing git-distill's hooks (chaining any hook already there) and running them.

use super::collect::collect;
use super::drift::{compare, report_at};
use super::score::{load_rules, score};
use super::{Result, WorkflowError};
use crate::config::Config;
use crate::drift::TransitionKind;
use crate::store::Store;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The hooks git-distill installs, with their scripts.
pub const HOOKS: &[(&str, &str)] = &[
    ("post-commit", include_str!("../../hooks/post-commit")),
    ("pre-push", include_str!("../../hooks/pre-push")),
    ("post-rewrite", include_str!("../../hooks/post-rewrite")),
];

/// Suffix under which a hook that was already there is kept and chained.
pub const CHAINED_SUFFIX: &str = ".pre-distill";
const MARKER: &str = "installed by `git distill hooks install`";

/// One hook's state.
#[derive(Debug, Clone, Serialize)]
pub struct HookState {
    /// Hook name.
    pub name: String,
    /// Ours is installed.
    pub installed: bool,
    /// A previous hook is chained.
    pub chained: bool,
}

/// Install the hooks into the effective hooks directory. Idempotent; an existing
/// foreign hook is kept as `<name>.pre-distill` and runs first.
pub fn install(store: &Store, binary: &Path) -> Result<Vec<HookState>> {
    let dir = store.hooks_dir()?;
    std::fs::create_dir_all(&dir).map_err(WorkflowError::io_on(&dir))?;
    for (name, script) in HOOKS {
        let path = dir.join(name);
        if is_ours(&path) {
            continue;
        }
        if path.exists() {
            let chained = dir.join(format!("{name}{CHAINED_SUFFIX}"));
            std::fs::rename(&path, &chained).map_err(WorkflowError::io_on(&path))?;
        }
        let text = script.replace("@GIT_DISTILL@", &shell_quote(&binary.to_string_lossy()));
        std::fs::write(&path, text).map_err(WorkflowError::io_on(&path))?;
        make_executable(&path)?;
    }
    hook_states(store)
}

/// Remove our hooks and put back exactly what was there.
pub fn uninstall(store: &Store) -> Result<Vec<HookState>> {
    let dir = store.hooks_dir()?;
    for (name, _) in HOOKS {
        let path = dir.join(name);
        if !is_ours(&path) {
            continue;
        }
        std::fs::remove_file(&path).map_err(WorkflowError::io_on(&path))?;
        let chained = dir.join(format!("{name}{CHAINED_SUFFIX}"));
        if chained.exists() {
            std::fs::rename(&chained, &path).map_err(WorkflowError::io_on(&chained))?;
        }
    }
    hook_states(store)
}

/// What is installed.
pub fn hook_states(store: &Store) -> Result<Vec<HookState>> {
    let dir = store.hooks_dir()?;
    Ok(HOOKS
        .iter()
        .map(|(name, _)| HookState {
            name: name.to_string(),
            installed: is_ours(&dir.join(name)),
            chained: dir.join(format!("{name}{CHAINED_SUFFIX}")).exists(),
        })
        .collect())
}

fn is_ours(path: &Path) -> bool {
    std::fs::read_to_string(path).is_ok_and(|t| t.contains(MARKER))
}

fn shell_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', "'\\''"))
}

fn make_executable(path: &Path) -> Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).map_err(WorkflowError::io_on(path))?;
    }
    Ok(())
}

/// Size and modification time of each source file at the last snapshot.
#[derive(Debug, Default, Serialize, Deserialize)]
struct Snapshot {
    files: BTreeMap<String, (u64, u128)>,
}

/// What a hook did.
#[derive(Debug, Default, Serialize)]
pub struct HookReport {
    /// New evidence records attached.
    pub records_new: usize,
    /// Runs scored.
    pub runs_scored: usize,
    /// Notes carried from the commits a cherry-pick or squash was made from.
    pub notes_carried: usize,
    /// Drift claims checked at the commit.
    pub drift_claims: Option<usize>,
    /// Set when the hook refuses the operation (pre-push with drift blocking).
    pub blocked: Option<String>,
}

/// Collect what the configured sources and the sessions agents reported produced since
/// the last snapshot, attach it to `at`, and score it. Files whose size and mtime did not
/// change are not read.
fn snapshot_evidence(store: &Store, config: &Config, at: gix::ObjectId, report: &mut HookReport) -> Result<()> {
    let workdir = store.workdir();
    let state_path = store.state_dir().join("snapshot.json");
    let mut state: Snapshot = std::fs::read(&state_path)
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .unwrap_or_default();
    let mut inputs = Vec::new();
    let mut seen = BTreeMap::new();
    // A hook never prints warnings about sources; `git distill collect` does.
    let (mut candidates, _) = super::collect::configured_inputs(store, config, &[])?;
    for pending in super::capture::pending_inputs(store, config) {
        if !candidates.iter().any(|c| c.path == pending.path) {
            candidates.push(pending);
        }
    }
    if candidates.is_empty() {
        return Ok(());
    }
    for input in candidates {
        let Ok(meta) = std::fs::metadata(&input.path) else {
            continue;
        };
        let mtime = meta
            .modified()
            .ok()
            .and_then(|m| m.duration_since(std::time::UNIX_EPOCH).ok())
            .map(|d| d.as_nanos())
            .unwrap_or(0);
        let key = input.path.to_string_lossy().into_owned();
        let stamp = (meta.len(), mtime);
        if state.files.get(&key) != Some(&stamp) {
            inputs.push(input);
        }
        seen.insert(key, stamp);
    }
    if inputs.is_empty() {
        return Ok(());
    }
    let collected = collect(store, &inputs, Some(at), &|_| {})?;
    report.records_new = collected.records_new;
    if collected.records_new > 0 {
        let rules = load_rules(&workdir, None)?;
        // All runs: a new record (a human override, say) may belong to a run stored on an older commit.
        report.runs_scored = score(store, None, &rules)?.runs.len();
    }
    state.files = seen;
    std::fs::create_dir_all(store.state_dir()).map_err(WorkflowError::io_on(&store.state_dir()))?;
    let bytes = serde_json::to_vec(&state)?;
    std::fs::write(&state_path, bytes).map_err(WorkflowError::io_on(&state_path))?;
    Ok(())
}

/// post-commit: snapshot new evidence onto HEAD, score it, record drift for HEAD.
pub fn post_commit(store: &Store) -> Result<HookReport> {
    let config = Config::load(&store.workdir())?;
    let head = store.resolve("HEAD")?;
    let mut report = HookReport::default();
    // git runs no post-rewrite for cherry-pick or merge --squash: evidence follows here.
    let sources = super::reattach::sources_of_new_commit(store, head)?;
    let pairs: Vec<_> = sources.into_iter().map(|s| (s, head)).collect();
    report.notes_carried = super::reattach::carry(store, &pairs, "post-commit")?;
    snapshot_evidence(store, &config, head, &mut report)?;
    let has_prd = config
        .drift
        .files
        .iter()
        .any(|f| store.read_file_at_commit(head, f).ok().flatten().is_some());
    if has_prd {
        report.drift_claims = Some(report_at(store, &config.drift.files, head)?.report.claims.len());
    }
    Ok(report)
}

/// One line of pre-push input.
#[derive(Debug, Clone)]
pub struct PushUpdate {
    /// Local ref pushed.
    pub local_ref: String,
    /// Local commit (all zeros for a delete).
    pub local_sha: String,
    /// Remote ref.
    pub remote_ref: String,
    /// Remote's current commit (all zeros when new).
    pub remote_sha: String,
}

/// pre-push: snapshot evidence, refuse new drift when configured, push our refs along.
pub fn pre_push(store: &Store, remote: &str, updates: &[PushUpdate]) -> Result<HookReport> {
    let config = Config::load(&store.workdir())?;
    let mut report = HookReport::default();
    let pushed: Vec<gix::ObjectId> = updates
        .iter()
        .filter(|u| !u.local_sha.bytes().all(|b| b == b'0'))
        .filter_map(|u| store.parse_id(&u.local_sha).ok())
        .collect();
    if let Some(first) = pushed.first() {
        snapshot_evidence(store, &config, *first, &mut report)?;
    }
    let block = config.drift.pre_push == crate::config::PrePush::Block
        || store
            .config_value("distill.drift.prePush")
            .is_some_and(|v| v == "block");
    if block {
        for u in updates.iter().filter(|u| !u.local_sha.bytes().all(|b| b == b'0')) {
            let head = store.parse_id(&u.local_sha)?;
            let base = if !u.remote_sha.bytes().all(|b| b == b'0') {
                store
                    .parse_id(&u.remote_sha)
                    .ok()
                    .filter(|id| store.commit_info(*id).is_ok())
            } else {
                let branch = u.remote_ref.trim_start_matches("refs/heads/");
                store.resolve(&format!("refs/remotes/{remote}/{branch}")).ok()
            };
            let Some(base) = base else { continue };
            let result = compare(store, &config.drift.files, base, head, false)?;
            let introduced: Vec<String> = result
                .comparison
                .of(TransitionKind::Introduced)
                .map(|t| {
                    let c = t.claim();
                    format!(
                        "{}:{} {} {}",
                        c.claim.file,
                        c.claim.line,
                        c.status.as_str(),
                        c.claim.target
                    )
                })
                .collect();
            if !introduced.is_empty() {
                report.blocked = Some(format!(
                    "{} introduces PRD drift against {remote}: {}",
                    u.local_ref,
                    introduced.join("; ")
                ));
                return Ok(report);
            }
        }
    }
    super::sync::push(store, &config, remote)?;
    Ok(report)
}

/// post-rewrite: carry evidence and score notes from each old commit to its rewrite.
/// Receipts stay on the commit they attest.
pub fn post_rewrite(store: &Store, pairs: &[(String, String)]) -> Result<usize> {
    let pairs: Vec<_> = pairs
        .iter()
        .filter_map(|(old, new)| Some((store.parse_id(old).ok()?, store.parse_id(new).ok()?)))
        .collect();
    super::reattach::carry(store, &pairs, "post-rewrite")
}

/// Append a failure to `<git dir>/distill/hook.log`; returns true the first time this
/// message is seen, so the user is told once, not on every commit.
pub fn log_failure(store: &Store, hook: &str, message: &str) -> bool {
    let dir = store.state_dir();
    let _ = std::fs::create_dir_all(&dir);
    let log: PathBuf = dir.join("hook.log");
    let line = format!("{} {hook}: {message}\n", jiff::Timestamp::now());
    let _ = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&log)
        .and_then(|mut f| std::io::Write::write_all(&mut f, line.as_bytes()));
    let last = dir.join("hook.last-shown");
    let seen = std::fs::read_to_string(&last).is_ok_and(|t| t == message);
    if !seen {
        let _ = std::fs::write(&last, message);
    }
    !seen
}

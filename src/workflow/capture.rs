//! Agent hooks: install them into the agents' own configuration, record the sessions
//! they report, and turn those sessions into collect inputs — so runs land on the commit
//! they produced with no `[[source]]` configured.

use super::collect::Input;
use super::{Result, WorkflowError};
use crate::capture::{Agent, ConfigShape, OPENCODE_PLUGIN, PendingSession, install_into, installed_in, remove_from};
use crate::collect::SourceSpec;
use crate::store::Store;
use serde::Serialize;
use std::path::{Path, PathBuf};

/// The list of sessions agents reported, one JSON line each, under the git dir.
const PENDING_FILE: &str = "pending-sessions.jsonl";

/// Where an agent's hook configuration lives: in the work tree, or with `global` under
/// the home directory.
fn config_file(store: &Store, agent: Agent, global: bool) -> Result<PathBuf> {
    let base = if global {
        super::paths::home_dir().ok_or_else(|| WorkflowError::usage("--global needs HOME to be set"))?
    } else {
        store.workdir()
    };
    Ok(base.join(agent.config_path(global)))
}

/// The copy of a configuration file as it was before we first touched it.
fn backup_file(store: &Store, agent: Agent, global: bool) -> PathBuf {
    let scope = if global { "global" } else { "project" };
    store
        .state_dir()
        .join("agent-hooks")
        .join(format!("{}-{scope}.orig", agent.name()))
}

/// What one agent's hook looks like now.
#[derive(Debug, Clone, Serialize)]
pub struct AgentHookState {
    /// The agent.
    pub agent: Agent,
    /// The file holding its hook configuration.
    pub config: String,
    /// Whether our hook is in it.
    pub installed: bool,
    /// Whether the agent seems to be used on this machine.
    pub detected: bool,
    /// Where the agent keeps its session logs.
    pub logs: String,
    /// Sessions it reported that are waiting to be collected.
    pub pending: usize,
    /// What the user still has to do, if anything.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// The agents used on this machine (their directory exists in the home directory).
pub fn detected_agents() -> Vec<Agent> {
    let Some(home) = super::paths::home_dir() else {
        return Vec::new();
    };
    Agent::ALL
        .into_iter()
        .filter(|a| home.join(a.home_marker()).is_dir())
        .collect()
}

/// Install our hook for each of `agents`, keeping whatever the file held.
pub fn install(store: &Store, agents: &[Agent], global: bool) -> Result<Vec<AgentHookState>> {
    for agent in agents {
        let path = config_file(store, *agent, global)?;
        let backup = backup_file(store, *agent, global);
        let current = std::fs::read(&path).ok();
        if !backup.exists() {
            std::fs::create_dir_all(backup.parent().unwrap_or(Path::new(".")))
                .map_err(WorkflowError::io_on(&backup))?;
            // An empty backup records that the file did not exist.
            std::fs::write(&backup, current.clone().unwrap_or_default()).map_err(WorkflowError::io_on(&backup))?;
        }
        let new = match agent.shape() {
            ConfigShape::Plugin => OPENCODE_PLUGIN.as_bytes().to_vec(),
            _ => {
                let parsed = current
                    .as_deref()
                    .map(|b| {
                        serde_json::from_slice(b).map_err(|e| {
                            WorkflowError::invalid(path.display(), format!("not valid JSON ({e}); not changed"))
                        })
                    })
                    .transpose()?;
                pretty(&install_into(*agent, parsed))?
            }
        };
        if current.as_deref() != Some(new.as_slice()) {
            std::fs::create_dir_all(path.parent().unwrap_or(Path::new("."))).map_err(WorkflowError::io_on(&path))?;
            std::fs::write(&path, new).map_err(WorkflowError::io_on(&path))?;
        }
    }
    states(store, agents, global)
}

/// Remove our hook for each of `agents`. When nothing else changed in the file since we
/// installed, it is restored byte for byte (or removed, if we created it).
pub fn uninstall(store: &Store, agents: &[Agent], global: bool) -> Result<Vec<AgentHookState>> {
    for agent in agents {
        let path = config_file(store, *agent, global)?;
        let backup = backup_file(store, *agent, global);
        let original = std::fs::read(&backup).ok();
        let Ok(current) = std::fs::read(&path) else {
            let _ = std::fs::remove_file(&backup);
            continue;
        };
        let restored: Option<Vec<u8>> = match agent.shape() {
            ConfigShape::Plugin => None,
            _ => {
                let Ok(value) = serde_json::from_slice(&current) else {
                    continue;
                };
                let without = remove_from(*agent, value);
                let unchanged_since = original.as_deref().is_some_and(|o| {
                    let before = if o.is_empty() {
                        Some(install_into(*agent, None))
                    } else {
                        serde_json::from_slice(o).ok()
                    };
                    before.is_some_and(|b| remove_from(*agent, b) == without)
                });
                match original {
                    Some(o) if unchanged_since && !o.is_empty() => Some(o),
                    Some(_) if unchanged_since => None,
                    _ => Some(pretty(&without)?),
                }
            }
        };
        match restored {
            Some(bytes) => std::fs::write(&path, bytes).map_err(WorkflowError::io_on(&path))?,
            None => std::fs::remove_file(&path).map_err(WorkflowError::io_on(&path))?,
        }
        let _ = std::fs::remove_file(&backup);
    }
    states(store, agents, global)
}

/// The state of each agent's hook (project scope, or global), with pending sessions.
pub fn states(store: &Store, agents: &[Agent], global: bool) -> Result<Vec<AgentHookState>> {
    let pending = pending_sessions(store);
    let detected = detected_agents();
    let mut out = Vec::new();
    for agent in agents {
        let path = config_file(store, *agent, global)?;
        let installed = match agent.shape() {
            ConfigShape::Plugin => std::fs::read_to_string(&path).is_ok_and(|t| t == OPENCODE_PLUGIN),
            _ => std::fs::read(&path)
                .ok()
                .and_then(|b| serde_json::from_slice(&b).ok())
                .is_some_and(|v| installed_in(*agent, &v)),
        };
        out.push(AgentHookState {
            agent: *agent,
            config: super::paths::portable_name(&path, &store.workdir()),
            installed,
            detected: detected.contains(agent),
            logs: agent.log_location().to_owned(),
            pending: pending.iter().filter(|p| p.agent == *agent).count(),
            note: match (agent, installed) {
                (Agent::Codex, true) => Some("open /hooks in Codex and trust the git-distill entry".into()),
                (Agent::Gemini | Agent::Cursor | Agent::Opencode, _) => {
                    Some("sessions are recorded; git-distill has no adapter for their logs yet".into())
                }
                _ => None,
            },
        });
    }
    Ok(out)
}

fn pretty(value: &serde_json::Value) -> Result<Vec<u8>> {
    let mut bytes = serde_json::to_vec_pretty(value)?;
    bytes.push(b'\n');
    Ok(bytes)
}

/// Record a session an agent reported (its hook event, `payload`). Appends one line.
pub fn record_event(store: &Store, agent: Agent, payload: &str) -> Result<()> {
    let session = crate::capture::parse_event(agent, payload)
        .map_err(|why| WorkflowError::invalid(format!("{} hook event", agent.name()), why))?;
    let dir = store.state_dir();
    std::fs::create_dir_all(&dir).map_err(WorkflowError::io_on(&dir))?;
    let path = dir.join(PENDING_FILE);
    let mut line = serde_json::to_vec(&session)?;
    line.push(b'\n');
    use std::io::Write as _;
    std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&path)
        .and_then(|mut f| f.write_all(&line))
        .map_err(WorkflowError::io_on(&path))
}

/// Every session agents reported, one per agent and log (the latest event wins).
pub fn pending_sessions(store: &Store) -> Vec<PendingSession> {
    let text = std::fs::read_to_string(store.state_dir().join(PENDING_FILE)).unwrap_or_default();
    let mut by_key: std::collections::BTreeMap<(Agent, String), PendingSession> = Default::default();
    for session in text
        .lines()
        .filter_map(|l| serde_json::from_str::<PendingSession>(l).ok())
    {
        let key = session
            .transcript_path
            .clone()
            .or_else(|| session.session_id.clone())
            .unwrap_or_default();
        by_key.insert((session.agent, key), session);
    }
    by_key.into_values().collect()
}

/// Collect inputs for the pending sessions whose log git-distill can read: the event's
/// transcript, or for Codex the rollout named by the session id.
pub fn pending_inputs(store: &Store, config: &crate::config::Config) -> Vec<Input> {
    let workdir = store.workdir();
    let mut out: Vec<Input> = Vec::new();
    for session in pending_sessions(store) {
        let Some(adapter) = session.agent.adapter() else {
            continue;
        };
        let path = match (&session.transcript_path, session.agent, &session.session_id) {
            (Some(path), _, _) => Some(super::paths::expand_home(path)),
            (None, Agent::Codex, Some(id)) => codex_rollout(id),
            _ => None,
        };
        let Some(path) = path.filter(|p| p.is_file()) else {
            continue;
        };
        if out.iter().any(|i| i.path == path) {
            continue;
        }
        let spec = SourceSpec::ad_hoc(session.agent.name(), adapter, config);
        out.push(Input::new(spec, path, &workdir));
    }
    out
}

/// The rollout file of Codex session `id` (`~/.codex/sessions/YYYY/MM/DD/rollout-*-<id>.jsonl`).
fn codex_rollout(id: &str) -> Option<PathBuf> {
    if !id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
        return None;
    }
    let home = std::env::var_os("CODEX_HOME")
        .map(PathBuf::from)
        .or_else(|| super::paths::home_dir().map(|h| h.join(".codex")))?;
    let pattern = home.join(format!("sessions/*/*/*/rollout-*-{id}.jsonl"));
    glob::glob(&pattern.to_string_lossy())
        .ok()?
        .filter_map(|p| p.ok())
        .next()
}

//! Capture at the source: the coding agents whose own hooks can call
//! `git distill agent-hook <agent>`, the hook configuration each reads, and the event
//! each sends. Pure: values in, values out; the workflow reads and writes the files.
//!
//! Formats (looked up in the agents' public docs and sources; see docs/config.md):
//! Claude Code, Codex and Gemini CLI read `hooks.<Event>[] = {matcher?, hooks: [{type:
//! "command", command, timeout}]}` from a JSON settings file; Cursor reads
//! `{version: 1, hooks: {<event>: [{command}]}}`; OpenCode loads plugin files.

pub mod trailers;

use crate::collect::AdapterKind;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

/// The command every agent hook runs.
pub fn hook_command(agent: Agent) -> String {
    format!("git distill agent-hook {}", agent.name())
}

/// A coding agent git-distill can hook into.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Agent {
    /// Anthropic's Claude Code.
    ClaudeCode,
    /// OpenAI's Codex CLI.
    Codex,
    /// Google's Gemini CLI.
    Gemini,
    /// Cursor's agent.
    Cursor,
    /// OpenCode.
    Opencode,
}

/// How an agent's hook configuration is stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConfigShape {
    /// `{hooks: {<Event>: [{hooks: [{type, command, timeout}]}]}}` (Claude Code, Codex, Gemini).
    MatcherGroups,
    /// `{version: 1, hooks: {<event>: [{command}]}}` (Cursor).
    CommandList,
    /// A plugin file of our own (OpenCode).
    Plugin,
}

impl Agent {
    /// Every agent, in documentation order.
    pub const ALL: [Agent; 5] = [
        Agent::ClaudeCode,
        Agent::Codex,
        Agent::Gemini,
        Agent::Cursor,
        Agent::Opencode,
    ];

    /// The name on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Agent::ClaudeCode => "claude-code",
            Agent::Codex => "codex",
            Agent::Gemini => "gemini",
            Agent::Cursor => "cursor",
            Agent::Opencode => "opencode",
        }
    }

    /// Parse a command-line name (`claude` is accepted for Claude Code).
    pub fn parse(name: &str) -> Option<Agent> {
        match name {
            "claude" => Some(Agent::ClaudeCode),
            _ => Agent::ALL.into_iter().find(|a| a.name() == name),
        }
    }

    /// The adapter that reads this agent's session logs, where git-distill has one.
    pub fn adapter(self) -> Option<AdapterKind> {
        match self {
            Agent::ClaudeCode => Some(AdapterKind::ClaudeCode),
            Agent::Codex => Some(AdapterKind::Codex),
            Agent::Gemini | Agent::Cursor | Agent::Opencode => None,
        }
    }

    /// The hook configuration file, relative to the project root (or, with `global`, to
    /// the home directory).
    pub fn config_path(self, global: bool) -> &'static str {
        match (self, global) {
            (Agent::ClaudeCode, _) => ".claude/settings.json",
            (Agent::Codex, _) => ".codex/hooks.json",
            (Agent::Gemini, _) => ".gemini/settings.json",
            (Agent::Cursor, _) => ".cursor/hooks.json",
            (Agent::Opencode, false) => ".opencode/plugin/git-distill.js",
            (Agent::Opencode, true) => ".config/opencode/plugin/git-distill.js",
        }
    }

    /// The directory whose presence (in the home directory) says the agent is used here.
    pub fn home_marker(self) -> &'static str {
        match self {
            Agent::ClaudeCode => ".claude",
            Agent::Codex => ".codex",
            Agent::Gemini => ".gemini",
            Agent::Cursor => ".cursor",
            Agent::Opencode => ".local/share/opencode",
        }
    }

    /// How its configuration is stored.
    pub fn shape(self) -> ConfigShape {
        match self {
            Agent::ClaudeCode | Agent::Codex | Agent::Gemini => ConfigShape::MatcherGroups,
            Agent::Cursor => ConfigShape::CommandList,
            Agent::Opencode => ConfigShape::Plugin,
        }
    }

    /// The events hooked: the session's end, and the end of a turn (sessions that are
    /// never closed still get collected).
    pub fn events(self) -> &'static [&'static str] {
        match self {
            Agent::ClaudeCode | Agent::Codex => &["SessionEnd", "Stop"],
            Agent::Gemini => &["SessionEnd", "AfterAgent"],
            Agent::Cursor => &["stop"],
            Agent::Opencode => &[],
        }
    }

    /// Where the agent keeps its own session logs, for `status`.
    pub fn log_location(self) -> &'static str {
        match self {
            Agent::ClaudeCode => "~/.claude/projects/<project>/<session>.jsonl",
            Agent::Codex => "~/.codex/sessions/YYYY/MM/DD/rollout-*.jsonl",
            Agent::Gemini => "~/.gemini/tmp/<project>/chats/",
            Agent::Cursor => "the transcript_path of its stop event",
            Agent::Opencode => "~/.local/share/opencode/",
        }
    }
}

/// Whether `entry` (one hook handler or command) is ours.
fn is_ours(entry: &Value, agent: Agent) -> bool {
    entry.get("command").and_then(Value::as_str) == Some(hook_command(agent).as_str())
}

/// `config` (the agent's settings as they are, `None` when the file does not exist)
/// with our hook added to each event, every other key and hook kept. Adding twice
/// changes nothing.
pub fn install_into(agent: Agent, config: Option<Value>) -> Value {
    let mut root = match config {
        Some(Value::Object(map)) => map,
        _ => Map::new(),
    };
    if agent.shape() == ConfigShape::CommandList && !root.contains_key("version") {
        root.insert("version".into(), json!(1));
    }
    let hooks = root.entry("hooks").or_insert_with(|| json!({}));
    if !hooks.is_object() {
        *hooks = json!({});
    }
    let Some(hooks) = hooks.as_object_mut() else {
        return Value::Object(root);
    };
    for event in agent.events() {
        let list = hooks.entry(*event).or_insert_with(|| json!([]));
        if !list.is_array() {
            *list = json!([]);
        }
        let Some(list) = list.as_array_mut() else { continue };
        let present = list.iter().any(|item| match agent.shape() {
            ConfigShape::CommandList => is_ours(item, agent),
            _ => item
                .get("hooks")
                .and_then(Value::as_array)
                .is_some_and(|hs| hs.iter().any(|h| is_ours(h, agent))),
        });
        if present {
            continue;
        }
        list.push(match agent.shape() {
            ConfigShape::CommandList => json!({ "command": hook_command(agent) }),
            _ => json!({ "hooks": [{ "type": "command", "command": hook_command(agent), "timeout": timeout(agent) }] }),
        });
    }
    Value::Object(root)
}

/// Timeouts are seconds for Claude Code and Codex, milliseconds for Gemini CLI.
fn timeout(agent: Agent) -> u64 {
    match agent {
        Agent::Gemini => 30_000,
        _ => 30,
    }
}

/// `config` without our hooks: our entries removed, groups and events they leave empty
/// removed, everything else as it was.
pub fn remove_from(agent: Agent, config: Value) -> Value {
    let Value::Object(mut root) = config else {
        return config;
    };
    if let Some(Value::Object(hooks)) = root.get_mut("hooks") {
        for event in agent.events() {
            let Some(Value::Array(list)) = hooks.get_mut(*event) else {
                continue;
            };
            match agent.shape() {
                ConfigShape::CommandList => list.retain(|item| !is_ours(item, agent)),
                _ => {
                    for group in list.iter_mut() {
                        if let Some(Value::Array(hs)) = group.get_mut("hooks") {
                            hs.retain(|h| !is_ours(h, agent));
                        }
                    }
                    list.retain(|g| g.get("hooks").and_then(Value::as_array).is_none_or(|hs| !hs.is_empty()));
                }
            }
            if list.is_empty() {
                hooks.remove(*event);
            }
        }
    }
    Value::Object(root)
}

/// Whether our hook is in `config`.
pub fn installed_in(agent: Agent, config: &Value) -> bool {
    remove_from(agent, config.clone()) != *config
}

/// The OpenCode plugin: on `session.idle` it runs `git distill agent-hook opencode` with
/// the event on stdin. Written by us; its shape follows OpenCode's plugin API
/// (an exported async function returning `{ event }`).
pub const OPENCODE_PLUGIN: &str = r#"// git-distill: record OpenCode sessions for `git distill collect` (written by
// `git distill hooks install --agent opencode`; `uninstall` removes this file).
export const GitDistill = async ({ $, directory }) => ({
  event: async ({ event }) => {
    if (event.type !== "session.idle") return;
    const payload = JSON.stringify({
      hook_event_name: event.type,
      session_id: event.properties?.sessionID ?? null,
      cwd: directory,
    });
    try {
      await $`git distill agent-hook opencode < ${new Response(payload)}`.quiet().nothrow();
    } catch {}
  },
});
"#;

/// A session an agent reported through its hook, waiting to be collected.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingSession {
    /// The agent.
    pub agent: Agent,
    /// Its session id, when the event names one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub session_id: Option<String>,
    /// The session's log, when the event names it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transcript_path: Option<String>,
    /// The event's working directory.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cwd: Option<String>,
    /// The event (`SessionEnd`, `Stop`, `stop`, ...).
    pub event: String,
}

/// Read an agent's hook event (stdin JSON). Field names differ by agent (Cursor sends
/// `conversation_id`, Codex's legacy notify `thread-id`); a payload without a session or
/// transcript is refused, as is one that is not a JSON object.
pub fn parse_event(agent: Agent, payload: &str) -> Result<PendingSession, String> {
    let value: Value = serde_json::from_str(payload).map_err(|e| format!("event is not JSON: {e}"))?;
    let object = value.as_object().ok_or("event is not a JSON object")?;
    let text = |keys: &[&str]| {
        keys.iter()
            .find_map(|k| object.get(*k).and_then(Value::as_str))
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
    };
    let session = PendingSession {
        agent,
        session_id: text(&["session_id", "conversation_id", "thread-id", "sessionID"]),
        transcript_path: text(&["transcript_path"]),
        cwd: text(&["cwd"]).or_else(|| {
            object
                .get("workspace_roots")
                .and_then(Value::as_array)
                .and_then(|r| r.first())
                .and_then(Value::as_str)
                .map(str::to_owned)
        }),
        event: text(&["hook_event_name", "type"]).unwrap_or_else(|| "unknown".to_owned()),
    };
    if session.session_id.is_none() && session.transcript_path.is_none() {
        return Err("event names neither a session nor a transcript".into());
    }
    Ok(session)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn install_keeps_what_is_there_and_is_idempotent_and_undone_exactly() {
        let existing = json!({
            "permissions": {"allow": ["Bash(cargo test)"]},
            "hooks": {"Stop": [{"hooks": [{"type": "command", "command": "notify-send done"}]}]}
        });
        let once = install_into(Agent::ClaudeCode, Some(existing.clone()));
        let twice = install_into(Agent::ClaudeCode, Some(once.clone()));
        assert_eq!(once, twice);
        assert_eq!(once["permissions"], existing["permissions"]);
        let stop = once["hooks"]["Stop"].as_array().unwrap();
        assert_eq!(stop.len(), 2);
        assert_eq!(stop[0], existing["hooks"]["Stop"][0]);
        assert_eq!(
            once["hooks"]["SessionEnd"][0]["hooks"][0]["command"],
            "git distill agent-hook claude-code"
        );
        assert!(installed_in(Agent::ClaudeCode, &once));
        assert_eq!(remove_from(Agent::ClaudeCode, once), existing);

        let cursor = install_into(Agent::Cursor, None);
        assert_eq!(
            cursor,
            json!({"version": 1, "hooks": {"stop": [{"command": "git distill agent-hook cursor"}]}})
        );
        assert_eq!(remove_from(Agent::Cursor, cursor), json!({"version": 1, "hooks": {}}));
    }

    #[test]
    fn events_of_every_agent_are_read() {
        let claude = r#"{"session_id":"0a6a","transcript_path":"/h/.claude/projects/-w/0a6a.jsonl","cwd":"/w","permission_mode":"default","hook_event_name":"SessionEnd","reason":"prompt_input_exit"}"#;
        let s = parse_event(Agent::ClaudeCode, claude).unwrap();
        assert_eq!(s.session_id.as_deref(), Some("0a6a"));
        assert_eq!(s.event, "SessionEnd");
        let cursor = r#"{"conversation_id":"c1","generation_id":"g","workspace_roots":["/w"],"status":"completed","loop_count":0,"hook_event_name":"stop"}"#;
        let s = parse_event(Agent::Cursor, cursor).unwrap();
        assert_eq!((s.session_id.as_deref(), s.cwd.as_deref()), (Some("c1"), Some("/w")));
        let notify = r#"{"type":"agent-turn-complete","thread-id":"t1","turn-id":"1","cwd":"/w"}"#;
        assert_eq!(parse_event(Agent::Codex, notify).unwrap().event, "agent-turn-complete");
        assert!(parse_event(Agent::Gemini, "{}").is_err());
        assert!(parse_event(Agent::Gemini, "[1]").is_err());
    }
}

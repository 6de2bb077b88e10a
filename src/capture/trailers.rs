//! Commit trailers that say an agent took part: `Co-Authored-By:` lines of known agents
//! and `Entire-Checkpoint:` links. Commits made with an agent but without a captured
//! log are still visible in history through them.

use serde::Serialize;

/// One agent trailer of a commit.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct AgentTrailer {
    /// The agent (`claude-code`, `codex`, `cursor`, `aider`, `copilot`, `jules`, `devin`,
    /// `droid`, or `entire` for a checkpoint link).
    pub agent: String,
    /// The trailer's value as written (`Claude Opus 4.6 <noreply@anthropic.com>`).
    pub value: String,
}

/// Co-author addresses (or name prefixes) that agents write, and the agent each names.
const CO_AUTHORS: &[(&str, &str)] = &[
    ("noreply@anthropic.com", "claude-code"),
    ("noreply@openai.com", "codex"),
    ("cursoragent@cursor.com", "cursor"),
    ("aider@aider.chat", "aider"),
    ("copilot@users.noreply.github.com", "copilot"),
    ("copilot-swe-agent", "copilot"),
    ("google-labs-jules", "jules"),
    ("devin-ai-integration", "devin"),
    ("factory-droid", "droid"),
];

/// The agent trailers in a commit message (case-insensitive keys, as git reads them).
pub fn agent_trailers(message: &str) -> Vec<AgentTrailer> {
    let mut out = Vec::new();
    for line in message.lines() {
        let Some((key, value)) = line.split_once(':') else {
            continue;
        };
        let (key, value) = (key.trim().to_ascii_lowercase(), value.trim());
        let agent = match key.as_str() {
            "co-authored-by" => {
                let lower = value.to_ascii_lowercase();
                CO_AUTHORS
                    .iter()
                    .find(|(needle, _)| lower.contains(needle))
                    .map(|(_, a)| *a)
            }
            "entire-checkpoint" => Some("entire"),
            _ => None,
        };
        if let Some(agent) = agent {
            out.push(AgentTrailer {
                agent: agent.to_owned(),
                value: value.to_owned(),
            });
        }
    }
    out.sort();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_agents_are_recognised_and_people_are_not() {
        let message = "fix: guard\n\nbody\n\nCo-Authored-By: Claude Opus 4.6 <noreply@anthropic.com>\n\
                       Co-authored-by: Codex <noreply@openai.com>\nCo-authored-by: Ada <ada@example.com>\n\
                       Entire-Checkpoint: ed51f6581660\n";
        let agents: Vec<String> = agent_trailers(message).into_iter().map(|t| t.agent).collect();
        assert_eq!(agents, ["claude-code", "codex", "entire"]);
        assert!(agent_trailers("Co-authored-by: Bob <bob@example.com>").is_empty());
    }
}

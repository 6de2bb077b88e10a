//! Evidence other git-native tools already keep in the repository: git-ai authorship
//! notes (`refs/notes/ai`) and Entire checkpoints (`refs/entire/checkpoints/<shard>/<id>`,
//! older: the `entire/checkpoints/v1` branch). Each becomes collect inputs linked to the
//! commit it belongs to; the bytes read are copied under the git dir so collect reads
//! them like any log, and named by where they live in git.

use super::collect::Input;
use super::{Result, WorkflowError};
use crate::collect::{AdapterKind, SourceSpec};
use crate::config::Config;
use crate::store::Store;
use gix::ObjectId;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

/// git-ai's notes ref.
pub const GIT_AI_REF: &str = "refs/notes/ai";
/// Where Entire keeps one ref per checkpoint (`<prefix><last two chars>/<id>`).
pub const ENTIRE_REFS: &str = "refs/entire/checkpoints/";
/// Entire's older checkpoint branch (checkpoint `<id>` at `<id[:2]>/<id[2:]>/`).
pub const ENTIRE_BRANCH: &str = "refs/heads/entire/checkpoints/v1";

/// A copy of bytes read from git, for collect to read as a file.
fn materialize(store: &Store, dir: &str, name: &str, bytes: &[u8]) -> Result<PathBuf> {
    let folder = store.state_dir().join("sources").join(dir);
    std::fs::create_dir_all(&folder).map_err(|e| WorkflowError::io(&folder, e))?;
    let path = folder.join(name);
    if std::fs::read(&path).ok().as_deref() != Some(bytes) {
        std::fs::write(&path, bytes).map_err(|e| WorkflowError::io(&path, e))?;
    }
    Ok(path)
}

/// The commits of `range` (all of HEAD's history when `None`).
fn commits_of(store: &Store, range: Option<&str>) -> Result<Vec<ObjectId>> {
    Ok(store.resolve_range(range.unwrap_or("HEAD"), None)?)
}

/// One input per git-ai note on the commits of `range`, linked to its commit.
pub fn git_ai_inputs(store: &Store, range: Option<&str>, config: &Config) -> Result<Vec<Input>> {
    let notes = store.foreign_notes_snapshot(GIT_AI_REF)?;
    let wanted: BTreeSet<ObjectId> = commits_of(store, range)?.into_iter().collect();
    let mut out = Vec::new();
    for commit in notes.annotated().into_iter().filter(|c| wanted.contains(c)) {
        let Some(blob) = notes.blob_for(&commit) else { continue };
        let path = materialize(store, "git-ai", &format!("{commit}.note"), &store.blob(blob)?)?;
        out.push(Input {
            spec: SourceSpec::ad_hoc("git-ai", AdapterKind::GitAi, config),
            path,
            display: format!("{GIT_AI_REF}:{commit}"),
            link_to: Some(commit),
        });
    }
    Ok(out)
}

/// A checkpoint's tree: the commit holding it and the directory of it in that tree.
struct Checkpoint {
    commit: ObjectId,
    dir: String,
    reference: String,
}

/// Every checkpoint Entire stored, by id.
fn checkpoints(store: &Store) -> Result<BTreeMap<String, Checkpoint>> {
    let mut out = BTreeMap::new();
    if let Some(branch) = store.tip_of(ENTIRE_BRANCH)? {
        for (path, _) in store.commit_tree(branch)?.files() {
            if let Some(dir) = path.strip_suffix("/metadata.json")
                && let Some((shard, rest)) = dir.split_once('/')
                && shard.len() == 2
                && !rest.contains('/')
            {
                out.insert(
                    format!("{shard}{rest}"),
                    Checkpoint {
                        commit: branch,
                        dir: format!("{dir}/"),
                        reference: ENTIRE_BRANCH.to_owned(),
                    },
                );
            }
        }
    }
    for reference in store.refs_under(ENTIRE_REFS)? {
        let Some(id) = reference.rsplit('/').next() else {
            continue;
        };
        let shard = reference[ENTIRE_REFS.len()..].split('/').next().unwrap_or_default();
        // `<shard>/<id>` with the shard the id's last two characters; anything else
        // (v1/main, v2/full/current) is not a checkpoint ref.
        if !id.ends_with(shard) || shard.len() != 2 || reference[ENTIRE_REFS.len()..].matches('/').count() != 1 {
            continue;
        }
        if let Some(commit) = store.tip_of(&reference)? {
            out.insert(
                id.to_owned(),
                Checkpoint {
                    commit,
                    dir: String::new(),
                    reference,
                },
            );
        }
    }
    Ok(out)
}

/// The adapter for the agent a checkpoint session names (`Claude Code`, `Codex`).
fn adapter_for(agent: &str) -> Option<AdapterKind> {
    let agent = agent.to_ascii_lowercase();
    if agent.contains("claude") {
        Some(AdapterKind::ClaudeCode)
    } else if agent.contains("codex") {
        Some(AdapterKind::Codex)
    } else {
        None
    }
}

/// One input per session transcript of every checkpoint a commit of `range` links with
/// an `Entire-Checkpoint:` trailer, linked to that commit. Sessions of agents git-distill
/// has no adapter for are reported in the returned warnings.
pub fn entire_inputs(store: &Store, range: Option<&str>, config: &Config) -> Result<(Vec<Input>, Vec<String>)> {
    let all = checkpoints(store)?;
    let (mut inputs, mut warnings) = (Vec::new(), Vec::new());
    if all.is_empty() {
        return Ok((inputs, warnings));
    }
    for commit in commits_of(store, range)? {
        let message = store.commit_info(commit)?.message;
        for trailer in crate::capture::trailers::agent_trailers(&message)
            .into_iter()
            .filter(|t| t.agent == "entire")
        {
            let id = trailer.value;
            let Some(checkpoint) = all.get(&id) else {
                warnings.push(format!(
                    "{commit}: checkpoint {id} is not in this repository (fetch {ENTIRE_REFS}*)"
                ));
                continue;
            };
            let read = |path: &str| store.read_file_at_commit(checkpoint.commit, &format!("{}{path}", checkpoint.dir));
            let Some(summary) = read("metadata.json")? else {
                continue;
            };
            let summary: Value = serde_json::from_slice(&summary)
                .map_err(|e| WorkflowError::invalid(format!("checkpoint {id}: metadata.json"), e))?;
            for (n, session) in summary
                .get("sessions")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .enumerate()
            {
                // Paths are absolute from the checkpoint's root (`/0/full.jsonl`, or with
                // the shard directories on the branch); the default layout is `<n>/`.
                let local = |key: &str, default: String| {
                    session
                        .get(key)
                        .and_then(Value::as_str)
                        .map(|p| p.trim_start_matches('/').trim_start_matches(&checkpoint.dir).to_owned())
                        .unwrap_or(default)
                };
                let metadata = read(&local("metadata", format!("{n}/metadata.json")))?
                    .and_then(|b| serde_json::from_slice::<Value>(&b).ok())
                    .unwrap_or(Value::Null);
                let agent = metadata.get("agent").and_then(Value::as_str).unwrap_or("Claude Code");
                let Some(adapter) = adapter_for(agent) else {
                    warnings.push(format!("checkpoint {id}: no adapter for {agent} sessions yet"));
                    continue;
                };
                let transcript_path = local("transcript", format!("{n}/full.jsonl"));
                let Some(transcript) = read(&transcript_path)? else {
                    continue;
                };
                let path = materialize(store, "entire", &format!("{id}-{n}.jsonl"), &transcript)?;
                inputs.push(Input {
                    spec: SourceSpec::ad_hoc("entire", adapter, config),
                    path,
                    display: format!("{}:{}{transcript_path}", checkpoint.reference, checkpoint.dir),
                    link_to: Some(commit),
                });
            }
        }
    }
    Ok((inputs, warnings))
}

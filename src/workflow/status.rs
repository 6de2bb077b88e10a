//! Which stages are stale: inputs changed since their last receipt (like `dvc status`).

use super::Result;
use super::verify::{commits_with_receipts, receipt_lines};
use crate::schema::{Receipt, sha256_hex};
use crate::store::{NotesRef, Store};
use serde::Serialize;
use std::collections::BTreeMap;

/// The stages `status` reports on, in pipeline order.
pub const STAGES: &[&str] = &["collect", "score", "ledger", "playbooks", "drift"];

/// One stage's state.
#[derive(Debug, Clone, Serialize)]
pub struct StageStatus {
    /// The stage.
    pub stage: String,
    /// `up-to-date`, `stale` or `never-run`.
    pub state: String,
    /// Why.
    pub reasons: Vec<String>,
    /// The last receipt's id and end time.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_run: Option<String>,
}

/// Compare each stage's last receipt with the inputs as they are now.
pub fn status(store: &Store) -> Result<Vec<StageStatus>> {
    let mut latest: BTreeMap<String, (String, Receipt)> = BTreeMap::new();
    for commit in commits_with_receipts(store)? {
        for (_, _, line) in receipt_lines(store, &[commit])? {
            if let Ok(r) = serde_json::from_slice::<Receipt>(&line) {
                let newer = latest
                    .get(&r.predicate.stage)
                    .is_none_or(|(_, old)| old.predicate.timing.ended_at < r.predicate.timing.ended_at);
                if newer {
                    latest.insert(r.predicate.stage.clone(), (format!("sha256:{}", sha256_hex(&line)), r));
                }
            }
        }
    }
    let head = store.resolve("HEAD")?;
    let mut out = Vec::new();
    for stage in STAGES {
        let Some((id, receipt)) = latest.get(*stage) else {
            out.push(StageStatus {
                stage: stage.to_string(),
                state: "never-run".into(),
                reasons: vec!["no receipt".into()],
                last_run: None,
            });
            continue;
        };
        let mut reasons = Vec::new();
        for a in &receipt.predicate.inputs {
            if let Some((reference, target)) = a.name.split_once(':')
                && let Some(kind) = reference.strip_prefix("refs/notes/distill/")
                && let (Ok(notes_ref), Ok(commit)) = (NotesRef::new(kind), store.parse_id(target))
            {
                let now = store.read_note(&notes_ref, commit)?.unwrap_or_default();
                if sha256_hex(&now) != a.digest.sha256 {
                    reasons.push(format!("{} changed", a.name));
                }
            } else if !a.name.contains(':') {
                let path = match a.name.strip_prefix("~/") {
                    Some(rest) => std::env::var_os("HOME")
                        .map(std::path::PathBuf::from)
                        .unwrap_or_default()
                        .join(rest),
                    None => store.workdir().join(&a.name),
                };
                if *stage != "drift"
                    && let Ok(bytes) = std::fs::read(&path)
                    && sha256_hex(&bytes) != a.digest.sha256
                {
                    reasons.push(format!("{} changed", a.name));
                }
            }
        }
        if *stage == "drift" && store.read_note(&NotesRef::drift(), head)?.is_none() {
            reasons.push("HEAD has no drift report".into());
        }
        for upstream in upstream_of(stage) {
            if let Some((_, up)) = latest.get(*upstream)
                && up.predicate.timing.ended_at > receipt.predicate.timing.ended_at
            {
                reasons.push(format!("{upstream} ran after it"));
            }
        }
        reasons.dedup();
        out.push(StageStatus {
            stage: stage.to_string(),
            state: if reasons.is_empty() { "up-to-date" } else { "stale" }.into(),
            reasons,
            last_run: Some(format!("{} at {}", &id[..19], receipt.predicate.timing.ended_at)),
        });
    }
    Ok(out)
}

fn upstream_of(stage: &str) -> &'static [&'static str] {
    match stage {
        "score" => &["collect"],
        "ledger" | "playbooks" => &["score"],
        _ => &[],
    }
}

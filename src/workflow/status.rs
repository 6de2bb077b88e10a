//! Which stages are stale: inputs changed since their last receipt (like `dvc status`).

use super::Result;
use super::verify::{commits_with_receipts, receipt_lines};
use crate::schema::{Receipt, sha256_hex};
use crate::store::{ArtifactName, NotesRef, Stage, Store};
use serde::Serialize;
use std::collections::BTreeMap;

/// The stages `status` reports on, in pipeline order.
pub const STAGES: [Stage; 5] = [
    Stage::Collect,
    Stage::Score,
    Stage::Ledger,
    Stage::Playbooks,
    Stage::Drift,
];

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
                    latest.insert(r.predicate.stage.clone(), (crate::receipt::line_id(&line), r));
                }
            }
        }
    }
    let head = store.resolve("HEAD")?;
    let mut out = Vec::new();
    for stage in STAGES {
        let Some((id, receipt)) = latest.get(stage.as_str()) else {
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
            match a.name.parse::<ArtifactName>() {
                Ok(ArtifactName::Note { notes_ref, commit }) => {
                    let Ok(commit) = store.parse_id(&commit) else { continue };
                    let now = store.read_note(&notes_ref, commit)?.unwrap_or_default();
                    if sha256_hex(&now) != a.digest.sha256 {
                        reasons.push(format!("{} changed", a.name));
                    }
                }
                Ok(ArtifactName::WorkFile(path)) if stage != Stage::Drift => {
                    let path = super::paths::on_disk(&path, &store.workdir());
                    if let Ok(bytes) = std::fs::read(&path)
                        && sha256_hex(&bytes) != a.digest.sha256
                    {
                        reasons.push(format!("{} changed", a.name));
                    }
                }
                _ => {}
            }
        }
        if stage == Stage::Drift && store.read_note(&NotesRef::Drift, head)?.is_none() {
            reasons.push("HEAD has no drift report".into());
        }
        for upstream in stage.upstream() {
            if let Some((_, up)) = latest.get(upstream.as_str())
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

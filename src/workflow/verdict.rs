//! The one rule for a run's current verdict, used by log, ledger, playbooks, search and
//! export alike.
//!
//! Notes arrive from other clones by union merge, so any stored score line may have been
//! written by someone else — or forged. A stored line therefore never *raises* trust:
//! every run's verdict is recomputed from its evidence under the local rules. A stored
//! line made under the same rules that is more cautious than the recomputed verdict
//! (another scorer version, another clone's view of the evidence) wins, and every
//! disagreement is reported as a [`VerdictConflict`].

use super::Result;
use super::score::{Rules, score_records};
use crate::schema::{Category, EvidenceRecord, ScoredRun};
use crate::store::Store;
use gix::ObjectId;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// What the verdict rule needs of a stored score line (extra fields are ignored, so
/// readers that only want these three stay cheap).
#[derive(Debug, Clone, Deserialize)]
pub struct StoredVerdict {
    /// Its schema version (a line of an unknown version is never read as a verdict).
    pub schema_version: u32,
    /// The run.
    pub run_id: String,
    /// The stored category.
    pub category: Category,
    /// The rules it was made with.
    pub rule_set_hash: String,
}

impl super::Versioned for StoredVerdict {
    fn schema_version(&self) -> u32 {
        self.schema_version
    }
}

/// A stored verdict that disagrees with the one recomputed from the evidence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VerdictConflict {
    /// The run.
    pub run_id: String,
    /// What the local rules say of its evidence.
    pub recomputed: Category,
    /// What a stored line says.
    pub stored: Category,
    /// The verdict that counts (the more cautious of the two).
    pub kept: Category,
}

/// Every run's current verdict, and the stored lines that disagreed.
#[derive(Debug, Default)]
pub struct Verdicts {
    /// Run id → (commit of its primary record, current verdict).
    pub current: BTreeMap<String, (ObjectId, ScoredRun)>,
    /// Disagreements, sorted by run id then stored category.
    pub conflicts: Vec<VerdictConflict>,
}

/// Recompute the verdict of every run in `evidence` under `rules`, then let any stored line
/// made under the same rules lower it (never raise it). Stored lines for runs without
/// evidence here, or made under other rules, do not count.
pub fn current_verdicts(
    store: &Store,
    evidence: &[(ObjectId, EvidenceRecord)],
    stored: impl IntoIterator<Item = StoredVerdict>,
    rules: &Rules,
) -> Result<Verdicts> {
    let mut verdicts = recompute(store, evidence, rules)?;
    verdicts.apply_stored(stored, &rules.hash);
    Ok(verdicts)
}

/// Every run's verdict under `rules`, from its evidence alone.
pub fn recompute(store: &Store, evidence: &[(ObjectId, EvidenceRecord)], rules: &Rules) -> Result<Verdicts> {
    Ok(Verdicts {
        current: score_records(store, evidence, rules)?
            .into_iter()
            .map(|(commit, s)| (s.run_id.clone(), (commit, s)))
            .collect(),
        conflicts: Vec::new(),
    })
}

impl Verdicts {
    /// Let stored lines made under the rules hashing to `rules_hash` lower the
    /// recomputed verdicts, recording every disagreement.
    pub fn apply_stored(&mut self, stored: impl IntoIterator<Item = StoredVerdict>, rules_hash: &str) {
        let recomputed: BTreeMap<String, Category> = self
            .current
            .iter()
            .map(|(id, (_, s))| (id.clone(), s.category))
            .collect();
        let (kept, conflicts) = judge_stored(&recomputed, stored, rules_hash);
        for (run_id, category) in kept {
            if let Some((_, verdict)) = self.current.get_mut(&run_id)
                && verdict.category != category
            {
                demote(verdict, category);
            }
        }
        self.conflicts.extend(conflicts);
    }
}

/// The rule on categories alone: each run's verdict is the more cautious of the
/// recomputed one and every stored line under the same rules; every stored line that
/// disagrees is a conflict (sorted, deduplicated).
pub fn judge_stored(
    recomputed: &BTreeMap<String, Category>,
    stored: impl IntoIterator<Item = StoredVerdict>,
    rules_hash: &str,
) -> (BTreeMap<String, Category>, Vec<VerdictConflict>) {
    let mut kept = recomputed.clone();
    let mut conflicts = Vec::new();
    for line in stored {
        if line.rule_set_hash != rules_hash {
            continue;
        }
        let (Some(&fresh), Some(current)) = (recomputed.get(&line.run_id), kept.get_mut(&line.run_id)) else {
            continue;
        };
        if line.category == fresh {
            continue;
        }
        *current = more_cautious(*current, line.category);
        conflicts.push(VerdictConflict {
            run_id: line.run_id,
            recomputed: fresh,
            stored: line.category,
            kept: more_cautious(fresh, line.category),
        });
    }
    conflicts.sort_by(|a, b| (&a.run_id, a.stored).cmp(&(&b.run_id, b.stored)));
    conflicts.dedup();
    (kept, conflicts)
}

/// Recomputed categories per evidence note, kept under the git dir. A note's blob id
/// names its content and a run's category does not depend on the commit's tree, so an
/// entry stays right for as long as the rules do; the file is per rule set. It is local
/// (never synced), so another clone cannot plant a verdict in it.
pub struct VerdictCache {
    path: std::path::PathBuf,
    entries: BTreeMap<String, Vec<(String, Category)>>,
    changed: bool,
}

impl VerdictCache {
    /// The cache for `rules` (empty when absent or unreadable).
    pub fn open(store: &Store, rules: &Rules) -> VerdictCache {
        let path = store
            .state_dir()
            .join(format!("verdicts-{}.json", &rules.hash[..rules.hash.len().min(16)]));
        let entries = std::fs::read(&path)
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
            .unwrap_or_default();
        VerdictCache {
            path,
            entries,
            changed: false,
        }
    }

    /// The recomputed categories of the runs in the evidence note `blob` on `commit`,
    /// computed from `records` on a miss.
    pub fn categories(
        &mut self,
        store: &Store,
        blob: gix::ObjectId,
        records: impl FnOnce() -> Result<Vec<(ObjectId, EvidenceRecord)>>,
        rules: &Rules,
    ) -> Result<BTreeMap<String, Category>> {
        let key = blob.to_string();
        if let Some(hit) = self.entries.get(&key) {
            return Ok(hit.iter().cloned().collect());
        }
        let fresh: Vec<(String, Category)> = recompute(store, &records()?, rules)?
            .current
            .into_iter()
            .map(|(id, (_, s))| (id, s.category))
            .collect();
        self.entries.insert(key, fresh.clone());
        self.changed = true;
        Ok(fresh.into_iter().collect())
    }

    /// Write the cache back when it learned something; a failure only costs speed.
    pub fn save(self) {
        if self.changed
            && let Ok(bytes) = serde_json::to_vec(&self.entries)
            && let Some(dir) = self.path.parent()
            && std::fs::create_dir_all(dir).is_ok()
        {
            let tmp = self.path.with_extension(format!("tmp{}", std::process::id()));
            if std::fs::write(&tmp, bytes).is_ok() {
                let _ = std::fs::rename(&tmp, &self.path);
            }
        }
    }
}

/// The more cautious of two verdicts on one run.
fn more_cautious(a: Category, b: Category) -> Category {
    if a.caution() >= b.caution() { a } else { b }
}

/// Lower a verdict to a more cautious stored one, saying why.
fn demote(verdict: &mut ScoredRun, to: Category) {
    verdict.reasons.insert(
        0,
        format!(
            "a stored verdict under the same rules says {}; the more cautious verdict counts",
            to.as_str()
        ),
    );
    verdict.category = to;
    verdict.score = verdict.score.min(match to {
        Category::Accepted => 1.0,
        Category::PartiallyAccepted | Category::NeedsHumanReview => 0.5,
        Category::Rejected => 0.0,
    });
}

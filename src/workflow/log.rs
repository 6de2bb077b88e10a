//! `log`: each commit with a compact summary of what git-distill holds for it.
//! Notes are read from one snapshot per ref, so a long history costs one tree walk per ref.

use super::Result;
use super::Versioned;
use super::score::Rules;
use super::verdict::{StoredVerdict, VerdictCache, VerdictConflict, judge_stored};
use crate::capture::trailers::AgentTrailer;
use crate::receipt::verify::{CheckStatus, check_form};
use crate::schema::EvidenceRecord;
use crate::store::{NotesRef, NotesSnapshot, Store};
use gix::ObjectId;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// One commit's line in the log.
#[derive(Debug, Clone, Serialize)]
pub struct LogEntry {
    /// Full commit id.
    pub commit: String,
    /// First line of the message.
    pub summary: String,
    /// Runs attached.
    pub runs: usize,
    /// Scored runs per category.
    pub categories: BTreeMap<String, usize>,
    /// Models of the runs.
    pub models: Vec<String>,
    /// Agents the commit's trailers name (`Co-Authored-By:` of known agents,
    /// `Entire-Checkpoint:`), captured log or not.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub agent_trailers: Vec<AgentTrailer>,
    /// Note lines on this commit that are not records this build reads (bad JSON, an
    /// unknown schema_version): counted, never shown as runs.
    #[serde(skip_serializing_if = "is_zero")]
    pub unreadable_lines: usize,
    /// Stored verdicts that disagree with the evidence (forged, or another scorer's).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub verdict_conflicts: Vec<VerdictConflict>,
    /// Drift at this commit, when a report is stored.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub drift: Option<DriftSummary>,
    /// Receipts attached.
    pub receipts: usize,
    /// Receipts whose canonical form, schema and commit binding check out.
    pub receipts_ok: usize,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

/// Drift at a commit, and against its first parent when the parent has a report.
#[derive(Debug, Clone, Serialize)]
pub struct DriftSummary {
    /// Claims with drift.
    pub drifting: usize,
    /// Claims in the report.
    pub claims: usize,
    /// Drifting here but not in the parent.
    pub introduced: usize,
    /// Drifting in the parent but not here.
    pub resolved: usize,
}

/// Filters for the log.
#[derive(Debug, Clone, Default)]
pub struct LogFilter {
    /// Only commits with a run of this category.
    pub category: Option<crate::schema::Category>,
    /// Only commits with a run of this model (substring).
    pub model: Option<String>,
    /// Only commits whose drift report has drift.
    pub drift: bool,
    /// Only commits whose agent trailers name this agent.
    pub agent: Option<String>,
}

#[derive(Deserialize)]
struct EvidenceHead {
    schema_version: u32,
    run_id: String,
    model_name: String,
    model_role: String,
}

impl Versioned for EvidenceHead {
    fn schema_version(&self) -> u32 {
        self.schema_version
    }
}

#[derive(Deserialize)]
struct DriftHead {
    schema_version: u32,
    claims: Vec<ClaimHead>,
}

#[derive(Deserialize)]
struct ClaimHead {
    key: String,
    status: String,
}

struct Notes {
    evidence: NotesSnapshot,
    scores: NotesSnapshot,
    drift: NotesSnapshot,
    receipts: NotesSnapshot,
}

/// Log entries for `range` (default HEAD), newest first, at most `limit` shown after filtering.
/// Categories are the runs' current verdicts under `rules` (see [`super::verdict`]),
/// recomputed from each commit's evidence.
pub fn log(
    store: &Store,
    range: &str,
    limit: Option<usize>,
    filter: &LogFilter,
    rules: &Rules,
) -> Result<Vec<LogEntry>> {
    let notes = Notes {
        evidence: store.notes_snapshot(&NotesRef::Evidence)?,
        scores: store.notes_snapshot(&NotesRef::Scores)?,
        drift: store.notes_snapshot(&NotesRef::Drift)?,
        receipts: store.notes_snapshot(&NotesRef::Receipts)?,
    };
    let filtered = filter.category.is_some() || filter.model.is_some() || filter.drift || filter.agent.is_some();
    let commits = store.resolve_range(range, if filtered { None } else { limit })?;
    let mut drift_cache: HashMap<ObjectId, Option<BTreeSet<String>>> = HashMap::new();
    let mut verdicts = VerdictCache::open(store, rules);
    let mut out = Vec::new();
    for commit in commits {
        if limit.is_some_and(|n| out.len() >= n) {
            break;
        }
        let entry = entry(store, &notes, commit, &mut drift_cache, &mut verdicts, rules)?;
        if let Some(c) = filter.category
            && !entry.categories.contains_key(c.as_str())
        {
            continue;
        }
        if let Some(m) = &filter.model
            && !entry.models.iter().any(|x| x.contains(m.as_str()))
        {
            continue;
        }
        if filter.drift && entry.drift.as_ref().is_none_or(|d| d.drifting == 0) {
            continue;
        }
        if let Some(agent) = &filter.agent
            && !entry.agent_trailers.iter().any(|t| t.agent.contains(agent.as_str()))
        {
            continue;
        }
        out.push(entry);
    }
    verdicts.save();
    Ok(out)
}

/// The records of `commit`'s note in `snapshot` under the one reading policy
/// ([`super::parse_note`]), and how many lines were unreadable.
fn lines<T: serde::de::DeserializeOwned + Versioned>(
    store: &Store,
    snapshot: &NotesSnapshot,
    commit: &ObjectId,
) -> Result<(Vec<T>, usize)> {
    match snapshot.blob_for(commit) {
        None => Ok((Vec::new(), 0)),
        Some(blob) => Ok(super::parse_note(&store.blob(blob)?)),
    }
}

/// The drift report on `commit`, if one is stored and readable.
fn drift_report(store: &Store, notes: &Notes, commit: &ObjectId) -> Result<Option<DriftHead>> {
    let Some(blob) = notes.drift.blob_for(commit) else {
        return Ok(None);
    };
    Ok(store
        .blob(blob)?
        .split(|b| *b == b'\n')
        .find_map(|l| serde_json::from_slice::<DriftHead>(l).ok())
        .filter(|r| r.schema_version == crate::drift::DRIFT_SCHEMA_VERSION))
}

fn drifting(
    store: &Store,
    notes: &Notes,
    commit: ObjectId,
    cache: &mut HashMap<ObjectId, Option<BTreeSet<String>>>,
) -> Result<Option<BTreeSet<String>>> {
    if let Some(hit) = cache.get(&commit) {
        return Ok(hit.clone());
    }
    let report = drift_report(store, notes, &commit)?;
    let keys = report.map(|r| {
        r.claims
            .into_iter()
            .filter(|c| {
                <crate::drift::ClaimStatus as crate::named::Named>::from_name(&c.status).is_none_or(|s| s.is_drift())
            })
            .map(|c| c.key)
            .collect()
    });
    cache.insert(commit, keys.clone());
    Ok(keys)
}

fn entry(
    store: &Store,
    notes: &Notes,
    commit: ObjectId,
    drift_cache: &mut HashMap<ObjectId, Option<BTreeSet<String>>>,
    cache: &mut VerdictCache,
    rules: &Rules,
) -> Result<LogEntry> {
    let info = store.commit_info(commit)?;
    // A line of a schema_version this build does not know is never read as a run, and a
    // person's verdict collected as its own record is not a run.
    // The evidence note is read once: heads for runs and models, whole records only when
    // the verdict cache has not seen this note.
    let evidence = match notes.evidence.blob_for(&commit) {
        Some(blob) => Some((blob, store.blob(blob)?)),
        None => None,
    };
    let (heads, unreadable_evidence) = match &evidence {
        Some((_, bytes)) => super::parse_note::<EvidenceHead>(bytes),
        None => (Vec::new(), 0),
    };
    let own_runs = heads.iter().filter(|e| e.model_role != "human");
    let runs: BTreeSet<&str> = own_runs.clone().map(|e| e.run_id.as_str()).collect();
    let models: BTreeSet<String> = own_runs.map(|e| e.model_name.clone()).collect();
    let mut categories = BTreeMap::new();
    let mut verdict_conflicts = Vec::new();
    let mut unreadable = unreadable_evidence;
    if let Some((blob, bytes)) = &evidence {
        let recomputed = cache.categories(
            store,
            *blob,
            || {
                Ok(super::parse_note::<EvidenceRecord>(bytes)
                    .0
                    .into_iter()
                    .map(|e| (commit, e))
                    .collect())
            },
            rules,
        )?;
        let (stored, unreadable_scores) = lines::<StoredVerdict>(store, &notes.scores, &commit)?;
        unreadable += unreadable_scores;
        let (kept, conflicts) = judge_stored(&recomputed, stored, &rules.hash);
        for (_, category) in kept.iter().filter(|(id, _)| runs.contains(id.as_str())) {
            *categories.entry(category.to_string()).or_default() += 1;
        }
        verdict_conflicts = conflicts;
    }
    let drift = match drifting(store, notes, commit, drift_cache)? {
        None => None,
        Some(here) => {
            let claims = drift_report(store, notes, &commit)?
                .map(|r| r.claims.len())
                .unwrap_or(0);
            let parent = store.first_parent(commit)?;
            let before = match parent {
                Some(p) => drifting(store, notes, p, drift_cache)?,
                None => None,
            };
            let (introduced, resolved) = match &before {
                Some(b) => (here.difference(b).count(), b.difference(&here).count()),
                None => (0, 0),
            };
            Some(DriftSummary {
                drifting: here.len(),
                claims,
                introduced,
                resolved,
            })
        }
    };
    let (mut receipts, mut receipts_ok) = (0, 0);
    if let Some(blob) = notes.receipts.blob_for(&commit) {
        for line in store.blob(blob)?.split(|b| *b == b'\n').filter(|l| !l.is_empty()) {
            receipts += 1;
            let (canonical, schema, parsed) = check_form(line);
            let bound = parsed.is_some_and(|r| r.predicate.source.git_commit == info.id);
            if canonical.status == CheckStatus::Pass && schema.status == CheckStatus::Pass && bound {
                receipts_ok += 1;
            }
        }
    }
    Ok(LogEntry {
        commit: info.id,
        summary: info.summary,
        runs: runs.len(),
        categories,
        models: models.into_iter().collect(),
        agent_trailers: crate::capture::trailers::agent_trailers(&info.message),
        unreadable_lines: unreadable,
        verdict_conflicts,
        drift,
        receipts,
        receipts_ok,
    })
}

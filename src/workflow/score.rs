//! The score workflow: score every stored run (or those on a range of commits) and
//! store the verdicts on `refs/notes/distill/scores` beside their evidence.

use super::{Result, StageRun, WorkflowError, commit_time, note_artifact_name, output_note, read_note_records};
use crate::schema::{EvidenceRecord, ScoredRun};
use crate::score::{RuleSet, anchor_claims, anchor_grounding, group_runs, primary, rule_set_hash, score_run};
use crate::store::{CommitTree, NoteEdit, NotesRef, Stage, Store};
use gix::ObjectId;
use std::collections::{BTreeMap, HashMap};
use std::path::Path;

/// Where custom rules live, relative to the work tree.
pub const RULES_PATH: &str = ".distill/scoring.toml";

/// The rule set in force and where it came from.
#[derive(Debug, Clone)]
pub struct Rules {
    /// The rules.
    pub set: RuleSet,
    /// `default` or the file read.
    pub origin: String,
    /// Canonical hash of the rules.
    pub hash: String,
}

/// Load `.distill/scoring.toml` (or `file`), else the default rules.
pub fn load_rules(workdir: &Path, file: Option<&Path>) -> Result<Rules> {
    let path = file.map(Path::to_path_buf).unwrap_or_else(|| workdir.join(RULES_PATH));
    let (set, origin) = match std::fs::read_to_string(&path) {
        Ok(text) => {
            let name = file
                .map(|f| f.display().to_string())
                .unwrap_or_else(|| RULES_PATH.to_owned());
            let set = RuleSet::parse(&name, &text)?;
            (set, name)
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && file.is_none() => {
            (RuleSet::default_rules(), "default".to_owned())
        }
        Err(e) => return Err(WorkflowError::io(&path, e)),
    };
    let hash = rule_set_hash(&set);
    Ok(Rules { set, origin, hash })
}

/// What a score run produced.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ScoreReport {
    /// Every run scored, by run id.
    pub runs: Vec<ScoredRun>,
    /// Score lines that were new.
    pub notes_changed: usize,
    /// Evidence lines that could not be read.
    pub unreadable: usize,
    /// Rule set origin and hash.
    pub rules: String,
    /// The receipt written.
    pub receipt_id: String,
}

/// Score the runs on `commits` (all annotated commits when `None`).
pub fn score(store: &Store, commits: Option<&[ObjectId]>, rules: &Rules) -> Result<ScoreReport> {
    let mut run = StageRun::start(store, Stage::Score)?;
    let evidence = NotesRef::Evidence;
    let read = read_note_records::<EvidenceRecord>(store, &evidence, commits)?;
    let runs = score_records(store, &read.records, rules)?;

    let scores = NotesRef::Scores;
    let mut by_commit: BTreeMap<ObjectId, Vec<String>> = BTreeMap::new();
    for (commit, scored) in &runs {
        let line = serde_json::to_string(scored)?;
        by_commit.entry(*commit).or_default().push(line);
    }
    let edits: Vec<(ObjectId, NoteEdit)> = by_commit
        .iter()
        .map(|(c, lines)| (*c, NoteEdit::Union(crate::store::jsonl::from_lines(lines))))
        .collect();
    let outcome = store.write_notes(&scores, &edits, &format!("score: {} runs", runs.len()))?;

    let builder = &mut run.receipt;
    builder.validator("scored-run-schema");
    let rules_name = crate::store::ArtifactName::Rules(rules.origin.clone()).to_string();
    builder.input_digest(&rules_name, rules.hash.clone(), None);
    let pin = read.tip.map(|t| t.to_string());
    for (commit, bytes) in &read.notes {
        let records = crate::store::jsonl::line_count(bytes);
        builder.input_at(
            &note_artifact_name(&evidence, *commit),
            bytes,
            Some(records),
            pin.clone(),
        );
    }
    for (commit, _) in &edits {
        output_note(store, builder, &scores, *commit)?;
    }
    if read.unreadable > 0 {
        builder.warning(
            "input.unreadable",
            format!("{} evidence lines did not parse", read.unreadable),
            "",
        );
    }
    builder.counts(read.records.len() as u64, runs.len() as u64, None);
    let head = store.resolve("HEAD")?;
    let receipt_id = run.finish(store, head)?;
    Ok(ScoreReport {
        runs: runs.into_iter().map(|(_, s)| s).collect(),
        notes_changed: outcome.changed,
        unreadable: read.unreadable,
        rules: format!("{} ({})", rules.origin, &rules.hash[..12]),
        receipt_id,
    })
}

/// Score grouped records; each verdict goes to the commit of the run's primary record.
/// Pure given the store's trees: the same evidence and rules give the same bytes.
pub fn score_records(
    store: &Store,
    records: &[(ObjectId, EvidenceRecord)],
    rules: &Rules,
) -> Result<Vec<(ObjectId, ScoredRun)>> {
    let commit_of: HashMap<(&str, &str), ObjectId> = records
        .iter()
        .map(|(c, r)| ((r.run_id.as_str(), r.provenance.sig_hash.as_str()), *c))
        .collect();
    // A tree is indexed only for runs that make a checkable claim: `log` scores every
    // shown commit's runs, most of which name no file.
    let mut trees: HashMap<ObjectId, CommitTree<'_>> = HashMap::new();
    let mut times: HashMap<ObjectId, String> = HashMap::new();
    let mut out = Vec::new();
    for group in group_runs(records.iter().map(|(_, r)| r)) {
        let run = primary(&group);
        let commit = commit_of[&(run.run_id.as_str(), run.provenance.sig_hash.as_str())];
        let claims = anchor_claims(&group);
        let grounding = if claims.is_empty() {
            0.0
        } else {
            if let std::collections::hash_map::Entry::Vacant(slot) = trees.entry(commit) {
                slot.insert(store.commit_tree(commit)?);
            }
            anchor_grounding(&claims, &trees[&commit])
        };
        if let std::collections::hash_map::Entry::Vacant(slot) = times.entry(commit) {
            slot.insert(commit_time(store, commit)?);
        }
        out.push((
            commit,
            score_run(&group, &rules.set, &rules.hash, grounding, &times[&commit]),
        ));
    }
    Ok(out)
}

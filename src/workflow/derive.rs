//! Workflows that derive from scored runs: the model ledger, playbooks, and
//! scratchpad summaries. Each stores its output in git and writes a receipt.

use super::score::Rules;
use super::verdict::{StoredVerdict, VerdictConflict, current_verdicts};
use super::{Result, StageRun, WorkflowError, commit_time, note_artifact_name, output_note, read_note_records};
use crate::ledger::{Sample, build_ledger};
use crate::playbook::{build_playbooks, to_markdown};
use crate::receipt::ReceiptBuilder;
use crate::schema::{EvidenceRecord, ModelLedgerEntry, ModelRole, Playbook, ScoredRun, ScratchpadSummary};
use crate::store::{ArtifactName, NoteEdit, NotesRef, Stage, Store, TreeRef};
use std::collections::BTreeMap;
use std::path::PathBuf;

/// Scored runs with their evidence, and the notes they came from.
pub struct ScoredSet {
    /// Current verdict per run (sorted by run id).
    pub scored: Vec<ScoredRun>,
    /// Stored verdicts that disagreed with the recomputed ones.
    pub conflicts: Vec<VerdictConflict>,
    /// Primary evidence per run id.
    pub evidence: BTreeMap<String, EvidenceRecord>,
    /// (name, bytes, notes commit) of every note read, for receipts.
    pub inputs: Vec<(String, Vec<u8>, Option<String>)>,
}

impl ScoredSet {
    /// Pair every verdict with its evidence.
    pub fn samples(&self) -> Vec<Sample<'_>> {
        self.scored
            .iter()
            .filter_map(|s| self.evidence.get(&s.run_id).map(|e| Sample { scored: s, evidence: e }))
            .collect()
    }
}

/// Read scores and evidence, with each run's current verdict.
pub fn scored_set(store: &Store, rules: &Rules) -> Result<ScoredSet> {
    let scores = read_note_records::<StoredVerdict>(store, &NotesRef::Scores, None)?;
    let evidence = read_note_records::<EvidenceRecord>(store, &NotesRef::Evidence, None)?;
    let verdicts = current_verdicts(
        store,
        &evidence.records,
        scores.records.into_iter().map(|(_, s)| s),
        rules,
    )?;
    let mut primary: BTreeMap<String, EvidenceRecord> = BTreeMap::new();
    for (_, e) in evidence.records {
        let keep = primary
            .get(&e.run_id)
            .is_some_and(|old| old.model_role != ModelRole::Human || e.model_role == ModelRole::Human);
        if !keep {
            primary.insert(e.run_id.clone(), e);
        }
    }
    let mut inputs = Vec::new();
    let (score_tip, evidence_tip) = (scores.tip.map(|t| t.to_string()), evidence.tip.map(|t| t.to_string()));
    for (commit, bytes) in scores.notes {
        inputs.push((note_artifact_name(&NotesRef::Scores, commit), bytes, score_tip.clone()));
    }
    for (commit, bytes) in evidence.notes {
        inputs.push((
            note_artifact_name(&NotesRef::Evidence, commit),
            bytes,
            evidence_tip.clone(),
        ));
    }
    Ok(ScoredSet {
        scored: verdicts.current.into_values().map(|(_, s)| s).collect(),
        conflicts: verdicts.conflicts,
        evidence: primary,
        inputs,
    })
}

/// The ledger and where it was stored.
#[derive(Debug, Clone, serde::Serialize)]
pub struct LedgerBuild {
    /// Rows.
    pub entries: Vec<ModelLedgerEntry>,
    /// The commit on refs/distill/ledger.
    pub commit: String,
    /// Receipt id.
    pub receipt_id: String,
}

/// Build the ledger and commit `ledger.jsonl` on refs/distill/ledger.
pub fn ledger(store: &Store, rules: &Rules) -> Result<LedgerBuild> {
    let mut run = StageRun::start(store, Stage::Ledger)?;
    let set = scored_set(store, rules)?;
    let entries = build_ledger(&set.samples());
    let body = jsonl(&entries)?;
    let files = BTreeMap::from([("ledger.jsonl".to_owned(), body.clone())]);
    let built = store.write_files_commit(&TreeRef::Ledger, &files, &format!("ledger: {} rows", entries.len()))?;
    let builder = &mut run.receipt;
    record_inputs(builder, &set);
    builder.validator("model-ledger-entry-schema");
    builder.output_at(
        &ArtifactName::TreeFile {
            tree: TreeRef::Ledger,
            path: "ledger.jsonl".into(),
        }
        .to_string(),
        &body,
        Some(entries.len() as u64),
        Some(built.commit.to_string()),
    );
    builder.counts(set.scored.len() as u64, entries.len() as u64, None);
    check_all(&entries, ModelLedgerEntry::validate, builder);
    let receipt_id = run.finish(store, store.resolve("HEAD")?)?;
    Ok(LedgerBuild {
        entries,
        commit: built.commit.to_string(),
        receipt_id,
    })
}

/// Playbooks and where they were stored.
#[derive(Debug, Clone, serde::Serialize)]
pub struct PlaybookBuild {
    /// The playbooks.
    pub playbooks: Vec<Playbook>,
    /// The commit on refs/distill/playbooks.
    pub commit: String,
    /// Receipt id.
    pub receipt_id: String,
}

/// Build playbooks and commit `<id>.json` and `<id>.md` for each on refs/distill/playbooks.
pub fn playbooks(store: &Store, rules: &Rules) -> Result<PlaybookBuild> {
    let mut run = StageRun::start(store, Stage::Playbooks)?;
    let set = scored_set(store, rules)?;
    let playbooks = build_playbooks(&set.samples());
    let mut files = BTreeMap::new();
    for p in &playbooks {
        let mut json = serde_json::to_vec(p)?;
        json.push(b'\n');
        files.insert(format!("{}.json", p.playbook_id), json);
        files.insert(format!("{}.md", p.playbook_id), to_markdown(p).into_bytes());
    }
    let built = store.write_files_commit(&TreeRef::Playbooks, &files, &format!("playbooks: {}", playbooks.len()))?;
    let builder = &mut run.receipt;
    record_inputs(builder, &set);
    builder.validator("playbook-schema");
    for (name, bytes) in files.iter().filter(|(n, _)| n.ends_with(".json")) {
        builder.output_at(
            &ArtifactName::TreeFile {
                tree: TreeRef::Playbooks,
                path: name.clone(),
            }
            .to_string(),
            bytes,
            Some(1),
            Some(built.commit.to_string()),
        );
    }
    builder.counts(set.scored.len() as u64, playbooks.len() as u64, None);
    check_all(&playbooks, Playbook::validate, builder);
    let receipt_id = run.finish(store, store.resolve("HEAD")?)?;
    Ok(PlaybookBuild {
        playbooks,
        commit: built.commit.to_string(),
        receipt_id,
    })
}

/// Scratchpad summaries and their receipt.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ScratchpadBuild {
    /// One summary per file.
    pub summaries: Vec<ScratchpadSummary>,
    /// Receipt id.
    pub receipt_id: String,
}

/// Summarize scratchpad files (path on disk, name to record) and store them on
/// refs/notes/distill/scratchpad at HEAD.
pub fn scratchpads(store: &Store, files: &[(PathBuf, String)]) -> Result<ScratchpadBuild> {
    let mut run = StageRun::start(store, Stage::Scratchpad)?;
    let head = store.resolve("HEAD")?;
    let recorded_at = commit_time(store, head)?;
    let builder = &mut run.receipt;
    builder.validator("scratchpad-summary-schema");
    let mut summaries = Vec::new();
    for (path, name) in files {
        let bytes = std::fs::read(path).map_err(WorkflowError::io_on(path))?;
        builder.input(name, &bytes, None);
        summaries.push(crate::scratchpad::summarize(name, &bytes, &recorded_at));
    }
    check_all(&summaries, ScratchpadSummary::validate, builder);
    let body = jsonl(&summaries)?;
    let notes_ref = NotesRef::Scratchpad;
    store.write_notes(&notes_ref, &[(head, NoteEdit::Union(body))], "scratchpad summaries")?;
    output_note(store, builder, &notes_ref, head)?;
    builder.counts(files.len() as u64, summaries.len() as u64, None);
    let receipt_id = run.finish(store, head)?;
    Ok(ScratchpadBuild { summaries, receipt_id })
}

/// Record every stored verdict that disagreed with the evidence as a receipt warning.
pub fn warn_conflicts(builder: &mut ReceiptBuilder, conflicts: &[VerdictConflict]) {
    for c in conflicts {
        builder.warning(
            "verdict.conflict",
            format!(
                "stored {} but the evidence scores {}; {} counts",
                c.stored, c.recomputed, c.kept
            ),
            c.run_id.clone(),
        );
    }
}

/// The notes a derived stage read, and the verdict conflicts it met, on its receipt.
pub fn record_inputs(builder: &mut ReceiptBuilder, set: &ScoredSet) {
    warn_conflicts(builder, &set.conflicts);
    for (name, bytes, pin) in &set.inputs {
        builder.input_at(name, bytes, Some(crate::store::jsonl::line_count(bytes)), pin.clone());
    }
}

/// Validate every record; a failure is a receipt error (the stage still reports it).
fn check_all<T>(records: &[T], validate: fn(&T, &mut crate::schema::Violations), builder: &mut ReceiptBuilder) {
    for (i, r) in records.iter().enumerate() {
        if let Err(violations) = crate::schema::check(r, validate) {
            for v in violations {
                builder.error(
                    "schema.invalid",
                    format!("{}: {}", v.field, v.message),
                    format!("record {i}"),
                );
            }
        }
    }
}

/// Records as newline-terminated JSON lines.
pub fn jsonl<T: serde::Serialize>(records: &[T]) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    for r in records {
        serde_json::to_writer(&mut out, r)?;
        out.push(b'\n');
    }
    Ok(out)
}

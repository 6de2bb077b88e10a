//! The export workflow: build the datasets, write them to a directory, commit them on
//! `refs/distill/datasets/<name>`, note the build on the source commit, write a receipt.

use super::derive::scored_set;
use super::score::Rules;
use super::{Result, StageRun, WorkflowError};
use crate::export::{ExportOptions, ProvenanceSummary, build, dataset_card};
use crate::store::{ArtifactName, NoteEdit, NotesRef, Stage, Store, TreeRef};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::Path;

/// What an export produced.
#[derive(Debug, Clone, Serialize)]
pub struct ExportReport {
    /// Dataset name.
    pub name: String,
    /// The ref it was committed on.
    pub reference: String,
    /// The commit on that ref.
    pub commit: String,
    /// The tree (same inputs, same tree).
    pub tree: String,
    /// Rows per file.
    pub rows: BTreeMap<String, u64>,
    /// Exact duplicates removed per dataset.
    pub exact_duplicates: BTreeMap<String, usize>,
    /// Near duplicates removed per dataset.
    pub near_duplicates: BTreeMap<String, usize>,
    /// Accepted runs without a conversation (not SFT material).
    pub sft_skipped_no_conversation: usize,
    /// Accepted runs whose answer was stored cut, left out of SFT.
    pub skipped_cut_answers: usize,
    /// Stored verdicts that disagreed with the evidence (the more cautious counted).
    pub verdict_conflicts: Vec<super::verdict::VerdictConflict>,
    /// Receipt id.
    pub receipt_id: String,
}

/// Export the datasets of the runs on `commits` (all when `None`).
pub fn export(
    store: &Store,
    name: &str,
    out_dir: Option<&Path>,
    commits: Option<&[gix::ObjectId]>,
    options: &ExportOptions,
    rules: &Rules,
) -> Result<ExportReport> {
    let reference = TreeRef::dataset(name)
        .map_err(|_| WorkflowError::usage(format!("invalid dataset name `{name}` (letters, digits, - _ .)")))?;
    let mut run = StageRun::start(store, Stage::Export)?;
    let set = scored_set(store, rules)?;
    let wanted: Option<HashSet<String>> = commits.map(|c| c.iter().map(|id| id.to_string()).collect());
    let samples: Vec<_> = set
        .samples()
        .into_iter()
        .filter(|s| match &wanted {
            None => true,
            Some(w) => s.evidence.provenance.commit.as_ref().is_some_and(|c| w.contains(c)),
        })
        .collect();
    let data = build(&samples, options)?;
    if !data.has_training_rows() {
        let accepted = samples
            .iter()
            .filter(|s| s.scored.category == crate::schema::Category::Accepted)
            .count();
        return Err(WorkflowError::Refused(format!(
            "nothing to export: of {} runs, {accepted} accepted, none yields an SFT, preference or RAG row (run `git distill score`, or check the runs' categories with `git distill log`)",
            samples.len()
        )));
    }
    let collect = |f: &dyn Fn(&crate::ledger::Sample<'_>) -> Option<String>| -> Vec<String> {
        samples
            .iter()
            .filter_map(f)
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect()
    };
    let provenance = ProvenanceSummary {
        commits: collect(&|s| s.evidence.provenance.commit.clone()),
        sources: collect(&|s| s.evidence.provenance.source.clone()),
        scorer_versions: collect(&|s| Some(s.scored.scorer_version.clone())),
        rule_hashes: collect(&|s| Some(s.scored.rule_set_hash.clone())),
    };
    let mut files = data.files.clone();
    files.insert(
        "README.md".to_owned(),
        dataset_card(name, &data, &provenance, &options.license, &options.language).into_bytes(),
    );

    let built = store.write_files_commit(&reference, &files, &format!("export {name}"))?;
    if let Some(dir) = out_dir {
        for (path, bytes) in &files {
            let target = dir.join(path);
            if let Some(parent) = target.parent() {
                std::fs::create_dir_all(parent).map_err(|e| WorkflowError::io(parent, e))?;
            }
            std::fs::write(&target, bytes).map_err(|e| WorkflowError::io(&target, e))?;
        }
    }
    let head = store.resolve("HEAD")?;
    let line = serde_json::json!({
        "name": name,
        "ref": reference.to_string(),
        "commit": built.commit.to_string(),
        "tree": built.tree.to_string(),
        "format": options.format.extension(),
        "rows": data.rows,
    })
    .to_string();
    store.write_notes(
        &NotesRef::Datasets,
        &[(head, NoteEdit::Union(format!("{line}\n").into_bytes()))],
        &format!("export {name}"),
    )?;

    let builder = &mut run.receipt;
    builder.slsa_provenance();
    for v in [
        "rag-sample-schema",
        "sft-sample-schema",
        "preference-sample-schema",
        "sft-write-guard",
    ] {
        builder.validator(v);
    }
    super::derive::record_inputs(builder, &set);
    for (path, bytes) in &files {
        let rows = data.rows.get(path).copied();
        builder.output_at(
            &ArtifactName::TreeFile {
                tree: reference.clone(),
                path: path.clone(),
            }
            .to_string(),
            bytes,
            rows,
            Some(built.commit.to_string()),
        );
    }
    super::output_note(store, builder, &NotesRef::Datasets, head)?;
    for problem in &data.invalid {
        builder.error("schema.invalid", problem.clone(), "");
    }
    for (dataset, n) in &data.exact_duplicates {
        builder.warning("dedup.exact", format!("{n} exact duplicates removed"), dataset.clone());
    }
    for (dataset, n) in &data.near_duplicates {
        builder.warning("dedup.near", format!("{n} near duplicates removed"), dataset.clone());
    }
    let rows_out: u64 = data
        .rows
        .iter()
        .filter(|(f, _)| !f.ends_with(&format!("records.{}", data.format.extension())))
        .map(|(_, n)| n)
        .sum();
    builder.counts(samples.len() as u64, rows_out, None);
    let receipt_id = run.finish(store, head)?;
    Ok(ExportReport {
        name: name.to_owned(),
        reference: reference.to_string(),
        commit: built.commit.to_string(),
        tree: built.tree.to_string(),
        rows: data.rows,
        exact_duplicates: data.exact_duplicates,
        near_duplicates: data.near_duplicates,
        sft_skipped_no_conversation: data.sft_skipped_no_conversation,
        skipped_cut_answers: data.skipped_cut_answers,
        verdict_conflicts: set.conflicts.clone(),
        receipt_id,
    })
}

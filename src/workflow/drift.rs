//! The drift workflow: report at a revision (cached in a note), or compare two.

use super::{Result, StageRun, note_artifact_name};
use crate::drift::{Comparison, DriftReport, build_report, compare_reports};
use crate::schema::Source;
use crate::store::{NoteEdit, NotesRef, Stage, Store};
use gix::ObjectId;

/// A drift report and how it was obtained.
#[derive(Debug, Clone)]
pub struct DriftRun {
    /// The report.
    pub report: DriftReport,
    /// True when it was read from the drift note instead of computed.
    pub cached: bool,
    /// The id of the receipt written, when the report was computed and stored.
    pub receipt_id: Option<String>,
}

/// Two reports and their comparison.
#[derive(Debug, Clone)]
pub struct DriftComparison {
    /// The base side (the merge base unless asked otherwise).
    pub base: DriftRun,
    /// The head side.
    pub head: DriftRun,
    /// What changed.
    pub comparison: Comparison,
    /// Notes for the reader (e.g. merge base unavailable in a shallow clone).
    pub notes: Vec<String>,
}

/// The drift report at `commit`, from the note when it is current, else computed,
/// stored on `refs/notes/distill/drift` and attested by a receipt.
pub fn report_at(store: &Store, prd_files: &[String], commit: ObjectId) -> Result<DriftRun> {
    let drift_ref = NotesRef::Drift;
    if let Some(bytes) = store.read_note(&drift_ref, commit)?
        && let Ok(report) = serde_json::from_slice::<DriftReport>(&bytes)
        && report.tool_version == crate::drift::DRIFT_TOOL_VERSION
        && report.prd_files.iter().map(|f| &f.path).eq(prd_files.iter())
        && !report.inconclusive()
    {
        return Ok(DriftRun {
            report,
            cached: true,
            receipt_id: None,
        });
    }
    let info = store.commit_info(commit)?;
    let mut run = StageRun::start_at(
        store,
        Stage::Drift,
        Source {
            git_commit: info.id.clone(),
            git_tree: info.tree.clone(),
            reference: String::new(),
            dirty: false,
        },
    );
    let tree = store.commit_tree(commit)?;
    let report = build_report(&info.id, &info.tree, prd_files, &tree);
    if report.inconclusive() {
        // Objects are missing here (a partial or shallow clone): nothing to store or attest
        // that another clone would take for this commit's drift.
        return Ok(DriftRun {
            report,
            cached: false,
            receipt_id: None,
        });
    }
    let mut line = serde_json::to_vec(&report)?;
    line.push(b'\n');
    store.write_notes(
        &drift_ref,
        &[(commit, NoteEdit::Replace(line.clone()))],
        &format!("drift at {commit}"),
    )?;

    let builder = &mut run.receipt;
    for file in report.prd_files.iter().filter(|f| f.present) {
        builder.input_digest(&file.path, file.sha256.clone().unwrap_or_default(), None);
        for warning in &file.warnings {
            builder.warning("prd.read", warning.clone(), file.path.clone());
        }
    }
    let claims = report.claims.len() as u64;
    builder.output(&note_artifact_name(&drift_ref, commit), &line, Some(1));
    builder.counts(claims, claims, None);
    builder.validator("prd-claims");
    let receipt_id = run.finish(store, commit)?;
    Ok(DriftRun {
        report,
        cached: false,
        receipt_id: Some(receipt_id),
    })
}

/// How the code spans on one line of the PRDs were read, and the claims of the blocks
/// they are in (`drift --explain LINE`).
#[derive(Debug, Clone, serde::Serialize)]
pub struct Explanation {
    /// The line asked about.
    pub line: usize,
    /// Each span on it, per PRD file: (file, reading).
    pub spans: Vec<(String, crate::drift::SpanReading)>,
    /// The judged claims of the blocks those spans are in.
    pub claims: Vec<crate::drift::CheckedClaim>,
}

/// Explain `line` of the PRDs at `commit` (the work tree when `None`).
pub fn explain(store: &Store, prd_files: &[String], commit: Option<ObjectId>, line: usize) -> Result<Explanation> {
    let run = match commit {
        Some(commit) => report_at(store, prd_files, commit)?,
        None => report_worktree(store, prd_files)?,
    };
    // The tree is listed once, for every PRD file.
    let tree: Box<dyn crate::drift::TreeView + '_> = match commit {
        Some(commit) => Box::new(store.commit_tree(commit)?),
        None => Box::new(store.work_tree()?),
    };
    let mut spans = Vec::new();
    for path in prd_files {
        let Some(text) = crate::drift::read_prd(tree.as_ref(), path).1 else {
            continue;
        };
        for reading in crate::drift::extract_claims(path, &text).readings {
            if reading.line == line {
                spans.push((path.clone(), reading));
            }
        }
    }
    let blocks: Vec<(&String, usize)> = spans.iter().map(|(f, r)| (f, r.block_line)).collect();
    let claims = run
        .report
        .claims
        .into_iter()
        .filter(|c| c.claim.line == line || blocks.contains(&(&c.claim.file, c.claim.line)))
        .collect();
    Ok(Explanation { line, spans, claims })
}

/// The drift report of the work tree (never cached or stored).
pub fn report_worktree(store: &Store, prd_files: &[String]) -> Result<DriftRun> {
    let tree = store.work_tree()?;
    Ok(DriftRun {
        report: build_report("worktree", "", prd_files, &tree),
        cached: false,
        receipt_id: None,
    })
}

/// Compare drift between `base` and `head`. The base side is their merge base unless
/// `exact_base`; when the merge base cannot be computed (a shallow clone), `base` itself is used.
pub fn compare(
    store: &Store,
    prd_files: &[String],
    base: ObjectId,
    head: ObjectId,
    exact_base: bool,
) -> Result<DriftComparison> {
    let mut notes = Vec::new();
    let base_commit = if exact_base {
        base
    } else {
        match store.merge_base(base, head) {
            Ok(Some(mb)) => mb,
            Ok(None) => {
                notes.push(format!(
                    "{base} and {head} share no history; comparing against {base} itself"
                ));
                base
            }
            Err(e) => {
                notes.push(format!("merge base unavailable ({e}); comparing against {base} itself"));
                base
            }
        }
    };
    let base_run = report_at(store, prd_files, base_commit)?;
    let head_run = report_at(store, prd_files, head)?;
    let mut texts = Vec::new();
    for path in prd_files {
        let old = store.read_file_at_commit(base_commit, path)?;
        let new = store.read_file_at_commit(head, path)?;
        let text = |b: Option<Vec<u8>>| b.map(|b| String::from_utf8_lossy(&b).into_owned()).unwrap_or_default();
        texts.push((path.clone(), text(old), text(new)));
    }
    let comparison = compare_reports(&base_run.report, &head_run.report, &texts);
    Ok(DriftComparison {
        base: base_run,
        head: head_run,
        comparison,
        notes,
    })
}

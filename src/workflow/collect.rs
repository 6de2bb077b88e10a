//! The collect workflow: read sources, redact, link each run to a commit, store new
//! evidence and quarantined lines as notes, and attest it all with a receipt.

use super::{Result, WorkflowError, output_note, store_receipt};
use crate::collect::{self, FileOutcome, NormalizedRun, Quarantined, RedactionCounts, SourceSpec, UNKNOWN_TIME};
use crate::receipt::ReceiptBuilder;
use crate::schema::{EvidenceRecord, check};
use crate::store::{NoteEdit, NotesRef, Store};
use gix::ObjectId;
use rayon::prelude::*;
use serde::Serialize;
use std::collections::{BTreeMap, HashSet};
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};

/// How far back the time-window rule looks on the current branch.
const LINK_HISTORY_LIMIT: usize = 100_000;

/// One file to read, with its source.
#[derive(Debug, Clone)]
pub struct Input {
    /// The source (adapter, mapping, limits).
    pub spec: SourceSpec,
    /// The file on disk.
    pub path: PathBuf,
    /// The name recorded in provenance (as given, or relative to the work tree).
    pub display: String,
}

/// What a collect run did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct CollectReport {
    /// Per input file.
    pub files: Vec<FileReport>,
    /// Records written now.
    pub records_new: usize,
    /// Records already stored (same sig_hash), not written again.
    pub records_existing: usize,
    /// Quarantined lines.
    pub quarantined: Vec<Quarantined>,
    /// Secrets redacted, by rule.
    pub redactions: RedactionCounts,
    /// New records per commit.
    pub commits: BTreeMap<String, usize>,
    /// New records per link rule.
    pub link_rules: BTreeMap<String, usize>,
    /// The receipt written.
    pub receipt_id: String,
    /// Where secrets were redacted: (file, line, rule count) — never the secret.
    pub redaction_sites: Vec<RedactionSite>,
}

/// One file's figures.
#[derive(Debug, Clone, Serialize)]
pub struct FileReport {
    /// The file as recorded.
    pub file: String,
    /// Source name.
    pub source: String,
    /// Non-empty lines read.
    pub lines_read: u64,
    /// Lines that fed a run.
    pub lines_used: u64,
    /// Runs found.
    pub runs: usize,
    /// Lines quarantined.
    pub quarantined: usize,
    /// SHA-256 before reading.
    pub sha256: String,
    /// The file changed while it was read.
    pub changed_during_read: bool,
}

/// Where redaction happened.
#[derive(Debug, Clone, Serialize)]
pub struct RedactionSite {
    /// The file.
    pub file: String,
    /// Byte offset of the run's first line.
    pub line_offset: u64,
    /// Rule → count.
    pub rules: RedactionCounts,
}

/// Collect `inputs`. `at` pins every run to one commit; `progress` gets bytes read so far.
pub fn collect(
    store: &Store,
    inputs: &[Input],
    at: Option<ObjectId>,
    argv: &[String],
    progress: &(dyn Fn(u64) + Sync),
) -> Result<CollectReport> {
    let started = jiff::Timestamp::now();
    let head = store.resolve("HEAD")?;
    let anchor = at.unwrap_or(head);
    let source = store.source_state()?;
    let mut builder = ReceiptBuilder::new("collect", argv.to_vec(), source);
    builder.validator("evidence-record-schema");
    builder.validator("secret-redaction");

    // Inputs are hashed before they are read; a difference afterwards is a warning.
    let mut pre_hashes = Vec::with_capacity(inputs.len());
    for input in inputs {
        let hash = sha256_file(&input.path)
            .map_err(|e| WorkflowError::Other(format!("cannot read {}: {e}", input.path.display())))?;
        pre_hashes.push(hash);
    }

    let done = AtomicU64::new(0);
    let outcomes: Vec<std::io::Result<(FileOutcome, Vec<Normalized>)>> = inputs
        .par_iter()
        .map(|input| {
            let last = AtomicU64::new(0);
            let report = |offset: u64| {
                let delta = offset.saturating_sub(last.swap(offset, Ordering::Relaxed));
                progress(done.fetch_add(delta, Ordering::Relaxed) + delta);
            };
            let mut outcome = collect::read_file(&input.spec, &input.path, &input.display, &report)?;
            let normalized = std::mem::take(&mut outcome.runs)
                .into_par_iter()
                .map(|draft| {
                    let (line, offset) = (draft.line_number, draft.line_offset);
                    let mut counts = RedactionCounts::new();
                    collect::normalize(draft, &input.display, &input.spec, &mut counts)
                        .map(|run| (run, counts))
                        .map_err(|reason| (line, offset, reason))
                })
                .collect();
            Ok((outcome, normalized))
        })
        .collect();

    let mut report = CollectReport::default();
    let mut normalized: Vec<(NormalizedRun, RedactionCounts)> = Vec::new();
    for ((input, outcome), pre) in inputs.iter().zip(outcomes).zip(&pre_hashes) {
        let (outcome, runs) =
            outcome.map_err(|e| WorkflowError::Other(format!("cannot read {}: {e}", input.path.display())))?;
        let changed = &outcome.sha256 != pre;
        if changed {
            builder.warning("input.changed", "file changed while it was read", input.display.clone());
        }
        builder.input_digest(&input.display, pre.clone(), Some(outcome.lines_read));
        let mut quarantined = outcome.quarantined.clone();
        let run_count = runs.len();
        for run in runs {
            match run {
                Ok(run) => normalized.push(run),
                Err((line, offset, reason)) => quarantined.push(Quarantined {
                    source_file: input.display.clone(),
                    line,
                    line_offset: offset,
                    raw_sha256: String::new(),
                    reason,
                    adapter: input.spec.adapter.name().to_owned(),
                }),
            }
        }
        report.files.push(FileReport {
            file: input.display.clone(),
            source: input.spec.name.clone(),
            lines_read: outcome.lines_read,
            lines_used: outcome.lines_used,
            runs: run_count,
            quarantined: quarantined.len(),
            sha256: pre.clone(),
            changed_during_read: changed,
        });
        report.quarantined.extend(quarantined);
    }

    let linker = Linker::new(store, head, at)?;
    let existing = stored_sig_hashes(store)?;
    let mut seen: HashSet<String> = HashSet::new();
    let mut by_commit: BTreeMap<ObjectId, Vec<String>> = BTreeMap::new();
    for (run, counts) in normalized {
        let mut record = run.record;
        let sig = record.provenance.sig_hash.clone();
        if existing.contains(&sig) || !seen.insert(sig) {
            report.records_existing += 1;
            continue;
        }
        let (commit, rule) = linker.link(
            store,
            run.commit_hint.as_deref(),
            run.has_time.then_some(&record.timestamp),
        );
        record.provenance.commit = Some(commit.to_string());
        record.provenance.link_rule = Some(rule.to_owned());
        record.provenance.recorded_at = linker.time_of(store, commit)?;
        if let Err(violations) = check(&record, EvidenceRecord::validate) {
            let v = &violations[0];
            report.quarantined.push(Quarantined {
                source_file: record.provenance.source_file.clone(),
                line: 0,
                line_offset: record.provenance.line_offset,
                raw_sha256: String::new(),
                reason: format!("invalid record: {}: {}", v.field, v.message),
                adapter: record.provenance.adapter.clone().unwrap_or_default(),
            });
            continue;
        }
        if !counts.is_empty() {
            report.redaction_sites.push(RedactionSite {
                file: record.provenance.source_file.clone(),
                line_offset: record.provenance.line_offset,
                rules: counts.clone(),
            });
            for (rule, n) in counts {
                *report.redactions.entry(rule).or_default() += n;
            }
        }
        *report.commits.entry(commit.to_string()).or_default() += 1;
        *report.link_rules.entry(rule.to_owned()).or_default() += 1;
        let line = serde_json::to_string(&record).map_err(|e| WorkflowError::Other(e.to_string()))?;
        by_commit.entry(commit).or_default().push(line);
        report.records_new += 1;
    }

    let evidence = NotesRef::evidence();
    let edits: Vec<(ObjectId, NoteEdit)> = by_commit
        .iter()
        .map(|(commit, lines)| (*commit, NoteEdit::Union(crate::store::jsonl::from_lines(lines))))
        .collect();
    store.write_notes(
        &evidence,
        &edits,
        &format!("collect: {} new records", report.records_new),
    )?;
    for (commit, _) in &edits {
        output_note(store, &mut builder, &evidence, *commit)?;
    }
    if !report.quarantined.is_empty() {
        let quarantine = NotesRef::quarantine();
        let lines: Vec<String> = report
            .quarantined
            .iter()
            .filter_map(|q| serde_json::to_string(q).ok())
            .collect();
        store.write_notes(
            &quarantine,
            &[(anchor, NoteEdit::Union(crate::store::jsonl::from_lines(&lines)))],
            &format!("collect: {} quarantined lines", lines.len()),
        )?;
        output_note(store, &mut builder, &quarantine, anchor)?;
        for q in &report.quarantined {
            builder.warning(
                "input.quarantined",
                q.reason.clone(),
                format!("{}:{}", q.source_file, q.line),
            );
        }
    }
    let read: u64 = report.files.iter().map(|f| f.lines_read).sum();
    builder.counts(read, report.records_new as u64, Some(report.quarantined.len() as u64));
    builder.redactions(&report.redactions);
    report.receipt_id = store_receipt(store, head, builder, started)?;
    Ok(report)
}

/// A normalized run with its redaction counts, or (line, offset, reason) when it failed.
type Normalized = std::result::Result<(NormalizedRun, RedactionCounts), (u64, u64, String)>;

/// SHA-256 of a file, streamed.
fn sha256_file(path: &std::path::Path) -> std::io::Result<String> {
    use sha2::Digest;
    use std::io::Read;
    let mut file = std::fs::File::open(path)?;
    let mut hasher = sha2::Sha256::new();
    let mut buf = vec![0u8; 256 * 1024];
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
    }
    Ok(hex::encode(hasher.finalize()))
}

/// Every sig_hash already stored on refs/notes/distill/evidence.
fn stored_sig_hashes(store: &Store) -> Result<HashSet<String>> {
    let snapshot = store.notes_snapshot(&NotesRef::evidence())?;
    let mut out = HashSet::new();
    for commit in snapshot.annotated() {
        let Some(blob) = snapshot.blob_for(&commit) else {
            continue;
        };
        // Stored lines are our own serialization: `"sig_hash":"<64 hex>"` appears once, in provenance.
        const KEY: &[u8] = b"\"sig_hash\":\"";
        for line in store.blob(blob)?.split(|b| *b == b'\n') {
            if let Some(at) = line.windows(KEY.len()).position(|w| w == KEY)
                && let Some(hex) = line.get(at + KEY.len()..at + KEY.len() + 64)
                && let Ok(sig) = std::str::from_utf8(hex)
            {
                out.insert(sig.to_owned());
            }
        }
    }
    Ok(out)
}

/// Decides which commit a run belongs to.
struct Linker {
    head: ObjectId,
    at: Option<ObjectId>,
    /// First-parent history, oldest first, with committer times.
    history: Vec<(ObjectId, i64)>,
}

impl Linker {
    fn new(store: &Store, head: ObjectId, at: Option<ObjectId>) -> Result<Linker> {
        let mut history = store.first_parent_history(head, LINK_HISTORY_LIMIT)?;
        history.reverse();
        Ok(Linker { head, at, history })
    }

    /// In order: a commit named by the record that exists here; `--at`; the commit whose
    /// time window (after its parent's time, up to its own) contains the run's time; HEAD.
    fn link(&self, store: &Store, hint: Option<&str>, time: Option<&String>) -> (ObjectId, &'static str) {
        if let Some(hint) = hint
            && hint.len() >= 7
            && hint.bytes().all(|b| b.is_ascii_hexdigit())
            && let Ok(id) = store.resolve(hint)
        {
            return (id, "record");
        }
        if let Some(at) = self.at {
            return (at, "at");
        }
        if let Some(time) = time.filter(|t| t.as_str() != UNKNOWN_TIME)
            && let Ok(ts) = time.parse::<jiff::Timestamp>()
        {
            let t = ts.as_second();
            if let Some((id, _)) = self.history.iter().find(|(_, commit_time)| *commit_time >= t) {
                return (*id, "time-window");
            }
        }
        (self.head, "head")
    }

    fn time_of(&self, store: &Store, commit: ObjectId) -> Result<String> {
        let seconds = match self.history.iter().find(|(id, _)| *id == commit) {
            Some((_, t)) => *t,
            None => store.commit_info(commit)?.time,
        };
        Ok(jiff::Timestamp::from_second(seconds)
            .map(|t| t.to_string())
            .unwrap_or_else(|_| UNKNOWN_TIME.to_owned()))
    }
}

//! The collect workflow: read sources, redact, link each run to a commit, store new
//! evidence and quarantined lines as notes, and attest it all with a receipt.

use super::spill::LineSpill;
use super::{Result, WorkflowError, commit_time, note_artifact_name, output_note, rfc3339, store_receipt};
use crate::collect::{self, NormalizedRun, Quarantined, RedactionCounts, RunDraft, SourceSpec, UNKNOWN_TIME};
use crate::receipt::ReceiptBuilder;
use crate::schema::{EvidenceRecord, check};
use crate::store::{NoteEdit, NotesRef, Store};
use gix::ObjectId;
use rayon::prelude::*;
use serde::Serialize;
use std::collections::{BTreeMap, HashSet};
use std::path::PathBuf;

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

    let mut linker = Linker::new(store, head, at)?;
    let mut acc = Accumulator {
        report: CollectReport::default(),
        existing: stored_sig_hashes(store)?,
        seen: HashSet::new(),
        spill: LineSpill::new(&store.state_dir().join("tmp"))?,
    };
    let mut read_so_far = 0u64;
    for (input, pre) in inputs.iter().zip(&pre_hashes) {
        let mut quarantined: Vec<Quarantined> = Vec::new();
        let base = read_so_far;
        let mut sink = |drafts: Vec<RunDraft>| -> std::io::Result<()> {
            let normalized: Vec<Normalized> = drafts
                .into_par_iter()
                .map(|draft| {
                    let (line, offset) = (draft.line_number, draft.line_offset);
                    let mut counts = RedactionCounts::new();
                    collect::normalize(draft, &input.display, &input.spec, &mut counts)
                        .map(|run| (run, counts))
                        .map_err(|reason| (line, offset, reason))
                })
                .collect();
            // Sequential: drop what is stored, link the rest. Parallel: validate and
            // serialize. Sequential again: count and keep.
            let mut admitted = Vec::with_capacity(normalized.len());
            for item in normalized {
                match item {
                    Ok((run, counts)) => {
                        if let Some(linked) = acc
                            .admit(store, &mut linker, run)
                            .map_err(|e| std::io::Error::other(e.to_string()))?
                        {
                            admitted.push((linked, counts));
                        }
                    }
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
            let checked: Vec<Checked> = admitted
                .into_par_iter()
                .map(|((record, commit, rule), counts)| {
                    let line = match check(&record, EvidenceRecord::validate) {
                        Ok(()) => serde_json::to_string(&record).map_err(|e| e.to_string()),
                        Err(violations) => Err(format!(
                            "invalid record: {}: {}",
                            violations[0].field, violations[0].message
                        )),
                    };
                    (record, commit, rule, counts, line)
                })
                .collect();
            for item in checked {
                acc.keep(item).map_err(|e| std::io::Error::other(e.to_string()))?;
            }
            Ok(())
        };
        let outcome = collect::read_file(
            &input.spec,
            &input.path,
            &input.display,
            &|o| progress(base + o),
            &mut sink,
        )
        .map_err(|e| WorkflowError::Other(format!("cannot collect {}: {e}", input.path.display())))?;
        read_so_far += outcome.bytes;
        let changed = &outcome.sha256 != pre;
        if changed {
            builder.warning("input.changed", "file changed while it was read", input.display.clone());
        }
        builder.input_digest(&input.display, pre.clone(), Some(outcome.lines_read));
        quarantined.extend(outcome.quarantined);
        acc.report.files.push(FileReport {
            file: input.display.clone(),
            source: input.spec.name.clone(),
            lines_read: outcome.lines_read,
            lines_used: outcome.lines_used,
            runs: outcome.run_count,
            quarantined: quarantined.len(),
            sha256: pre.clone(),
            changed_during_read: changed,
        });
        acc.report.quarantined.extend(quarantined);
    }
    let mut report = acc.report;

    let evidence = NotesRef::evidence();
    let merged = acc.spill.finish(store, &evidence)?;
    let edits: Vec<(ObjectId, NoteEdit)> = merged
        .iter()
        .map(|m| {
            (
                m.commit,
                NoteEdit::Blob {
                    blob: m.blob,
                    base: m.base,
                },
            )
        })
        .collect();
    store.write_notes(
        &evidence,
        &edits,
        &format!("collect: {} new records", report.records_new),
    )?;
    let tip = store.notes_tip(&evidence)?.map(|t| t.to_string());
    for m in &merged {
        if store.note_blob(&evidence, m.commit)? == Some(m.blob) {
            builder.output_digest_at(
                &note_artifact_name(&evidence, m.commit),
                m.sha256.clone(),
                Some(m.lines),
                tip.clone(),
            );
        } else {
            // Another writer added lines meanwhile and the notes were merged again.
            output_note(store, &mut builder, &evidence, m.commit)?;
        }
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

/// What a collect accumulates while runs stream through it.
struct Accumulator {
    report: CollectReport,
    /// Identities (first 128 bits of sig_hash) already stored, and seen in this collect.
    existing: HashSet<u128>,
    seen: HashSet<u128>,
    spill: LineSpill,
}

/// A linked record with its redaction counts and its note line (or why it is invalid).
type Checked = (
    EvidenceRecord,
    ObjectId,
    &'static str,
    RedactionCounts,
    std::result::Result<String, String>,
);

impl Accumulator {
    /// Link one normalized run, unless it is already stored or seen in this collect.
    fn admit(
        &mut self,
        store: &Store,
        linker: &mut Linker,
        run: NormalizedRun,
    ) -> Result<Option<(EvidenceRecord, ObjectId, &'static str)>> {
        let mut record = run.record;
        let identity = identity(&record.provenance.sig_hash);
        if self.existing.contains(&identity) || !self.seen.insert(identity) {
            self.report.records_existing += 1;
            return Ok(None);
        }
        let (commit, rule) = linker.link(
            store,
            run.commit_hint.as_deref(),
            run.has_time.then_some(&record.timestamp),
        );
        record.provenance.commit = Some(commit.to_string());
        record.provenance.link_rule = Some(rule.to_owned());
        record.provenance.recorded_at = linker.time_of(store, commit)?;
        Ok(Some((record, commit, rule)))
    }

    /// Count one checked record and keep its line, or quarantine it when invalid.
    fn keep(&mut self, (record, commit, rule, counts, line): Checked) -> Result<()> {
        let report = &mut self.report;
        let line = match line {
            Ok(line) => line,
            Err(reason) => {
                report.quarantined.push(Quarantined {
                    source_file: record.provenance.source_file.clone(),
                    line: 0,
                    line_offset: record.provenance.line_offset,
                    raw_sha256: String::new(),
                    reason,
                    adapter: record.provenance.adapter.clone().unwrap_or_default(),
                });
                return Ok(());
            }
        };
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
        report.records_new += 1;
        self.spill.push(commit, line)
    }
}

/// The first 128 bits of a hex sig_hash: the identity set stays small for millions of runs.
fn identity(sig_hash: &str) -> u128 {
    sig_hash
        .get(..32)
        .and_then(|h| u128::from_str_radix(h, 16).ok())
        .unwrap_or(0)
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
fn stored_sig_hashes(store: &Store) -> Result<HashSet<u128>> {
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
                out.insert(identity(sig));
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
    /// `recorded_at` of each commit already linked to: asked once per run, computed once per commit.
    recorded_at: std::collections::HashMap<ObjectId, String>,
}

impl Linker {
    fn new(store: &Store, head: ObjectId, at: Option<ObjectId>) -> Result<Linker> {
        let mut history = store.first_parent_history(head, LINK_HISTORY_LIMIT)?;
        history.reverse();
        let recorded_at = history.iter().map(|(id, t)| (*id, rfc3339(*t))).collect();
        Ok(Linker {
            head,
            at,
            history,
            recorded_at,
        })
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

    fn time_of(&mut self, store: &Store, commit: ObjectId) -> Result<String> {
        if let Some(time) = self.recorded_at.get(&commit) {
            return Ok(time.clone());
        }
        let time = commit_time(store, commit)?;
        self.recorded_at.insert(commit, time.clone());
        Ok(time)
    }
}

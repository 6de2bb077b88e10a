//! The collect workflow: read sources, redact, link each run to a commit, store new
//! evidence and quarantined lines as notes, and attest it all with a receipt.

use super::spill::LineSpill;
use super::{Result, StageRun, WorkflowError, commit_time, note_artifact_name, output_note, rfc3339};
use crate::collect::{self, AdapterKind, NormalizedRun, Quarantined, RedactionCounts, SourceSpec};
use crate::schema::{EvidenceRecord, SignedLine, check};
use crate::store::{NoteEdit, NotesRef, Stage, Store};
use gix::ObjectId;
use rayon::prelude::*;
use rustc_hash::FxHashSet;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
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
    /// The name recorded in provenance and receipts (see [`super::paths::portable_name`]).
    pub display: String,
    /// The commit every run of this input belongs to, when its source says so (a git-ai
    /// note's commit, the commit naming an Entire checkpoint).
    pub link_to: Option<ObjectId>,
}

/// The input files of the configured sources (all, or those named in `only`), and a
/// warning for each source whose path matches no regular file. The one way sources
/// become inputs, for `collect` and the hooks alike.
pub fn configured_inputs(
    store: &Store,
    config: &crate::config::Config,
    only: &[String],
) -> Result<(Vec<Input>, Vec<String>)> {
    let workdir = &store.workdir();
    use crate::config::CONFIG_PATH;
    for name in only {
        if !config.sources.iter().any(|s| &s.name == name) {
            return Err(WorkflowError::usage(format!(
                "no source named `{name}` in {CONFIG_PATH}"
            )));
        }
    }
    let (mut inputs, mut warnings) = (Vec::new(), Vec::new());
    for source in &config.sources {
        if !only.is_empty() && !only.contains(&source.name) {
            continue;
        }
        let spec = SourceSpec::from_config(source, config);
        match spec.adapter {
            AdapterKind::GitAi => {
                inputs.extend(super::git_native::git_ai_inputs(store, None, config)?);
                continue;
            }
            AdapterKind::Entire => {
                let (found, notes) = super::git_native::entire_inputs(store, None, config)?;
                inputs.extend(found);
                warnings.extend(notes);
                continue;
            }
            _ => {}
        }
        let before = inputs.len();
        for path in super::paths::expand_path(&source.path, workdir)? {
            if path.is_file() {
                inputs.push(Input::new(spec.clone(), path, workdir));
            }
        }
        if inputs.len() == before {
            warnings.push(format!(
                "source `{}`: {} matches no regular file",
                source.name,
                super::paths::scrub(&source.path)
            ));
        }
    }
    Ok((inputs, warnings))
}

impl Input {
    /// An input file of `spec`, named the same whoever collects it (a person or a hook).
    pub fn new(spec: SourceSpec, path: PathBuf, workdir: &std::path::Path) -> Input {
        let display = super::paths::portable_name(&path, workdir);
        Input {
            spec,
            path,
            display,
            link_to: None,
        }
    }
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
    progress: &(dyn Fn(u64) + Sync),
) -> Result<CollectReport> {
    let mut run = StageRun::start(store, Stage::Collect)?;
    let head = store.resolve("HEAD")?;
    let anchor = at.unwrap_or(head);
    let builder = &mut run.receipt;
    builder.validator("evidence-record-schema");
    builder.validator("secret-redaction");

    // Every input is hashed as it is read (one pass over the bytes, not two); whether it
    // changed meanwhile is told by its size, modification time and inode before and after.
    let known = stored_sig_hashes(store)?;
    let mut linker = Linker::new(store, head, at)?;
    let mut acc = Accumulator {
        report: CollectReport::default(),
        stored_any: !known.is_empty(),
        known,
        commits: BTreeMap::new(),
        link_rules: BTreeMap::new(),
        spill: LineSpill::new(&store.state_dir().join("tmp"))?,
    };
    let mut read_so_far = 0u64;
    for input in inputs {
        let base = read_so_far;
        let stamp_before = file_stamp(&input.path);
        let mut sink = |runs: Vec<NormalizedRun>| -> std::io::Result<()> {
            // Sequential: drop what is stored, link the rest. Parallel: validate and
            // serialize. Sequential again: count and keep.
            let mut admitted = Vec::with_capacity(runs.len());
            for mut run in runs {
                if let Some(commit) = input.link_to {
                    run.commit_hint = Some(commit.to_string());
                }
                if let Some(linked) = acc
                    .admit(store, &mut linker, run)
                    .map_err(|e| std::io::Error::other(e.to_string()))?
                {
                    admitted.push(linked);
                }
            }
            // Provenance is completed, and records dropped, on the pool: allocating and
            // freeing are a good part of their cost.
            let times = &linker.recorded_at;
            let checked: Vec<Checked> = admitted
                .into_par_iter()
                .map(|linked| check_linked(linked, times))
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
        .map_err(WorkflowError::io_on(&input.path))?;
        read_so_far += outcome.bytes;
        let changed = stamp_before.is_none() || stamp_before != file_stamp(&input.path);
        if changed {
            builder.warning("input.changed", "file changed while it was read", input.display.clone());
        }
        builder.input_digest(&input.display, outcome.sha256.clone(), Some(outcome.lines_read));
        acc.report.files.push(FileReport {
            file: input.display.clone(),
            source: input.spec.name.clone(),
            lines_read: outcome.lines_read,
            lines_used: outcome.lines_used,
            runs: outcome.run_count,
            quarantined: outcome.quarantined.len(),
            sha256: outcome.sha256.clone(),
            changed_during_read: changed,
        });
        acc.report.quarantined.extend(outcome.quarantined);
    }
    let mut report = acc.report;
    report.commits = acc.commits.iter().map(|(c, n)| (c.to_string(), *n)).collect();
    report.link_rules = acc.link_rules.iter().map(|(r, n)| ((*r).to_owned(), *n)).collect();

    let evidence = NotesRef::Evidence;
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
            output_note(store, builder, &evidence, m.commit)?;
        }
    }
    if !report.quarantined.is_empty() {
        let quarantine = NotesRef::Quarantine;
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
        output_note(store, builder, &quarantine, anchor)?;
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
    report.receipt_id = run.finish(store, head)?;
    Ok(report)
}

/// What a collect accumulates while runs stream through it.
struct Accumulator {
    report: CollectReport,
    /// Identities (first 128 bits of sig_hash) already stored or seen in this collect.
    known: FxHashSet<u128>,
    /// The notes held runs before this collect (only then can a run be stored in its
    /// form from before derived transcripts).
    stored_any: bool,
    /// New records per commit and per link rule, named in the report at the end.
    commits: BTreeMap<ObjectId, usize>,
    link_rules: BTreeMap<&'static str, usize>,
    spill: LineSpill,
}

/// A run linked to its commit (by a rule), with what was redacted from it and its
/// record serialized once.
type Linked = (
    Box<EvidenceRecord>,
    ObjectId,
    &'static str,
    RedactionCounts,
    Option<SignedLine>,
);

/// A linked run after validation, its record dropped: the note line, or why the record
/// is invalid.
struct Checked {
    commit: ObjectId,
    rule: &'static str,
    line: std::result::Result<String, Quarantined>,
    /// Where secrets were redacted from the run, if any were.
    redactions: Option<RedactionSite>,
}

/// Complete the provenance of a linked run (`times`: `recorded_at` of each linked commit),
/// validate it and serialize it.
fn check_linked((mut record, commit, rule, counts, signed): Linked, times: &HashMap<ObjectId, String>) -> Checked {
    record.provenance.commit = Some(commit.to_string());
    record.provenance.link_rule = Some(rule.to_owned());
    record.provenance.recorded_at = times.get(&commit).cloned().unwrap_or_default();
    let line = match check(&*record, EvidenceRecord::validate) {
        Ok(()) => match signed {
            Some(signed) => signed.stored_line(&record),
            None => crate::schema::stored_line(&record),
        }
        .map_err(|e| e.to_string())
        .and_then(|line| String::from_utf8(line).map_err(|e| e.to_string())),
        Err(violations) => Err(format!(
            "invalid record: {}: {}",
            violations[0].field, violations[0].message
        )),
    };
    let provenance = &record.provenance;
    Checked {
        commit,
        rule,
        line: line.map_err(|reason| Quarantined {
            source_file: provenance.source_file.clone(),
            line: 0,
            line_offset: provenance.line_offset,
            raw_sha256: String::new(),
            reason,
            adapter: provenance.adapter.clone().unwrap_or_default(),
        }),
        redactions: (!counts.is_empty()).then(|| RedactionSite {
            file: provenance.source_file.clone(),
            line_offset: provenance.line_offset,
            rules: counts,
        }),
    }
}

impl Accumulator {
    /// Link one normalized run, unless it is already stored or seen in this collect.
    fn admit(&mut self, store: &Store, linker: &mut Linker, run: NormalizedRun) -> Result<Option<Linked>> {
        // The second hash is paid only for a run new by its own sig_hash, and only when
        // the notes held runs before this collect.
        let new = self.known.insert(identity(&run.record.provenance.sig_hash));
        let stored_before = || {
            self.stored_any
                && run
                    .sig_without_derived_transcript()
                    .is_some_and(|sig| self.known.contains(&identity(&sig)))
        };
        if !new || stored_before() {
            self.report.records_existing += 1;
            return Ok(None);
        }
        let (commit, rule) = linker.link(
            store,
            run.commit_hint.as_deref(),
            // The epoch is how "unknown" is written; a run stating it is linked as unknown.
            run.time
                .filter(|t| *t != jiff::Timestamp::UNIX_EPOCH)
                .map(|t| t.as_second()),
        );
        // The time is looked up once per commit here; check_linked writes it.
        linker.remember_time(store, commit)?;
        Ok(Some((run.record, commit, rule, run.redactions, run.signed)))
    }

    /// Count one checked record and keep its line, or quarantine it when invalid.
    fn keep(&mut self, checked: Checked) -> Result<()> {
        let report = &mut self.report;
        let line = match checked.line {
            Ok(line) => line,
            Err(quarantined) => {
                report.quarantined.push(quarantined);
                return Ok(());
            }
        };
        if let Some(site) = checked.redactions {
            for (rule, n) in &site.rules {
                *report.redactions.entry(rule.clone()).or_default() += n;
            }
            report.redaction_sites.push(site);
        }
        *self.commits.entry(checked.commit).or_default() += 1;
        *self.link_rules.entry(checked.rule).or_default() += 1;
        report.records_new += 1;
        self.spill.push(checked.commit, line)
    }
}

/// The first 128 bits of a hex sig_hash: the identity set stays small for millions of runs.
fn identity(sig_hash: &str) -> u128 {
    sig_hash
        .get(..32)
        .and_then(|h| u128::from_str_radix(h, 16).ok())
        .unwrap_or(0)
}

/// What tells a file changed: its size, modification time and (on Unix) inode. `None`
/// when it cannot be read, and then it is taken as changed.
fn file_stamp(path: &std::path::Path) -> Option<(u64, std::time::SystemTime, u64)> {
    let meta = std::fs::metadata(path).ok()?;
    #[cfg(unix)]
    let inode = std::os::unix::fs::MetadataExt::ino(&meta);
    #[cfg(not(unix))]
    let inode = 0;
    Some((meta.len(), meta.modified().ok()?, inode))
}

/// Every sig_hash already stored on refs/notes/distill/evidence.
fn stored_sig_hashes(store: &Store) -> Result<FxHashSet<u128>> {
    let snapshot = store.notes_snapshot(&NotesRef::Evidence)?;
    // Identities are digests already: a fast hash loses nothing to collisions here.
    let mut out = FxHashSet::default();
    // Stored lines are our own serialization: `"sig_hash":"<64 hex>"` appears once, in provenance.
    const KEY: &[u8] = b"\"sig_hash\":\"";
    let finder = memchr::memmem::Finder::new(KEY);
    for commit in snapshot.annotated() {
        let Some(blob) = snapshot.blob_for(&commit) else {
            continue;
        };
        // Streamed: a big collect's note is gigabytes.
        let note = store.blob_reader(blob)?;
        for line in std::io::BufRead::split(note, b'\n') {
            let line = line.map_err(|e| super::spill::note_read_error(blob, e))?;
            if let Some(at) = finder.find(&line)
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
    /// The latest committer time up to each point of `history`: sorted even where commit
    /// times are not, so the first commit at or after a time is a binary search away.
    latest: Vec<i64>,
    /// `recorded_at` of each commit already linked to: asked once per run, computed once per commit.
    recorded_at: HashMap<ObjectId, String>,
}

impl Linker {
    fn new(store: &Store, head: ObjectId, at: Option<ObjectId>) -> Result<Linker> {
        let mut history = store.first_parent_history(head, LINK_HISTORY_LIMIT)?;
        history.reverse();
        let recorded_at = history.iter().map(|(id, t)| (*id, rfc3339(*t))).collect();
        let latest = history
            .iter()
            .scan(i64::MIN, |latest, (_, t)| {
                *latest = (*latest).max(*t);
                Some(*latest)
            })
            .collect();
        Ok(Linker {
            head,
            at,
            history,
            latest,
            recorded_at,
        })
    }

    /// In order: a commit named by the record that exists here; `--at`; the commit whose
    /// time window (after its parent's time, up to its own) contains the run's time; HEAD.
    fn link(&self, store: &Store, hint: Option<&str>, time: Option<i64>) -> (ObjectId, &'static str) {
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
        if let Some(t) = time
            && let Some((id, _)) = self.history.get(self.latest.partition_point(|latest| *latest < t))
        {
            return (*id, "time-window");
        }
        (self.head, "head")
    }

    /// Make sure `recorded_at` holds the time of `commit`.
    fn remember_time(&mut self, store: &Store, commit: ObjectId) -> Result<()> {
        if let std::collections::hash_map::Entry::Vacant(slot) = self.recorded_at.entry(commit) {
            slot.insert(commit_time(store, commit)?);
        }
        Ok(())
    }
}

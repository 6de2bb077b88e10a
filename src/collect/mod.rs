//! The collector: adapters turn log files into run drafts; [`normalize`] redacts them,
//! fills defaults, and makes EvidenceRecords with a content identity (`sig_hash`).
//!
//! Nothing here touches git or prints. Malformed input never stops a file: every
//! line that cannot be used becomes a [`Quarantined`] entry with its reason.

mod claude_code;
mod codex;
mod jsonl;
mod lakehouse;
mod lines;
pub mod redact;
mod session;
pub mod signals;

pub use jsonl::check_map;
pub use lines::{Line, LineProblem, LineReader};
pub use redact::RedactionCounts;

use crate::config::{FieldMap, SourceConfig};
use crate::schema::{
    ChatMessage, CommandRun, EvidenceRecord, HumanOverride, ModelRole, Provenance, SCHEMA_VERSION, ValidationResult,
    canonical_value_bytes, sha256_hex,
};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The timestamp given to runs whose source states none: an explicit "unknown", never a guess.
pub const UNKNOWN_TIME: &str = "1970-01-01T00:00:00Z";

/// What an adapter extracted for one run, before redaction and defaults.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct RunDraft {
    /// Run id, when the source has one.
    pub run_id: Option<String>,
    /// Task id, when the source has one.
    pub task_id: Option<String>,
    /// Task type, when known.
    pub task_type: Option<String>,
    /// When the run ended (any parseable form).
    pub timestamp: Option<String>,
    /// Model name.
    pub model_name: Option<String>,
    /// Model role (default executor).
    pub model_role: Option<ModelRole>,
    /// The run's input text (the prompt), hashed into input_hash.
    pub input_text: String,
    /// The run's output text, hashed into output_hash.
    pub output_text: String,
    /// Files read or changed.
    pub source_files: Vec<String>,
    /// Commands run.
    pub commands_run: Vec<CommandRun>,
    /// Retrieved context.
    pub retrieved_context: Vec<String>,
    /// Observer notes.
    pub observer_notes: Vec<String>,
    /// Scratchpad summary.
    pub scratchpad_summary: Option<String>,
    /// Success markers.
    pub success_markers: Vec<String>,
    /// Failure markers.
    pub failure_markers: Vec<String>,
    /// Validation results.
    pub validation_results: Vec<ValidationResult>,
    /// A person's verdict.
    pub human_override: Option<HumanOverride>,
    /// Latency in ms.
    pub latency_ms: Option<u64>,
    /// Cost in USD.
    pub cost_usd: Option<f64>,
    /// Conversation.
    pub transcript: Vec<ChatMessage>,
    /// A commit id the source names (head_sha, git commit, ...).
    pub commit_hint: Option<String>,
    /// Byte offset of the run's first line.
    pub line_offset: u64,
    /// 1-based line number of the run's first line.
    pub line_number: u64,
}

/// A line that could not be used, kept as evidence without its content.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Quarantined {
    /// The file.
    pub source_file: String,
    /// 1-based line number.
    pub line: u64,
    /// Byte offset.
    pub line_offset: u64,
    /// SHA-256 of the raw line (the content is not kept: it may hold secrets).
    pub raw_sha256: String,
    /// Why it was quarantined (redacted).
    pub reason: String,
    /// The adapter.
    pub adapter: String,
}

/// Everything read from one file.
#[derive(Debug, Clone, Default)]
pub struct FileOutcome {
    /// Runs found and not yet handed to the sink.
    pub runs: Vec<RunDraft>,
    /// Runs found in all.
    pub run_count: usize,
    /// Lines quarantined.
    pub quarantined: Vec<Quarantined>,
    /// Lines read (non-empty).
    pub lines_read: u64,
    /// Lines that fed a run (in + quarantined = read).
    pub lines_used: u64,
    /// SHA-256 of the bytes as they were read.
    pub sha256: String,
    /// Size in bytes.
    pub bytes: u64,
}

/// The adapters, by name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum AdapterKind {
    /// Any JSONL with a field mapping.
    Jsonl,
    /// Claude Code session transcripts.
    ClaudeCode,
    /// OpenAI Codex CLI rollouts.
    Codex,
    /// Agent-pipeline telemetry presets.
    Lakehouse,
}

impl AdapterKind {
    /// Parse a config name.
    pub fn parse(name: &str) -> Option<AdapterKind> {
        match name {
            "jsonl" => Some(AdapterKind::Jsonl),
            "claude-code" => Some(AdapterKind::ClaudeCode),
            "codex" => Some(AdapterKind::Codex),
            "lakehouse" => Some(AdapterKind::Lakehouse),
            _ => None,
        }
    }

    /// The config name.
    pub fn name(self) -> &'static str {
        match self {
            AdapterKind::Jsonl => "jsonl",
            AdapterKind::ClaudeCode => "claude-code",
            AdapterKind::Codex => "codex",
            AdapterKind::Lakehouse => "lakehouse",
        }
    }
}

/// How one source is read.
#[derive(Debug, Clone)]
pub struct SourceSpec {
    /// Source name (config), or the adapter name ad hoc.
    pub name: String,
    /// The adapter.
    pub adapter: AdapterKind,
    /// Field mapping for `jsonl`.
    pub map: BTreeMap<String, FieldMap>,
    /// Preset for `lakehouse`.
    pub preset: Option<String>,
    /// Quarantine lines longer than this.
    pub max_line_bytes: usize,
}

impl SourceSpec {
    /// From a config entry.
    pub fn from_config(source: &SourceConfig, max_line_bytes: usize) -> Option<SourceSpec> {
        Some(SourceSpec {
            name: source.name.clone(),
            adapter: AdapterKind::parse(&source.adapter)?,
            map: source.map.clone(),
            preset: source.preset.clone(),
            max_line_bytes,
        })
    }
}

/// Where runs go as they are read, a batch at a time (so a large file is never held whole).
pub type RunSink<'a> = dyn FnMut(Vec<RunDraft>) -> std::io::Result<()> + 'a;

/// Read one file with the source's adapter, handing runs to `sink` in batches.
/// `display` names the file in provenance; `progress` gets the bytes read so far.
pub fn read_file(
    spec: &SourceSpec,
    path: &Path,
    display: &str,
    progress: &(dyn Fn(u64) + Sync),
    sink: &mut RunSink<'_>,
) -> std::io::Result<FileOutcome> {
    let file = std::fs::File::open(path)?;
    let mut reader = LineReader::new(file, spec.max_line_bytes);
    let mut outcome = match spec.adapter {
        AdapterKind::Jsonl => jsonl::read(spec, &mut reader, display, progress, sink)?,
        AdapterKind::Lakehouse => lakehouse::read(spec, &mut reader, display, progress, sink)?,
        AdapterKind::ClaudeCode => claude_code::read(&mut reader, display, progress)?,
        AdapterKind::Codex => codex::read(&mut reader, display, progress)?,
    };
    outcome.run_count += outcome.runs.len();
    if !outcome.runs.is_empty() {
        sink(std::mem::take(&mut outcome.runs))?;
    }
    outcome.bytes = reader.offset();
    outcome.sha256 = reader.finish_hash();
    Ok(outcome)
}

/// Drive `reader` line by line: empty lines are skipped, unusable lines quarantined
/// (with `adapter` as the reader), and every usable line handed to `each`, which
/// returns whether it used the line or why it could not.
pub(crate) fn for_each_line(
    reader: &mut LineReader<std::fs::File>,
    display: &str,
    adapter: &str,
    progress: &(dyn Fn(u64) + Sync),
    mut each: impl FnMut(&Line, serde_json::Value) -> Result<(), String>,
) -> std::io::Result<FileOutcome> {
    let mut outcome = FileOutcome::default();
    while let Some(line) = reader.next_line()? {
        if line.number % 1024 == 0 {
            progress(reader.offset());
        }
        if is_blank(&line) {
            continue;
        }
        outcome.lines_read += 1;
        let used = parse_object(&line).and_then(|value| each(&line, value));
        match used {
            Ok(()) => outcome.lines_used += 1,
            Err(reason) => outcome.quarantined.push(quarantine(display, &line, adapter, &reason)),
        }
    }
    progress(reader.offset());
    Ok(outcome)
}

/// Drive `reader` for an adapter where every line is one run, mapped by `map`.
/// Lines are read in order and parsed and mapped in parallel, a batch at a time.
pub(crate) fn read_runs_per_line(
    reader: &mut LineReader<std::fs::File>,
    display: &str,
    adapter: &str,
    progress: &(dyn Fn(u64) + Sync),
    sink: &mut RunSink<'_>,
    map: impl Fn(&Line, &serde_json::Value) -> Result<RunDraft, String> + Sync,
) -> std::io::Result<FileOutcome> {
    use rayon::prelude::*;
    const BATCH: usize = 4096;
    let mut outcome = FileOutcome::default();
    let mut batch: Vec<Line> = Vec::with_capacity(BATCH);
    loop {
        let next = reader.next_line()?;
        let done = next.is_none();
        if let Some(line) = next
            && !is_blank(&line)
        {
            batch.push(line);
        }
        if batch.len() == BATCH || (done && !batch.is_empty()) {
            progress(reader.offset());
            let mapped: Vec<Result<RunDraft, String>> = batch
                .par_iter()
                .map(|line| {
                    let mut draft = map(line, &parse_object(line)?)?;
                    draft.line_offset = line.offset;
                    draft.line_number = line.number;
                    Ok(draft)
                })
                .collect();
            for (line, result) in batch.drain(..).zip(mapped) {
                outcome.lines_read += 1;
                match result {
                    Ok(draft) => {
                        outcome.lines_used += 1;
                        outcome.runs.push(draft);
                    }
                    Err(reason) => outcome.quarantined.push(quarantine(display, &line, adapter, &reason)),
                }
            }
            outcome.run_count += outcome.runs.len();
            sink(std::mem::take(&mut outcome.runs))?;
        }
        if done {
            return Ok(outcome);
        }
    }
}

fn is_blank(line: &Line) -> bool {
    matches!(&line.text, Ok(text) if text.trim().is_empty())
}

/// A line as a JSON object, or why not.
fn parse_object(line: &Line) -> Result<serde_json::Value, String> {
    match &line.text {
        Ok(text) => match serde_json::from_str::<serde_json::Value>(text) {
            Ok(value @ serde_json::Value::Object(_)) => Ok(value),
            Ok(_) => Err("not a JSON object".to_owned()),
            Err(e) => Err(format!("not JSON: {e}")),
        },
        Err(problem) => Err(problem.to_string()),
    }
}

/// A quarantine entry for `line`; the reason is redacted (parser messages can quote input).
pub fn quarantine(display: &str, line: &Line, adapter: &str, reason: &str) -> Quarantined {
    let mut ignored = RedactionCounts::new();
    Quarantined {
        source_file: display.to_owned(),
        line: line.number,
        line_offset: line.offset,
        raw_sha256: line.raw_sha256.clone(),
        reason: redact::redact(reason, &mut ignored),
        adapter: adapter.to_owned(),
    }
}

/// A run ready to link: the record (provenance without commit yet) and its commit hint.
#[derive(Debug, Clone)]
pub struct NormalizedRun {
    /// The record; `provenance.commit`, `link_rule` and `recorded_at` are set when linked.
    pub record: EvidenceRecord,
    /// A commit id the source named.
    pub commit_hint: Option<String>,
    /// Whether the source stated a time.
    pub has_time: bool,
}

/// Redact, fill defaults, hash: a draft becomes a record whose `sig_hash` is the
/// canonical SHA-256 of the record without provenance.
pub fn normalize(
    draft: RunDraft,
    display: &str,
    spec: &SourceSpec,
    counts: &mut RedactionCounts,
) -> Result<NormalizedRun, String> {
    // Every string of the draft is checked; only a draft with a secret is rebuilt.
    let mut value = serde_json::to_value(&draft).map_err(|e| e.to_string())?;
    let draft: RunDraft = if redact::redact_value(&mut value, counts) {
        serde_json::from_value(value).map_err(|e| e.to_string())?
    } else {
        draft
    };
    let timestamp = draft.timestamp.as_deref().and_then(normalize_time);
    let run_id = draft
        .run_id
        .filter(|s| !s.trim().is_empty())
        .unwrap_or_else(|| format!("{}:{}", spec.name, draft.line_number));
    let mut record = EvidenceRecord {
        schema_version: SCHEMA_VERSION,
        task_id: draft
            .task_id
            .filter(|s| !s.trim().is_empty())
            .unwrap_or_else(|| run_id.clone()),
        run_id,
        task_type: draft
            .task_type
            .filter(|s| !s.trim().is_empty())
            .unwrap_or_else(|| "general".into()),
        timestamp: timestamp.clone().unwrap_or_else(|| UNKNOWN_TIME.to_owned()),
        model_name: draft
            .model_name
            .filter(|s| !s.trim().is_empty())
            .unwrap_or_else(|| "unknown".into()),
        model_role: draft.model_role.unwrap_or(ModelRole::Executor),
        input_hash: sha256_hex(draft.input_text.as_bytes()),
        output_hash: sha256_hex(draft.output_text.as_bytes()),
        source_files: dedup(draft.source_files),
        commands_run: draft.commands_run,
        retrieved_context: draft.retrieved_context,
        observer_notes: draft.observer_notes,
        scratchpad_summary: draft.scratchpad_summary,
        success_markers: dedup(draft.success_markers),
        failure_markers: dedup(draft.failure_markers),
        validation_results: draft.validation_results,
        human_override: draft.human_override,
        latency_ms: draft.latency_ms,
        cost_usd: draft.cost_usd.filter(|c| c.is_finite() && *c >= 0.0),
        transcript: draft.transcript,
        provenance: Provenance {
            source_file: display.to_owned(),
            line_offset: draft.line_offset,
            sig_hash: String::new(),
            recorded_at: String::new(),
            source: Some(spec.name.clone()),
            adapter: Some(spec.adapter.name().to_owned()),
            commit: None,
            link_rule: None,
        },
    };
    record.provenance.sig_hash = sig_hash(&record)?;
    Ok(NormalizedRun {
        record,
        commit_hint: draft.commit_hint,
        has_time: timestamp.is_some(),
    })
}

/// Canonical SHA-256 of the record without its provenance.
pub fn sig_hash(record: &EvidenceRecord) -> Result<String, String> {
    let mut value = serde_json::to_value(record).map_err(|e| e.to_string())?;
    if let Some(map) = value.as_object_mut() {
        map.remove("provenance");
    }
    Ok(sha256_hex(&canonical_value_bytes(&value).map_err(|e| e.to_string())?))
}

/// RFC 3339 in UTC from RFC 3339 with any offset, `YYYY-MM-DD HH:MM:SS[.f]` (taken as UTC),
/// or Unix seconds / milliseconds.
pub fn normalize_time(raw: &str) -> Option<String> {
    let raw = raw.trim();
    if let Ok(ts) = raw.parse::<jiff::Timestamp>() {
        return Some(ts.to_string());
    }
    if let Ok(dt) = raw.replace(' ', "T").parse::<jiff::civil::DateTime>() {
        return dt
            .to_zoned(jiff::tz::TimeZone::UTC)
            .ok()
            .map(|z| z.timestamp().to_string());
    }
    if let Ok(n) = raw.parse::<i64>() {
        let ts = if n > 100_000_000_000 {
            jiff::Timestamp::from_millisecond(n).ok()?
        } else {
            jiff::Timestamp::from_second(n).ok()?
        };
        return Some(ts.to_string());
    }
    None
}

fn dedup(items: Vec<String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(items.len());
    for item in items {
        if !item.trim().is_empty() && !out.contains(&item) {
            out.push(item);
        }
    }
    out
}

/// Make `path` relative to `root` when it lies inside it (agents log absolute paths).
pub fn relative_to(path: &str, root: Option<&str>) -> String {
    if let Some(root) = root {
        let root = root.trim_end_matches('/');
        if let Some(rest) = path.strip_prefix(root)
            && let Some(rest) = rest.strip_prefix('/')
        {
            return rest.to_owned();
        }
    }
    path.to_owned()
}

/// Expand `~` and glob patterns (`*`, `?`, `**`, `[..]`) into the sorted list of files.
/// A pattern without wildcards is returned as is, so a missing file is reported by name.
pub fn expand_path(pattern: &str, base: &Path) -> Result<Vec<PathBuf>, String> {
    let expanded = match pattern.strip_prefix("~/") {
        Some(rest) => std::env::var_os("HOME")
            .map(PathBuf::from)
            .unwrap_or_default()
            .join(rest),
        None => base.join(pattern),
    };
    let text = expanded.to_string_lossy().into_owned();
    if !text.contains(['*', '?', '[']) {
        return Ok(vec![expanded]);
    }
    let mut found: Vec<PathBuf> = glob::glob(&text)
        .map_err(|e| format!("bad pattern `{pattern}`: {e}"))?
        .filter_map(|entry| entry.ok())
        .filter(|p| p.is_file())
        .collect();
    found.sort();
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_normalize_to_utc() {
        assert_eq!(
            normalize_time("2026-01-01T12:00:00+02:00").as_deref(),
            Some("2026-01-01T10:00:00Z")
        );
        assert_eq!(
            normalize_time("2026-01-01 10:00:00").as_deref(),
            Some("2026-01-01T10:00:00Z")
        );
        assert_eq!(normalize_time("1767261600").as_deref(), Some("2026-01-01T10:00:00Z"));
        assert_eq!(normalize_time("1767261600000").as_deref(), Some("2026-01-01T10:00:00Z"));
        assert_eq!(normalize_time("yesterday"), None);
    }
}

//! The collector: adapters turn log files into run drafts; [`normalize`] redacts them,
//! fills defaults, and makes EvidenceRecords with a content identity (`sig_hash`).
//!
//! Nothing here touches git or prints. Malformed input never stops a file: every
//! line that cannot be used becomes a [`Quarantined`] entry with its reason.

mod aider;
mod claude_code;
mod code_mode;
mod codex;
mod codex_exec;
mod compact;
mod draft;
mod effects;
mod gemini;
mod gemini_share;
mod git_ai;
mod git_ops;
mod jsonl;
mod lakehouse;
mod lines;
mod opencode;
mod outcome;
pub mod redact;
mod rejected;
mod screen;
mod session;
pub mod signals;
mod validation;

pub use draft::{NormalizedRun, RunDraft, normalize, normalize_time};
pub use jsonl::mappable_fields;
pub use lines::{Line, LineProblem, LineReader};
pub use redact::RedactionCounts;
pub use rejected::Rejected;
pub use validation::{Catalogue, CatalogueError, CheckKind, Recognized, ValidationEntry, is_format_check};

use crate::config::{Config, FieldMap, SourceConfig};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;

/// The timestamp given to runs whose source states none: an explicit "unknown", never a guess.
pub const UNKNOWN_TIME: &str = "1970-01-01T00:00:00Z";

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
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum AdapterKind {
    /// Any JSONL with a field mapping.
    Jsonl,
    /// Claude Code session transcripts.
    ClaudeCode,
    /// OpenAI Codex CLI rollouts.
    Codex,
    /// Aider chat histories (`.aider.chat.history.md`).
    Aider,
    /// Gemini CLI chat recordings (`session-*.json`, `session-*.jsonl`).
    Gemini,
    /// OpenCode sessions as `opencode export <id>` writes them.
    Opencode,
    /// Agent-pipeline telemetry presets.
    Lakehouse,
    /// git-ai authorship notes (`refs/notes/ai`, format authorship/3.0.0).
    GitAi,
    /// Entire checkpoints (`refs/entire/checkpoints/*`, `entire/checkpoints/v1`).
    Entire,
}

impl crate::named::Named for AdapterKind {
    const ALL: &'static [AdapterKind] = &[
        AdapterKind::Jsonl,
        AdapterKind::ClaudeCode,
        AdapterKind::Codex,
        AdapterKind::Aider,
        AdapterKind::Gemini,
        AdapterKind::Opencode,
        AdapterKind::Lakehouse,
        AdapterKind::GitAi,
        AdapterKind::Entire,
    ];

    fn name(self) -> &'static str {
        AdapterKind::name(self)
    }

    fn about(self) -> &'static str {
        match self {
            AdapterKind::Jsonl => "Any JSONL with a field mapping",
            AdapterKind::ClaudeCode => "Claude Code session transcripts, and `/export` text or a copied screen",
            AdapterKind::Codex => {
                "OpenAI Codex CLI and Desktop rollouts (code mode too), `codex exec --json` streams and \
                 `codex exec` transcripts"
            }
            AdapterKind::Aider => "Aider chat histories (`.aider.chat.history.md`)",
            AdapterKind::Gemini => {
                "Gemini CLI chat recordings (`session-*.json`, `session-*.jsonl`), `/chat share` Markdown exports \
                 and copied screens"
            }
            AdapterKind::Opencode => "OpenCode sessions as `opencode export <id>` writes them",
            AdapterKind::Lakehouse => "Agent-pipeline telemetry presets",
            AdapterKind::GitAi => "git-ai authorship notes (`refs/notes/ai`, format authorship/3.0.0)",
            AdapterKind::Entire => "Entire checkpoints (`refs/entire/checkpoints/*`, `entire/checkpoints/v1`)",
        }
    }
}

impl AdapterKind {
    /// The config name (as serde spells it in `.distill/config.toml`).
    pub fn name(self) -> &'static str {
        match self {
            AdapterKind::Jsonl => "jsonl",
            AdapterKind::ClaudeCode => "claude-code",
            AdapterKind::Codex => "codex",
            AdapterKind::Aider => "aider",
            AdapterKind::Gemini => "gemini",
            AdapterKind::Opencode => "opencode",
            AdapterKind::Lakehouse => "lakehouse",
            AdapterKind::GitAi => "git-ai",
            AdapterKind::Entire => "entire",
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
    /// Which commands are validations.
    pub checks: std::sync::Arc<Catalogue>,
    /// Keep request and response text (`[collect] keep_text`).
    pub keep_text: bool,
}

impl SourceSpec {
    /// A source read with `adapter`'s defaults (no field map, no preset), named `name`.
    pub fn ad_hoc(name: &str, adapter: AdapterKind, config: &Config) -> SourceSpec {
        SourceSpec {
            name: name.to_owned(),
            adapter,
            map: Default::default(),
            preset: None,
            max_line_bytes: config.collect.max_line_bytes,
            checks: config.checks.clone(),
            keep_text: config.collect.keep_text,
        }
    }

    /// From a config entry.
    pub fn from_config(source: &SourceConfig, config: &Config) -> SourceSpec {
        SourceSpec {
            name: source.name.clone(),
            adapter: source.adapter,
            map: source.map.clone(),
            preset: source.preset.clone(),
            max_line_bytes: config.collect.max_line_bytes,
            checks: config.checks.clone(),
            keep_text: config.collect.keep_text,
        }
    }
}

/// Where runs go as they are read, normalized, a batch at a time (so a large file is never
/// held whole).
pub type RunSink<'a> = dyn FnMut(Vec<NormalizedRun>) -> std::io::Result<()> + 'a;

/// Read one file with the source's adapter, handing normalized runs to `sink` in batches.
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
    // Entire's compact transcripts look alike whichever agent ran.
    let session_adapter = matches!(
        spec.adapter,
        AdapterKind::ClaudeCode | AdapterKind::Codex | AdapterKind::Opencode | AdapterKind::Gemini
    );
    let line_based = matches!(
        spec.adapter,
        AdapterKind::Jsonl | AdapterKind::Lakehouse | AdapterKind::ClaudeCode | AdapterKind::Codex
    );
    let first = if session_adapter || line_based {
        first_line(path)?
    } else {
        String::new()
    };
    let compact = session_adapter && compact::is_compact(&first);
    // Claude Code's `/export` and copied screens are text, not JSON lines.
    let screen = spec.adapter == AdapterKind::ClaudeCode
        && !compact
        && !first.starts_with('{')
        && screen::dialect(&head(path)?) == Some(screen::Dialect::ClaudeCode);
    // So are the transcripts `codex exec` prints without `--json`.
    let codex_text =
        spec.adapter == AdapterKind::Codex && !first.starts_with('{') && codex_exec::is_transcript(&head(path)?);
    if line_based && is_one_json_document(path, &first)? {
        let adapter = spec.adapter.name();
        let mut outcome = read_whole(&mut reader, display, adapter, |_| {
            Err(Rejected::OtherFormat(format!(
                "the file is one JSON document, not JSON lines: the {adapter} adapter cannot read it \
                 (a Gemini CLI recording or an OpenCode export? --adapter gemini, --adapter opencode)"
            )))
        })?;
        outcome.bytes = reader.offset();
        outcome.sha256 = reader.finish_hash();
        return Ok(outcome);
    }
    let per_line = PerLine {
        spec,
        display,
        progress,
    };
    let mut outcome = match spec.adapter {
        _ if compact => compact::read(&mut reader, spec, display, progress)?,
        _ if codex_text => read_whole(&mut reader, display, "codex", |text| {
            Ok(codex_exec::parse(spec, display, text))
        })?,
        _ if screen => read_whole(&mut reader, display, "claude-code", |text| {
            Ok(screen::parse(spec, display, text, screen::Dialect::ClaudeCode))
        })?,
        AdapterKind::Jsonl => {
            let plan = jsonl::Plan::new(spec);
            per_line.read(&mut reader, sink, |line| plan.map_line(line_text(line)?))?
        }
        AdapterKind::Lakehouse => {
            let preset = spec.preset.as_deref();
            per_line.read(&mut reader, sink, |line| {
                let value = parse_object(line)?;
                lakehouse::map_line(preset, line, &value)
            })?
        }
        AdapterKind::ClaudeCode => claude_code::read(&mut reader, spec, display, progress)?,
        AdapterKind::Codex => codex::read(&mut reader, spec, display, progress)?,
        AdapterKind::Aider => aider::read(&mut reader, spec, display, progress)?,
        AdapterKind::Gemini => read_whole(&mut reader, display, "gemini", |text| {
            gemini::parse(spec, display, text)
        })?,
        AdapterKind::Opencode => read_whole(&mut reader, display, "opencode", |text| {
            opencode::parse(spec, display, text)
        })?,
        AdapterKind::GitAi => read_whole(&mut reader, display, "git-ai", git_ai::read)?,
        AdapterKind::Entire => {
            return Err(std::io::Error::other(
                "the entire adapter reads checkpoints from git: `git distill collect --adapter entire [<range>]`",
            ));
        }
    };
    let drafts = std::mem::take(&mut outcome.runs);
    outcome.run_count += drafts.len();
    if !drafts.is_empty() {
        use rayon::prelude::*;
        let (runs, failed): (Vec<_>, Vec<_>) = drafts
            .into_par_iter()
            .map(|draft| {
                let (line, offset) = (draft.line_number, draft.line_offset);
                normalize(draft, display, spec).map_err(|reason| Quarantined {
                    source_file: display.to_owned(),
                    line,
                    line_offset: offset,
                    raw_sha256: String::new(),
                    reason: redact::redact(&reason.to_string(), &mut RedactionCounts::new()),
                    adapter: spec.adapter.name().to_owned(),
                })
            })
            .partition_map(|r| match r {
                Ok(run) => rayon::iter::Either::Left(run),
                Err(q) => rayon::iter::Either::Right(q),
            });
        outcome.quarantined.extend(failed);
        sink(runs)?;
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
    mut each: impl FnMut(&Line, serde_json::Value) -> Result<(), Rejected>,
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

/// Read a file that is one document (a git-ai note): its runs, or one quarantine entry
/// saying why the document cannot be read.
fn read_whole(
    reader: &mut LineReader<std::fs::File>,
    display: &str,
    adapter: &str,
    parse: impl FnOnce(&str) -> Result<Vec<RunDraft>, Rejected>,
) -> std::io::Result<FileOutcome> {
    let mut outcome = FileOutcome::default();
    let mut text = String::new();
    let mut first: Option<Line> = None;
    let mut problem: Option<Rejected> = None;
    while let Some(line) = reader.next_line()? {
        outcome.lines_read += 1;
        match line_text(&line) {
            Ok(t) => {
                text.push_str(t);
                text.push('\n');
            }
            Err(why) => problem = problem.or(Some(why.at_line(line.number))),
        }
        first.get_or_insert(line);
    }
    let Some(first) = first else {
        return Ok(outcome);
    };
    match problem.map_or_else(|| parse(&text), Err) {
        Ok(runs) => {
            outcome.lines_used = outcome.lines_read;
            outcome.runs = runs;
        }
        Err(reason) => outcome.quarantined.push(quarantine(display, &first, adapter, &reason)),
    }
    Ok(outcome)
}

/// The first line of a file (up to 1 MiB), without a byte-order mark and trimmed; empty
/// when it is not UTF-8 (the adapter then reports the line itself).
fn first_line(path: &Path) -> std::io::Result<String> {
    use std::io::{BufRead, Read};
    let mut first = String::new();
    let file = std::fs::File::open(path)?;
    if std::io::BufReader::new(file.take(1 << 20))
        .read_line(&mut first)
        .is_err()
    {
        first.clear();
    }
    Ok(first.trim_start_matches('\u{feff}').trim().to_owned())
}

/// The start of a file (up to 64 KiB), as text, to tell its format by.
fn head(path: &Path) -> std::io::Result<String> {
    use std::io::Read;
    let mut bytes = Vec::new();
    std::fs::File::open(path)?.take(64 << 10).read_to_end(&mut bytes)?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// Whether a file is one JSON document spread over lines (pretty-printed), not JSON
/// lines: its first line (`first`, from [`first_line`]) alone does not parse, but the
/// whole file does. Such a file is quarantined once, not line by line.
fn is_one_json_document(path: &Path, first: &str) -> std::io::Result<bool> {
    const MAX_DOCUMENT: u64 = 256 << 20;
    if !(first.starts_with('{') || first.starts_with('['))
        || serde_json::from_str::<serde::de::IgnoredAny>(first).is_ok()
        || std::fs::metadata(path)?.len() > MAX_DOCUMENT
    {
        return Ok(false);
    }
    let bytes = std::fs::read(path)?;
    let bytes = bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(&bytes);
    Ok(serde_json::from_slice::<serde::de::IgnoredAny>(bytes).is_ok())
}

/// Reading for adapters where every line is one run.
struct PerLine<'a> {
    spec: &'a SourceSpec,
    display: &'a str,
    progress: &'a (dyn Fn(u64) + Sync),
}

/// Lines per batch: enough to keep every core busy, few enough to bound memory.
const BATCH_LINES: usize = 1024;

impl PerLine<'_> {
    /// A pipeline of three threads, so reading, parsing and what `sink` does overlap: one
    /// reads batches of lines (and hashes the file), one has the pool parse, map and
    /// normalize each batch, and this one hands the runs to `sink` in file order.
    fn read(
        &self,
        reader: &mut LineReader<std::fs::File>,
        sink: &mut RunSink<'_>,
        map: impl Fn(&Line) -> Result<RunDraft, Rejected> + Sync,
    ) -> std::io::Result<FileOutcome> {
        use rayon::prelude::*;
        type Normalized = (Vec<Line>, Vec<Result<NormalizedRun, Rejected>>);
        let mut outcome = FileOutcome::default();
        std::thread::scope(|scope| {
            // One batch waits in each channel: memory stays bounded.
            let (lines_out, lines_in) = std::sync::mpsc::sync_channel::<std::io::Result<Vec<Line>>>(1);
            let (runs_out, runs_in) = std::sync::mpsc::sync_channel::<std::io::Result<Normalized>>(1);
            let progress = self.progress;
            scope.spawn(move || {
                loop {
                    let batch = read_batch(reader);
                    progress(reader.offset());
                    let last = !matches!(&batch, Ok(lines) if !lines.is_empty());
                    if lines_out.send(batch).is_err() || last {
                        return;
                    }
                }
            });
            let map = &map;
            scope.spawn(move || {
                for batch in lines_in {
                    let normalized = batch.map(|lines| {
                        let runs = lines.par_iter().map(|line| self.run_of(line, map)).collect();
                        (lines, runs)
                    });
                    if runs_out.send(normalized).is_err() {
                        return;
                    }
                }
            });
            for normalized in runs_in {
                let (lines, results) = normalized?;
                if lines.is_empty() {
                    break;
                }
                let mut runs = Vec::with_capacity(results.len());
                for (line, result) in lines.iter().zip(results) {
                    outcome.lines_read += 1;
                    match result {
                        Ok(run) => {
                            outcome.lines_used += 1;
                            runs.push(run);
                        }
                        Err(reason) => {
                            outcome
                                .quarantined
                                .push(quarantine(self.display, line, self.spec.adapter.name(), &reason))
                        }
                    }
                }
                outcome.run_count += runs.len();
                sink(runs)?;
            }
            Ok::<(), std::io::Error>(())
        })?;
        Ok(outcome)
    }

    fn run_of(
        &self,
        line: &Line,
        map: &impl Fn(&Line) -> Result<RunDraft, Rejected>,
    ) -> Result<NormalizedRun, Rejected> {
        let mut draft = map(line)?;
        draft.line_offset = line.offset;
        draft.line_number = line.number;
        normalize(draft, self.display, self.spec)
    }
}

/// Up to [`BATCH_LINES`] non-blank lines; an empty batch at the end of input.
fn read_batch(reader: &mut LineReader<std::fs::File>) -> std::io::Result<Vec<Line>> {
    let mut batch = Vec::with_capacity(BATCH_LINES);
    while batch.len() < BATCH_LINES {
        match reader.next_line()? {
            Some(line) if is_blank(&line) => {}
            Some(line) => batch.push(line),
            None => break,
        }
    }
    Ok(batch)
}

fn is_blank(line: &Line) -> bool {
    matches!(&line.text, Ok(text) if text.trim().is_empty())
}

/// A line's text, or why it has none.
fn line_text(line: &Line) -> Result<&str, Rejected> {
    line.text
        .as_deref()
        .map_err(|problem| Rejected::Unreadable(problem.clone()))
}

/// A line as a JSON object, or why not.
fn parse_object(line: &Line) -> Result<serde_json::Value, Rejected> {
    // Strict: with a repeated key, parsers disagree on which value wins.
    match crate::schema::parse_strict(line_text(line)?) {
        Ok(value @ serde_json::Value::Object(_)) => Ok(value),
        Ok(_) => Err(Rejected::NotAnObject),
        Err(e) => Err(Rejected::of_json(&e)),
    }
}

/// A quarantine entry for `line`; the reason is redacted (parser messages can quote input).
pub fn quarantine(display: &str, line: &Line, adapter: &str, reason: &Rejected) -> Quarantined {
    let mut ignored = RedactionCounts::new();
    Quarantined {
        source_file: display.to_owned(),
        line: line.number,
        line_offset: line.offset,
        raw_sha256: line.raw_sha256(),
        reason: redact::redact(&reason.to_string(), &mut ignored),
        adapter: adapter.to_owned(),
    }
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

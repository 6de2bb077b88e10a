//! Dataset builder: RAG, SFT and preference datasets from scored runs, in the formats
//! Hugging Face `datasets` loads as-is and TRL's SFTTrainer / DPOTrainer expect.
//!
//! No run that is not accepted reaches SFT: the builder selects accepted verdicts, the
//! SftSample validator refuses anything else, and [`write_guard`] checks every row again
//! before bytes are produced. Rows join evidence by `sig_hash` (the record's identity),
//! never by `run_id` alone.

mod card;
mod dedup;
mod parquet;

pub use card::{ProvenanceSummary, dataset_card};
pub use dedup::{dedup, signature, similarity};
pub use parquet::{ParquetError, row_count as parquet_row_count};

use crate::ledger::Sample;
use crate::schema::{
    Category, ChatMessage, ChatRole, PreferenceSample, RagSample, SCHEMA_VERSION, SftSample, canonical_sha256, check,
    sha256_hex,
};
use parquet::Shape;
use serde_json::{Value, json};
use std::collections::BTreeMap;

/// The file format of the dataset files.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// JSON Lines: one row a line.
    #[default]
    Jsonl,
    /// Apache Parquet: columnar, nested columns as lists and structs (what the Hugging
    /// Face Hub serves, and DuckDB, Spark and Polars read).
    Parquet,
}

impl Format {
    /// The file name extension (without the dot).
    pub fn extension(self) -> &'static str {
        match self {
            Format::Jsonl => "jsonl",
            Format::Parquet => "parquet",
        }
    }

    /// The Hugging Face `datasets` builder that loads it.
    pub fn loader(self) -> &'static str {
        match self {
            Format::Jsonl => "json",
            Format::Parquet => "parquet",
        }
    }
}

/// How to build.
#[derive(Debug, Clone)]
pub struct ExportOptions {
    /// Share of tasks that go to the validation split, in [0, 1].
    pub eval_ratio: f64,
    /// Jaccard similarity at or above which a row is a near duplicate.
    pub near_dup_threshold: f64,
    /// The dataset card's `license` (a Hugging Face license id).
    pub license: String,
    /// The dataset card's `language` codes.
    pub language: Vec<String>,
    /// The format of the dataset files.
    pub format: Format,
}

impl Default for ExportOptions {
    fn default() -> Self {
        ExportOptions {
            eval_ratio: 0.1,
            near_dup_threshold: 0.9,
            license: "other".to_owned(),
            language: vec!["en".to_owned()],
            format: Format::Jsonl,
        }
    }
}

/// When a config would have no train split (every task fell into validation, as with a
/// high eval ratio), its rows all go to train: `load_dataset(..., split="train")` must work.
fn keep_a_train_split(tables: &mut BTreeMap<String, Vec<Value>>, config: &str) {
    let train = format!("{config}/train");
    if tables.get(&train).is_none_or(Vec::is_empty)
        && let Some(rows) = tables.remove(&format!("{config}/validation"))
    {
        tables.insert(train, rows);
    }
}

/// The built datasets: file path → bytes, plus counts for the card and receipt.
#[derive(Debug, Clone, Default)]
pub struct Datasets {
    /// The format of the files.
    pub format: Format,
    /// Files (sorted by path): `<config>/<split or records>.<extension>`.
    pub files: BTreeMap<String, Vec<u8>>,
    /// Rows per file, also of the files not written because they would be empty.
    pub rows: BTreeMap<String, u64>,
    /// Rows removed as exact duplicates, per dataset.
    pub exact_duplicates: BTreeMap<String, usize>,
    /// Rows removed as near duplicates, per dataset.
    pub near_duplicates: BTreeMap<String, usize>,
    /// Accepted runs without a conversation, which cannot become SFT rows.
    pub sft_skipped_no_conversation: usize,
    /// Accepted runs whose answer was stored cut (a JSONL run's response past
    /// [`crate::text::KEPT_TEXT`]), left out of SFT. Training targets must be whole, so
    /// any run with a cut answer is left out of preference pairs too.
    pub skipped_cut_answers: usize,
    /// Validation failures (row, message) — must be empty for a passing export.
    pub invalid: Vec<String>,
}

/// Which split a task goes to: by hash of the task id, so a task never lands in both.
pub fn split_of(task_id: &str, eval_ratio: f64) -> &'static str {
    let hex = sha256_hex(task_id.as_bytes());
    let x = u64::from_str_radix(&hex[..16], 16).unwrap_or(0) as f64 / u64::MAX as f64;
    if x < eval_ratio { "validation" } else { "train" }
}

impl Datasets {
    /// Whether any training file (a split, not a records file) was written.
    pub fn has_training_rows(&self) -> bool {
        self.files
            .keys()
            .any(|f| f.ends_with(&format!("/train.{}", self.format.extension())))
    }
}

/// Tables by name (`<config>/<split or records>`), each a list of rows.
type Tables = BTreeMap<String, Vec<Value>>;

/// Build every dataset from the scored samples. Fails only when a file cannot be encoded.
pub fn build(samples: &[Sample<'_>], options: &ExportOptions) -> Result<Datasets, ParquetError> {
    let mut out = Datasets {
        format: options.format,
        ..Datasets::default()
    };
    let mut sorted: Vec<&Sample<'_>> = samples.iter().collect();
    sorted.sort_by(|a, b| (&a.scored.task_id, &a.scored.run_id).cmp(&(&b.scored.task_id, &b.scored.run_id)));
    let mut tables = Tables::new();
    rag(&sorted, options, &mut out, &mut tables);
    sft(&sorted, options, &mut out, &mut tables);
    preference(&sorted, options, &mut out, &mut tables);
    write(tables, &mut out)?;
    Ok(out)
}

/// Encode every table in the datasets' format. Empty tables are counted, not written:
/// loaders reject empty files. In Parquet the splits of a config share one schema (the
/// union of their rows'), as `load_dataset` requires of the files of one config.
fn write(tables: Tables, out: &mut Datasets) -> Result<(), ParquetError> {
    let schema_of = |table: &str| match table.split_once('/') {
        Some((_, "records")) => table.to_owned(),
        Some((config, _)) => config.to_owned(),
        None => table.to_owned(),
    };
    let mut shapes: BTreeMap<String, Shape> = BTreeMap::new();
    if out.format == Format::Parquet {
        for (table, rows) in &tables {
            let shape = shapes.remove(&schema_of(table)).unwrap_or(Shape::Unknown);
            shapes.insert(schema_of(table), shape.merge(parquet::infer(rows)));
        }
    }
    for (table, rows) in tables {
        let file = format!("{table}.{}", out.format.extension());
        out.rows.insert(file.clone(), rows.len() as u64);
        if rows.is_empty() {
            continue;
        }
        let bytes = match shapes.get(&schema_of(&table)) {
            Some(shape) => parquet::encode(&rows, shape)?,
            None => jsonl(&rows),
        };
        out.files.insert(file, bytes);
    }
    Ok(())
}

/// Rows as JSON Lines.
fn jsonl(rows: &[Value]) -> Vec<u8> {
    let mut bytes = Vec::new();
    for row in rows {
        if let Ok(line) = serde_json::to_vec(row) {
            bytes.extend_from_slice(&line);
            bytes.push(b'\n');
        }
    }
    bytes
}

fn rag(samples: &[&Sample<'_>], options: &ExportOptions, out: &mut Datasets, tables: &mut Tables) {
    let mut rows = Vec::new();
    for s in samples {
        if !matches!(s.scored.category, Category::Accepted | Category::PartiallyAccepted) {
            continue;
        }
        let e = s.evidence;
        let worked: Vec<&str> = e
            .commands_run
            .iter()
            .filter(|c| c.exit_code == Some(0))
            .map(|c| c.command.as_str())
            .collect();
        let validations: Vec<String> = e
            .validation_results
            .iter()
            .map(|v| format!("{} ({})", v.name, if v.passed { "passed" } else { "failed" }))
            .collect();
        let content = format!(
            "Task {} ({}), model {}.\nOutcome: {} — {}\nCommands that worked: {}\nFiles: {}\nValidations: {}",
            e.task_id,
            e.task_type,
            e.model_name,
            s.scored.category,
            s.scored.reasons.first().map(String::as_str).unwrap_or(""),
            join_or_none(&worked),
            join_or_none(&e.source_files.iter().map(String::as_str).collect::<Vec<_>>()),
            join_or_none(&validations.iter().map(String::as_str).collect::<Vec<_>>()),
        );
        let mut sample = RagSample {
            schema_version: SCHEMA_VERSION,
            sample_id: String::new(),
            run_id: e.run_id.clone(),
            task_id: e.task_id.clone(),
            task_type: e.task_type.clone(),
            content,
            tags: vec![e.task_type.clone(), e.model_name.clone(), s.scored.category.to_string()],
            success_score: s.scored.category,
            provenance: e.provenance.clone(),
        };
        sample.sample_id = sha256_hex(sample.content.as_bytes());
        if let Err(v) = check(&sample, RagSample::validate) {
            out.invalid
                .push(format!("rag {}: {}: {}", sample.run_id, v[0].field, v[0].message));
            continue;
        }
        rows.push((sample.sample_id.clone(), sample.content.clone(), to_value(&sample)));
    }
    let kept = deduplicated("rag", rows, options, out);
    tables.insert("rag/train".to_owned(), kept.into_iter().map(|(_, _, v)| v).collect());
}

fn sft(samples: &[&Sample<'_>], options: &ExportOptions, out: &mut Datasets, tables: &mut Tables) {
    let mut by_split: BTreeMap<&str, Vec<(String, String, Value, Value)>> = BTreeMap::new();
    for s in samples.iter().filter(|s| s.scored.category == Category::Accepted) {
        let e = s.evidence;
        if e.provenance.sig_hash != s.scored.provenance.sig_hash {
            continue;
        }
        let messages = conversation(&e.transcript);
        if messages.is_empty() {
            out.sft_skipped_no_conversation += 1;
            continue;
        }
        if has_cut_answer(&messages) {
            out.skipped_cut_answers += 1;
            continue;
        }
        let mut sample = SftSample {
            schema_version: SCHEMA_VERSION,
            sample_id: String::new(),
            run_id: e.run_id.clone(),
            task_id: e.task_id.clone(),
            messages,
            quality_score: s.scored.category,
            provenance: e.provenance.clone(),
        };
        sample.sample_id = canonical_sha256(&sample.messages).unwrap_or_default();
        if let Err(v) = check(&sample, SftSample::validate) {
            out.invalid
                .push(format!("sft {}: {}: {}", sample.run_id, v[0].field, v[0].message));
            continue;
        }
        let text = sample
            .messages
            .iter()
            .map(|m| m.content.as_str())
            .collect::<Vec<_>>()
            .join("\n");
        let row = json!({ "messages": trl_messages(&sample.messages), "tools": tools_of(&sample.messages) });
        by_split
            .entry(split_of(&sample.task_id, options.eval_ratio))
            .or_default()
            .push((sample.sample_id.clone(), text, row, to_value(&sample)));
    }
    let all: Vec<_> = by_split
        .into_iter()
        .flat_map(|(split, rows)| rows.into_iter().map(move |r| (split, r)))
        .collect();
    let keyed: Vec<(String, String, (&str, Value, Value))> = all
        .into_iter()
        .map(|(split, (id, text, row, rec))| (id, text, (split, row, rec)))
        .collect();
    let kept = deduplicated("sft", keyed, options, out);
    let mut files = Tables::new();
    for (_, _, (split, row, record)) in kept {
        if write_guard(&record).is_ok() {
            files.entry(format!("sft/{split}")).or_default().push(row);
            files.entry("sft/records".to_owned()).or_default().push(record);
        } else {
            out.invalid.push("sft: a row failed the write guard".to_owned());
        }
    }
    keep_a_train_split(&mut files, "sft");
    for name in ["sft/train", "sft/validation", "sft/records"] {
        tables.insert(name.to_owned(), files.remove(name).unwrap_or_default());
    }
}

/// The last line of defence: an SFT record must say `accepted`, whatever built it.
pub fn write_guard(record: &Value) -> Result<(), String> {
    match record.get("quality_score").and_then(Value::as_str) {
        Some("accepted") => Ok(()),
        other => Err(format!("refusing to write an SFT row with quality_score {other:?}")),
    }
}

fn preference(samples: &[&Sample<'_>], options: &ExportOptions, out: &mut Datasets, tables: &mut Tables) {
    let mut by_task: BTreeMap<&str, Vec<&Sample<'_>>> = BTreeMap::new();
    for s in samples {
        by_task.entry(s.scored.task_id.as_str()).or_default().push(s);
    }
    let mut rows = Vec::new();
    for (task, runs) in by_task {
        let judged: Vec<&&Sample<'_>> = runs
            .iter()
            .filter(|s| {
                let messages = conversation(&s.evidence.transcript);
                s.scored.category != Category::NeedsHumanReview && !messages.is_empty() && !has_cut_answer(&messages)
            })
            .collect();
        for better in &judged {
            for worse in &judged {
                if better.scored.category >= worse.scored.category || better.scored.run_id == worse.scored.run_id {
                    continue;
                }
                let (Some(prompt), Some(chosen), Some(rejected)) = (
                    first_user(&better.evidence.transcript),
                    last_assistant(&better.evidence.transcript),
                    last_assistant(&worse.evidence.transcript),
                ) else {
                    continue;
                };
                let mut sample = PreferenceSample {
                    schema_version: SCHEMA_VERSION,
                    sample_id: String::new(),
                    task_id: task.to_owned(),
                    prompt: prompt.clone(),
                    chosen: chosen.clone(),
                    rejected: rejected.clone(),
                    chosen_run_id: better.scored.run_id.clone(),
                    rejected_run_id: worse.scored.run_id.clone(),
                    chosen_score: better.scored.category,
                    rejected_score: worse.scored.category,
                    reason: format!(
                        "{} {} ({:.2}) preferred over {} {} ({:.2})",
                        better.scored.run_id,
                        better.scored.category,
                        better.scored.score,
                        worse.scored.run_id,
                        worse.scored.category,
                        worse.scored.score
                    ),
                    chosen_provenance: better.evidence.provenance.clone(),
                    rejected_provenance: worse.evidence.provenance.clone(),
                };
                sample.sample_id =
                    canonical_sha256(&json!([&sample.prompt, &sample.chosen, &sample.rejected])).unwrap_or_default();
                if let Err(v) = check(&sample, PreferenceSample::validate) {
                    out.invalid
                        .push(format!("preference {task}: {}: {}", v[0].field, v[0].message));
                    continue;
                }
                let row = json!({
                    "prompt": [{"role": "user", "content": prompt}],
                    "chosen": [{"role": "assistant", "content": chosen}],
                    "rejected": [{"role": "assistant", "content": rejected}],
                });
                let text = format!("{prompt}\n{chosen}\n{rejected}");
                rows.push((
                    sample.sample_id.clone(),
                    text,
                    (split_of(task, options.eval_ratio), row, to_value(&sample)),
                ));
            }
        }
    }
    let kept = deduplicated("preference", rows, options, out);
    let mut files = Tables::new();
    for (_, _, (split, row, record)) in kept {
        files.entry(format!("preference/{split}")).or_default().push(row);
        files.entry("preference/records".to_owned()).or_default().push(record);
    }
    keep_a_train_split(&mut files, "preference");
    for name in ["preference/train", "preference/validation", "preference/records"] {
        tables.insert(name.to_owned(), files.remove(name).unwrap_or_default());
    }
}

fn deduplicated<T>(
    dataset: &str,
    rows: Vec<(String, String, T)>,
    options: &ExportOptions,
    out: &mut Datasets,
) -> Vec<(String, String, T)> {
    let keys: Vec<(String, String)> = rows.iter().map(|(k, t, _)| (k.clone(), t.clone())).collect();
    let (kept, exact, near) = dedup(&keys, options.near_dup_threshold);
    out.exact_duplicates.insert(dataset.to_owned(), exact);
    out.near_duplicates.insert(dataset.to_owned(), near);
    let keep: std::collections::HashSet<usize> = kept.into_iter().collect();
    rows.into_iter()
        .enumerate()
        .filter(|(i, _)| keep.contains(i))
        .map(|(_, r)| r)
        .collect()
}

/// The transcript cut to end on an assistant turn (what a model is trained to produce).
fn conversation(transcript: &[ChatMessage]) -> Vec<ChatMessage> {
    let end = transcript
        .iter()
        .rposition(|m| m.role == ChatRole::Assistant && !m.content.trim().is_empty());
    match end {
        Some(i) if transcript[..i].iter().any(|m| m.role == ChatRole::User) => transcript[..=i].to_vec(),
        _ => Vec::new(),
    }
}

/// Whether an assistant turn of `messages` was stored cut to [`crate::text::KEPT_TEXT`].
fn has_cut_answer(messages: &[ChatMessage]) -> bool {
    let (head, tail) = crate::text::KEPT_TEXT;
    messages
        .iter()
        .any(|m| m.role == ChatRole::Assistant && crate::text::was_cut(&m.content, head, tail))
}

/// Messages in the shape TRL and the OpenAI fine-tuning API take.
/// Messages as TRL's tool-calling format has them: a call's `arguments` is a JSON
/// object, not a string holding JSON — chat templates (Qwen2.5, Llama 3.1) render it with
/// `tojson`, and a string would teach the model double-encoded calls.
fn trl_messages(messages: &[ChatMessage]) -> Vec<Value> {
    messages
        .iter()
        .map(|m| {
            let mut v = json!({ "role": m.role, "content": m.content });
            if !m.tool_calls.is_empty() {
                let calls: Vec<Value> = m
                    .tool_calls
                    .iter()
                    .map(|c| {
                        json!({
                            "id": c.id,
                            "type": c.kind,
                            "function": {"name": c.function.name, "arguments": arguments_object(&c.function.arguments)},
                        })
                    })
                    .collect();
                v["tool_calls"] = json!(calls);
            }
            if let Some(id) = &m.tool_call_id {
                v["tool_call_id"] = json!(id);
            }
            v
        })
        .collect()
}

/// A call's arguments as an object: the stored JSON string parsed; anything that is not
/// a JSON object is kept under `input`.
fn arguments_object(arguments: &str) -> Value {
    match serde_json::from_str::<Value>(arguments) {
        Ok(object @ Value::Object(_)) => object,
        Ok(Value::Null) | Err(_) if arguments.trim().is_empty() => json!({}),
        Ok(other) => json!({ "input": other }),
        Err(_) => json!({ "input": arguments }),
    }
}

/// The `tools` column TRL's tool-calling format expects: a JSON schema per function the
/// conversation called, its parameters the argument names seen, typed as seen.
fn tools_of(messages: &[ChatMessage]) -> Vec<Value> {
    let mut tools: BTreeMap<&str, BTreeMap<String, &'static str>> = BTreeMap::new();
    for call in messages.iter().flat_map(|m| &m.tool_calls) {
        let parameters = tools.entry(call.function.name.as_str()).or_default();
        if let Value::Object(args) = arguments_object(&call.function.arguments) {
            for (name, value) in args {
                let kind = match value {
                    Value::String(_) => "string",
                    Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
                    Value::Number(_) => "number",
                    Value::Bool(_) => "boolean",
                    Value::Array(_) => "array",
                    Value::Object(_) => "object",
                    Value::Null => "null",
                };
                parameters.entry(name).or_insert(kind);
            }
        }
    }
    tools
        .into_iter()
        .map(|(name, parameters)| {
            let properties: serde_json::Map<String, Value> = parameters
                .into_iter()
                .map(|(p, kind)| (p, json!({ "type": kind })))
                .collect();
            json!({
                "type": "function",
                "function": {
                    "name": name,
                    "description": format!("The agent's {name} tool"),
                    "parameters": { "type": "object", "properties": properties },
                },
            })
        })
        .collect()
}

fn first_user(t: &[ChatMessage]) -> Option<String> {
    t.iter().find(|m| m.role == ChatRole::User).map(|m| m.content.clone())
}

fn last_assistant(t: &[ChatMessage]) -> Option<String> {
    t.iter()
        .rev()
        .find(|m| m.role == ChatRole::Assistant && !m.content.trim().is_empty())
        .map(|m| m.content.clone())
}

fn join_or_none(items: &[&str]) -> String {
    if items.is_empty() {
        "none".to_owned()
    } else {
        items.join(", ")
    }
}

fn to_value<T: serde::Serialize>(v: &T) -> Value {
    serde_json::to_value(v).unwrap_or(Value::Null)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_write_guard_refuses_anything_but_accepted() {
        assert!(write_guard(&json!({"quality_score": "accepted"})).is_ok());
        for bad in ["partially_accepted", "rejected", "needs_human_review"] {
            assert!(write_guard(&json!({ "quality_score": bad })).is_err(), "{bad}");
        }
        assert!(write_guard(&json!({})).is_err());
    }

    #[test]
    fn splits_are_by_task_and_stable() {
        assert_eq!(split_of("task-1", 0.5), split_of("task-1", 0.5));
        assert_eq!(split_of("anything", 0.0), "train");
        assert_eq!(split_of("anything", 1.0), "validation");
    }
}

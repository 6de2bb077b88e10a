//! The `jsonl` adapter: any JSON-lines stream, one run per line, mapped declaratively.
//!
//! Each EvidenceRecord field is filled from the first of: the source's `[source.map]`
//! entry (a JSON pointer, or `{ pointer, const, default }`), then the common names
//! listed in [`DEFAULT_POINTERS`]. A line that maps to nothing useful still becomes a
//! record (with `needs_human_review` later), never a guess.

use super::{FileOutcome, LineReader, RunDraft, SourceSpec, read_runs_per_line};
use crate::config::FieldMap;
use crate::schema::{ChatMessage, ChatRole, CommandRun, HumanOverride, ModelRole, ValidationResult};
use serde_json::Value;

/// Fields a map may name, with the pointers tried when the map does not name them.
pub const DEFAULT_POINTERS: &[(&str, &[&str])] = &[
    ("run_id", &["/run_id", "/id", "/session_id", "/sessionId"]),
    ("task_id", &["/task_id", "/task"]),
    ("task_type", &["/task_type", "/task_class", "/category"]),
    ("timestamp", &["/timestamp", "/ts", "/created_at", "/time"]),
    ("model_name", &["/model_name", "/model"]),
    ("model_role", &["/model_role"]),
    ("input", &["/input", "/prompt"]),
    ("output", &["/output", "/response", "/text"]),
    ("source_files", &["/source_files", "/files", "/file_path"]),
    ("commands_run", &["/commands_run", "/commands"]),
    ("retrieved_context", &["/retrieved_context", "/sources", "/context"]),
    ("observer_notes", &["/observer_notes"]),
    ("scratchpad_summary", &["/scratchpad_summary"]),
    ("success_markers", &["/success_markers"]),
    ("failure_markers", &["/failure_markers"]),
    ("validation_results", &["/validation_results", "/validations"]),
    ("human_override", &["/human_override"]),
    ("latency_ms", &["/latency_ms", "/duration_ms"]),
    ("cost_usd", &["/cost_usd", "/cost"]),
    ("commit", &["/commit", "/head_sha", "/git_sha", "/commit_sha"]),
    ("transcript", &["/messages", "/transcript"]),
];

/// Refuse a map that names a field we do not know (a typo must not silently drop data).
pub fn check_map(map: &std::collections::BTreeMap<String, FieldMap>) -> Result<(), String> {
    for key in map.keys() {
        if !DEFAULT_POINTERS.iter().any(|(name, _)| name == key) {
            let known: Vec<&str> = DEFAULT_POINTERS.iter().map(|(n, _)| *n).collect();
            return Err(format!(
                "unknown field `{key}` in [source.map]; known: {}",
                known.join(", ")
            ));
        }
    }
    Ok(())
}

pub(super) fn read(
    spec: &SourceSpec,
    reader: &mut LineReader<std::fs::File>,
    display: &str,
    progress: &(dyn Fn(u64) + Sync),
    sink: &mut super::RunSink<'_>,
) -> std::io::Result<FileOutcome> {
    read_runs_per_line(reader, display, "jsonl", progress, sink, |_, value| {
        map_line(spec, value)
    })
}

/// Map one JSON object to a run draft with the source's field map.
pub fn map_line(spec: &SourceSpec, value: &Value) -> Result<RunDraft, String> {
    let get = |field: &str| lookup(spec, value, field);
    let role = match get("model_role").as_ref().and_then(text) {
        Some(name) => Some(
            serde_json::from_value::<ModelRole>(Value::String(name.to_lowercase()))
                .map_err(|_| format!("model_role: unknown role `{name}`"))?,
        ),
        None => None,
    };
    Ok(RunDraft {
        run_id: get("run_id").as_ref().and_then(text),
        task_id: get("task_id").as_ref().and_then(text),
        task_type: get("task_type").as_ref().and_then(text),
        timestamp: get("timestamp").as_ref().and_then(text),
        model_name: get("model_name").as_ref().and_then(text),
        model_role: role,
        input_text: get("input").as_ref().map(any_text).unwrap_or_default(),
        output_text: get("output").as_ref().map(any_text).unwrap_or_default(),
        source_files: get("source_files").as_ref().map(list).unwrap_or_default(),
        commands_run: get("commands_run").as_ref().map(commands).unwrap_or_default(),
        retrieved_context: get("retrieved_context").as_ref().map(list).unwrap_or_default(),
        observer_notes: get("observer_notes").as_ref().map(list).unwrap_or_default(),
        scratchpad_summary: get("scratchpad_summary").as_ref().and_then(text),
        success_markers: get("success_markers").as_ref().map(list).unwrap_or_default(),
        failure_markers: get("failure_markers").as_ref().map(list).unwrap_or_default(),
        validation_results: get("validation_results").as_ref().map(validations).unwrap_or_default(),
        human_override: match get("human_override") {
            Some(v @ Value::Object(_)) => Some(human_override(&v)?),
            _ => None,
        },
        latency_ms: get("latency_ms").as_ref().and_then(number).map(|n| n.max(0.0) as u64),
        cost_usd: get("cost_usd").as_ref().and_then(number),
        commit_hint: get("commit").as_ref().and_then(text),
        transcript: get("transcript").as_ref().map(messages).unwrap_or_default(),
        ..RunDraft::default()
    })
}

fn lookup(spec: &SourceSpec, value: &Value, field: &str) -> Option<Value> {
    match spec.map.get(field) {
        Some(FieldMap::Pointer(p)) => pointer(value, p).filter(|v| !v.is_null()).cloned(),
        Some(FieldMap::Spec {
            pointer,
            constant,
            default,
        }) => constant
            .as_ref()
            .map(toml_to_json)
            .or_else(|| {
                pointer
                    .as_ref()
                    .and_then(|p| self::pointer(value, p))
                    .filter(|v| !v.is_null())
                    .cloned()
            })
            .or_else(|| default.as_ref().map(toml_to_json)),
        None => DEFAULT_POINTERS
            .iter()
            .find(|(name, _)| *name == field)
            .and_then(|(_, pointers)| {
                pointers
                    .iter()
                    .find_map(|p| pointer(value, p))
                    .filter(|v| !v.is_null())
                    .cloned()
            }),
    }
}

/// RFC 6901 lookup that allocates only for escaped tokens (`~0`, `~1`); this runs for
/// every field of every line.
fn pointer<'a>(value: &'a Value, pointer: &str) -> Option<&'a Value> {
    if pointer.is_empty() {
        return Some(value);
    }
    let rest = pointer.strip_prefix('/')?;
    if rest.contains('~') {
        return value.pointer(pointer);
    }
    rest.split('/').try_fold(value, |current, token| match current {
        Value::Object(map) => map.get(token),
        Value::Array(items) => token.parse::<usize>().ok().and_then(|i| items.get(i)),
        _ => None,
    })
}

fn toml_to_json(value: &toml::Value) -> Value {
    serde_json::to_value(value).unwrap_or(Value::Null)
}

/// A scalar as text.
pub fn text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// Any value as text (objects and arrays as compact JSON).
pub fn any_text(value: &Value) -> String {
    text(value).unwrap_or_else(|| value.to_string())
}

/// A number from a number or a numeric string.
pub fn number(value: &Value) -> Option<f64> {
    match value {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// A list of strings from an array, or a one-item list from a scalar.
pub fn list(value: &Value) -> Vec<String> {
    match value {
        Value::Array(items) => items.iter().filter_map(text).collect(),
        other => text(other).into_iter().collect(),
    }
}

fn commands(value: &Value) -> Vec<CommandRun> {
    let one = |v: &Value| -> Option<CommandRun> {
        match v {
            Value::Object(o) => {
                let command = o.get("command").or_else(|| o.get("cmd")).and_then(text)?;
                let exit_code = ["exit_code", "exit", "status", "exitCode"]
                    .iter()
                    .find_map(|k| o.get(*k).and_then(Value::as_i64))
                    .and_then(|n| i32::try_from(n).ok());
                Some(CommandRun { command, exit_code })
            }
            other => text(other).map(|command| CommandRun {
                command,
                exit_code: None,
            }),
        }
    };
    match value {
        Value::Array(items) => items.iter().filter_map(one).collect(),
        other => one(other).into_iter().collect(),
    }
}

fn validations(value: &Value) -> Vec<ValidationResult> {
    let one = |name: String, v: &Value| -> Option<ValidationResult> {
        match v {
            Value::Bool(passed) => Some(ValidationResult {
                name,
                passed: *passed,
                passed_count: None,
                failed_count: None,
                detail: None,
            }),
            Value::Object(o) => {
                let passed = ["passed", "ok", "success", "pass"]
                    .iter()
                    .find_map(|k| o.get(*k).and_then(Value::as_bool))?;
                Some(ValidationResult {
                    name: o.get("name").and_then(text).unwrap_or(name),
                    passed,
                    passed_count: o.get("passed_count").and_then(Value::as_u64),
                    failed_count: o.get("failed_count").and_then(Value::as_u64),
                    detail: o.get("detail").and_then(text),
                })
            }
            _ => None,
        }
    };
    match value {
        Value::Array(items) => items.iter().filter_map(|v| one("validation".into(), v)).collect(),
        Value::Object(o) if !o.contains_key("passed") && !o.contains_key("ok") => {
            o.iter().filter_map(|(k, v)| one(k.clone(), v)).collect()
        }
        other => one("validation".into(), other).into_iter().collect(),
    }
}

/// Chat messages `{role, content}` (extra keys ignored; unknown roles skipped).
fn messages(value: &Value) -> Vec<ChatMessage> {
    let Value::Array(items) = value else { return Vec::new() };
    items
        .iter()
        .filter_map(|m| {
            let role = serde_json::from_value::<ChatRole>(m.get("role")?.clone()).ok()?;
            Some(ChatMessage {
                role,
                content: m.get("content").map(any_text).unwrap_or_default(),
                tool_calls: Vec::new(),
                tool_call_id: m.get("tool_call_id").and_then(text),
            })
        })
        .collect()
}

fn human_override(value: &Value) -> Result<HumanOverride, String> {
    let category = value
        .get("category")
        .or_else(|| value.get("verdict"))
        .and_then(text)
        .ok_or("human_override: no category")?;
    Ok(HumanOverride {
        by: value.get("by").and_then(text).unwrap_or_else(|| "unknown".into()),
        category: serde_json::from_value(Value::String(category.clone()))
            .map_err(|_| format!("human_override: unknown category `{category}`"))?,
        reason: value
            .get("reason")
            .and_then(text)
            .unwrap_or_else(|| "no reason given".into()),
    })
}

//! The `jsonl` adapter: any JSON-lines stream, one run per line, mapped declaratively.
//!
//! Each EvidenceRecord field is filled from the first of: the source's `[source.map]`
//! entry (a JSON pointer, or `{ pointer, const, default }`), then the common names
//! listed in [`DEFAULT_POINTERS`]. A line that maps to nothing useful still becomes a
//! record (with `needs_human_review` later), never a guess.

use super::{RunDraft, SourceSpec};
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

/// A source's field map, resolved once per source rather than once per line: for each
/// field, the pointers (already split into tokens) and values to try.
pub struct Plan {
    run_id: Resolver,
    task_id: Resolver,
    task_type: Resolver,
    timestamp: Resolver,
    model_name: Resolver,
    model_role: Resolver,
    input: Resolver,
    output: Resolver,
    source_files: Resolver,
    commands_run: Resolver,
    retrieved_context: Resolver,
    observer_notes: Resolver,
    scratchpad_summary: Resolver,
    success_markers: Resolver,
    failure_markers: Resolver,
    validation_results: Resolver,
    human_override: Resolver,
    latency_ms: Resolver,
    cost_usd: Resolver,
    commit: Resolver,
    transcript: Resolver,
}

impl Plan {
    /// The plan for `spec`'s `[source.map]` (names were checked by [`check_map`]).
    pub fn new(spec: &SourceSpec) -> Plan {
        let r = |field: &str| Resolver::new(spec, field);
        Plan {
            run_id: r("run_id"),
            task_id: r("task_id"),
            task_type: r("task_type"),
            timestamp: r("timestamp"),
            model_name: r("model_name"),
            model_role: r("model_role"),
            input: r("input"),
            output: r("output"),
            source_files: r("source_files"),
            commands_run: r("commands_run"),
            retrieved_context: r("retrieved_context"),
            observer_notes: r("observer_notes"),
            scratchpad_summary: r("scratchpad_summary"),
            success_markers: r("success_markers"),
            failure_markers: r("failure_markers"),
            validation_results: r("validation_results"),
            human_override: r("human_override"),
            latency_ms: r("latency_ms"),
            cost_usd: r("cost_usd"),
            commit: r("commit"),
            transcript: r("transcript"),
        }
    }

    /// Map one JSON object to a run draft.
    pub fn map_line(&self, value: &Value) -> Result<RunDraft, String> {
        let role = match self.model_role.get(value).and_then(text) {
            Some(name) => Some(
                serde_json::from_value::<ModelRole>(Value::String(name.to_lowercase()))
                    .map_err(|_| format!("model_role: unknown role `{name}`"))?,
            ),
            None => None,
        };
        let text_of = |r: &Resolver| r.get(value).and_then(text);
        let list_of = |r: &Resolver| r.get(value).map(list).unwrap_or_default();
        Ok(RunDraft {
            run_id: text_of(&self.run_id),
            task_id: text_of(&self.task_id),
            task_type: text_of(&self.task_type),
            timestamp: text_of(&self.timestamp),
            model_name: text_of(&self.model_name),
            model_role: role,
            input_text: self.input.get(value).map(any_text).unwrap_or_default(),
            output_text: self.output.get(value).map(any_text).unwrap_or_default(),
            source_files: list_of(&self.source_files),
            commands_run: self.commands_run.get(value).map(commands).unwrap_or_default(),
            retrieved_context: list_of(&self.retrieved_context),
            observer_notes: list_of(&self.observer_notes),
            scratchpad_summary: text_of(&self.scratchpad_summary),
            success_markers: list_of(&self.success_markers),
            failure_markers: list_of(&self.failure_markers),
            validation_results: self.validation_results.get(value).map(validations).unwrap_or_default(),
            human_override: match self.human_override.get(value) {
                Some(v @ Value::Object(_)) => Some(human_override(v)?),
                _ => None,
            },
            latency_ms: self.latency_ms.get(value).and_then(number).map(|n| n.max(0.0) as u64),
            cost_usd: self.cost_usd.get(value).and_then(number),
            commit_hint: text_of(&self.commit),
            transcript: self.transcript.get(value).map(messages).unwrap_or_default(),
            ..RunDraft::default()
        })
    }
}

/// How one field finds its value.
enum Resolver {
    /// `field = "/pointer"`.
    Pointer(Option<Pointer>),
    /// `field = { pointer, const, default }`: the constant, else the pointer, else the default.
    Spec {
        constant: Option<Value>,
        pointer: Option<Pointer>,
        default: Option<Value>,
    },
    /// Not mapped: the first of the common names present in the line.
    Defaults(Vec<Pointer>),
}

impl Resolver {
    fn new(spec: &SourceSpec, field: &str) -> Resolver {
        match spec.map.get(field) {
            Some(FieldMap::Pointer(p)) => Resolver::Pointer(Pointer::parse(p)),
            Some(FieldMap::Spec {
                pointer,
                constant,
                default,
            }) => Resolver::Spec {
                constant: constant.as_ref().map(toml_to_json),
                pointer: pointer.as_deref().and_then(Pointer::parse),
                default: default.as_ref().map(toml_to_json),
            },
            None => Resolver::Defaults(
                DEFAULT_POINTERS
                    .iter()
                    .find(|(name, _)| *name == field)
                    .map(|(_, pointers)| pointers.iter().filter_map(|p| Pointer::parse(p)).collect())
                    .unwrap_or_default(),
            ),
        }
    }

    /// The value for this field (never `null`): from the line, or the plan's constant or
    /// default.
    fn get<'a>(&'a self, value: &'a Value) -> Option<&'a Value> {
        let found = |p: &Pointer| p.resolve(value).filter(|v| !v.is_null());
        match self {
            Resolver::Pointer(p) => p.as_ref().and_then(found),
            Resolver::Spec {
                constant,
                pointer,
                default,
            } => constant
                .as_ref()
                .or_else(|| pointer.as_ref().and_then(found))
                .or(default.as_ref()),
            Resolver::Defaults(pointers) => pointers.iter().find_map(|p| p.resolve(value)).filter(|v| !v.is_null()),
        }
    }
}

/// An RFC 6901 JSON pointer, split into unescaped reference tokens.
struct Pointer(Vec<String>);

impl Pointer {
    /// `""` is the whole document; anything else must start with `/`.
    fn parse(text: &str) -> Option<Pointer> {
        if text.is_empty() {
            return Some(Pointer(Vec::new()));
        }
        let rest = text.strip_prefix('/')?;
        Some(Pointer(
            rest.split('/')
                .map(|t| t.replace("~1", "/").replace("~0", "~"))
                .collect(),
        ))
    }

    fn resolve<'a>(&self, value: &'a Value) -> Option<&'a Value> {
        self.0.iter().try_fold(value, |current, token| match current {
            Value::Object(map) => map.get(token),
            Value::Array(items) => token.parse::<usize>().ok().and_then(|i| items.get(i)),
            _ => None,
        })
    }
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

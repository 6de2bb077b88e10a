//! The `jsonl` adapter: any JSON-lines stream, one run per line, mapped declaratively.
//!
//! Each EvidenceRecord field is filled from the first of: the source's `[source.map]`
//! entry (a JSON pointer, or `{ pointer, const, default }`), then the common names
//! listed in [`DEFAULT_POINTERS`]. A line that maps to nothing useful still becomes a
//! record (with `needs_human_review` later), never a guess.

use super::Rejected;
use super::{RunDraft, SourceSpec};
use crate::config::FieldMap;
use crate::schema::{ChatMessage, ChatRole, CommandRun, HumanOverride, ModelRole, ValidationResult};
use rustc_hash::FxHashMap as HashMap;
use serde::Deserialize;
use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde_json::Value;
use std::borrow::Cow;

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
    ("files_changed", &["/files_changed", "/changed_files"]),
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

/// The fields a `[source.map]` can fill (config refuses any other: a typo must not
/// silently drop data).
pub fn mappable_fields() -> impl Iterator<Item = &'static str> {
    DEFAULT_POINTERS.iter().map(|(name, _)| *name)
}

/// A source's field map, resolved once per source rather than once per line: for each
/// field, the pointers (already split into tokens) and values to try.
///
/// A line is parsed only as far as the plan reads it: the top-level members some pointer
/// starts with become `Value`s, every other member is checked and skipped, and no map of
/// the whole object is built (that was a good part of collect's time).
pub struct Plan {
    members: Members,
    fields: Fields,
}

/// The top-level members a plan reads.
#[derive(Default)]
struct Members {
    /// Member name → slot.
    slots: HashMap<String, usize>,
    /// Some pointer is `""`, the whole document: then lines are parsed whole.
    whole: bool,
}

/// One resolver per EvidenceRecord field a map may name.
struct Fields {
    run_id: Resolver,
    task_id: Resolver,
    task_type: Resolver,
    timestamp: Resolver,
    model_name: Resolver,
    model_role: Resolver,
    input: Resolver,
    output: Resolver,
    source_files: Resolver,
    files_changed: Resolver,
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

/// A line as far as a plan reads it.
struct Line {
    /// The members' values by slot (`None`: absent).
    slots: Vec<Option<Value>>,
    /// The whole document, when some pointer asks for it.
    whole: Option<Value>,
}

impl Plan {
    /// The plan for `spec`'s `[source.map]` (names were checked by [`check_map`]).
    pub fn new(spec: &SourceSpec) -> Plan {
        let mut members = Members::default();
        let mut r = |field: &str| Resolver::new(spec, field, &mut members);
        let fields = Fields {
            run_id: r("run_id"),
            task_id: r("task_id"),
            task_type: r("task_type"),
            timestamp: r("timestamp"),
            model_name: r("model_name"),
            model_role: r("model_role"),
            input: r("input"),
            output: r("output"),
            source_files: r("source_files"),
            files_changed: r("files_changed"),
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
        };
        Plan { members, fields }
    }

    /// Map one line (a JSON object) to a run draft, or say why it cannot be.
    pub fn map_line(&self, json: &str) -> Result<RunDraft, Rejected> {
        let line = self.parse(json)?;
        let f = &self.fields;
        let role = match f.model_role.get(&line).and_then(text) {
            Some(name) => Some(
                serde_json::from_value::<ModelRole>(Value::String(name.to_lowercase())).map_err(|_| {
                    Rejected::UnknownValue {
                        field: "model_role: ",
                        what: "role",
                        value: name.clone(),
                    }
                })?,
            ),
            None => None,
        };
        let string = |r: &Resolver| r.get(&line).and_then(text);
        let strings = |r: &Resolver| r.get(&line).map(list).unwrap_or_default();
        Ok(RunDraft {
            run_id: string(&f.run_id),
            task_id: string(&f.task_id),
            task_type: string(&f.task_type),
            timestamp: string(&f.timestamp),
            model_name: string(&f.model_name),
            model_role: role,
            input_text: f.input.get(&line).map(any_text).unwrap_or_default(),
            output_text: f.output.get(&line).map(any_text).unwrap_or_default(),
            source_files: strings(&f.source_files),
            // Stated, even empty, says what the run changed; absent, it is unknown.
            files_changed: f.files_changed.get(&line).map(list),
            commands_run: f.commands_run.get(&line).map(commands).unwrap_or_default(),
            retrieved_context: strings(&f.retrieved_context),
            observer_notes: strings(&f.observer_notes),
            scratchpad_summary: string(&f.scratchpad_summary),
            success_markers: strings(&f.success_markers),
            failure_markers: strings(&f.failure_markers),
            validation_results: f.validation_results.get(&line).map(validations).unwrap_or_default(),
            human_override: match f.human_override.get(&line) {
                Some(v @ Value::Object(_)) => Some(human_override(v)?),
                _ => None,
            },
            latency_ms: f.latency_ms.get(&line).and_then(number).map(|n| n.max(0.0) as u64),
            cost_usd: f.cost_usd.get(&line).and_then(number),
            commit_hint: string(&f.commit),
            transcript: f.transcript.get(&line).map(messages).unwrap_or_default(),
            ..RunDraft::default()
        })
    }

    /// Parse `text` as far as the plan reads it.
    fn parse(&self, json: &str) -> Result<Line, Rejected> {
        let slots = &self.members.slots;
        if self.members.whole {
            let whole: Value = serde_json::from_str(json).map_err(|e| Rejected::NotJson(e.to_string()))?;
            if !whole.is_object() {
                return Err(Rejected::NotAnObject);
            }
            let mut line_slots = vec![None; slots.len()];
            for (name, slot) in slots {
                line_slots[*slot] = whole.get(name).cloned();
            }
            return Ok(Line {
                slots: line_slots,
                whole: Some(whole),
            });
        }
        let mut de = serde_json::Deserializer::from_str(json);
        let parsed = SlotsSeed(slots)
            .deserialize(&mut de)
            .and_then(|line_slots| de.end().map(|()| line_slots));
        match parsed {
            Ok(line_slots) => Ok(Line {
                slots: line_slots,
                whole: None,
            }),
            // Valid JSON of another type (an array, a string, ...).
            Err(e) if e.to_string().starts_with("duplicate key") => Err(Rejected::of_json(&e)),
            Err(e) if e.classify() == serde_json::error::Category::Data => Err(Rejected::NotAnObject),
            Err(e) => Err(Rejected::NotJson(e.to_string())),
        }
    }
}

/// Reads a top-level object into slots: members the plan reads as `Value`s, the rest
/// skipped (still checked). A member the plan reads that repeats, or a repeated key
/// anywhere inside one, is an error: parsers disagree on which value wins.
struct SlotsSeed<'p>(&'p HashMap<String, usize>);

impl<'de> DeserializeSeed<'de> for SlotsSeed<'_> {
    type Value = Vec<Option<Value>>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for SlotsSeed<'_> {
    type Value = Vec<Option<Value>>;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut slots = vec![None; self.0.len()];
        while let Some(name) = map.next_key::<MemberName<'de>>()? {
            match self.0.get(name.0.as_ref()) {
                Some(slot) => {
                    if slots[*slot].is_some() {
                        return Err(serde::de::Error::custom(format!("duplicate key `{}`", name.0)));
                    }
                    slots[*slot] = Some(map.next_value::<crate::schema::StrictValue>()?.0);
                }
                None => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(slots)
    }
}

/// A member name, borrowed from the line unless it has escapes.
struct MemberName<'de>(Cow<'de, str>);

impl<'de> Deserialize<'de> for MemberName<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Name;
        impl<'de> Visitor<'de> for Name {
            type Value = MemberName<'de>;

            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a member name")
            }

            fn visit_borrowed_str<E: serde::de::Error>(self, name: &'de str) -> Result<Self::Value, E> {
                Ok(MemberName(Cow::Borrowed(name)))
            }

            fn visit_str<E: serde::de::Error>(self, name: &str) -> Result<Self::Value, E> {
                Ok(MemberName(Cow::Owned(name.to_owned())))
            }
        }
        deserializer.deserialize_str(Name)
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
    fn new(spec: &SourceSpec, field: &str, members: &mut Members) -> Resolver {
        let mut pointer = |text: &str| Pointer::parse(text, members);
        match spec.map.get(field) {
            Some(FieldMap::Pointer(p)) => Resolver::Pointer(pointer(p)),
            Some(FieldMap::Spec {
                pointer: p,
                constant,
                default,
            }) => Resolver::Spec {
                constant: constant.as_ref().map(toml_to_json),
                pointer: p.as_deref().and_then(pointer),
                default: default.as_ref().map(toml_to_json),
            },
            None => Resolver::Defaults(
                DEFAULT_POINTERS
                    .iter()
                    .find(|(name, _)| *name == field)
                    .map(|(_, pointers)| pointers.iter().filter_map(|p| pointer(p)).collect())
                    .unwrap_or_default(),
            ),
        }
    }

    /// The value for this field (never `null`): from the line, or the plan's constant or
    /// default.
    fn get<'a>(&'a self, line: &'a Line) -> Option<&'a Value> {
        let found = |p: &Pointer| p.resolve(line).filter(|v| !v.is_null());
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
            Resolver::Defaults(pointers) => pointers.iter().find_map(|p| p.resolve(line)).filter(|v| !v.is_null()),
        }
    }
}

/// An RFC 6901 JSON pointer: the slot of its first token (`None`: the whole document,
/// pointer `""`) and the rest, unescaped.
struct Pointer {
    slot: Option<usize>,
    rest: Vec<String>,
}

impl Pointer {
    /// `""` is the whole document; anything else must start with `/`. The first token is
    /// registered with `members`.
    fn parse(text: &str, members: &mut Members) -> Option<Pointer> {
        if text.is_empty() {
            members.whole = true;
            return Some(Pointer {
                slot: None,
                rest: Vec::new(),
            });
        }
        let mut tokens = text
            .strip_prefix('/')?
            .split('/')
            .map(|t| t.replace("~1", "/").replace("~0", "~"));
        let first = tokens.next()?;
        let next = members.slots.len();
        let slot = *members.slots.entry(first).or_insert(next);
        Some(Pointer {
            slot: Some(slot),
            rest: tokens.collect(),
        })
    }

    fn resolve<'a>(&self, line: &'a Line) -> Option<&'a Value> {
        let start = match self.slot {
            Some(slot) => line.slots.get(slot)?.as_ref()?,
            None => line.whole.as_ref()?,
        };
        self.rest.iter().try_fold(start, |current, token| match current {
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

fn human_override(value: &Value) -> Result<HumanOverride, Rejected> {
    let category = value
        .get("category")
        .or_else(|| value.get("verdict"))
        .and_then(text)
        .ok_or(Rejected::Incomplete("human_override: no category"))?;
    Ok(HumanOverride {
        by: value.get("by").and_then(text).unwrap_or_else(|| "unknown".into()),
        category: serde_json::from_value(Value::String(category.clone())).map_err(|_| Rejected::UnknownValue {
            field: "human_override: ",
            what: "category",
            value: category.clone(),
        })?,
        reason: value
            .get("reason")
            .and_then(text)
            .unwrap_or_else(|| "no reason given".into()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::collect::AdapterKind;

    fn plan(map: &[(&str, FieldMap)]) -> Plan {
        Plan::new(&SourceSpec {
            name: "t".into(),
            adapter: AdapterKind::Jsonl,
            map: map.iter().map(|(k, v)| ((*k).to_owned(), v.clone())).collect(),
            preset: None,
            max_line_bytes: 1 << 20,
            checks: Default::default(),
            keep_text: true,
        })
    }

    fn pointer(p: &str) -> FieldMap {
        FieldMap::Pointer(p.to_owned())
    }

    #[test]
    fn common_names_in_order_of_preference_and_nulls_skipped() {
        let plan = plan(&[]);
        let draft = plan
            .map_line(r#"{"id":"b","run_id":"a","junk":{"deep":[1,{"x":null}]},"model":"m","prompt":{"k":1}}"#)
            .unwrap();
        assert_eq!(draft.run_id.as_deref(), Some("a"), "/run_id before /id");
        assert_eq!(draft.model_name.as_deref(), Some("m"));
        assert_eq!(draft.input_text, r#"{"k":1}"#, "objects as compact JSON");
        // The first common name present wins even when null: no fall-through to the next.
        let draft = plan.map_line(r#"{"run_id":null,"id":"b"}"#).unwrap();
        assert_eq!(draft.run_id, None);
    }

    #[test]
    fn nested_escaped_whole_document_and_spec_pointers() {
        let plan = plan(&[
            ("model_name", pointer("/agent/model")),
            ("task_id", pointer("/a~1b/0")),
            ("output", pointer("")),
            (
                "task_type",
                FieldMap::Spec {
                    pointer: Some("/kind".into()),
                    constant: None,
                    default: Some(toml::Value::String("general".into())),
                },
            ),
            (
                "model_role",
                FieldMap::Spec {
                    pointer: None,
                    constant: Some(toml::Value::String("Reviewer".into())),
                    default: None,
                },
            ),
        ]);
        let line = r#"{"agent":{"model":"m"},"a/b":["t1","t2"],"run\u005fid":"r"}"#;
        let draft = plan.map_line(line).unwrap();
        assert_eq!(draft.model_name.as_deref(), Some("m"));
        assert_eq!(draft.task_id.as_deref(), Some("t1"));
        assert_eq!(
            draft.task_type.as_deref(),
            Some("general"),
            "the default when /kind is absent"
        );
        assert_eq!(draft.model_role, Some(ModelRole::Reviewer));
        assert_eq!(draft.run_id.as_deref(), Some("r"), "an escaped member name");
        let whole: Value = serde_json::from_str(&draft.output_text).unwrap();
        assert_eq!(
            whole,
            serde_json::from_str::<Value>(line).unwrap(),
            "pointer \"\" is the whole line"
        );
    }

    #[test]
    fn duplicates_are_refused_and_bad_lines_say_why() {
        let plan = plan(&[]);
        for line in [
            r#"{"run_id":"a","run_id":"b"}"#,
            r#"{"run_id":"a","messages":[{"role":"user","role":"system"}]}"#,
        ] {
            let reason = plan.map_line(line).unwrap_err();
            assert!(matches!(reason, Rejected::DuplicateKey(_)), "{line}: {reason}");
            assert!(reason.to_string().starts_with("duplicate key `"), "{line}: {reason}");
        }
        // Members the mapping does not read may repeat: no reader of ours sees them.
        assert!(plan.map_line(r#"{"run_id":"a","extra":1,"extra":2}"#).is_ok());
        for line in ["[1,2]", "\"text\"", "3"] {
            let reason = plan.map_line(line).unwrap_err();
            assert!(matches!(reason, Rejected::NotAnObject), "{line}: {reason}");
        }
        for line in ["{\"run_id\":", "{} trailing", "{\"skipped\":[1,}", "not json"] {
            let reason = plan.map_line(line).unwrap_err();
            assert!(matches!(reason, Rejected::NotJson(_)), "{line}: {reason}");
            assert!(reason.to_string().starts_with("not JSON: "), "{line}: {reason}");
        }
    }
}

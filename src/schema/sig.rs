//! The identity of an evidence record: `sig_hash`, the SHA-256 of the RFC 8785 canonical
//! form of the record without its provenance.
//!
//! Collect computes it for every run, so the common case skips the intermediate
//! `serde_json::Value` (whose maps cost an allocation per key): views declare their fields
//! in canonical (sorted) order and serde_json writes them, which for ASCII keys, any
//! string and the numbers [`plain_number`] admits is byte for byte what JCS writes.
//! A record holding any other number takes the general canonicalizer. Both paths are
//! tested to agree.

use super::canonical::{CanonicalError, canonical_bytes, sha256_hex};
use super::common::{Category, ModelRole, Provenance};
use super::evidence::{
    ChatMessage, ChatRole, CommandRun, EvidenceRecord, HumanOverride, LineAcceptance, ValidationResult,
};
use serde::{Serialize, Serializer};

mod signed;
pub use signed::SignedLine;

/// Largest integer a double holds exactly; JCS writes larger ones in exponent form.
const EXACT_INTEGER: u64 = 1 << 53;

/// Lowercase hex `sig_hash` of `record` (its provenance left out).
pub fn sig_hash(record: &EvidenceRecord) -> Result<String, CanonicalError> {
    Ok(sha256_hex(&content_bytes(record)?))
}

/// The canonical bytes `sig_hash` is taken over.
pub fn content_bytes(record: &EvidenceRecord) -> Result<Vec<u8>, CanonicalError> {
    Content::of(record).canonical(true)
}

/// Whether JCS writes `f` as serde_json does after [`canonical_f64`]: integral values a
/// double holds exactly (written as integers), and fractions in [1e-5, 1e15) (where
/// ECMAScript and ryu both use plain decimal notation).
fn plain_number(f: f64) -> bool {
    if f.fract() == 0.0 {
        f.abs() <= EXACT_INTEGER as f64
    } else {
        f.is_finite() && (1e-5..1e15).contains(&f.abs())
    }
}

/// A double as JCS writes it, for the values [`plain_number`] admits: integral values as
/// integers (`1`, not `1.0`; `-0` as `0`).
fn canonical_f64<S: Serializer>(f: &Option<f64>, s: S) -> Result<S::Ok, S::Error> {
    match *f {
        Some(f) if f.fract() == 0.0 && f.abs() <= EXACT_INTEGER as f64 => s.serialize_i64(f as i64),
        Some(f) => s.serialize_f64(f),
        None => s.serialize_none(),
    }
}

/// The record without provenance, fields in canonical order.
///
/// Built by exhaustive destructuring in [`Content::of`], so a field added to
/// [`EvidenceRecord`] does not compile until it is placed here.
///
/// The same view, with provenance and without empty lists, is the stored line
/// ([`stored_line`]): a list is `None` when it is left out.
#[derive(Serialize)]
struct Content<'a> {
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    answered_in_words: bool,
    /// [`CommandRun`]'s own fields are already in canonical order.
    #[serde(skip_serializing_if = "Option::is_none")]
    commands_run: Option<&'a [CommandRun]>,
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "canonical_f64")]
    cost_usd: Option<f64>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    cut_off: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    failure_markers: Option<&'a [String]>,
    /// Left out when unknown, so records from before it keep their identity; `[]` is
    /// written (it says the run changed nothing).
    #[serde(skip_serializing_if = "Option::is_none")]
    files_changed: Option<&'a [String]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    human_override: Option<Override<'a>>,
    input_hash: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    latency_ms: Option<u64>,
    /// [`LineAcceptance`]'s fields are declared in canonical order.
    #[serde(skip_serializing_if = "Option::is_none")]
    line_acceptance: Option<LineAcceptance>,
    model_name: &'a str,
    model_role: ModelRole,
    #[serde(skip_serializing_if = "Option::is_none")]
    observer_notes: Option<&'a [String]>,
    output_hash: &'a str,
    /// Only in the stored line.
    #[serde(skip_serializing_if = "Option::is_none")]
    provenance: Option<ProvenanceView<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    retrieved_context: Option<&'a [String]>,
    run_id: &'a str,
    schema_version: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    scratchpad_summary: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    source_files: Option<&'a [String]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    success_markers: Option<&'a [String]>,
    task_id: &'a str,
    task_type: &'a str,
    timestamp: &'a str,
    #[serde(skip_serializing_if = "<[_]>::is_empty", serialize_with = "messages")]
    transcript: &'a [ChatMessage],
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "validations")]
    validation_results: Option<&'a [ValidationResult]>,
}

/// Provenance, keys in canonical order, absent values left out.
#[derive(Serialize)]
struct ProvenanceView<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    adapter: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    commit: Option<&'a str>,
    line_offset: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    link_rule: Option<&'a str>,
    recorded_at: &'a str,
    sig_hash: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    source: Option<&'a str>,
    source_file: &'a str,
}

impl<'a> ProvenanceView<'a> {
    fn of(p: &'a Provenance) -> ProvenanceView<'a> {
        // Exhaustive, so a field added to Provenance does not compile until placed here.
        let Provenance {
            source_file,
            line_offset,
            sig_hash,
            recorded_at,
            source,
            adapter,
            commit,
            link_rule,
        } = p;
        ProvenanceView {
            adapter: adapter.as_deref(),
            commit: commit.as_deref(),
            line_offset: *line_offset,
            link_rule: link_rule.as_deref(),
            recorded_at,
            sig_hash,
            source: source.as_deref(),
            source_file,
        }
    }
}

/// The stored line of `record`: its RFC 8785 canonical form with empty lists left out.
/// Readers fill an absent list with `[]`; `sig_hash` is over the form with every list
/// written ([`content_bytes`]), the identity of every record already stored.
pub fn stored_line(record: &EvidenceRecord) -> Result<Vec<u8>, CanonicalError> {
    fn non_empty<T>(list: Option<&[T]>) -> Option<&[T]> {
        list.filter(|l| !l.is_empty())
    }
    let mut view = Content::of(record);
    view.commands_run = non_empty(view.commands_run);
    view.failure_markers = non_empty(view.failure_markers);
    view.observer_notes = non_empty(view.observer_notes);
    view.retrieved_context = non_empty(view.retrieved_context);
    view.source_files = non_empty(view.source_files);
    view.success_markers = non_empty(view.success_markers);
    view.validation_results = non_empty(view.validation_results);
    view.provenance = Some(ProvenanceView::of(&record.provenance));
    view.canonical(record.provenance.line_offset <= EXACT_INTEGER)
}

impl<'a> Content<'a> {
    fn of(record: &'a EvidenceRecord) -> Content<'a> {
        let EvidenceRecord {
            schema_version,
            run_id,
            task_id,
            task_type,
            timestamp,
            model_name,
            model_role,
            input_hash,
            output_hash,
            source_files,
            files_changed,
            commands_run,
            retrieved_context,
            observer_notes,
            scratchpad_summary,
            success_markers,
            failure_markers,
            validation_results,
            human_override,
            latency_ms,
            line_acceptance,
            cost_usd,
            answered_in_words,
            cut_off,
            transcript,
            provenance: _,
        } = record;
        Content {
            answered_in_words: *answered_in_words,
            commands_run: Some(commands_run),
            cost_usd: *cost_usd,
            cut_off: *cut_off,
            failure_markers: Some(failure_markers),
            human_override: human_override.as_ref().map(Override::of),
            input_hash,
            latency_ms: *latency_ms,
            line_acceptance: *line_acceptance,
            model_name,
            model_role: *model_role,
            observer_notes: Some(observer_notes),
            output_hash,
            provenance: None,
            retrieved_context: Some(retrieved_context),
            run_id,
            schema_version: *schema_version,
            scratchpad_summary: scratchpad_summary.as_deref(),
            source_files: Some(source_files),
            files_changed: files_changed.as_deref(),
            success_markers: Some(success_markers),
            task_id,
            task_type,
            timestamp,
            transcript,
            validation_results: Some(validation_results),
        }
    }

    /// The view's RFC 8785 bytes: written by serde_json when every number prints the
    /// same from it as from JCS (and `others_plain` says the same of what the view adds),
    /// else by the general canonicalizer.
    fn canonical(&self, others_plain: bool) -> Result<Vec<u8>, CanonicalError> {
        if self.plain() && others_plain {
            // Sized for a typical record: growing a buffer from empty copies it repeatedly.
            let mut out = Vec::with_capacity(1024);
            serde_json::to_writer(&mut out, self).map_err(|e| CanonicalError::new(e.to_string()))?;
            Ok(out)
        } else {
            canonical_bytes(self)
        }
    }

    /// Whether every number prints the same from serde_json as from JCS.
    fn plain(&self) -> bool {
        let exact = |n: u64| n <= EXACT_INTEGER;
        self.cost_usd.is_none_or(plain_number)
            && self.latency_ms.is_none_or(exact)
            && self
                .validation_results
                .unwrap_or_default()
                .iter()
                .all(|v| v.passed_count.is_none_or(exact) && v.failed_count.is_none_or(exact))
    }
}

#[derive(Serialize)]
struct Override<'a> {
    by: &'a str,
    category: Category,
    reason: &'a str,
}

impl<'a> Override<'a> {
    fn of(o: &'a HumanOverride) -> Override<'a> {
        let HumanOverride { by, category, reason } = o;
        Override {
            by,
            category: *category,
            reason,
        }
    }
}

#[derive(Serialize)]
struct Validation<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    detail: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    failed_count: Option<u64>,
    name: &'a str,
    passed: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    passed_count: Option<u64>,
}

fn validations<S: Serializer>(items: &Option<&[ValidationResult]>, s: S) -> Result<S::Ok, S::Error> {
    s.collect_seq(items.unwrap_or_default().iter().map(|v| {
        let ValidationResult {
            name,
            passed,
            passed_count,
            failed_count,
            detail,
        } = v;
        Validation {
            detail: detail.as_deref(),
            failed_count: *failed_count,
            name,
            passed: *passed,
            passed_count: *passed_count,
        }
    }))
}

#[derive(Serialize)]
struct Message<'a> {
    content: &'a str,
    role: ChatRole,
    #[serde(skip_serializing_if = "Option::is_none")]
    tool_call_id: Option<&'a str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    tool_calls: Vec<Call<'a>>,
}

/// A tool call: `function` {`arguments`, `name`}, `id`, `type`.
#[derive(Serialize)]
struct Call<'a> {
    function: Function<'a>,
    id: &'a str,
    #[serde(rename = "type")]
    kind: &'a str,
}

#[derive(Serialize)]
struct Function<'a> {
    arguments: &'a str,
    name: &'a str,
}

fn messages<S: Serializer>(items: &&[ChatMessage], s: S) -> Result<S::Ok, S::Error> {
    s.collect_seq(items.iter().map(|m| {
        let ChatMessage {
            role,
            content,
            tool_calls,
            tool_call_id,
        } = m;
        Message {
            content,
            role: *role,
            tool_call_id: tool_call_id.as_deref(),
            tool_calls: tool_calls
                .iter()
                .map(|c| Call {
                    function: Function {
                        arguments: &c.function.arguments,
                        name: &c.function.name,
                    },
                    id: &c.id,
                    kind: &c.kind,
                })
                .collect(),
        }
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::{Provenance, ToolCall, ToolFunction};

    /// The definition: JCS of the record's JSON with `provenance` removed.
    fn by_definition(record: &EvidenceRecord) -> Vec<u8> {
        let mut value = serde_json::to_value(record).unwrap();
        value.as_object_mut().unwrap().remove("provenance");
        canonical_bytes(&value).unwrap()
    }

    pub(super) fn full_record() -> EvidenceRecord {
        EvidenceRecord {
            schema_version: 1,
            run_id: "run \"1\"\n\u{7}é😀".into(),
            task_id: "t".into(),
            task_type: "bugfix".into(),
            timestamp: "2026-01-01T00:00:00Z".into(),
            model_name: "m".into(),
            model_role: ModelRole::Reviewer,
            input_hash: "a".repeat(64),
            output_hash: "b".repeat(64),
            source_files: vec!["src/a.rs".into(), "src/ü.rs".into()],
            files_changed: Some(vec!["src/a.rs".into()]),
            commands_run: vec![
                CommandRun {
                    command: "cargo test".into(),
                    exit_code: Some(-1),
                },
                CommandRun {
                    command: "ls".into(),
                    exit_code: None,
                },
            ],
            retrieved_context: vec!["doc".into()],
            observer_notes: vec!["note\t1".into()],
            scratchpad_summary: Some("plan".into()),
            success_markers: vec!["ok".into()],
            failure_markers: vec!["error[E0308]".into()],
            validation_results: vec![ValidationResult {
                name: "cargo test".into(),
                passed: false,
                passed_count: Some(3),
                failed_count: Some(1),
                detail: Some("1 failed".into()),
            }],
            human_override: Some(HumanOverride {
                by: "me".into(),
                category: Category::Rejected,
                reason: "wrong".into(),
            }),
            latency_ms: Some(1200),
            line_acceptance: Some(LineAcceptance {
                accepted_lines: 14,
                overridden_lines: 2,
            }),
            cost_usd: Some(0.0123),
            answered_in_words: true,
            cut_off: true,
            transcript: vec![
                ChatMessage {
                    role: ChatRole::Assistant,
                    content: "calling".into(),
                    tool_calls: vec![ToolCall {
                        id: "c1".into(),
                        kind: "function".into(),
                        function: ToolFunction {
                            name: "bash".into(),
                            arguments: "{\"cmd\":\"ls\"}".into(),
                        },
                    }],
                    tool_call_id: None,
                },
                ChatMessage {
                    role: ChatRole::Tool,
                    content: "a.rs".into(),
                    tool_calls: Vec::new(),
                    tool_call_id: Some("c1".into()),
                },
            ],
            provenance: Provenance {
                source_file: "log.jsonl".into(),
                line_offset: 0,
                sig_hash: String::new(),
                recorded_at: String::new(),
                source: None,
                adapter: None,
                commit: None,
                link_rule: None,
            },
        }
    }

    #[test]
    fn the_view_equals_the_definition() {
        let full = full_record();
        assert_eq!(content_bytes(&full).unwrap(), by_definition(&full));

        let mut sparse = full_record();
        sparse.scratchpad_summary = None;
        sparse.human_override = None;
        sparse.line_acceptance = None;
        sparse.latency_ms = None;
        sparse.cost_usd = None;
        sparse.transcript.clear();
        sparse.validation_results[0].detail = None;
        sparse.validation_results[0].passed_count = None;
        assert_eq!(content_bytes(&sparse).unwrap(), by_definition(&sparse));
    }

    #[test]
    fn numbers_outside_the_plain_range_agree_too() {
        for cost in [0.0, -0.0, 1.0, 3e20, 1e21, 1e-7, 0.000001, 123.456, 9007199254740993.0] {
            let mut record = full_record();
            record.cost_usd = Some(cost);
            assert_eq!(content_bytes(&record).unwrap(), by_definition(&record), "cost {cost:e}");
        }
        for n in [EXACT_INTEGER, EXACT_INTEGER + 1, u64::MAX] {
            let mut record = full_record();
            record.latency_ms = Some(n);
            record.validation_results[0].failed_count = Some(n);
            assert_eq!(content_bytes(&record).unwrap(), by_definition(&record), "n {n}");
        }
    }

    #[test]
    fn the_fast_path_formats_fractions_like_ecmascript() {
        // A deterministic spread of doubles across the fast range and around its edges.
        let mut x: u64 = 0x2545_F491_4F6C_DD1D;
        let mut record = full_record();
        for _ in 0..20_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let mantissa = (x >> 11) as f64 / (1u64 << 53) as f64;
            let exponent = (x % 26) as i32 - 7;
            let cost = mantissa * 10f64.powi(exponent);
            record.cost_usd = Some(cost);
            assert_eq!(content_bytes(&record).unwrap(), by_definition(&record), "{cost:e}");
        }
    }

    #[test]
    fn provenance_is_not_part_of_the_identity() {
        let a = full_record();
        let mut b = full_record();
        b.provenance.source_file = "elsewhere.jsonl".into();
        b.provenance.line_offset = 99;
        assert_eq!(sig_hash(&a).unwrap(), sig_hash(&b).unwrap());
        b.run_id.push('x');
        assert_ne!(sig_hash(&a).unwrap(), sig_hash(&b).unwrap());
    }
}

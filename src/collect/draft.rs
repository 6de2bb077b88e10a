//! A run as an adapter extracted it ([`RunDraft`]), and [`normalize`], which redacts it,
//! fills defaults and gives it its identity (`sig_hash`).

use super::redact::{self, RedactionCounts};
use super::{SourceSpec, UNKNOWN_TIME};
use crate::schema::{
    ChatMessage, ChatRole, CommandRun, EvidenceRecord, HumanOverride, ModelRole, Provenance, SCHEMA_VERSION,
    SignedLine, ToolCall, ToolFunction, ValidationResult, content_bytes, sha256_hex,
};
use crate::text::KEPT_TEXT;

/// What an adapter extracted for one run, before redaction and defaults.
#[derive(Debug, Clone, Default)]
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
    /// Files the run changed, when the log accounts for every call (`Some(vec![])`: it
    /// changed nothing); `None` when it cannot tell.
    pub files_changed: Option<Vec<String>>,
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
    /// Lines kept and changed by a person (git-ai).
    pub line_acceptance: Option<crate::schema::LineAcceptance>,
    /// Cost in USD.
    pub cost_usd: Option<f64>,
    /// The last request was answered in words alone.
    pub answered_in_words: bool,
    /// The log stops mid-turn: a call whose result never came, or calls the agent never
    /// closed with words.
    pub cut_off: bool,
    /// Conversation.
    pub transcript: Vec<ChatMessage>,
    /// A commit id the source names (head_sha, git commit, ...).
    pub commit_hint: Option<String>,
    /// Byte offset of the run's first line.
    pub line_offset: u64,
    /// 1-based line number of the run's first line.
    pub line_number: u64,
}

impl RunDraft {
    /// Redact every text of the draft in place, adding what was found to `counts`.
    /// Destructured field by field, so a text field added to the draft is not forgotten.
    fn redact(&mut self, counts: &mut RedactionCounts) {
        let RunDraft {
            run_id,
            task_id,
            task_type,
            timestamp,
            model_name,
            model_role: _,
            input_text,
            output_text,
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
            latency_ms: _,
            line_acceptance: _,
            cost_usd: _,
            answered_in_words: _,
            cut_off: _,
            transcript,
            commit_hint,
            line_offset: _,
            line_number: _,
        } = self;
        let mut texts: Vec<&mut String> = vec![input_text, output_text];
        texts.extend(
            [
                run_id,
                task_id,
                task_type,
                timestamp,
                model_name,
                scratchpad_summary,
                commit_hint,
            ]
            .into_iter()
            .flatten(),
        );
        texts.extend(source_files.iter_mut().chain(retrieved_context).chain(observer_notes));
        texts.extend(files_changed.iter_mut().flatten());
        texts.extend(success_markers.iter_mut().chain(failure_markers));
        for CommandRun { command, exit_code: _ } in commands_run {
            texts.push(command);
        }
        for ValidationResult { name, detail, .. } in validation_results {
            texts.push(name);
            texts.extend(detail);
        }
        if let Some(HumanOverride {
            by,
            category: _,
            reason,
        }) = human_override
        {
            texts.extend([by, reason]);
        }
        for ChatMessage {
            role: _,
            content,
            tool_calls,
            tool_call_id,
        } in transcript
        {
            texts.push(content);
            texts.extend(tool_call_id);
            for ToolCall {
                id,
                kind,
                function: ToolFunction { name, arguments },
            } in tool_calls
            {
                texts.extend([id, kind, name, arguments]);
            }
        }
        redact::redact_all(texts, counts);
    }
}

/// A run ready to link: the record (provenance without commit yet) and its commit hint.
#[derive(Debug, Clone)]
pub struct NormalizedRun {
    /// The record; `provenance.commit`, `link_rule` and `recorded_at` are set when linked.
    /// Boxed: a run moves through several queues, and the record is most of a kilobyte.
    pub record: Box<EvidenceRecord>,
    /// A commit id the source named.
    pub commit_hint: Option<String>,
    /// When the run happened, if the source stated it.
    pub time: Option<jiff::Timestamp>,
    /// Secrets redacted from the run, by rule.
    pub redactions: RedactionCounts,
    /// The transcript was made here from the request and response (`keep_text`), not
    /// read from the log: a record stored before that existed is the same run.
    pub derived_transcript: bool,
    /// The record serialized once, for its stored line (`None`: numbers that take the
    /// general canonicalizer).
    pub signed: Option<SignedLine>,
}

impl NormalizedRun {
    /// The sig_hash the record had before transcripts were derived from request and
    /// response, when it has one of those; collect takes a stored record with it as this
    /// run, so upgrading does not store every run twice.
    pub fn sig_without_derived_transcript(&self) -> Option<String> {
        if !self.derived_transcript {
            return None;
        }
        let mut bare = (*self.record).clone();
        bare.transcript.clear();
        bare.provenance.sig_hash.clear();
        Some(sha256_hex(&content_bytes(&bare).ok()?))
    }
}

/// Redact, fill defaults, hash: a draft becomes a record whose `sig_hash` is the
/// canonical SHA-256 of the record without provenance.
pub fn normalize(mut draft: RunDraft, display: &str, spec: &SourceSpec) -> Result<NormalizedRun, super::Rejected> {
    let mut redactions = RedactionCounts::new();
    draft.redact(&mut redactions);
    let time = draft.timestamp.as_deref().and_then(parse_time);
    let run_id = draft
        .run_id
        .filter(|s| !s.trim().is_empty())
        .unwrap_or_else(|| format!("{}:{}", spec.name, draft.line_number));
    let derived_transcript = spec.keep_text && draft.transcript.is_empty();
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
        timestamp: time.map_or_else(|| UNKNOWN_TIME.to_owned(), |t| t.to_string()),
        model_name: draft
            .model_name
            .filter(|s| !s.trim().is_empty())
            .unwrap_or_else(|| "unknown".into()),
        model_role: draft.model_role.unwrap_or(ModelRole::Executor),
        input_hash: sha256_hex(draft.input_text.as_bytes()),
        output_hash: sha256_hex(draft.output_text.as_bytes()),
        source_files: dedup(draft.source_files),
        files_changed: draft.files_changed.map(dedup),
        commands_run: draft.commands_run,
        retrieved_context: draft.retrieved_context,
        observer_notes: draft.observer_notes,
        scratchpad_summary: draft.scratchpad_summary,
        success_markers: dedup(draft.success_markers),
        failure_markers: dedup(draft.failure_markers),
        validation_results: draft.validation_results,
        human_override: draft.human_override,
        latency_ms: draft.latency_ms,
        line_acceptance: draft.line_acceptance,
        cost_usd: draft.cost_usd.filter(|c| c.is_finite() && *c >= 0.0),
        answered_in_words: draft.answered_in_words,
        cut_off: draft.cut_off,
        transcript: if !spec.keep_text {
            Vec::new()
        } else if derived_transcript {
            two_turns(&draft.input_text, &draft.output_text)
        } else {
            draft.transcript
        },
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
    let signed = SignedLine::of(&record).transpose()?;
    record.provenance.sig_hash = match &signed {
        Some(signed) => signed.sig_hash.clone(),
        None => sha256_hex(&content_bytes(&record)?),
    };
    Ok(NormalizedRun {
        signed,
        derived_transcript: derived_transcript && !record.transcript.is_empty(),
        record: Box::new(record),
        commit_hint: draft.commit_hint,
        time,
        redactions,
    })
}

/// The request and the response (already redacted), cut to [`KEPT_TEXT`], as the
/// transcript of a run whose log has none, so it can be searched and exported.
fn two_turns(request: &str, response: &str) -> Vec<ChatMessage> {
    [(ChatRole::User, request), (ChatRole::Assistant, response)]
        .into_iter()
        .filter(|(_, text)| !text.trim().is_empty())
        .map(|(role, text)| ChatMessage {
            role,
            content: crate::text::head_and_tail(text, KEPT_TEXT.0, KEPT_TEXT.1),
            tool_calls: Vec::new(),
            tool_call_id: None,
        })
        .collect()
}

/// RFC 3339 in UTC from RFC 3339 with any offset, `YYYY-MM-DD HH:MM:SS[.f]` (taken as UTC),
/// or Unix seconds / milliseconds.
pub fn normalize_time(raw: &str) -> Option<String> {
    parse_time(raw).map(|t| t.to_string())
}

/// The instant [`normalize_time`] writes.
fn parse_time(raw: &str) -> Option<jiff::Timestamp> {
    let raw = raw.trim();
    if let Ok(ts) = raw.parse::<jiff::Timestamp>() {
        return Some(ts);
    }
    if let Ok(dt) = raw.replace(' ', "T").parse::<jiff::civil::DateTime>() {
        return dt.to_zoned(jiff::tz::TimeZone::UTC).ok().map(|z| z.timestamp());
    }
    if let Ok(n) = raw.parse::<i64>() {
        return if n > 100_000_000_000 {
            jiff::Timestamp::from_millisecond(n).ok()
        } else {
            jiff::Timestamp::from_second(n).ok()
        };
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::ChatRole;

    #[test]
    fn every_text_of_a_draft_is_redacted() {
        let key = "ghp_1a2B3c4D5e6F7g8H9i0J1k2L3m4N5o6P7q8R";
        let some = || Some(key.to_owned());
        let mut draft = RunDraft {
            run_id: some(),
            task_id: some(),
            task_type: some(),
            timestamp: some(),
            model_name: some(),
            input_text: key.into(),
            output_text: key.into(),
            source_files: vec![key.into()],
            commands_run: vec![CommandRun {
                command: key.into(),
                exit_code: None,
            }],
            retrieved_context: vec![key.into()],
            observer_notes: vec![key.into()],
            scratchpad_summary: some(),
            success_markers: vec![key.into()],
            failure_markers: vec![key.into()],
            validation_results: vec![ValidationResult {
                name: key.into(),
                passed: true,
                passed_count: None,
                failed_count: None,
                detail: some(),
            }],
            human_override: Some(HumanOverride {
                by: key.into(),
                category: crate::schema::Category::Accepted,
                reason: key.into(),
            }),
            transcript: vec![ChatMessage {
                role: ChatRole::Assistant,
                content: key.into(),
                tool_calls: vec![ToolCall {
                    id: key.into(),
                    kind: key.into(),
                    function: ToolFunction {
                        name: key.into(),
                        arguments: key.into(),
                    },
                }],
                tool_call_id: some(),
            }],
            commit_hint: some(),
            ..RunDraft::default()
        };
        let mut counts = RedactionCounts::new();
        draft.redact(&mut counts);
        assert!(!format!("{draft:?}").contains(key));
        assert_eq!(counts.get("github"), Some(&25), "one per text field");

        // One secret in one field of an otherwise clean run is still found.
        let mut draft = RunDraft {
            input_text: "fix the login".into(),
            commit_hint: Some(format!("see {key}")),
            ..RunDraft::default()
        };
        let mut counts = RedactionCounts::new();
        draft.redact(&mut counts);
        assert_eq!(draft.commit_hint.as_deref(), Some("see [REDACTED:github]"));
        assert_eq!(draft.input_text, "fix the login");
    }

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

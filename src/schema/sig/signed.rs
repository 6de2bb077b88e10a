//! A record's stored line and its `sig_hash` from one serialization.
//!
//! The two differ in two ways: the hash input writes every list (`[]` too: the identity
//! of every record already stored) and leaves provenance out; the line leaves empty
//! lists out and holds provenance, which holds the hash. So the fields are written once,
//! in canonical order, into the line, and the hash is fed the same bytes with its own
//! separators plus the `"name":[]` of each empty list; provenance is spliced in once the
//! hash is known.

use super::{
    CanonicalError, Content, EXACT_INTEGER, ProvenanceView, canonical_f64, messages, stored_line, validations,
};
use crate::schema::EvidenceRecord;
use serde::Serialize;
use sha2::{Digest, Sha256};

/// The stored line of a record without its provenance yet, and the record's `sig_hash`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedLine {
    line: Vec<u8>,
    /// Where `,"provenance":{…}` goes: after `output_hash`, always present.
    provenance_at: usize,
    /// Lowercase hex SHA-256 of the record's canonical form without provenance.
    pub sig_hash: String,
}

impl SignedLine {
    /// Serialize `record` once. `None` when one of its numbers prints differently in JCS
    /// than in serde_json: such a record takes the general canonicalizer, twice.
    pub fn of(record: &EvidenceRecord) -> Option<Result<SignedLine, CanonicalError>> {
        let view = Content::of(record);
        view.plain()
            .then(|| write(&view).map_err(|e| CanonicalError::new(e.to_string())))
    }

    /// The stored line, with `record`'s provenance (whose `sig_hash` must be this one's).
    pub fn stored_line(self, record: &EvidenceRecord) -> Result<Vec<u8>, CanonicalError> {
        if record.provenance.line_offset > EXACT_INTEGER {
            return stored_line(record);
        }
        let (head, tail) = self.line.split_at(self.provenance_at);
        let mut line = Vec::with_capacity(self.line.len() + 512);
        line.extend_from_slice(head);
        line.extend_from_slice(b",\"provenance\":");
        serde_json::to_writer(&mut line, &ProvenanceView::of(&record.provenance))
            .map_err(|e| CanonicalError::new(e.to_string()))?;
        line.extend_from_slice(tail);
        Ok(line)
    }
}

/// The two outputs and where each stands.
struct Sinks {
    line: Vec<u8>,
    hash: Sha256,
    line_empty: bool,
    hash_empty: bool,
}

impl Sinks {
    /// A field in both: written into the line, and the same bytes hashed.
    fn both(
        &mut self,
        key: &str,
        value: impl FnOnce(&mut Vec<u8>) -> serde_json::Result<()>,
    ) -> serde_json::Result<()> {
        if !self.line_empty {
            self.line.push(b',');
        }
        let field = self.line.len();
        self.line.push(b'"');
        self.line.extend_from_slice(key.as_bytes());
        self.line.extend_from_slice(b"\":");
        value(&mut self.line)?;
        if !self.hash_empty {
            self.hash.update(b",");
        }
        self.hash.update(&self.line[field..]);
        self.line_empty = false;
        self.hash_empty = false;
        Ok(())
    }

    /// A plain value in both.
    fn value<T: Serialize + ?Sized>(&mut self, key: &str, value: &T) -> serde_json::Result<()> {
        self.both(key, |out| serde_json::to_writer(out, value))
    }

    /// A list: in both when it has items, else only the hash writes it (as `[]`).
    fn list<T: Serialize>(&mut self, key: &str, items: &[T]) -> serde_json::Result<()> {
        if !items.is_empty() {
            return self.value(key, items);
        }
        self.hash.update(if self.hash_empty { "\"" } else { ",\"" });
        self.hash.update(key.as_bytes());
        self.hash.update(b"\":[]");
        self.hash_empty = false;
        Ok(())
    }
}

/// The fields of [`Content`] in its (canonical) order; a test checks the result against
/// [`super::content_bytes`] and [`stored_line`] for every field set and for none.
fn write(view: &Content) -> serde_json::Result<SignedLine> {
    let Content {
        answered_in_words,
        commands_run,
        cost_usd,
        cut_off,
        failure_markers,
        files_changed,
        human_override,
        input_hash,
        latency_ms,
        line_acceptance,
        model_name,
        model_role,
        observer_notes,
        output_hash,
        provenance: _,
        retrieved_context,
        run_id,
        schema_version,
        scratchpad_summary,
        source_files,
        success_markers,
        task_id,
        task_type,
        timestamp,
        transcript,
        validation_results,
    } = view;
    let mut s = Sinks {
        line: Vec::with_capacity(1024),
        hash: Sha256::new(),
        line_empty: true,
        hash_empty: true,
    };
    s.line.push(b'{');
    s.hash.update(b"{");
    if *answered_in_words {
        s.value("answered_in_words", &true)?;
    }
    s.list("commands_run", commands_run.unwrap_or_default())?;
    if cost_usd.is_some() {
        s.both("cost_usd", |out| {
            canonical_f64(cost_usd, &mut serde_json::Serializer::new(out))
        })?;
    }
    if *cut_off {
        s.value("cut_off", &true)?;
    }
    s.list("failure_markers", failure_markers.unwrap_or_default())?;
    if let Some(files) = files_changed {
        s.value("files_changed", files)?;
    }
    if let Some(o) = human_override {
        s.value("human_override", o)?;
    }
    s.value("input_hash", input_hash)?;
    if let Some(ms) = latency_ms {
        s.value("latency_ms", ms)?;
    }
    if let Some(a) = line_acceptance {
        s.value("line_acceptance", a)?;
    }
    s.value("model_name", model_name)?;
    s.value("model_role", model_role)?;
    s.list("observer_notes", observer_notes.unwrap_or_default())?;
    s.value("output_hash", output_hash)?;
    let provenance_at = s.line.len();
    s.list("retrieved_context", retrieved_context.unwrap_or_default())?;
    s.value("run_id", run_id)?;
    s.value("schema_version", schema_version)?;
    if let Some(summary) = scratchpad_summary {
        s.value("scratchpad_summary", summary)?;
    }
    s.list("source_files", source_files.unwrap_or_default())?;
    s.list("success_markers", success_markers.unwrap_or_default())?;
    s.value("task_id", task_id)?;
    s.value("task_type", task_type)?;
    s.value("timestamp", timestamp)?;
    if !transcript.is_empty() {
        s.both("transcript", |out| {
            messages(transcript, &mut serde_json::Serializer::new(out))
        })?;
    }
    match validation_results {
        Some(items) if !items.is_empty() => {
            s.both("validation_results", |out| {
                validations(validation_results, &mut serde_json::Serializer::new(out))
            })?;
        }
        _ => s.list::<()>("validation_results", &[])?,
    }
    s.line.push(b'}');
    s.hash.update(b"}");
    Ok(SignedLine {
        line: s.line,
        provenance_at,
        sig_hash: faster_hex::hex_string(&s.hash.finalize()),
    })
}

#[cfg(test)]
mod tests {
    use super::super::tests::full_record;
    use super::*;
    use crate::schema::{content_bytes, sha256_hex};

    fn agrees(mut record: EvidenceRecord) {
        let signed = SignedLine::of(&record).expect("plain numbers").unwrap();
        assert_eq!(signed.sig_hash, sha256_hex(&content_bytes(&record).unwrap()));
        record.provenance.sig_hash = signed.sig_hash.clone();
        record.provenance.commit = Some("c".repeat(40));
        record.provenance.adapter = Some("jsonl".into());
        let expected = String::from_utf8(stored_line(&record).unwrap()).unwrap();
        let got = String::from_utf8(signed.stored_line(&record).unwrap()).unwrap();
        assert_eq!(got, expected);
    }

    #[test]
    fn one_serialization_gives_the_stored_line_and_the_identity() {
        agrees(full_record());
        let mut empty = full_record();
        empty.commands_run.clear();
        empty.failure_markers.clear();
        empty.observer_notes.clear();
        empty.retrieved_context.clear();
        empty.source_files.clear();
        empty.success_markers.clear();
        empty.validation_results.clear();
        empty.transcript.clear();
        empty.files_changed = Some(Vec::new());
        empty.human_override = None;
        empty.line_acceptance = None;
        empty.latency_ms = None;
        empty.cost_usd = None;
        empty.scratchpad_summary = None;
        empty.answered_in_words = false;
        empty.cut_off = false;
        agrees(empty.clone());
        empty.files_changed = None;
        agrees(empty);
    }

    #[test]
    fn numbers_json_and_jcs_print_differently_take_the_general_path() {
        let mut record = full_record();
        record.cost_usd = Some(1e21);
        assert!(SignedLine::of(&record).is_none());
        record.cost_usd = Some(0.5);
        record.provenance.line_offset = EXACT_INTEGER + 1;
        let signed = SignedLine::of(&record).unwrap().unwrap();
        record.provenance.sig_hash = signed.sig_hash.clone();
        assert_eq!(signed.stored_line(&record).unwrap(), stored_line(&record).unwrap());
    }
}

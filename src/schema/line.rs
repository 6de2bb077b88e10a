//! The stored line of an evidence record: RFC 8785 (JCS) canonical form with empty lists
//! left out, cut from the bytes `sig_hash` was taken over.
//!
//! Collect writes a record's content (everything but provenance) once, canonically, to
//! hash it. The stored line is those same bytes with `provenance` put in its key-order
//! place and the empty-list members dropped: a copy, not a second serialization. Empty
//! lists stay in the hashed form because `sig_hash` is the record's identity in notes
//! already written; readers fill an absent list with `[]`, so both forms read the same.

use super::canonical::{CanonicalError, canonical_bytes};
use super::common::Provenance;
use memchr::memmem::Finder;
use serde::Serialize;

/// Largest integer a double holds exactly; JCS writes larger ones in exponent form.
const EXACT_INTEGER: u64 = 1 << 53;

/// The list-valued members of the content, each as it is written when empty. A string
/// value cannot hold one of these byte sequences (its quotes would be escaped), and no
/// nested record has these keys, so a match is the member itself.
const EMPTY_LISTS: [&[u8]; 8] = [
    b"\"commands_run\":[]",
    b"\"failure_markers\":[]",
    b"\"observer_notes\":[]",
    b"\"retrieved_context\":[]",
    b"\"source_files\":[]",
    b"\"success_markers\":[]",
    b"\"transcript\":[]",
    b"\"validation_results\":[]",
];

/// The first key after `provenance` in canonical order; the content always writes it.
const AFTER_PROVENANCE: &[u8] = b",\"retrieved_context\":";

/// Searchers for [`EMPTY_LISTS`] and [`AFTER_PROVENANCE`], built once (building one
/// costs more than a search through a record).
static FINDERS: std::sync::LazyLock<(Vec<Finder<'static>>, Finder<'static>)> = std::sync::LazyLock::new(|| {
    (
        EMPTY_LISTS.iter().map(Finder::new).collect(),
        Finder::new(AFTER_PROVENANCE),
    )
});

/// The stored line from `content` (canonical bytes of the record without provenance, as
/// [`super::sig::content_bytes`] writes them) and the record's provenance.
pub fn stored_line(content: &[u8], provenance: &Provenance) -> Result<Vec<u8>, CanonicalError> {
    let provenance = provenance_bytes(provenance)?;
    let (empty_lists, after_provenance) = &*FINDERS;
    let at = after_provenance
        .find(content)
        .ok_or_else(|| CanonicalError::new("record content has no retrieved_context".into()))?;
    // Byte ranges to leave out, each with the comma that joined it to its neighbour.
    let mut cuts: Vec<(usize, usize)> = Vec::new();
    for finder in empty_lists {
        if let Some(start) = finder.find(content) {
            let end = start + finder.needle().len();
            // With the comma before it; the first member has none (see the end).
            let start = match start.checked_sub(1) {
                Some(before) if content[before] == b',' => before,
                _ => start,
            };
            cuts.push((start, end));
        }
    }
    cuts.sort_unstable();
    let mut line = Vec::with_capacity(content.len() + provenance.len() + 16);
    let mut from = 0;
    let mut placed = false;
    let place = |line: &mut Vec<u8>, from: &mut usize| {
        line.extend_from_slice(&content[*from..at]);
        line.extend_from_slice(b",\"provenance\":");
        line.extend_from_slice(&provenance);
        *from = at;
    };
    for &(start, end) in &cuts {
        if !placed && start >= at {
            place(&mut line, &mut from);
            placed = true;
        }
        line.extend_from_slice(&content[from..start]);
        from = end;
    }
    if !placed {
        place(&mut line, &mut from);
    }
    line.extend_from_slice(&content[from..]);
    // The first member was cut: the comma that followed it now follows the brace.
    if line.get(1) == Some(&b',') {
        line.remove(1);
    }
    Ok(line)
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

fn provenance_bytes(p: &Provenance) -> Result<Vec<u8>, CanonicalError> {
    // Exhaustive, so a field added to Provenance does not compile until it is placed here.
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
    let view = ProvenanceView {
        adapter: adapter.as_deref(),
        commit: commit.as_deref(),
        line_offset: *line_offset,
        link_rule: link_rule.as_deref(),
        recorded_at,
        sig_hash,
        source: source.as_deref(),
        source_file,
    };
    if *line_offset <= EXACT_INTEGER {
        serde_json::to_vec(&view).map_err(|e| CanonicalError::new(e.to_string()))
    } else {
        canonical_bytes(&view)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::EvidenceRecord;

    fn record() -> EvidenceRecord {
        serde_json::from_str(
            r#"{"schema_version":1,"run_id":"r,\"1\"]}","task_id":"t","task_type":"bugfix",
            "timestamp":"2026-01-01T00:00:00Z","model_name":"m","model_role":"executor",
            "input_hash":"a","output_hash":"b","source_files":[],"commands_run":[{"command":"x, [y]","exit_code":1}],
            "retrieved_context":[],"observer_notes":["n"],"success_markers":[],"failure_markers":[],
            "validation_results":[],"transcript":[{"role":"user","content":"{\"a\":[1]}"}],
            "provenance":{"source_file":"l.jsonl","line_offset":7,"sig_hash":"c","recorded_at":"t0","commit":"abc","link_rule":"at"}}"#,
        )
        .unwrap()
    }

    /// The line is the JCS form of the record's JSON with empty lists removed, and it
    /// reads back as the same record.
    #[test]
    fn the_line_is_canonical_without_empty_lists_and_reads_back() {
        let mut bare = record();
        bare.commands_run.clear();
        bare.observer_notes.clear();
        bare.transcript.clear();
        let mut full = record();
        full.retrieved_context.push("doc".into());
        full.validation_results.push(crate::schema::ValidationResult {
            name: "cargo test".into(),
            passed: true,
            passed_count: Some(3),
            failed_count: None,
            detail: None,
        });
        for record in [record(), bare, full] {
            check(&record);
        }
    }

    fn check(record: &EvidenceRecord) {
        let content = super::super::sig::content_bytes(record).unwrap();
        let line = stored_line(&content, &record.provenance).unwrap();

        let mut value = serde_json::to_value(record).unwrap();
        value
            .as_object_mut()
            .unwrap()
            .retain(|_, v| v.as_array().is_none_or(|a| !a.is_empty()));
        assert_eq!(
            String::from_utf8(line.clone()).unwrap(),
            String::from_utf8(canonical_bytes(&value).unwrap()).unwrap()
        );
        let back: EvidenceRecord = serde_json::from_slice(&line).unwrap();
        assert_eq!(&back, record);
    }
}

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
use serde::Serialize;

/// Largest integer a double holds exactly; JCS writes larger ones in exponent form.
const EXACT_INTEGER: u64 = 1 << 53;

/// The stored line from `content` (canonical bytes of the record without provenance, as
/// [`super::sig::content_bytes`] writes them) and the record's provenance.
pub fn stored_line(content: &[u8], provenance: &Provenance) -> Result<Vec<u8>, CanonicalError> {
    let provenance = provenance_bytes(provenance)?;
    let mut line = Vec::with_capacity(content.len() + provenance.len() + 16);
    line.push(b'{');
    let mut placed = false;
    let mut first = true;
    let mut put = |line: &mut Vec<u8>, member: &[u8]| {
        if !first {
            line.push(b',');
        }
        first = false;
        line.extend_from_slice(member);
    };
    for member in Members::of(content)? {
        let key = member_key(member);
        if !placed && key > &b"provenance"[..] {
            put(&mut line, &provenance_member(&provenance));
            placed = true;
        }
        if !member.ends_with(b":[]") {
            put(&mut line, member);
        }
    }
    if !placed {
        put(&mut line, &provenance_member(&provenance));
    }
    line.push(b'}');
    Ok(line)
}

fn provenance_member(value: &[u8]) -> Vec<u8> {
    let mut member = Vec::with_capacity(value.len() + 13);
    member.extend_from_slice(b"\"provenance\":");
    member.extend_from_slice(value);
    member
}

/// The key of a `"key":value` member (our keys are ASCII and never escaped).
fn member_key(member: &[u8]) -> &[u8] {
    let end = member[1..]
        .iter()
        .position(|b| *b == b'"')
        .map_or(member.len(), |i| i + 1);
    &member[1.min(member.len())..end]
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

/// The top-level members (`"key":value`) of a JSON object we wrote, in order.
struct Members<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Members<'a> {
    fn of(object: &'a [u8]) -> Result<Members<'a>, CanonicalError> {
        match (object.first(), object.last()) {
            (Some(b'{'), Some(b'}')) if object.len() >= 2 => Ok(Members {
                bytes: &object[..object.len() - 1],
                at: 1,
            }),
            _ => Err(CanonicalError::new("record content is not a JSON object".into())),
        }
    }
}

impl<'a> Iterator for Members<'a> {
    type Item = &'a [u8];

    fn next(&mut self) -> Option<&'a [u8]> {
        let bytes = self.bytes;
        if self.at >= bytes.len() {
            return None;
        }
        let start = self.at;
        let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
        let mut i = start;
        while i < bytes.len() {
            let b = bytes[i];
            if in_string {
                match b {
                    _ if escaped => escaped = false,
                    b'\\' => escaped = true,
                    b'"' => in_string = false,
                    _ => {}
                }
            } else {
                match b {
                    b'"' => in_string = true,
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' => depth = depth.saturating_sub(1),
                    b',' if depth == 0 => break,
                    _ => {}
                }
            }
            i += 1;
        }
        self.at = i + 1;
        Some(&bytes[start..i])
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
        let record = record();
        let content = super::super::sig::content_bytes(&record).unwrap();
        let line = stored_line(&content, &record.provenance).unwrap();

        let mut value = serde_json::to_value(&record).unwrap();
        value
            .as_object_mut()
            .unwrap()
            .retain(|_, v| v.as_array().is_none_or(|a| !a.is_empty()));
        assert_eq!(
            String::from_utf8(line.clone()).unwrap(),
            String::from_utf8(canonical_bytes(&value).unwrap()).unwrap()
        );
        let back: EvidenceRecord = serde_json::from_slice(&line).unwrap();
        assert_eq!(back, record);
    }

    #[test]
    fn members_split_at_top_level_commas_only() {
        let members: Vec<&[u8]> = Members::of(br#"{"a":[1,{"b":","}],"c":"x\",y","d":{}}"#)
            .unwrap()
            .collect();
        assert_eq!(
            members,
            vec![&br#""a":[1,{"b":","}]"#[..], &br#""c":"x\",y""#[..], &br#""d":{}"#[..]]
        );
    }
}

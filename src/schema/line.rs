//! Tests of the stored line of an evidence record (written by [`super::sig::stored_line`]):
//! its RFC 8785 canonical form with empty lists left out, which reads back as the same
//! record.

#[cfg(test)]
mod tests {
    use crate::schema::{EvidenceRecord, canonical_bytes};

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
        let line = super::super::sig::stored_line(record).unwrap();

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

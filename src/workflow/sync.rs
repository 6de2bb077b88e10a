//! `push` and `fetch` with the checks a clone applies to what another clone sends:
//! every incoming note line must be a record this build can read, and notes over the
//! configured size are refused whole (see `[sync]` in docs/config.md).

use super::Result;
use crate::config::Config;
use crate::schema::{Kind, SCHEMA_VERSION, parse_strict, validate_line};
use crate::store::{FetchPolicy, FetchReport, NotesRef, PushReport, Store};

/// The schema a notes ref's lines must satisfy, for the refs that hold one record kind.
pub fn schema_of(notes_ref: &NotesRef) -> Option<Kind> {
    if *notes_ref == NotesRef::Evidence {
        Some(Kind::EvidenceRecord)
    } else if *notes_ref == NotesRef::Scores {
        Some(Kind::ScoredRun)
    } else if *notes_ref == NotesRef::Receipts {
        Some(Kind::Receipt)
    } else if *notes_ref == NotesRef::Scratchpad {
        Some(Kind::ScratchpadSummary)
    } else {
        None
    }
}

/// Whether `line` may be stored on `notes_ref`: a valid record of the ref's kind, or for
/// other refs a strict JSON object whose `schema_version`, if any, this build knows.
pub fn check_note_line(notes_ref: &NotesRef, line: &[u8]) -> std::result::Result<(), String> {
    let text = std::str::from_utf8(line).map_err(|_| "not UTF-8".to_owned())?;
    if text.contains('\n') {
        return Err("a note line must not contain a newline".into());
    }
    if let Some(kind) = schema_of(notes_ref) {
        return validate_line(kind, text).map(|_| ()).map_err(|violations| {
            let first = &violations[0];
            format!("not a valid {}: {}: {}", kind.name(), first.field, first.message)
        });
    }
    let value = parse_strict(text).map_err(|e| format!("not JSON: {e}"))?;
    let Some(object) = value.as_object() else {
        return Err("must be a JSON object".into());
    };
    match object.get("schema_version") {
        Some(found) if found.as_u64() != Some(u64::from(SCHEMA_VERSION)) => Err(format!(
            "unsupported schema_version {found}; this build supports {SCHEMA_VERSION}"
        )),
        _ => Ok(()),
    }
}

fn policy(config: &Config) -> FetchPolicy<'static> {
    FetchPolicy {
        check_line: &check_note_line,
        max_note_bytes: config.sync.max_note_bytes,
        max_note_lines: config.sync.max_note_lines,
    }
}

/// Fetch `remote`'s git-distill refs and merge what passes the checks.
pub fn fetch(store: &Store, config: &Config, remote: &str) -> Result<FetchReport> {
    Ok(store.fetch(remote, &policy(config))?)
}

/// Fetch what another git-native tool keeps (`git-ai`, `entire`) from `remote`, never
/// forcing a ref that is not a per-checkpoint ref (those are written once).
pub fn fetch_tool(store: &Store, remote: &str, tool: &str) -> Result<()> {
    use super::git_native::{ENTIRE_BRANCH, ENTIRE_REFS, GIT_AI_REF};
    let specs: Vec<String> = match tool {
        "git-ai" => vec![format!("{GIT_AI_REF}:{GIT_AI_REF}")],
        "entire" => vec![
            format!("+{ENTIRE_REFS}*:{ENTIRE_REFS}*"),
            format!("{ENTIRE_BRANCH}:{ENTIRE_BRANCH}"),
        ],
        other => {
            return Err(super::WorkflowError::usage(format!(
                "unknown tool `{other}` (git-ai, entire)"
            )));
        }
    };
    Ok(store.fetch_refspecs(remote, &specs)?)
}

/// Push our git-distill refs to `remote`, fetching and merging (checked) when a race is lost.
pub fn push(store: &Store, config: &Config, remote: &str) -> Result<PushReport> {
    Ok(store.push(remote, &policy(config))?)
}

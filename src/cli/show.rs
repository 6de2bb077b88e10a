//! `git distill show`: everything git-distill holds for one commit.

use super::{Context, Exit, output::print_json};
use crate::schema::parse_strict;
use crate::store::{NOTES_PREFIX, NotesRef};
use serde::Serialize;
use serde_json::Value;
use std::io::BufRead as _;

/// Show every git-distill note attached to a commit, grouped by kind.
///
/// Reads every ref under refs/notes/distill/, streaming each note. A line that is not
/// a record this build reads (not JSON, a wrong schema, an unknown schema_version) is
/// reported and skipped, and the command exits 1; it never stops the other notes from
/// being shown.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The commit to show.
    #[arg(default_value = "HEAD")]
    rev: String,
    /// Print JSON.
    #[arg(long)]
    json: bool,
}

#[derive(Debug, Serialize)]
struct Shown {
    commit: String,
    summary: String,
    notes: Vec<KindNotes>,
}

#[derive(Debug, Serialize)]
struct KindNotes {
    kind: String,
    #[serde(rename = "ref")]
    reference: String,
    records: Vec<Value>,
    errors: Vec<LineError>,
}

#[derive(Debug, Serialize)]
struct LineError {
    line: usize,
    message: String,
}

/// Run `git distill show`.
pub fn run(ctx: &Context, args: Args) -> anyhow::Result<Exit> {
    let store = ctx.store()?;
    let commit = store.resolve(&args.rev)?;
    let info = store.commit_info(commit)?;
    if !args.json {
        println!("commit {} {}", info.id, info.summary);
    }
    let mut notes = Vec::new();
    let mut corrupt = false;
    let mut any_note = false;
    for name in store.refs_under(NOTES_PREFIX)? {
        let Ok(notes_ref) = NotesRef::from_full_name(&name) else {
            continue;
        };
        let Some(blob) = store.note_blob(&notes_ref, commit)? else {
            continue;
        };
        any_note = true;
        let mut entry = KindNotes {
            kind: notes_ref.kind().to_owned(),
            reference: name.clone(),
            records: Vec::new(),
            errors: Vec::new(),
        };
        if args.json {
            for_each_line(&store, blob, &notes_ref, |number, line| match line {
                Ok(value) => entry.records.push(value),
                Err(message) => entry.errors.push(LineError { line: number, message }),
            })?;
            corrupt |= !entry.errors.is_empty();
            notes.push(entry);
            continue;
        }
        // Text streams the note twice (a count for the heading, then the lines), so a
        // large note is never held whole.
        let mut records = 0;
        for_each_line(&store, blob, &notes_ref, |_, line| records += usize::from(line.is_ok()))?;
        println!("{} ({records} records)", entry.kind);
        for_each_line(&store, blob, &notes_ref, |number, line| match line {
            Ok(value) => println!("  {}", summarize(&entry.kind, &value)),
            Err(message) => {
                corrupt = true;
                println!("  ! line {number}: {message}");
            }
        })?;
    }
    if args.json {
        print_json(&Shown {
            commit: info.id.clone(),
            summary: info.summary.clone(),
            notes,
        })?;
    } else if !any_note {
        println!("  (no git-distill notes)");
    }
    Ok(if corrupt { Exit::Failed } else { Exit::Ok })
}

/// Call `f` with each non-blank line of a note (1-based number, the record or why not).
fn for_each_line(
    store: &crate::store::Store,
    blob: gix::ObjectId,
    notes_ref: &NotesRef,
    mut f: impl FnMut(usize, Result<Value, String>),
) -> anyhow::Result<()> {
    let mut reader = store.blob_reader(blob)?;
    let mut line = Vec::new();
    let mut number = 0;
    loop {
        line.clear();
        if reader.read_until(b'\n', &mut line)? == 0 {
            return Ok(());
        }
        number += 1;
        let text = line.strip_suffix(b"\n").unwrap_or(&line);
        if !text.iter().all(u8::is_ascii_whitespace) {
            f(number, read_line(notes_ref, text));
        }
    }
}

/// A stored line as JSON, or why it is not shown as a record: not JSON, or not a record
/// this build reads (an unknown schema_version is flagged, never shown as a run).
fn read_line(notes_ref: &NotesRef, line: &[u8]) -> Result<Value, String> {
    crate::workflow::sync::check_note_line(notes_ref, line)?;
    let text = std::str::from_utf8(line).map_err(|e| format!("not UTF-8: {e}"))?;
    parse_strict(text).map_err(|e| format!("not JSON: {e}"))
}

/// One line about a record, by kind; unknown shapes fall back to compact JSON.
fn summarize(kind: &str, record: &Value) -> String {
    let s = |path: &str| record.pointer(path).and_then(Value::as_str).unwrap_or("?").to_owned();
    match kind {
        "evidence" => format!(
            "{}  {}  {}  task {}",
            s("/run_id"),
            s("/model_name"),
            s("/model_role"),
            s("/task_id")
        ),
        "scores" => format!("{}  {}  {}", s("/run_id"), s("/category"), s("/reasons/0")),
        "receipts" => {
            let pass = record.pointer("/predicate/validation/pass").and_then(Value::as_bool);
            format!(
                "{}  validation {}",
                s("/predicate/stage"),
                match pass {
                    Some(true) => "pass",
                    Some(false) => "FAIL",
                    None => "?",
                }
            )
        }
        _ => {
            let text = record.to_string();
            match text.char_indices().nth(100) {
                Some((cut, _)) => format!("{}…", &text[..cut]),
                None => text,
            }
        }
    }
}

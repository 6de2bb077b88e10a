//! `git distill show`: everything git-distill holds for one commit.

use super::{Context, Exit, output::print_json};
use crate::schema::parse_strict;
use crate::store::NotesRef;
use serde::Serialize;
use serde_json::Value;

/// Show every git-distill note attached to a commit, grouped by kind.
///
/// Reads every ref under refs/notes/distill/. A corrupt line (not JSON) is reported
/// and skipped; it never stops the other notes from being shown.
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
    let mut notes = Vec::new();
    for name in store.refs_under("refs/notes/distill/")? {
        let Ok(notes_ref) = NotesRef::from_full_name(&name) else {
            continue;
        };
        let Some(bytes) = store.read_note(&notes_ref, commit)? else {
            continue;
        };
        let mut entry = KindNotes {
            kind: notes_ref.kind().to_owned(),
            reference: name.clone(),
            records: Vec::new(),
            errors: Vec::new(),
        };
        for (i, line) in bytes.split(|b| *b == b'\n').enumerate() {
            if line.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            let parsed = std::str::from_utf8(line)
                .map_err(|e| format!("not UTF-8: {e}"))
                .and_then(|text| parse_strict(text).map_err(|e| format!("not JSON: {e}")));
            match parsed {
                Ok(value) => entry.records.push(value),
                Err(message) => entry.errors.push(LineError { line: i + 1, message }),
            }
        }
        notes.push(entry);
    }
    let shown = Shown {
        commit: info.id.clone(),
        summary: info.summary.clone(),
        notes,
    };
    if args.json {
        print_json(&shown)?;
    } else {
        println!("commit {} {}", info.id, info.summary);
        if shown.notes.is_empty() {
            println!("  (no git-distill notes)");
        }
        for kind in &shown.notes {
            println!("{} ({} records)", kind.kind, kind.records.len());
            for record in &kind.records {
                println!("  {}", summarize(&kind.kind, record));
            }
            for error in &kind.errors {
                println!("  ! line {}: {}", error.line, error.message);
            }
        }
    }
    let corrupt = shown.notes.iter().any(|k| !k.errors.is_empty());
    Ok(if corrupt { Exit::Failed } else { Exit::Ok })
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

//! `git distill notes`: plumbing to attach, import and list notes on our refs.

use super::{Context, Exit, output::print_json};
use crate::store::{NoteEdit, NotesRef, Store};
use anyhow::Context as _;
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read};
use std::path::PathBuf;

/// Attach, import and list notes on `refs/notes/distill/<kind>` (plumbing).
///
/// Lines are unioned into the existing note (sorted, deduplicated), so adding the
/// same line twice changes nothing. Lines must be JSON objects; on the `evidence`,
/// `scores` and `receipts` refs they must also validate against their schema.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    action: Action,
}

#[derive(Debug, clap::Subcommand)]
enum Action {
    /// Union JSON lines into the note of one commit.
    Add {
        /// Notes kind: the ref is refs/notes/distill/<KIND>.
        #[arg(long, default_value = "evidence")]
        kind: String,
        /// The commit to annotate.
        rev: String,
        /// JSON lines to add.
        #[arg(required = true)]
        lines: Vec<String>,
    },
    /// Read `<commit>\t<json>` lines and write them all as one notes commit.
    Import {
        /// Notes kind: the ref is refs/notes/distill/<KIND>.
        #[arg(long, default_value = "evidence")]
        kind: String,
        /// Input file; `-` or nothing reads standard input.
        file: Option<PathBuf>,
    },
    /// List `<note-blob> <commit>` pairs, like `git notes list`.
    List {
        /// Notes kind: the ref is refs/notes/distill/<KIND>.
        #[arg(long, default_value = "evidence")]
        kind: String,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
}

/// Run `git distill notes`.
pub fn run(ctx: &Context, args: Args) -> anyhow::Result<Exit> {
    let store = ctx.store()?;
    match args.action {
        Action::Add { kind, rev, lines } => {
            let notes_ref = NotesRef::new(&kind)?;
            let commit = store.resolve(&rev)?;
            for (i, line) in lines.iter().enumerate() {
                check_line(&notes_ref, line).with_context(|| format!("line {} of the input", i + 1))?;
            }
            let edit = NoteEdit::Union(crate::store::jsonl::from_lines(&lines));
            let outcome = store.write_notes(&notes_ref, &[(commit, edit)], &format!("notes add to {commit}"))?;
            println!("{} note(s) changed on {}", outcome.changed, notes_ref.full_name());
        }
        Action::Import { kind, file } => {
            let notes_ref = NotesRef::new(&kind)?;
            let edits = read_import(ctx, &store, &notes_ref, file)?;
            let outcome = store.write_notes(&notes_ref, &edits, &format!("notes import ({} commits)", edits.len()))?;
            println!("{} note(s) changed on {}", outcome.changed, notes_ref.full_name());
        }
        Action::List { kind, json } => {
            let notes_ref = NotesRef::new(&kind)?;
            let snapshot = store.notes_snapshot(&notes_ref)?;
            let pairs: Vec<(String, String)> = snapshot
                .annotated()
                .into_iter()
                .filter_map(|c| snapshot.blob_for(&c).map(|b| (b.to_string(), c.to_string())))
                .collect();
            if json {
                let rows: Vec<_> = pairs
                    .iter()
                    .map(|(note, commit)| serde_json::json!({"note": note, "commit": commit}))
                    .collect();
                print_json(&rows)?;
            } else {
                for (note, commit) in pairs {
                    println!("{note} {commit}");
                }
            }
        }
    }
    Ok(Exit::Ok)
}

fn check_line(notes_ref: &NotesRef, line: &str) -> anyhow::Result<()> {
    crate::workflow::sync::check_note_line(notes_ref, line.as_bytes()).map_err(anyhow::Error::msg)
}

fn read_import(
    ctx: &Context,
    store: &Store,
    notes_ref: &NotesRef,
    file: Option<PathBuf>,
) -> anyhow::Result<Vec<(gix::ObjectId, NoteEdit)>> {
    let (name, reader): (String, Box<dyn Read>) = match file {
        Some(path) if path.as_os_str() != "-" => {
            let full = ctx.path(&path);
            let handle = std::fs::File::open(&full).with_context(|| format!("cannot open {}", full.display()))?;
            (path.display().to_string(), Box::new(handle))
        }
        _ => ("<stdin>".into(), Box::new(std::io::stdin())),
    };
    let mut by_commit: BTreeMap<gix::ObjectId, Vec<String>> = BTreeMap::new();
    for (i, line) in BufReader::new(reader).lines().enumerate() {
        let line = line.with_context(|| format!("cannot read {name}"))?;
        if line.trim().is_empty() {
            continue;
        }
        let (rev, json) = line
            .split_once('\t')
            .with_context(|| format!("{name}:{}: expected `<commit>\\t<json>`", i + 1))?;
        let commit = store.resolve(rev).with_context(|| format!("{name}:{}", i + 1))?;
        check_line(notes_ref, json).with_context(|| format!("{name}:{}", i + 1))?;
        by_commit.entry(commit).or_default().push(json.to_owned());
    }
    Ok(by_commit
        .into_iter()
        .map(|(commit, lines)| (commit, NoteEdit::Union(crate::store::jsonl::from_lines(lines))))
        .collect())
}

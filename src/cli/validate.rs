//! `git distill validate`: check JSONL files line by line against a record schema.

use super::{Context, Exit, output::print_json};
use crate::schema::{Kind, validate_line};
use anyhow::Context as _;
use rayon::prelude::*;
use serde::Serialize;
use std::io::{BufRead, BufReader, Read};
use std::path::PathBuf;

/// Validate every line of JSONL files as records of one kind.
///
/// Prints `file:line: field: message` for every problem and a summary
/// `N valid, M invalid`. Empty lines are skipped. Exits 1 when anything is invalid.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The record kind every line must be.
    #[arg(long, value_parser = super::named::<Kind>())]
    kind: Kind,
    /// Files to check; `-` reads standard input.
    #[arg(required = true, value_name = "FILE")]
    files: Vec<PathBuf>,
    /// Print a JSON report instead of text.
    #[arg(long)]
    json: bool,
}

#[derive(Debug, Serialize)]
struct Problem {
    file: String,
    line: usize,
    field: String,
    message: String,
}

#[derive(Debug, Serialize)]
struct Report {
    kind: String,
    valid: usize,
    invalid: usize,
    problems: Vec<Problem>,
}

/// Run `git distill validate`.
pub fn run(ctx: &Context, args: Args) -> anyhow::Result<Exit> {
    let mut report = Report {
        kind: args.kind.name().to_owned(),
        valid: 0,
        invalid: 0,
        problems: Vec::new(),
    };
    for file in &args.files {
        let (name, lines) = read_lines(ctx, file)?;
        let results: Vec<_> = lines
            .par_iter()
            .filter(|(_, line)| !matches!(line, Ok(text) if text.trim().is_empty()))
            .map(|(number, line)| {
                let outcome = match line {
                    Ok(text) => validate_line(args.kind, text).map(|_| ()),
                    Err(message) => Err(vec![crate::schema::Violation {
                        field: "(line)".into(),
                        message: message.clone(),
                    }]),
                };
                (*number, outcome)
            })
            .collect();
        for (line, outcome) in results {
            match outcome {
                Ok(()) => report.valid += 1,
                Err(violations) => {
                    report.invalid += 1;
                    report.problems.extend(violations.into_iter().map(|v| Problem {
                        file: name.clone(),
                        line,
                        field: v.field,
                        message: v.message,
                    }));
                }
            }
        }
    }
    if args.json {
        print_json(&report)?;
    } else {
        for p in &report.problems {
            println!("{}:{}: {}: {}", p.file, p.line, p.field, p.message);
        }
        println!("{} valid, {} invalid", report.valid, report.invalid);
    }
    Ok(if report.invalid == 0 { Exit::Ok } else { Exit::Failed })
}

type NumberedLine = (usize, Result<String, String>);

/// Read a file (or stdin) as numbered lines; a non-UTF-8 line becomes an error for that line.
fn read_lines(ctx: &Context, file: &std::path::Path) -> anyhow::Result<(String, Vec<NumberedLine>)> {
    let (name, reader): (String, Box<dyn Read>) = if file.as_os_str() == "-" {
        ("<stdin>".into(), Box::new(std::io::stdin()))
    } else {
        let path = ctx.path(file);
        let handle = std::fs::File::open(&path).with_context(|| format!("cannot open {}", path.display()))?;
        (file.display().to_string(), Box::new(handle))
    };
    let mut reader = BufReader::new(reader);
    let mut lines = Vec::new();
    let mut buf = Vec::new();
    let mut number = 0;
    loop {
        buf.clear();
        let n = reader
            .read_until(b'\n', &mut buf)
            .with_context(|| format!("cannot read {name}"))?;
        if n == 0 {
            break;
        }
        number += 1;
        let text = String::from_utf8(buf.clone()).map_err(|e| format!("not valid UTF-8: {e}"));
        lines.push((number, text));
    }
    Ok((name, lines))
}

//! Rendering drift reports and comparisons: text, JSON, Markdown, GitHub annotations, SARIF.

use super::Format;
use crate::cli::output::{Paint, print_json};
use crate::drift::{CheckedClaim, ClaimStatus, TransitionKind};
use crate::workflow::drift::{DriftComparison, DriftRun};
use serde_json::{Value, json};
use std::fmt::Write as _;

/// GitHub shows at most this many annotations per step; the rest go to the summary.
const MAX_ANNOTATIONS: usize = 10;

/// Render one report.
pub fn report(run: &DriftRun, format: Format) -> anyhow::Result<()> {
    let report = &run.report;
    match format {
        Format::Json => print_json(report)?,
        Format::Sarif => print_json(&sarif(report.drift().map(|c| (c, "error")).collect(), &report.commit))?,
        Format::Markdown => print!("{}", markdown_report(run)),
        Format::Github => {
            let mut drift: Vec<&CheckedClaim> = report.drift().collect();
            drift.sort_by_key(|c| severity(c.status));
            annotate(&drift, "error");
            write_step_summary(&markdown_report(run))?;
        }
        Format::Text => {
            let paint = Paint::stdout();
            let source = if run.cached { " (from note)" } else { "" };
            println!("drift at {}{source}", short(&report.commit));
            for file in &report.prd_files {
                if !file.present {
                    println!("  no {} at {}", file.path, short(&report.commit));
                }
                for w in &file.warnings {
                    println!("  warning: {}: {w}", file.path);
                }
            }
            for c in &report.claims {
                print_claim(&paint, c, c.status.is_drift());
            }
            let counts: Vec<String> = report
                .counts()
                .iter()
                .map(|(s, n)| format!("{n} {}", s.as_str()))
                .collect();
            println!(
                "{} claims: {}",
                report.claims.len(),
                if counts.is_empty() {
                    "none".into()
                } else {
                    counts.join(", ")
                }
            );
            if let Some(skipped) = skipped_summary(report) {
                println!("{skipped}");
            }
        }
    }
    Ok(())
}

/// Render `--explain LINE`.
pub fn explanation(explained: &crate::workflow::drift::Explanation, format: Format) -> anyhow::Result<()> {
    if format == Format::Json {
        return print_json(explained);
    }
    let paint = Paint::stdout();
    if explained.spans.is_empty() {
        println!("line {}: no code span", explained.line);
    }
    for (file, reading) in &explained.spans {
        println!("{file}:{} `{}` → {}", reading.line, reading.span, reading.reading);
    }
    for c in &explained.claims {
        print_claim(&paint, c, true);
    }
    Ok(())
}

/// Render a comparison.
pub fn comparison(result: &DriftComparison, format: Format, fail_on: &[ClaimStatus]) -> anyhow::Result<()> {
    let cmp = &result.comparison;
    match format {
        Format::Json => print_json(&json!({
            "base": cmp.base,
            "head": cmp.head,
            "notes": result.notes,
            "introduced": cmp.of(TransitionKind::Introduced).collect::<Vec<_>>(),
            "persisting": cmp.of(TransitionKind::Persisting).collect::<Vec<_>>(),
            "resolved": cmp.of(TransitionKind::Resolved).collect::<Vec<_>>(),
            "withdrawn": cmp.of(TransitionKind::Withdrawn).collect::<Vec<_>>(),
            "unchanged_ok": cmp.unchanged_ok,
            "prd_diff": cmp.prd_diff,
        }))?,
        Format::Sarif => {
            let mut results: Vec<(&CheckedClaim, &str)> = cmp
                .of(TransitionKind::Introduced)
                .map(|t| (t.claim(), "error"))
                .collect();
            results.extend(cmp.of(TransitionKind::Persisting).map(|t| (t.claim(), "note")));
            print_json(&sarif(results, &cmp.head))?;
        }
        Format::Markdown => print!("{}", markdown_comparison(result)),
        Format::Github => {
            let mut introduced: Vec<&CheckedClaim> = cmp
                .of(TransitionKind::Introduced)
                .map(|t| t.claim())
                .filter(|c| fail_on.contains(&c.status))
                .collect();
            introduced.sort_by_key(|c| severity(c.status));
            annotate(&introduced, "error");
            write_step_summary(&markdown_comparison(result))?;
        }
        Format::Text => {
            let paint = Paint::stdout();
            println!("drift {}..{}", short(&cmp.base), short(&cmp.head));
            for note in &result.notes {
                println!("  note: {note}");
            }
            for kind in [
                TransitionKind::Introduced,
                TransitionKind::Persisting,
                TransitionKind::Resolved,
                TransitionKind::Withdrawn,
            ] {
                let list: Vec<_> = cmp.of(kind).collect();
                println!("{} ({})", paint.bold(transition_name(kind)), list.len());
                for t in list {
                    let c = t.claim();
                    println!(
                        "  {} {}:{} {} {} [{} side]",
                        paint.status(c.status),
                        c.claim.file,
                        c.claim.line,
                        kind_name(c),
                        shown(c),
                        side_name(t.side)
                    );
                }
            }
            println!("{} claims without drift on both sides", cmp.unchanged_ok);
            if !cmp.prd_diff.is_empty() {
                println!("\n{}", cmp.prd_diff);
            }
        }
    }
    Ok(())
}

fn markdown_report(run: &DriftRun) -> String {
    let report = &run.report;
    let mut md = format!("## PRD drift at `{}`\n\n", short(&report.commit));
    let _ = writeln!(md, "| status | claims |\n|---|---|");
    for (status, n) in report.counts() {
        let _ = writeln!(md, "| {} | {n} |", status.as_str());
    }
    if let Some(skipped) = skipped_summary(report) {
        let _ = writeln!(md, "\n{skipped}");
    }
    let drift: Vec<_> = report.drift().collect();
    if !drift.is_empty() {
        let _ = writeln!(md, "\n### Drift\n");
        for c in drift {
            let _ = writeln!(md, "{}", md_claim_line(c));
        }
    }
    md
}

fn markdown_comparison(result: &DriftComparison) -> String {
    let cmp = &result.comparison;
    let mut md = format!("## PRD drift `{}`..`{}`\n\n", short(&cmp.base), short(&cmp.head));
    for note in &result.notes {
        let _ = writeln!(md, "> {note}\n");
    }
    let _ = writeln!(md, "| transition | claims |\n|---|---|");
    for kind in [
        TransitionKind::Introduced,
        TransitionKind::Persisting,
        TransitionKind::Resolved,
        TransitionKind::Withdrawn,
    ] {
        let _ = writeln!(md, "| {} | {} |", transition_name(kind), cmp.of(kind).count());
    }
    for kind in [
        TransitionKind::Introduced,
        TransitionKind::Resolved,
        TransitionKind::Persisting,
        TransitionKind::Withdrawn,
    ] {
        let list: Vec<_> = cmp.of(kind).collect();
        if list.is_empty() {
            continue;
        }
        let _ = writeln!(md, "\n### {}\n", transition_name(kind));
        for t in list {
            let _ = writeln!(md, "{} ({} side)", md_claim_line(t.claim()), side_name(t.side));
        }
    }
    if !cmp.prd_diff.is_empty() {
        let _ = writeln!(
            md,
            "\n<details><summary>PRD diff</summary>\n\n```diff\n{}```\n</details>",
            cmp.prd_diff
        );
    }
    md
}

fn md_claim_line(c: &CheckedClaim) -> String {
    format!(
        "- **{}** `{}:{}` {} `{}` — {}",
        c.status.as_str(),
        c.claim.file,
        c.claim.line,
        kind_name(c),
        shown(c).replace('`', "'"),
        c.evidence.join("; ")
    )
}

fn annotate(claims: &[&CheckedClaim], level: &str) {
    for c in claims.iter().take(MAX_ANNOTATIONS) {
        println!(
            "::{level} file={},line={},title={}::{} {} — {}",
            escape_property(&c.claim.file),
            c.claim.line,
            escape_property(&format!("PRD drift: {}", c.status.as_str())),
            kind_name(c),
            escape_annotation(shown(c)),
            escape_annotation(&c.evidence.join("; "))
        );
    }
    if claims.len() > MAX_ANNOTATIONS {
        println!(
            "::notice::{} more drift findings are listed in the step summary",
            claims.len() - MAX_ANNOTATIONS
        );
    }
}

fn write_step_summary(markdown: &str) -> anyhow::Result<()> {
    if let Some(path) = std::env::var_os("GITHUB_STEP_SUMMARY") {
        use std::io::Write;
        let mut file = std::fs::OpenOptions::new().create(true).append(true).open(&path)?;
        file.write_all(markdown.as_bytes())?;
    } else {
        eprint!("{markdown}");
    }
    Ok(())
}

fn sarif(results: Vec<(&CheckedClaim, &str)>, commit: &str) -> Value {
    let rules: Vec<Value> = ["missing", "fake", "partial", "unclaimed", "count_mismatch"]
        .iter()
        .map(|id| {
            let (full, fix) = rule_help(id);
            json!({
                "id": format!("drift/{id}"),
                "name": format!("PrdDrift{}", id.replace('_', "")),
                "shortDescription": {"text": rule_text(id)},
                "fullDescription": {"text": full},
                "help": {
                    "text": format!("{full} {fix}"),
                    "markdown": format!("**{}**\n\n{full}\n\n**How to fix:** {fix}", rule_text(id)),
                },
                "helpUri": "https://git-distill.dev/docs/drift",
                "defaultConfiguration": {"level": "error"},
            })
        })
        .collect();
    let results: Vec<Value> = results
        .into_iter()
        .map(|(c, level)| {
            json!({
                "ruleId": format!("drift/{}", c.status.as_str()),
                "level": level,
                "message": {"text": format!("{} {}: {}", kind_name(c), shown(c), c.evidence.join("; "))},
                "locations": [{"physicalLocation": {
                    "artifactLocation": {"uri": c.claim.file, "uriBaseId": "SRCROOT"},
                    "region": {"startLine": c.claim.line},
                }}],
                "partialFingerprints": {"claimKey/v1": crate::schema::sha256_hex(c.key.as_bytes())},
            })
        })
        .collect();
    let mut run = json!({
        "tool": {"driver": {
            "name": "git-distill",
            "version": env!("CARGO_PKG_VERSION"),
            "informationUri": "https://git-distill.dev",
            "rules": rules,
        }},
        "results": results,
    });
    if let Some(uri) = repository_uri() {
        // Paths are relative to the work tree (SRCROOT), which is this revision's root.
        run["versionControlProvenance"] = json!([{
            "repositoryUri": uri,
            "revisionId": commit,
            "mappedTo": {"uriBaseId": "SRCROOT"},
        }]);
    }
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [run],
    })
}

/// The repository's address for SARIF's version-control provenance: GitHub's, when
/// running in Actions (`GITHUB_SERVER_URL`/`GITHUB_REPOSITORY`); else none, and the
/// provenance is left out (its `repositoryUri` is required).
fn repository_uri() -> Option<String> {
    let server = std::env::var("GITHUB_SERVER_URL").ok()?;
    let repository = std::env::var("GITHUB_REPOSITORY").ok()?;
    Some(format!("{server}/{repository}"))
}

/// What a drift status means in full, and how to fix it.
fn rule_help(id: &str) -> (&'static str, &'static str) {
    match id {
        "missing" => (
            "The PRD names a file, directory or symbol as part of the product, and the repository at this commit does not have it.",
            "Add what the PRD names, correct the path in the PRD, or move the item to a section of planned work.",
        ),
        "fake" => (
            "An item the PRD marks as done names files or symbols none of which exist: the PRD claims work that is not in the code.",
            "Untick the item until the work lands, or fix the names the item uses.",
        ),
        "partial" => (
            "An item the PRD marks as done names several files or symbols, and only some of them exist.",
            "Finish the missing parts, or split the item and untick what is not done.",
        ),
        "unclaimed" => (
            "An item the PRD marks as not done names files or symbols that all exist: the code is ahead of the document.",
            "Tick the item if the work is done, or say what is still missing.",
        ),
        _ => (
            "The PRD states a count (\"3 crates under crates/\") that the repository does not match.",
            "Update the number in the PRD, or the layout it describes.",
        ),
    }
}

fn rule_text(id: &str) -> &'static str {
    match id {
        "missing" => "A path or symbol the PRD names is not in the repository",
        "fake" => "The PRD marks an item done, but nothing it names exists",
        "partial" => "The PRD marks an item done, but only part of what it names exists",
        "unclaimed" => "The PRD marks an item not done, but its code exists",
        _ => "A count stated in the PRD does not match the repository",
    }
}

fn severity(status: ClaimStatus) -> u8 {
    match status {
        ClaimStatus::Fake => 0,
        ClaimStatus::Partial => 1,
        ClaimStatus::Missing => 2,
        ClaimStatus::CountMismatch => 3,
        ClaimStatus::Unclaimed => 4,
        _ => 5,
    }
}

/// One claim as a line of text, and its evidence below it when asked.
fn print_claim(paint: &Paint, c: &CheckedClaim, with_evidence: bool) {
    println!(
        "  {} {}:{} {} {}",
        paint.status(c.status),
        c.claim.file,
        c.claim.line,
        kind_name(c),
        shown(c)
    );
    if with_evidence {
        for e in &c.evidence {
            println!("      {e}");
        }
    }
}

/// What a claim says, as the PRD writes it: an item's own text, or the name it checks.
fn shown(c: &CheckedClaim) -> &str {
    match c.claim.kind {
        crate::drift::ClaimKind::Status => &c.claim.text,
        _ => &c.claim.target,
    }
}

/// "skipped 7 code spans: 3 url, 2 key_binding, …", so a short report on a long PRD is
/// not taken for full coverage.
pub fn skipped_summary(report: &crate::drift::DriftReport) -> Option<String> {
    let total: usize = report.skipped.values().sum();
    (total > 0).then(|| {
        let parts: Vec<String> = report.skipped.iter().map(|(why, n)| format!("{n} {why}")).collect();
        format!(
            "skipped {total} code spans that name nothing in this tree: {}",
            parts.join(", ")
        )
    })
}

fn kind_name(c: &CheckedClaim) -> &'static str {
    match c.claim.kind {
        crate::drift::ClaimKind::Path => "path",
        crate::drift::ClaimKind::Symbol => "symbol",
        crate::drift::ClaimKind::Status => "status",
        crate::drift::ClaimKind::Count => "count",
        crate::drift::ClaimKind::Route => "route",
        crate::drift::ClaimKind::Anchor => "anchor",
    }
}

fn transition_name(kind: TransitionKind) -> &'static str {
    match kind {
        TransitionKind::Introduced => "introduced",
        TransitionKind::Persisting => "persisting",
        TransitionKind::Resolved => "resolved",
        TransitionKind::Withdrawn => "withdrawn",
    }
}

fn side_name(side: crate::drift::Side) -> &'static str {
    match side {
        crate::drift::Side::Doc => "doc",
        crate::drift::Side::Code => "code",
    }
}

/// A workflow command's message, escaped as the Actions runner expects.
fn escape_annotation(text: &str) -> String {
    text.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// A workflow command's property (`file`, `title`): the message's escapes, and `:` and `,`
/// (which would end the property).
fn escape_property(text: &str) -> String {
    escape_annotation(text).replace(':', "%3A").replace(',', "%2C")
}

fn short(id: &str) -> &str {
    id.get(..12).unwrap_or(id)
}

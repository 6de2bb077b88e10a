//! `git distill log`: history with a distill lens.

use super::output::{Paint, page, print_json};
use super::{Context, Exit};
use crate::workflow::log::{LogEntry, LogFilter, log};
use crate::workflow::score::load_rules;
use std::fmt::Write as _;

/// Show commits like `git log --oneline`, each followed by what git-distill holds for
/// it: runs and their categories, models, drift (introduced/resolved against the first
/// parent), receipts and whether they check out. Paged and colored like git.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Revision range (`A..B`) or a revision and its history (default HEAD).
    #[arg(default_value = "HEAD")]
    range: String,
    /// Show at most N commits.
    #[arg(short = 'n', long = "max-count", value_name = "N")]
    max_count: Option<usize>,
    /// Only commits with a run of this category.
    #[arg(long, value_parser = super::named::<crate::schema::Category>())]
    category: Option<crate::schema::Category>,
    /// Only commits with a run whose model contains this text.
    #[arg(long)]
    model: Option<String>,
    /// Only commits whose drift report has drift.
    #[arg(long)]
    drift: bool,
    /// Only commits whose trailers name this agent (claude-code, codex, cursor, aider,
    /// copilot, jules, devin, droid, entire), whether or not its log was captured.
    #[arg(long)]
    agent: Option<String>,
    /// Print JSON.
    #[arg(long, conflicts_with = "markdown")]
    json: bool,
    /// Print a Markdown table (for a pull request's step summary or comment).
    #[arg(long)]
    markdown: bool,
}

/// Run `git distill log`.
pub fn run(ctx: &Context, args: Args) -> anyhow::Result<Exit> {
    let store = ctx.store()?;
    let filter = LogFilter {
        category: args.category,
        model: args.model.clone(),
        drift: args.drift,
        agent: args.agent.clone(),
    };
    let rules = load_rules(&store.workdir(), None)?;
    let entries = log(&store, &args.range, args.max_count, &filter, &rules)?;
    if args.json {
        print_json(&entries)?;
        return Ok(Exit::Ok);
    }
    if args.markdown {
        print!("{}", markdown(&entries));
        return Ok(Exit::Ok);
    }
    page(&render(&entries), ctx.no_pager)?;
    Ok(Exit::Ok)
}

/// Log entries as a Markdown table: one row per commit with its agent runs.
fn markdown(entries: &[LogEntry]) -> String {
    let cell = |s: &str| s.replace('|', "\\|").replace('\n', " ");
    let mut md = String::from(
        "| commit | summary | runs | verdicts | models | agents | drift |\n|---|---|---|---|---|---|---|\n",
    );
    for e in entries {
        let verdicts: Vec<String> = e.categories.iter().map(|(c, n)| format!("{n} {c}")).collect();
        let agents: Vec<&str> = e.agent_trailers.iter().map(|t| t.agent.as_str()).collect();
        let drift = e
            .drift
            .as_ref()
            .map(|d| format!("{} of {} (+{} −{})", d.drifting, d.claims, d.introduced, d.resolved))
            .unwrap_or_default();
        let _ = writeln!(
            md,
            "| `{}` | {} | {} | {} | {} | {} | {} |",
            &e.commit[..12],
            cell(&e.summary),
            e.runs,
            verdicts.join(", "),
            cell(&e.models.join(", ")),
            agents.join(", "),
            drift
        );
    }
    md
}

/// The text of log entries (shared with `git distill demo`).
pub fn render(entries: &[LogEntry]) -> String {
    let paint = Paint::stdout();
    let mut text = String::new();
    for e in entries {
        let _ = writeln!(text, "{} {}", paint.yellow(&e.commit[..12]), e.summary);
        let mut parts = Vec::new();
        if e.runs > 0 {
            let cats: Vec<String> = e.categories.iter().map(|(c, n)| format!("{n} {c}")).collect();
            parts.push(format!(
                "runs {}{}",
                e.runs,
                if cats.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", cats.join(", "))
                }
            ));
            parts.push(format!("models {}", e.models.join(", ")));
        }
        if !e.agent_trailers.is_empty() {
            let agents: Vec<&str> = e.agent_trailers.iter().map(|t| t.agent.as_str()).collect();
            parts.push(format!("agents {}", agents.join(", ")));
        }
        if e.unreadable_lines > 0 {
            parts.push(paint.red(&format!(
                "{} unreadable note lines (see git distill show)",
                e.unreadable_lines
            )));
        }
        if !e.verdict_conflicts.is_empty() {
            parts.push(paint.red(&format!(
                "{} stored verdicts disagree with the evidence (the more cautious counts)",
                e.verdict_conflicts.len()
            )));
        }
        if let Some(d) = &e.drift {
            let mark = if d.drifting == 0 {
                paint.green("no drift")
            } else {
                paint.red(&format!("{} drifting", d.drifting))
            };
            parts.push(format!(
                "drift {mark} of {} claims (+{} −{})",
                d.claims, d.introduced, d.resolved
            ));
        }
        if e.receipts > 0 {
            let ok = if e.receipts_ok == e.receipts {
                paint.green("✓")
            } else {
                paint.red("✗")
            };
            parts.push(format!("receipts {} {ok}", e.receipts));
        }
        if !parts.is_empty() {
            let _ = writeln!(text, "    {}", parts.join(" · "));
        }
    }
    text
}

//! `git distill playbooks`: playbooks from accepted runs.

use super::{Context, Exit, output::print_json};
use crate::playbook::to_markdown;
use crate::workflow::derive::playbooks;
use crate::workflow::score::load_rules;

/// Extract playbooks from accepted runs, grouped by task type and problem pattern:
/// context, routing path, commands that worked and failed, validation steps, files,
/// recovery strategy, failure modes, acceptance criteria — citing only accepted runs.
/// Stored as one file per playbook on refs/distill/playbooks.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
    /// Shorthand for --format json.
    #[arg(long)]
    json: bool,
}

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    /// A line per playbook.
    Text,
    /// Every playbook as JSON.
    Json,
    /// Every playbook as Markdown.
    Md,
}

/// Run `git distill playbooks`.
pub fn run(ctx: &Context, args: Args) -> anyhow::Result<Exit> {
    let store = ctx.store()?;
    let rules = load_rules(&store.workdir(), None)?;
    let built = playbooks(&store, &rules)?;
    match if args.json { Format::Json } else { args.format } {
        Format::Json => print_json(&built)?,
        Format::Md => {
            for p in &built.playbooks {
                println!("{}", to_markdown(p));
            }
        }
        Format::Text => {
            for p in &built.playbooks {
                println!(
                    "{}  {:<14} {:<40} {} runs, {} criteria",
                    p.playbook_id,
                    p.task_type,
                    p.problem_pattern,
                    p.source_run_ids.len(),
                    p.acceptance_criteria.len()
                );
            }
            println!(
                "{} playbooks on refs/distill/playbooks ({})",
                built.playbooks.len(),
                &built.commit[..12]
            );
            println!("receipt {}", built.receipt_id);
        }
    }
    Ok(Exit::Ok)
}

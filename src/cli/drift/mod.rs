//! `git distill drift`: PRD-vs-code drift at a revision, or between two (PR checks).

mod render;

use super::{Context, Exit};
use crate::config::Config;
use crate::drift::ClaimStatus;
use crate::workflow::drift::{DriftRun, compare, report_at, report_worktree};
use anyhow::Context as _;

/// Check the claims of PRD.md against the repository, or compare two revisions.
///
/// With one revision (default HEAD): every claim with its status — verified, pending,
/// missing, fake, partial, unclaimed, count_mismatch — read from git objects only, and
/// stored as a note on refs/notes/distill/drift (a second call reads the note).
/// Exits 1 when the report has drift of a --fail-on status.
///
/// With --base and --head: drift introduced, persisting, resolved and withdrawn between
/// the merge base of the two and head, with the PRD diff. Exits 1 when drift of a
/// --fail-on status was introduced, 0 otherwise, 2 when the check could not run.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Revision to check.
    #[arg(conflicts_with_all = ["base", "head"])]
    rev: Option<String>,
    /// Base revision of a comparison (its merge base with --head is used).
    #[arg(long, requires = "head")]
    base: Option<String>,
    /// Head revision of a comparison.
    #[arg(long, requires = "base")]
    head: Option<String>,
    /// Compare against --base itself, not the merge base.
    #[arg(long, requires = "base")]
    exact_base: bool,
    /// Check the work tree instead of a commit (not stored).
    #[arg(long, conflicts_with_all = ["rev", "base", "head"])]
    worktree: bool,
    /// PRD files to read, comma-separated (default: drift.files in .distill/config.toml, else PRD.md).
    #[arg(long, value_delimiter = ',')]
    files: Option<Vec<String>>,
    /// Statuses that fail the check, comma-separated.
    #[arg(
        long,
        value_delimiter = ',',
        value_parser = super::named_where(ClaimStatus::is_drift),
        default_value = "fake,partial,missing,unclaimed,count_mismatch,stale_removal"
    )]
    fail_on: Vec<ClaimStatus>,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
    /// Shorthand for --format json.
    #[arg(long)]
    json: bool,
    /// Show how each code span on LINE of the PRD was read (path, route, identifier,
    /// skipped and why; its role in the item) and the claims of its block.
    #[arg(long, value_name = "LINE", conflicts_with_all = ["base", "head"])]
    explain: Option<usize>,
}

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Human-readable, colored on a terminal.
    Text,
    /// The report or comparison as JSON.
    Json,
    /// A Markdown summary (for $GITHUB_STEP_SUMMARY).
    Markdown,
    /// GitHub workflow annotations (at most 10), plus the full summary to $GITHUB_STEP_SUMMARY.
    Github,
    /// SARIF 2.1.0 for code scanning.
    Sarif,
}

/// Run `git distill drift`.
pub fn run(ctx: &Context, args: Args) -> anyhow::Result<Exit> {
    let store = ctx.store()?;
    let config = Config::load(&store.workdir())?;
    let files = args.files.clone().unwrap_or_else(|| config.drift.files.clone());
    let fail_on = args.fail_on.clone();
    let format = if args.json { Format::Json } else { args.format };

    if let (Some(base), Some(head)) = (&args.base, &args.head) {
        let base = store.resolve(base).context("--base")?;
        let head = store.resolve(head).context("--head")?;
        let result = compare(&store, &files, base, head, args.exact_base)?;
        render::comparison(&result, format, &fail_on)?;
        let introduced = result
            .comparison
            .of(crate::drift::TransitionKind::Introduced)
            .any(|t| fail_on.contains(&t.claim().status));
        let undecided = result.base.report.inconclusive() || result.head.report.inconclusive();
        return Ok(if introduced {
            Exit::Failed
        } else if undecided {
            Exit::Inconclusive
        } else {
            Exit::Ok
        });
    }

    if let Some(line) = args.explain {
        let commit = match (args.worktree, args.rev.as_deref()) {
            (true, _) => None,
            (false, rev) => Some(store.resolve(rev.unwrap_or("HEAD"))?),
        };
        let explanation = crate::workflow::drift::explain(&store, &files, commit, line)?;
        render::explanation(&explanation, format)?;
        return Ok(Exit::Ok);
    }

    let run: DriftRun = if args.worktree {
        report_worktree(&store, &files)?
    } else {
        let rev = args.rev.as_deref().unwrap_or("HEAD");
        report_at(&store, &files, store.resolve(rev)?)?
    };
    render::report(&run, format)?;
    let no_prd = run.report.prd_files.iter().all(|f| !f.present);
    if no_prd && config.drift.require_prd {
        return Ok(Exit::Failed);
    }
    let drift = run.report.drift().any(|c| fail_on.contains(&c.status));
    Ok(if drift {
        Exit::Failed
    } else if run.report.inconclusive() {
        Exit::Inconclusive
    } else {
        Exit::Ok
    })
}

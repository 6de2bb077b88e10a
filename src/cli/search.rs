//! `git distill search` and `git distill index`: find past runs, playbooks and RAG samples.

use super::score::clip;
use super::{Context, Exit, output::print_json};
use crate::index::Filters;
use crate::workflow::score::load_rules;
use crate::workflow::search::open_index;

/// Search past runs, playbooks and RAG samples (BM25 keyword search, with filters).
///
/// The index is a cache under .git/distill/index, refreshed from the notes and refs
/// before every search (only changed notes are parsed); deleting it loses nothing.
/// Dense embeddings are not available yet, so results are keyword-only and say so.
#[derive(Debug, clap::Args)]
pub struct SearchArgs {
    /// What to look for.
    query: String,
    /// How many results.
    #[arg(short = 'k', default_value_t = 10)]
    k: usize,
    /// Only this task type.
    #[arg(long = "task")]
    task_type: Option<String>,
    /// Only runs of this category.
    #[arg(long, value_parser = ["accepted", "partially_accepted", "rejected", "needs_human_review"])]
    category: Option<String>,
    /// Only models containing this text.
    #[arg(long)]
    model: Option<String>,
    /// Only this kind of document.
    #[arg(long, value_parser = ["run", "playbook", "rag"])]
    kind: Option<String>,
    /// Only this source (as named in .distill/config.toml, or the adapter for ad hoc collects).
    #[arg(long)]
    source: Option<String>,
    /// Only runs linked to commits in this range (`A..B`, or a revision and its history).
    #[arg(long, value_name = "RANGE")]
    commits: Option<String>,
    /// Print JSON.
    #[arg(long)]
    json: bool,
}

/// Refresh the search index and show what it holds.
#[derive(Debug, clap::Args)]
pub struct IndexArgs {
    /// Print JSON.
    #[arg(long)]
    json: bool,
}

/// Run `git distill search`.
pub fn search(ctx: &Context, args: SearchArgs) -> anyhow::Result<Exit> {
    let store = ctx.store()?;
    let rules = load_rules(&store.workdir(), None)?;
    let index = open_index(&store, &rules)?;
    let commits = match &args.commits {
        Some(range) => Some(
            store
                .resolve_range(range, None)?
                .into_iter()
                .map(|c| c.to_string())
                .collect(),
        ),
        None => None,
    };
    let filters = Filters {
        task_type: args.task_type,
        model: args.model,
        category: args.category,
        kind: args.kind,
        source: args.source,
        commits,
    };
    let hits = index.search(&args.query, args.k, &filters);
    if args.json {
        print_json(&serde_json::json!({ "mode": index.stats.mode, "documents": index.stats.documents, "hits": hits }))?;
        return Ok(Exit::Ok);
    }
    println!(
        "{} results ({}: BM25 over {} documents; no embedding model is configured)",
        hits.len(),
        index.stats.mode,
        index.stats.documents
    );
    for h in &hits {
        let d = &h.document;
        println!(
            "{:>2}. {:>6.2}  {:<8} {:<28} {:<18} {:<20} {}",
            h.rank,
            h.score,
            d.kind,
            clip(&d.id, 28),
            if d.category.is_empty() {
                "-"
            } else {
                d.category.as_str()
            },
            clip(&d.model, 20),
            d.commit.get(..12).unwrap_or("-")
        );
        println!("      {}", h.snippet);
    }
    Ok(Exit::Ok)
}

/// Run `git distill index`.
pub fn index(ctx: &Context, args: IndexArgs) -> anyhow::Result<Exit> {
    let store = ctx.store()?;
    let rules = load_rules(&store.workdir(), None)?;
    let index = open_index(&store, &rules)?;
    if args.json {
        print_json(&index.stats)?;
    } else {
        let s = &index.stats;
        println!(
            "{} documents from {} sources ({} parsed now, the rest cached); mode: {}",
            s.documents, s.blobs, s.parsed_blobs, s.mode
        );
    }
    Ok(Exit::Ok)
}

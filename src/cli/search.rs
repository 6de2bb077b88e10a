//! `git distill search` and `git distill index`: find past runs, playbooks and RAG samples.

use super::output::{print_json, progress_bar};
use super::{Context, Exit};
use crate::config::Config;
use crate::index::{Filters, Mode};
use crate::store::Store;
use crate::text::clip;
use crate::workflow::score::load_rules;
use crate::workflow::search::{Index, MODEL_CONFIG_KEY, OnBusy, fusion, model_path, open_index};
use std::path::{Path, PathBuf};

/// Arguments of `git distill search` (help text: the `Command::Search` variant).
#[derive(Debug, clap::Args)]
pub struct SearchArgs {
    /// What to look for.
    query: String,
    /// How many results.
    #[arg(short = 'k', long = "limit", default_value_t = 10)]
    k: usize,
    /// Ranking: hybrid (default with a model), keyword (BM25 only) or dense (embeddings only).
    #[arg(long, value_parser = super::named::<Mode>())]
    mode: Option<Mode>,
    /// Only this task type.
    #[arg(long = "task")]
    task_type: Option<String>,
    /// Only runs of this category.
    #[arg(long, value_parser = super::named::<crate::schema::Category>())]
    category: Option<crate::schema::Category>,
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
    /// Only runs linked to commits after this revision (`--commits <REV>..HEAD`).
    #[arg(long, value_name = "REV", conflicts_with = "commits")]
    since: Option<String>,
    /// Print JSON.
    #[arg(long)]
    json: bool,
}

/// Arguments of `git distill index` (help text: the `Command::Index` variant).
#[derive(Debug, clap::Args)]
pub struct IndexArgs {
    /// Embedding model: a model directory or a .whl holding one; remembered in git config.
    #[arg(long, value_name = "DIR-OR-WHEEL")]
    model: Option<PathBuf>,
    /// Print JSON.
    #[arg(long)]
    json: bool,
}

/// Open the index with the configured model (or `flag`), drawing a bar while embedding.
/// Without `vectors` the model is not even loaded: a keyword search needs none.
fn open(store: &Store, config: &Config, flag: Option<&Path>, vectors: bool, on_busy: OnBusy) -> anyhow::Result<Index> {
    let rules = load_rules(&store.workdir(), None)?;
    let model = model_path(store, config, flag).filter(|_| vectors);
    let bar = progress_bar(
        0,
        "{spinner} embedding {pos}/{len} documents ({per_sec}, {eta} left) {wide_bar}",
    );
    let index = open_index(store, &rules, model.as_deref(), on_busy, &|done, total| {
        bar.set_length(total as u64);
        bar.set_position(done as u64);
    })?;
    bar.finish_and_clear();
    Ok(index)
}

/// Run `git distill search`.
pub fn search(ctx: &Context, args: SearchArgs) -> anyhow::Result<Exit> {
    let store = ctx.store()?;
    let config = Config::load(&store.workdir())?;
    let mode = args.mode;
    let index = open(&store, &config, None, mode != Some(Mode::Keyword), OnBusy::UseAsIs)?;
    let range = args.since.as_ref().map(|rev| format!("{rev}..HEAD")).or(args.commits);
    let commits = match &range {
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
    let (mode, hits) = index.search(&args.query, args.k, mode, fusion(&config), &filters)?;
    if args.json {
        print_json(&serde_json::json!({
            "mode": mode,
            "model": index.stats.model,
            "documents": index.stats.documents,
            "stale": index.stats.stale,
            "hits": hits,
        }))?;
        return Ok(Exit::Ok);
    }
    let how = match (mode, &index.stats.model) {
        (Mode::Keyword, _) if args.mode.is_some() => "BM25 only".to_owned(),
        (Mode::Keyword, _) => "BM25; no embedding model is configured".to_owned(),
        (Mode::Dense, Some(m)) => format!("embeddings from {m}"),
        (_, m) => format!(
            "BM25 + embeddings from {}, reciprocal rank fusion",
            m.as_deref().unwrap_or("?")
        ),
    };
    println!(
        "{} results ({}: {how}; {} documents{})",
        hits.len(),
        mode.as_str(),
        index.stats.documents,
        if index.stats.stale {
            "; another process is updating the index, newest runs may be missing"
        } else {
            ""
        }
    );
    let paint = super::output::Paint::stdout();
    for h in &hits {
        let d = &h.document;
        println!(
            "{:>2}. {:>6.3}  {:<8} {:<28} {:<18} {:<20} {}",
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
        println!("      {}", paint.marked(&h.snippet));
    }
    Ok(Exit::Ok)
}

/// Run `git distill index`.
pub fn index(ctx: &Context, args: IndexArgs) -> anyhow::Result<Exit> {
    let store = ctx.store()?;
    let config = Config::load(&store.workdir())?;
    let flag = match &args.model {
        Some(p) => {
            let p = ctx.path(p);
            Some(std::fs::canonicalize(&p).map_err(|e| anyhow::anyhow!("{}: {e}", p.display()))?)
        }
        None => None,
    };
    let index = open(&store, &config, flag.as_deref(), true, OnBusy::Wait)?;
    if let Some(p) = &flag {
        // Remember it only once it loaded and embedded.
        store.set_config_value(MODEL_CONFIG_KEY, &p.to_string_lossy())?;
    }
    let s = &index.stats;
    if args.json {
        print_json(s)?;
    } else {
        println!(
            "{} documents in {} segments ({} lines parsed now: {} added, {} removed); mode: {}",
            s.documents,
            s.segments,
            s.parsed,
            s.added,
            s.removed,
            s.mode.as_str()
        );
        if s.stale {
            println!("another process is updating the index; this is the index as it was");
        }
        match (&s.model, &s.model_id) {
            (Some(m), Some(id)) => println!("embeddings: {m} (model {id}); {} embedded now", s.embedded),
            _ => println!("embeddings: none (set a model with `git distill index --model <dir-or-wheel>`)"),
        }
    }
    Ok(Exit::Ok)
}

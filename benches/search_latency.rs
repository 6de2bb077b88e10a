//! Query latency of `git distill search` once its index is loaded: p50 and p95 per mode
//! over a list of queries, on a repository already indexed (benches/search_scale.sh
//! builds one with 100,000 records). Each timed query embeds its text, ranks by BM25 and
//! by cosine over every record, fuses and cuts snippets: everything but process start.
//!
//! Usage: cargo bench --bench search_latency -- <repo> <queries-file>

use git_distill::config::Config;
use git_distill::index::{Filters, Mode};
use git_distill::store::Store;
use git_distill::workflow::score::load_rules;
use git_distill::workflow::search::{OnBusy, fusion, model_path, open_index};
use std::path::Path;
use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).filter(|a| a != "--bench").collect();
    let [repo, queries] = args.as_slice() else {
        return Err("usage: search_latency <repo> <queries-file>".into());
    };
    let store = Store::discover(Path::new(repo))?;
    let config = Config::load(&store.workdir())?;
    let rules = load_rules(&store.workdir(), None)?;
    let started = Instant::now();
    let model = model_path(&store, &config, None);
    let index = open_index(&store, &rules, model.as_deref(), OnBusy::Wait, &|_, _| {})?;
    println!(
        "opened {} documents ({}) in {:.2} s",
        index.stats.documents,
        index.stats.mode.as_str(),
        started.elapsed().as_secs_f64()
    );
    let queries: Vec<String> = std::fs::read_to_string(queries)?
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(str::to_owned)
        .collect();
    let modes: &[Mode] = if index.stats.model.is_some() {
        &[Mode::Keyword, Mode::Dense, Mode::Hybrid]
    } else {
        &[Mode::Keyword]
    };
    for &mode in modes {
        let mut millis = Vec::with_capacity(queries.len());
        for (i, q) in queries.iter().enumerate() {
            let t = Instant::now();
            let (_, hits) = index.search(q, 10, Some(mode), fusion(&config), &Filters::default())?;
            let elapsed = t.elapsed().as_secs_f64() * 1000.0;
            std::hint::black_box(hits);
            if i >= 3 {
                millis.push(elapsed); // the first few warm caches
            }
        }
        millis.sort_by(f64::total_cmp);
        let at = |p: f64| millis[((millis.len() as f64 - 1.0) * p).round() as usize];
        println!(
            "  {:<13} {} queries: p50 {:6.2} ms  p95 {:6.2} ms  max {:6.2} ms",
            mode.as_str(),
            millis.len(),
            at(0.50),
            at(0.95),
            at(1.0)
        );
    }
    Ok(())
}

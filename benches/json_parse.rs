//! The floor collect is measured against: parse every line of a JSONL file into a
//! `serde_json::Value` and nothing else (one thread, as `jq` runs). Prints the seconds
//! taken, the lines parsed and the throughput.
//!
//! Usage: cargo bench --bench json_parse -- <file.jsonl>

use std::io::BufRead;
use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).filter(|a| a != "--bench").collect();
    let [path] = args.as_slice() else {
        return Err("usage: json_parse <file.jsonl>".into());
    };
    let started = Instant::now();
    let mut reader = std::io::BufReader::with_capacity(1 << 20, std::fs::File::open(path)?);
    let (mut line, mut lines, mut bytes) = (Vec::new(), 0u64, 0u64);
    loop {
        line.clear();
        let n = reader.read_until(b'\n', &mut line)?;
        if n == 0 {
            break;
        }
        bytes += n as u64;
        let value: serde_json::Value = serde_json::from_slice(&line)?;
        std::hint::black_box(value);
        lines += 1;
    }
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "{seconds:.3} s {lines} lines {:.1} MB/s",
        bytes as f64 / 1048576.0 / seconds
    );
    Ok(())
}

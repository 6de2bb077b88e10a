#!/usr/bin/env bash
# Fetch a BEIR dataset (default: scifact) into benches/work/<name>/ for
# benches/retrieval_quality.rs. BEIR's data is CC BY-NC / per-dataset licensed: it is
# downloaded into the (git-ignored) working directory, never committed.
# Usage: benches/beir_fetch.sh [dataset]
set -euo pipefail
name=${1:-scifact}
dir="$(cd "$(dirname "$0")" && pwd)/work"
mkdir -p "$dir"
curl -fSL "https://public.ukp.informatik.tu-darmstadt.de/thakur/BEIR/datasets/$name.zip" -o "$dir/$name.zip"
unzip -q -o "$dir/$name.zip" -d "$dir"
echo "ready: $dir/$name (corpus.jsonl, queries.jsonl, qrels/test.tsv)"
echo "run:   cargo bench --bench retrieval_quality -- $dir/$name <model-dir-or-wheel>"

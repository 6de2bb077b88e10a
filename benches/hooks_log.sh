#!/usr/bin/env bash
# Benchmarks for the everyday paths:
#   1. `git distill hook post-commit` on a repository with no new logs (goal < 300 ms),
#      and `git distill agent-hook` as an agent runs it (goal < 100 ms)
#   2. `git distill log` over N commits with evidence notes vs `git log --notes=distill/evidence`
# Usage: benches/hooks_log.sh [N]      (default 10,000 commits)
set -euo pipefail
N=${1:-10000}
source "$(dirname "$0")/common.sh"

# 1. post-commit with nothing new: the demo repository, then the hook run 20 times.
"$bin" demo "$work/demo" > /dev/null
cd "$work/demo"
t0=$(now)
for _ in $(seq 20); do "$bin" hook post-commit; done
t1=$(now)
hook_ms=$(echo "($t1 - $t0) * 1000 / 20" | bc -l)

# 1b. what a coding agent's hook runs at the end of each turn (goal < 100 ms).
payload="{\"session_id\":\"s1\",\"transcript_path\":\"$work/none.jsonl\",\"cwd\":\"$work/demo\",\"hook_event_name\":\"Stop\"}"
t0=$(now)
for _ in $(seq 20); do echo "$payload" | "$bin" agent-hook claude-code; done
t1=$(now)
agent_ms=$(echo "($t1 - $t0) * 1000 / 20" | bc -l)

# 2. log over N commits, each with one evidence record.
git init -q "$work/long"
cd "$work/long"
python3 - "$N" <<'PY' | git fast-import --quiet
import sys
n = int(sys.argv[1])
for i in range(n):
    msg = f"commit {i}"
    sys.stdout.write(f"commit refs/heads/main\nmark :{i+1}\ncommitter b <b@e> {1700000000+i*60} +0000\ndata {len(msg)}\n{msg}\n")
    if i:
        sys.stdout.write(f"from :{i}\n")
    sys.stdout.write("\n")
PY
git reset -q --hard main
git rev-list main | python3 -c '
import sys, json
for i, c in enumerate(sys.stdin.read().split()):
    r = {"schema_version": 1, "run_id": f"run-{i}", "task_id": f"t{i%50}", "task_type": "bugfix",
         "timestamp": "2026-01-01T00:00:00Z", "model_name": ["model-a", "model-b"][i % 2], "model_role": "executor",
         "input_hash": "a"*64, "output_hash": "b"*64, "provenance": {"source_file": "x.jsonl", "line_offset": i,
         "sig_hash": "%064x" % i, "recorded_at": "2026-01-01T00:00:00Z"}}
    print(c + "\t" + json.dumps(r, separators=(",", ":")))
' > "$work/import.tsv"
"$bin" notes import --kind evidence "$work/import.tsv" > /dev/null
t0=$(now); git log --notes=distill/evidence --oneline > /dev/null; t1=$(now)
git_s=$(echo "$t1 - $t0" | bc -l)
t0=$(now); "$bin" --no-pager log > /dev/null; t1=$(now)
cold_s=$(echo "$t1 - $t0" | bc -l)
# Again: verdicts recomputed from evidence are cached per note blob under the git dir.
t0=$(now); "$bin" --no-pager log > /dev/null; t1=$(now)
log_s=$(echo "$t1 - $t0" | bc -l)

printf 'post-commit hook, no new logs  : %7.1f ms (mean of 20)\n' "$hook_ms"
printf 'agent-hook (Stop event)        : %7.1f ms (mean of 20)\n' "$agent_ms"
printf 'log over %d commits with notes:\n' "$N"
printf '  git log --notes=distill/evidence : %7.3f s\n' "$git_s"
printf '  git distill log, first run       : %7.3f s (%.2fx; scores every run)\n' "$cold_s" "$(echo "$cold_s / $git_s" | bc -l)"
printf '  git distill log                  : %7.3f s\n' "$log_s"
printf '  ratio                            : %7.2fx\n' "$(echo "$log_s / $git_s" | bc -l)"

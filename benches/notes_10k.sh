#!/usr/bin/env bash
# Benchmark: attach a small JSON note to each of N commits (default 10,000).
#   git-distill notes import (one batch, one notes commit)
#   vs a `git notes add` loop (one process per note)
#   vs one `git fast-import` stream (git's fastest bulk path)
# Usage: benches/notes_10k.sh [N]      (builds the release binary first)
set -euo pipefail
N=${1:-10000}
source "$(dirname "$0")/common.sh"

git init -q "$work/repo"
cd "$work/repo"
python3 - "$N" <<'PY' | git fast-import --quiet
import sys
n = int(sys.argv[1])
out = sys.stdout
for i in range(n):
    msg = f"commit {i}"
    out.write(f"commit refs/heads/main\nmark :{i+1}\ncommitter b <b@e> {1700000000+i} +0000\ndata {len(msg)}\n{msg}\n")
    if i:
        out.write(f"from :{i}\n")
    out.write("\n")
PY
git rev-list main > "$work/ids"
awk '{printf "%s\t{\"run\":%d,\"ok\":true}\n", $1, NR}' "$work/ids" > "$work/import.tsv"

elapsed() { echo "$2 - $1" | bc; }

t0=$(now); "$bin" notes import --kind bench "$work/import.tsv" >/dev/null; t1=$(now)
distill=$(elapsed "$t0" "$t1")
test "$(git notes --ref=distill/bench list | wc -l)" -eq "$N"

{
  echo "commit refs/notes/fastimport"
  echo "committer b <b@e> 1700000000 +0000"
  echo "data 5"; echo "bench"
  awk '{printf "N inline %s\ndata %d\n{\"run\":%d,\"ok\":true}\n", $1, length(sprintf("{\"run\":%d,\"ok\":true}", NR)), NR}' "$work/ids"
} > "$work/stream"
t0=$(now); git fast-import --quiet < "$work/stream"; t1=$(now)
fastimport=$(elapsed "$t0" "$t1")
test "$(git notes --ref=fastimport list | wc -l)" -eq "$N"

t0=$(now)
i=0
while read -r id; do
  i=$((i+1))
  git notes --ref=loop add -m "{\"run\":$i,\"ok\":true}" "$id"
done < "$work/ids"
t1=$(now)
loop=$(elapsed "$t0" "$t1")

printf 'notes on %d commits\n' "$N"
printf '  git-distill notes import : %8.3f s\n' "$distill"
printf '  git fast-import stream   : %8.3f s\n' "$fastimport"
printf '  git notes add loop       : %8.3f s\n' "$loop"
printf '  loop / git-distill       : %8.1fx faster\n' "$(echo "$loop / $distill" | bc -l)"
printf '  git-distill / fast-import: %8.2fx\n' "$(echo "$distill / $fastimport" | bc -l)"

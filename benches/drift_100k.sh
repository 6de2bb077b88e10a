#!/usr/bin/env bash
# Benchmark: a PRD of 1,000 claims checked against a tree of 100,000 files.
#   git-distill drift <rev>            (fresh check, no cached note)
#   git-distill drift --base --head    (comparison of two revisions, both fresh)
#   vs the naive way: one `git cat-file -e <rev>:<path>` per path claim
# Usage: benches/drift_100k.sh [FILES] [CLAIMS]
set -euo pipefail
FILES=${1:-100000}
CLAIMS=${2:-1000}
source "$(dirname "$0")/common.sh"
git init -q "$work/repo"
cd "$work/repo"
python3 - "$FILES" "$CLAIMS" <<'PY' | git fast-import --quiet
import sys
files, claims = int(sys.argv[1]), int(sys.argv[2])
out = sys.stdout
src = "pub fn handler() {}\npub struct Thing;\n"
out.write(f"blob\nmark :1\ndata {len(src)}\n{src}\n")
def prd(version):
    lines = ["# Benchmark PRD", ""]
    per_section = 50
    for i in range(claims):
        if i % per_section == 0:
            lines += ["", f"## Section {i // per_section} ({'shipped' if i % 100 == 0 else 'notes'})", ""]
        d = i % 1000
        present = (i + version) % 10 != 0
        path = f"crates/c{d % 100}/src/m{d}.rs" if present else f"crates/gone/src/m{i}.rs"
        kind = i % 4
        if kind == 0:
            lines.append(f"- The module `{path}` handles part {i}.")
        elif kind == 1:
            lines.append(f"- [x] Part {i} is in `{path}::handler`")
        elif kind == 2:
            lines.append(f"- [ ] Part {i} planned in `{path}`")
        else:
            lines.append(f"- Part {i} uses `handler()` in `{path}` and [docs](docs/d{d}.md)")
    lines += ["", "There are 100 crates under `crates/`."]
    return "\n".join(lines) + "\n"
for version, mark in ((0, 2), (1, 3)):
    text = prd(version)
    out.write(f"blob\nmark :{mark}\ndata {len(text.encode())}\n{text}\n")
out.write("commit refs/heads/main\nmark :10\ncommitter b <b@e> 1700000000 +0000\ndata 4\nbase\n")
for i in range(files):
    out.write(f"M 644 :1 crates/c{i % 100}/src/m{i % 1000 if i < 1000 else i}.rs\n")
for d in range(1000):
    out.write(f"M 644 :1 docs/d{d}.md\n")
out.write("M 644 :2 PRD.md\n\n")
out.write("commit refs/heads/main\nmark :11\ncommitter b <b@e> 1700000060 +0000\ndata 5\nhead\nfrom :10\nM 644 :3 PRD.md\n\n")
PY
git reset -q --hard main
echo "tree: $(git ls-tree -r HEAD | wc -l) files"

t0=$(now); "$bin" drift HEAD --json > "$work/report.json" || true; t1=$(now)
check=$(echo "$t1 - $t0" | bc)
claims=$(python3 -c "import json,sys; print(len(json.load(open('$work/report.json'))['claims']))")
git update-ref -d refs/notes/distill/drift
t0=$(now); "$bin" drift --base HEAD~1 --head HEAD --exact-base --json > /dev/null || true; t1=$(now)
compare=$(echo "$t1 - $t0" | bc)

grep -o '`crates/[^`:]*`' PRD.md | tr -d '`' > "$work/paths"
t0=$(now)
while read -r p; do git cat-file -e "HEAD:$p" 2>/dev/null || true; done < "$work/paths"
t1=$(now)
naive=$(echo "$t1 - $t0" | bc)

printf 'PRD with %d claims against %d files\n' "$claims" "$(git ls-tree -r HEAD | wc -l)"
printf '  git-distill drift (check)     : %7.3f s\n' "$check"
printf '  git-distill drift (compare)   : %7.3f s\n' "$compare"
printf '  naive cat-file -e loop (%d paths): %7.3f s\n' "$(wc -l < "$work/paths")" "$naive"
printf '  naive / check                 : %7.1fx\n' "$(echo "$naive / $check" | bc -l)"

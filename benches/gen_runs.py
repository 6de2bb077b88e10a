#!/usr/bin/env python3
"""Generate N seeded agent runs (JSONL) and 203 queries for the search benchmarks.

Usage: gen_runs.py N RUNS_JSONL QUERIES_TXT [FIRST_ID]
"""
import json, random, sys
n, runs, queries = int(sys.argv[1]), sys.argv[2], sys.argv[3]
first = int(sys.argv[4]) if len(sys.argv) > 4 else 0
rng = random.Random(7 + first)
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
    for i in range(first, first + n):
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

#!/usr/bin/env python3
"""Time whole commands, one per query: p50 / p95 wall time and the largest peak RSS.

Usage: whole_command.py QUERIES_TXT COUNT -- COMMAND... ({} is replaced by the query;
a single argument is run by the shell, with the query quoted)
Prints: p50_ms p95_ms max_rss_mb
"""
import os, shlex, subprocess, sys, time

queries_file, count = sys.argv[1], int(sys.argv[2])
template = sys.argv[sys.argv.index("--") + 1:]
with open(queries_file) as f:
    queries = [q.strip() for q in f if q.strip()][:count]
times, rss = [], 0
for q in queries:
    shell = len(template) == 1  # one argument: a shell pipeline
    argv = [a.replace("{}", shlex.quote(q) if shell else q) for a in template]
    start = time.perf_counter()
    p = subprocess.Popen(argv[0] if shell else argv, shell=shell, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(p.pid, 0)
    times.append((time.perf_counter() - start) * 1000)
    rss = max(rss, usage.ru_maxrss)
times.sort()
pick = lambda p: times[min(len(times) - 1, int(p * len(times)))]
print(f"{pick(0.5):.1f} {pick(0.95):.1f} {rss / 1024:.0f}")

#!/usr/bin/env bash
# Sweep throughput: plans, runs and merges scenarios/sweeps/benchmark_1000.json (1000 runs of the
# default scenario) and prints the wall time of each step, runs per second and the CPU time of the
# runs. A benchmark, not a timed test: the figure quoted in docs/sweeps.md comes from here.
# Usage: tests/perf/sweep_benchmark.sh MIGSIM [JOBS] [SWEEP.json]
set -eu
migsim=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
jobs=${2:-2}
src=$(cd "$(dirname "$0")/../.." && pwd)
sweep=${3:-$src/scenarios/sweeps/benchmark_1000.json}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

now() { date +%s.%N; }
t0=$(now)
"$migsim" sweep plan "$sweep" --out "$work/sweep" >/dev/null
t1=$(now)
# CPU seconds of the run step, children included: on a busy machine wall time alone says little.
/usr/bin/time -f "%U %S" -o "$work/cpu" "$migsim" sweep run "$work/sweep" --jobs "$jobs" --quiet || true
t2=$(now)
"$migsim" sweep merge "$work/sweep" --quiet || true
t3=$(now)

runs=$(($(wc -l <"$work/sweep/plan.csv") - 1))
ok=$(cut -d, -f2 "$work/sweep/summary.csv" | grep -c '^ok$' || true)
echo "sweep:  $sweep"
echo "host:   $(nproc) cores, $(uname -sr), --jobs $jobs"
read -r user sys <"$work/cpu"
echo "load:   $(cut -d' ' -f1-3 /proc/loadavg) (load average before the merge)"
awk -v p="$t0" -v r="$t1" -v m="$t2" -v e="$t3" -v n="$runs" -v ok="$ok" -v u="$user" -v s="$sys" -v j="$jobs" 'BEGIN {
  printf "plan:   %7.1f s\n", r - p
  printf "run:    %7.1f s for %d runs (%d ok): %.1f runs/s, %.0f ms of wall time per run\n", m - r, n, ok, n / (m - r), 1000 * (m - r) / n
  printf "        %7.1f s of CPU (user %.1f + system %.1f): %.0f ms per run, %.1f s of wall time on %d idle cores\n", u + s, u, s, 1000 * (u + s) / n, (u + s) / j, j
  printf "merge:  %7.1f s\n", e - m
  printf "total:  %7.1f s\n", e - p
}'

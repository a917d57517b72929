#!/usr/bin/env bash
# `make bench`: the performance targets of issue 12 as ratios measured side by side in one run, plus the
# absolute figures behind them and the machine they come from (docs/performance.md).
#   io_on / io_off     the built-in default scenario with its guest IO against the same scenario with IO off
#   database / io_off  scenarios/paper/database.json against the IO-off default
#   migsim / plugin    an idle 4 GiB VM migrated by pre-copy over the default LAN (1 Gbps, 100 us, CM02;
#                      tests/perf/lan_platform.xml) by migsim (tests/perf/idle_4gib_lan.json) and by
#                      SimGrid's live-migration plugin (tests/perf/plugin_migration.cpp, built here
#                      against the installed libsimgrid)
#   sweep fixed cost   CPU per run of `migsim sweep run --jobs 1` over runs of a 64 MiB guest that
#                      simulates next to nothing (an upper bound of the per-run cost of the sweep itself):
#                      the difference between a sweep of 90 such runs and one of 30, over 60, so that the
#                      sweep process's own start (loading, reading the plan), paid once, is left out
#   1 TiB              peak RSS of a 1 TiB guest (IO off, pre-copy), and CPU per GiB from 1 GiB up
# Commands of a pair run in turn (A B A B ...) and each figure is the median of RUNS runs; the ratios are
# of CPU time (user + system, the operating system's accounting of each process and its children):
# on a machine shared with other work, wall time measures the neighbours as much as migsim.
# Usage: tests/perf/bench.sh MIGSIM [RUNS]      Needs python3, g++, pkg-config and libsimgrid-dev.
set -euo pipefail
migsim=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
runs=${2:-7}
src=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

plugin=$work/plugin_migration
g++ -std=c++17 -O2 "$src/tests/perf/plugin_migration.cpp" -o "$plugin" $(pkg-config --cflags --libs simgrid)

# once LABEL CMD...: runs CMD once (tests/perf/measure.py), appends "cpu_s wall_s peak_KiB" to $work/LABEL.
# A run's result folder is moved aside, not removed, until the end (see the sweep below for why).
count=0
once() {
  local label=$1
  shift
  python3 "$src/tests/perf/measure.py" "$@" >>"$work/$label"
  count=$((count + 1))
  if [ -e "$work/out" ]; then mv "$work/out" "$work/out$count"; fi
}
median() {  # median LABEL COLUMN
  cut -d' ' -f"$2" "$work/$1" | sort -g | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }

run=("$migsim" run --quiet --out "$work/out")
for i in $(seq "$runs"); do
  once io_on "${run[@]}"
  once io_off "${run[@]}" --set /workload/io/profile=none
  once database "${run[@]}" "$src/scenarios/paper/database.json"
  once migsim_idle "${run[@]}" "$src/tests/perf/idle_4gib_lan.json"
  once plugin_idle "$plugin" "$src/tests/perf/lan_platform.xml" source destination 4294967296 --cfg=network/model:CM02
done

# The sweep: 30 and 90 runs, RUNS repetitions. Each sweep gets a new folder and all are removed at the
# end: on ext4 without a journal, creating files right after many were deleted costs the inode
# allocator a scan past each of them, which would bill the benchmark's own clean-up to the runs.
for n in 30 90; do
  cat >"$work/tiny$n.json" <<JSON
{ "name": "bench-tiny", "replications": $n, "policies": ["precopy"],
  "set": { "/vm/memory": "64MiB", "/workload/io/profile": "none", "/migration/start": 0,
           "/output/observe_after": 0 } }
JSON
done
for i in $(seq "$runs"); do
  for n in 30 90; do
    "$migsim" sweep plan "$work/tiny$n.json" --out "$work/sweep$n-$i" >/dev/null
    python3 "$src/tests/perf/measure.py" "$migsim" sweep run "$work/sweep$n-$i" --jobs 1 --quiet >>"$work/sweep$n"
  done
  once single "${run[@]}" --policy precopy --set /vm/memory=64MiB --set /workload/io/profile=none \
    --set /migration/start=0 --set /output/observe_after=0
done

for g in 1 16 256 1024; do
  once "size_$g" "${run[@]}" --policy precopy --set /vm/memory="${g}GiB" --set /workload/io/profile=none --set /migration/start=0
done

c() { median "$1" 1; }
w() { median "$1" 2; }
echo "host:  $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), $(uname -sr)"
echo "load:  $(cut -d' ' -f1-3 /proc/loadavg) (load average at the end)   runs per figure: $runs (medians)"
echo "build: $migsim ($(git -C "$src" rev-parse --short HEAD 2>/dev/null || echo '?'))"
echo
row() { printf "%-36s %10s %10s\n" "$@"; }
row "ratio (CPU time)" measured target
row "default io_on / io_off" "$(ratio "$(c io_on)" "$(c io_off)")" "<= 4"
row "database / default io_off" "$(ratio "$(c database)" "$(c io_off)")" "<= 6"
row "idle 4 GiB: migsim / plugin" "$(ratio "$(c migsim_idle)" "$(c plugin_idle)")" "<= 1"
row "sweep CPU per run (ms)" "$(awk -v a="$(c sweep90)" -v b="$(c sweep30)" 'BEGIN {printf "%.1f", 1000 * (a - b) / 60}')" "<= 5"
row "1 TiB peak RSS (MiB)" "$(($(cut -d' ' -f3 "$work/size_1024") / 1024))" "<= 200"
row "CPU per GiB: 1 TiB / 16 GiB" \
  "$(ratio "$(awk -v a="$(c size_1024)" 'BEGIN {print a / 1024}')" "$(awk -v a="$(c size_16)" 'BEGIN {print a / 16}')")" "~1"
echo
printf "%-36s %10s %10s %10s\n" "absolute (medians)" cpu_s wall_s peak_MiB
for l in io_on io_off database migsim_idle plugin_idle single sweep30 sweep90 size_1 size_16 size_256 size_1024; do
  printf "%-36s %10.3f %10.3f %10d\n" "$l" "$(c $l)" "$(w $l)" "$(($(median $l 3) / 1024))"
done
echo "(single: one 64 MiB run as its own process; sweep30, sweep90: the whole 'sweep run' of 30 and 90 such runs)"

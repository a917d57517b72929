#!/usr/bin/env bash
# Benchmark: evacuating a host of 32 VMs of 4 GiB each (scenarios/examples/evacuate_32_vms.json: the
# default guest without its storage IO, pre-copy, 10 MB/s hot-set dirtying), in each evacuation mode.
# Prints simulated evacuation time, wall time and peak memory of the whole process (GNU time).
# Usage: tests/perf/evacuation_benchmark.sh [MIGSIM]
set -euo pipefail
migsim=${1:-build/migsim}
here=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
printf "%-12s %10s %16s %10s %10s\n" mode status evacuation_s wall_s peak_MiB
for mode in sequential batch parallel; do
  /usr/bin/time -f "%e %M" -o "$work/t" "$migsim" run "$here/scenarios/examples/evacuate_32_vms.json" \
    --set /evacuation/mode="$mode" --out "$work/$mode" --quiet
  read -r s m <"$work/t"
  IFS=, read -r -a plan < <(tail -n 1 "$work/$mode/summary.csv")
  printf "%-12s %10s %16.1f %10s %10d\n" "$mode" "${plan[15]}" "${plan[10]}" "$s" "$((m / 1024))"
done

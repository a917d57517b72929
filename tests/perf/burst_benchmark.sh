#!/usr/bin/env bash
# The burst of docs/datacentre.md ("Speed"): N idle 1 GiB VMs (default 1000) leave one host at once over
# one 10 Gbit/s link, simulated by migsim (a data centre's plan: rack0-host0 -> rack0-host1, 10 Gbit/s
# NICs, pre-copy, time series every 100 s) and by SimGrid's live-migration plugin (one actor per VM
# calling sg_vm_migrate, tests/perf/plugin_migration.cpp, on tests/perf/burst_platform.xml), in turn,
# RUNS times each (default 3). Prints the medians of wall time and peak memory, and their ratios.
# Usage: tests/perf/burst_benchmark.sh MIGSIM [N] [RUNS]   Needs python3, g++, pkg-config, libsimgrid-dev.
set -euo pipefail
migsim=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
n=${2:-1000}
runs=${3:-3}
src=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

plugin=$work/plugin_migration
g++ -std=c++17 -O2 "$src/tests/perf/plugin_migration.cpp" -o "$plugin" $(pkg-config --cflags --libs simgrid)
python3 - "$n" >"$work/burst.json" <<'PY'
import json, sys
n = int(sys.argv[1])
print(json.dumps({
    "name": "burst",
    "datacentre": {"racks": [{"hosts": 2, "host": {"memory": "2TiB", "nic": "10Gbps", "nic_latency": "5us"}}]},
    "vm": {"memory": "1GiB", "page_cache": {"clean": 0, "dirty": 0}, "free": 0},
    "workload": {"dirty": {"rate": 0}, "io": {"profile": "none"}},
    "migration": {"policy": "precopy"},
    "output": {"sample_interval": "100s"},
    "vms": [{"name": f"vm{i}", "host": "rack0-host0", "cpu": 0} for i in range(n)],
    "plan": {"migrations": [{"vm": f"vm{i}", "to": "rack0-host1"} for i in range(n)]},
}))
PY
for i in $(seq "$runs"); do
  python3 "$src/tests/perf/measure.py" "$migsim" run --quiet "$work/burst.json" --out "$work/out$i" >>"$work/migsim"
  python3 "$src/tests/perf/measure.py" "$plugin" "$src/tests/perf/burst_platform.xml" source destination 1073741824 \
    --vms="$n" --cfg=network/model:CM02 >>"$work/plugin"
done
median() {  # median FILE COLUMN
  cut -d' ' -f"$2" "$1" | sort -g | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'
}
simulated=$(cut -d, -f8 "$work/out1/plan_summary.csv" | tail -1)
plugin_simulated=$("$plugin" "$src/tests/perf/burst_platform.xml" source destination 1073741824 --vms="$n" --cfg=network/model:CM02)
echo "host:  $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); $n VMs of 1 GiB, $runs runs each (medians)"
printf "%-10s %12s %10s %10s %10s\n" "" simulated_s cpu_s wall_s peak_MiB
for t in migsim plugin; do
  s=$simulated
  [ "$t" = plugin ] && s=$plugin_simulated
  printf "%-10s %12.3f %10.2f %10.2f %10d\n" "$t" "$s" "$(median "$work/$t" 1)" "$(median "$work/$t" 2)" \
    "$(($(median "$work/$t" 3) / 1024))"
done
awk -v a="$(median "$work/migsim" 2)" -v b="$(median "$work/plugin" 2)" -v c="$(median "$work/migsim" 3)" \
  -v d="$(median "$work/plugin" 3)" 'BEGIN {printf "ratio migsim / plugin: wall %.1f (target <= 2), peak memory %.1f (target <= 4)\n", a / b, c / d}'

#!/usr/bin/env bash
# A sweep file with policy variants (docs/sweeps.md): planned, run and merged, the labels in the plan
# and in every merged CSV, and each run's scenario.json carrying the variant.
# Usage: sweep_variants_test.sh MIGSIM SOURCE_DIR
set -u
migsim=$1
src=$(cd "$2" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$1" "$work/migsim" && migsim=$work/migsim  # a rebuild during the test must not mix builds
. "$(dirname "$0")/../check.sh"  # passed, failed, check()

cat >"$work/variants.json" <<JSON
{
  "name": "variants",
  "base": "$src/scenarios/default.json",
  "set": { "/vm/memory": "256MiB", "/workload/io/profile": "none", "/workload/dirty/pattern": "uniform" },
  "grid": { "/workload/dirty/rate": ["60MBps", "100MBps"] },
  "policies": ["hybrid", "hybrid:precopy_rounds=1",
               {"policy": "hybrid", "params": {"precopy_rounds": 10}, "label": "hybrid after 10"}]
}
JSON
"$migsim" sweep "$work/variants.json" --out "$work/s" --jobs 2 >"$work/stdout" 2>"$work/stderr"
status=$?
check "the sweep runs (exit $status)" test "$status" -eq 0
[ "$status" -eq 0 ] || cat "$work/stderr"
check "plan.csv has the labels" test "$(cut -d, -f4 "$work/s/plan.csv" | sort -u | tr '\n' '|')" = "hybrid|hybrid after 10|hybrid:precopy_rounds=1|policy|"
for f in summary rounds timeseries; do
  check "merged $f.csv has the variant label" grep -q ",hybrid:precopy_rounds=1," "$work/s/$f.csv"
  check "merged $f.csv has the given label" grep -q ",hybrid after 10," "$work/s/$f.csv"
  check "merged $f.csv keeps the plain name" grep -q ",hybrid," "$work/s/$f.csv"
done
check "6 merged rows" test "$(wc -l <"$work/s/summary.csv")" -eq 7
check "sweep.json lists the labels" grep -q '"hybrid after 10"' "$work/s/sweep.json"
run=$(grep -l '"hybrid after 10"' "$work"/s/runs/*/scenario.json | head -1)
check "a run's scenario.json carries policy, params and label" \
  python3 -c 'import json,sys; m=json.load(open(sys.argv[1]))["migration"]; assert (m["policy"], m["params"]["precopy_rounds"], m["label"]) == ("hybrid", 10, "hybrid after 10"), m' "$run"
# One live round for precopy_rounds=1, more without (merged summary: run_id,status,...,rounds).
rounds_col=$(head -1 "$work/s/summary.csv" | tr ',' '\n' | grep -nx rounds | cut -d: -f1)
check "precopy_rounds=1: one live round" \
  test "$(grep ',hybrid:precopy_rounds=1,' "$work/s/summary.csv" | cut -d, -f"$rounds_col" | sort -u)" = 1
check "hybrid after 10: more live rounds" \
  test "$(grep ',hybrid after 10,' "$work/s/summary.csv" | cut -d, -f"$rounds_col" | sort -u | head -1)" -gt 1

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]

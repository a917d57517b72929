#!/usr/bin/env bash
# Policy variants on `run` (docs/policies.md, "Policy variants"): labels in every output, the values
# they change, --set of a policy parameter in either order, bad variants (exit 2 before any run),
# `migsim policies NAME`, and the implausible-value warnings (docs/scenario.md).
# Usage: policy_variants_test.sh MIGSIM SOURCE_DIR
set -u
migsim=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
. "$(dirname "$0")/../check.sh"  # passed, failed, check(), run_migsim(), expect_input_error()
# Small, and dirtying enough that pre-copy takes several rounds.
small=(--set /vm/memory=256MiB --set /workload/io/profile=none --set /workload/dirty/pattern=uniform --set /workload/dirty/rate=100MBps)
column() {  # column FILE NAME: the values of one CSV column (no quoted commas before it)
  awk -F, -v name="$2" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == name) c = i; next } { print $c }' "$1"
}

# Variants on one command: labels in summary, rounds and timeseries; a plain name keeps its name.
run_migsim run "${small[@]}" --policy hybrid --policy hybrid:precopy_rounds=1 \
  --policy 'hybrid:precopy_rounds=10' --out "$work/v"
check "three variants run (exit $status)" test "$status" -eq 0
check "summary: the plain name" grep -q "^default,hybrid,1," "$work/v/summary.csv"
check "summary: the variant's label" grep -q "^default,hybrid:precopy_rounds=1,1," "$work/v/summary.csv"
check "rounds.csv carries the label" grep -q "^default,hybrid:precopy_rounds=10,1," "$work/v/rounds.csv"
check "timeseries.csv carries the label" grep -q "^default,hybrid:precopy_rounds=1,1," "$work/v/timeseries.csv"
check "the table shows the label" grep -q "^hybrid:precopy_rounds=1 " "$work/stdout"
rounds=$(column "$work/v/summary.csv" rounds | tr '\n' ' ')
check "one live round after precopy_rounds=1, more by default (got $rounds)" \
  test "$(column "$work/v/summary.csv" rounds | sed -n 2p)" -eq 1 -a "$(column "$work/v/summary.csv" rounds | sed -n 1p)" -gt 1
check "run.json keeps the name, the params and the label apart" \
  python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["runs"][1]; m=r["scenario"]["migration"]
assert (m["policy"], m["params"]["precopy_rounds"], m["label"], r["metrics"]["policy"]) == ("hybrid", 1, "hybrid:precopy_rounds=1", "hybrid:precopy_rounds=1"), m' "$work/v/run.json"
check "a plain policy has no label in run.json" \
  python3 -c 'import json,sys; assert "label" not in json.load(open(sys.argv[1]))["runs"][0]["scenario"]["migration"]' "$work/v/run.json"

# The label given explicitly by a plain --policy is unchanged output: same bytes as before variants.
run_migsim run "${small[@]}" --policy hybrid --out "$work/plain" --quiet
check "a plain --policy gives the same row as in a variant comparison" \
  cmp -s <(sed -n 2p "$work/plain/summary.csv") <(sed -n 2p "$work/v/summary.csv")

# Several parameters, a quoted label (the comma), and a value with a unit.
run_migsim run "${small[@]}" --policy precopy --policy 'precopy:auto_converge=1,xbzrle=1' \
  --policy 'san-restore:map_time_per_GiB=2s' --out "$work/q" --quiet
check "two-parameter variant runs (exit $status)" test "$status" -eq 0
check "its label is quoted in the CSV" grep -qF 'default,"precopy:auto_converge=1,xbzrle=1",' "$work/q/summary.csv"
check "a unit value keeps its form in the label" grep -q "^default,san-restore:map_time_per_GiB=2s," "$work/q/summary.csv"
check "auto-converge and xbzrle change the result" python3 -c 'import csv,sys
rows = list(csv.DictReader(open(sys.argv[1])))
assert rows[1]["policy"] == "precopy:auto_converge=1,xbzrle=1" and rows[0]["lan_bytes"] != rows[1]["lan_bytes"], rows' "$work/q/summary.csv"
run_migsim run "${small[@]}" --policy 'precopy:xbzrle=1,auto_converge=1' --out "$work/order" --quiet
check "the label lists parameters in declaration order" grep -qF '"precopy:auto_converge=1,xbzrle=1"' "$work/order/summary.csv"

# --set of a policy parameter: with --policy, in either order; after a variant it wins.
for order in before after; do
  if [ $order = before ]; then args=(--set /migration/params/precopy_rounds=1 --policy hybrid)
  else args=(--policy hybrid --set /migration/params/precopy_rounds=1); fi
  run_migsim run "${small[@]}" "${args[@]}" --out "$work/set-$order" --quiet
  check "--set /migration/params/ $order --policy works (exit $status)" test "$status" -eq 0
  [ "$status" -eq 0 ] || cat "$work/stderr"
  check "--set $order --policy: one round" test "$(column "$work/set-$order/summary.csv" rounds)" -eq 1
done
run_migsim run "${small[@]}" --policy hybrid:precopy_rounds=5 --set /migration/params/precopy_rounds=1 --out "$work/set-wins" --quiet
check "--set applies after the variant" test "$(column "$work/set-wins/summary.csv" rounds)" -eq 1

# Bad variants: exit 2, one line, before any run.
expect_input_error unknown-param "--policy: policy 'hybrid' has no parameter \"rounds\"; its parameters are: precopy_rounds" \
  run --policy precopy --policy hybrid:rounds=1
expect_input_error out-of-range "--policy: policy 'hybrid', precopy_rounds: must be in [1, 1000], got 0" run --policy hybrid:precopy_rounds=0
expect_input_error bad-unit "--policy: policy 'san-restore', map_time_per_GiB:" run --policy san-restore:map_time_per_GiB=2GiB
expect_input_error no-params "--policy: policy 'stop-and-copy' has no parameter \"x\"; it takes none" run --policy stop-and-copy:x=1
expect_input_error syntax "expected NAME:PARAM=VALUE,PARAM=VALUE" run --policy hybrid:precopy_rounds
expect_input_error twice "parameter \"xbzrle\" is given twice" run --policy precopy:xbzrle=1,xbzrle=0
expect_input_error unknown-policy "--policy: unknown policy 'hybird'; valid policies are: precopy" run --policy hybird:precopy_rounds=1

# migsim policies NAME / --verbose.
run_migsim policies hybrid
check "policies NAME exits 0" test "$status" -eq 0
check "policies NAME: unit, default and bounds" grep -qE "^  precopy_rounds +number +default 3 +\[1, 1000\]" "$work/stdout"
run_migsim policies san-restore
check "policies NAME: a duration parameter" grep -qE "^  map_time_per_GiB +duration \(s\) +default 0.2" "$work/stdout"
run_migsim policies --verbose
check "policies --verbose: every policy's parameters" grep -qE "^  precopy_rounds .*\[1, 1000\]" "$work/stdout"
check "policies --verbose: parameterless policy says so" grep -q "no parameters" "$work/stdout"
run_migsim policies
check "policies (plain) keeps its list" grep -q "^precopy " "$work/stdout"
run_migsim policies nope
check "policies NAME, unknown: exit 2" test "$status" -eq 2
check "policies NAME, unknown: names the valid ones" grep -qF "unknown policy 'nope'; valid policies are: precopy, drop-cache" "$work/stderr"

# Implausible values: a warning, one line, the run goes on; --quiet silences it.
echo '{"migration": {"downtime_limit": 300}, "vm": {"memory": "256MiB"}, "workload": {"io": {"profile": "none"}}}' >"$work/implausible.json"
run_migsim run "$work/implausible.json" --out "$work/w"
check "implausible value: the run goes on" test "$status" -eq 0 -a -s "$work/w/summary.csv"
check "implausible value: one warning line" test "$(wc -l <"$work/stderr")" -eq 1
check "implausible value: names file and key" \
  grep -qF "migsim: warning: $work/implausible.json: /migration/downtime_limit: 300 is a bare number, so seconds" "$work/stderr"
run_migsim run "$work/implausible.json" --out "$work/wq" --quiet
check "--quiet silences the warning" test ! -s "$work/stderr"
run_migsim validate "$work/implausible.json"
check "validate warns too, and accepts" test "$status" -eq 0 -a "$(grep -c warning "$work/stderr")" -eq 1
run_migsim validate --set /vm/page_size=1000 "$work/implausible.json"
check "a plausible page size is quiet" test "$(grep -c page_size "$work/stderr")" -eq 0
run_migsim validate --set /vm/memory=1048576 "$work/implausible.json"
check "a memory of 1048576 bytes warns" grep -qF "/vm/memory: 1048576 is a bare number, so bytes" "$work/stderr"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]

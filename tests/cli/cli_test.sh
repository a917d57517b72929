#!/usr/bin/env bash
# The migsim binary as a user runs it: commands, output files, exit statuses, stdout vs stderr, and that
# bad input leaves nothing behind. Usage: cli_test.sh MIGSIM SOURCE_DIR
set -u
migsim=$1
src=$(cd "$2" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
. "$(dirname "$0")/../check.sh"  # passed, failed, check(), run_migsim(), expect_input_error()

run_migsim --help
check "--help exits 0" test "$status" -eq 0
check "--help lists run" grep -q "run" "$work/stdout"
for cmd in run validate policies; do
  run_migsim "$cmd" --help
  check "$cmd --help exits 0" test "$status" -eq 0
done

run_migsim policies
check "policies lists precopy" grep -q "^precopy " "$work/stdout"
for c in none thr-mmt iqr-mmt mad-mmt lr-mmt lrr-mmt; do
  check "policies lists consolidation policy $c in its own section" \
    sh -c "sed -n '/^consolidation policies/,\$p' '$work/stdout' | grep -q '^  $c '"
done
run_migsim policies thr-mmt
check "policies thr-mmt: threshold, default 0.8" grep -q "^  threshold .*default 0.8 " "$work/stdout"
run_migsim policies thr
check "policies thr: exit 2, naming the consolidation policies" sh -c "test $status -eq 2 && grep -q 'consolidation policies are: none, thr-mmt' '$work/stderr'"

run_migsim run --out "$work/default"
check "run of the default scenario exits 0" test "$status" -eq 0
for f in summary.csv rounds.csv timeseries.csv run.json; do
  check "run writes $f" test -s "$work/default/$f"
done
check "summary has a header and one row" test "$(wc -l <"$work/default/summary.csv")" -eq 2
check "summary has the documented columns" grep -q "^scenario,policy,seed,.*total_time_s,downtime_s,lan_bytes,san_bytes,rounds,status,io_baseline_Bps,io_penalty_s,io_recovery_s,vm,page_faults,fault_wait_s" "$work/default/summary.csv"
check "the table names the result folder" grep -q "results: $work/default" "$work/stdout"
check "run.json records the SimGrid version" grep -q '"simgrid_version": "3.32' "$work/default/run.json"
check "no temporary folder is left" test -z "$(ls "$work" | grep partial)"

# Determinism: same scenario and seed, byte-identical results, across policies.
run_migsim run --policy precopy --policy stop-and-copy --out "$work/a" --quiet
run_migsim run --policy precopy --policy stop-and-copy --out "$work/b" --quiet
check "--quiet prints nothing" test ! -s "$work/stdout"
for f in summary.csv rounds.csv timeseries.csv; do
  check "same seed, identical $f" cmp -s "$work/a/$f" "$work/b/$f"
done
check "two policies, two rows" test "$(wc -l <"$work/a/summary.csv")" -eq 3
run_migsim run --set /seed=7 --out "$work/c" --quiet
differ() { ! cmp -s "$1" "$2"; }
check "another seed, another result" differ "$work/default/summary.csv" "$work/c/summary.csv"

# Nothing a user has is overwritten.
echo keep >"$work/default/mine.txt"
run_migsim run --out "$work/default"
check "an existing folder is refused with status 2" test "$status" -eq 2
check "with a message saying so" grep -q "already exists and is not empty" "$work/stderr"
check "and left as it was" grep -q keep "$work/default/mine.txt"
check "with its results intact" test "$(wc -l <"$work/default/summary.csv")" -eq 2

# Bad input: one message naming file and JSON path, exit 2, nothing written.
printf '{\n  "vm": { "memory": "4GiB",\n }\n}\n' >"$work/malformed.json"
expect_input_error malformed "$work/malformed.json: malformed JSON: parse error at line 3, column 2" run "$work/malformed.json"
echo '{"platform": {"lan": {"bandwith": "1Gbps"}}}' >"$work/typo.json"
expect_input_error unknown-key '/platform/lan/bandwith: unknown key "bandwith" (did you mean "bandwidth"?)' run "$work/typo.json"
echo '{"platform": {"lan": {"bandwidth": "1GHz"}}}' >"$work/unit.json"
expect_input_error bad-unit '/platform/lan/bandwidth: "1GHz" has unknown unit "GHz"' run "$work/unit.json"
echo '{"vm": {"memory": 0}}' >"$work/zero.json"
expect_input_error zero-size "/vm/memory: must be positive, got 0" run "$work/zero.json"
echo '{"vm": {"free": -0.5}}' >"$work/fraction.json"
expect_input_error fraction "/vm/free: must be in [0, 1], got -0.5" run "$work/fraction.json"
echo '{"vm": {"page_cache": {"clean": 0.8, "dirty": 0.3}}}' >"$work/cache.json"
expect_input_error cache-too-big "/vm/page_cache: page cache (clean + dirty) is larger than memory" run "$work/cache.json"
echo '{"migration": {"policy": "pre-copy"}}' >"$work/policy.json"
expect_input_error unknown-policy "/migration/policy: unknown policy 'pre-copy'; valid policies are: precopy" run "$work/policy.json"
expect_input_error unknown-policy-option "--policy: unknown policy 'fast'" run --policy fast
expect_input_error missing-file "$work/nope.json: cannot open file" run "$work/nope.json"
expect_input_error bad-set "/vm/memroy: --set: no such setting" run --set /vm/memroy=1GiB
echo '{"platform": {"file": "'"$src"'/scenarios/platforms/small_platform_fafard_tremblay.xml", "source_host": "Fafard", "destination_host": "Nowhere"}}' >"$work/hosts.json"
expect_input_error unknown-host '/platform/destination_host: no host "Nowhere"' run "$work/hosts.json"

run_migsim validate "$src/scenarios/default.json"
check "validate accepts the default scenario" test "$status" -eq 0
run_migsim validate "$work/typo.json"
check "validate rejects a typo with status 2" test "$status" -eq 2

# Without --out, in a folder with no results/ yet (a fresh clone: `make demo`): results/NAME-TIME is made.
mkdir "$work/fresh"
(cd "$work/fresh" && "$migsim" run --policy precopy --set /vm/memory=64MiB --set /workload/io/profile=none \
  >"$work/stdout" 2>"$work/stderr")
status=$?
check "run without --out where results/ does not exist: exit 0 (got $status: $(head -c 200 "$work/stderr"))" \
  test "$status" -eq 0
check "... writes results/NAME-TIME/summary.csv" test -n "$(ls "$work"/fresh/results/*/summary.csv 2>/dev/null)"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]

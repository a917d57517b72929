#!/usr/bin/env bash
# The CloudSim-like reference run (planetlab_reference.cpp) on the project's PlanetLab day: thr-mmt and
# lr-mmt migrate and use less energy than no consolidation, the run is the same twice, and a bad folder
# is one line and exit status 2. Usage: planetlab_reference_test.sh PLANETLAB_REFERENCE SOURCE_DIR
set -u
reference=$1 src=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
. "$(dirname "$0")/../check.sh"  # passed, failed, check()

day=$src/scenarios/traces/planetlab/20110303
"$reference" "$day" none thr-mmt lr-mmt >"$work/out" 2>"$work/err"
check "the day runs: exit status 0" test $? -eq 0
check "1052 traces read" grep -q "^read 1052 traces" "$work/out"
field() { awk -v p="$1" -v c="$2" '$1 == p { print $c }' "$work/out"; }
check "none migrates nothing" test "$(field none 3)" = 0
for p in thr-mmt lr-mmt; do
  check "$p migrates" awk -v m="$(field "$p" 3)" 'BEGIN { exit !(m > 1000) }'
  check "$p uses less than half the energy of none" \
    awk -v e="$(field "$p" 2)" -v n="$(field none 2)" 'BEGIN { exit !(e > 0 && e < n / 2) }'
done
# Deterministic: the same figures again (wall time aside).
awk '$1 == "thr-mmt" { NF = 8; print }' "$work/out" >"$work/first"
"$reference" "$day" thr-mmt | awk '$1 == "thr-mmt" { NF = 8; print }' >"$work/again"
check "the same figures twice" cmp -s "$work/first" "$work/again"

# The generated samples on 4 hosts run too.
"$reference" "$src/tests/trace/samples/planetlab" --hosts 4 thr-mmt >"$work/small" 2>&1
check "the samples run on 4 hosts" test $? -eq 0

mkdir "$work/bad"
printf '1\n2\n' >"$work/bad/vm one"
"$reference" "$work/bad" thr-mmt >"$work/out" 2>"$work/err"
check "a short trace: exit status 2" test $? -eq 2
check "a short trace: one line naming the file and line" \
  sh -c "test \$(wc -l <'$work/err') -eq 1 && grep -q 'vm one: line 3: missing: the trace ends after 2 of its 288 values' '$work/err'"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]

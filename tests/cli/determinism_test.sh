#!/usr/bin/env bash
# Determinism: the same scenario, seed and binary give byte-identical summary.csv, rounds.csv and
# timeseries.csv, for every registered policy (as `migsim policies` lists them), run alone or together
# with the others, one at a time or in parallel.
# Usage: determinism_test.sh MIGSIM SOURCE_DIR
set -u
migsim=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
. "$(dirname "$0")/../check.sh"  # passed, failed, check()

# Migration policy names start a line of `migsim policies`, their parameters indented below them; the
# consolidation policies follow after a blank line.
policies=$("$migsim" policies | awk '/^$/ { exit } /^[^ ]/ { print $1 }')
check "migsim policies lists several policies" test "$(echo "$policies" | wc -l)" -ge 2

all=()
for p in $policies; do
  all+=(--policy "$p")
  for i in 1 2; do
    "$migsim" run --policy "$p" --out "$work/$p-$i" --quiet
    check "$p run $i: exit status 0" test $? -eq 0
  done
  for f in summary.csv rounds.csv timeseries.csv; do
    check "$p: identical $f twice" cmp "$work/$p-1/$f" "$work/$p-2/$f"
  done
  check "$p: the time series is not empty" test "$(wc -l <"$work/$p-1/timeseries.csv")" -gt 1
done

# All policies in one run, two at a time: each policy's rows are those of its run alone.
"$migsim" run "${all[@]}" --jobs 2 --out "$work/together" --quiet
check "all policies together: exit status 0" test $? -eq 0
for f in summary.csv rounds.csv timeseries.csv; do
  {
    head -1 "$work/$(echo "$policies" | head -1)-1/$f"
    for p in $policies; do tail -n +2 "$work/$p-1/$f"; done
  } >"$work/alone-$f"
  check "all policies together, --jobs 2: $f is the policies' files one after the other" \
    cmp "$work/together/$f" "$work/alone-$f"
done

# Another seed gives another result (the seed is used), and that again reproducibly.
"$migsim" run --out "$work/default" --quiet
for i in 1 2; do
  "$migsim" run --set /seed=12345 --out "$work/seeded-$i" --quiet
done
check "seed 12345 twice: identical timeseries.csv" cmp "$work/seeded-1/timeseries.csv" "$work/seeded-2/timeseries.csv"
check "seed 12345 gives another time series than the default seed" \
  bash -c '! cmp -s "$1" "$2"' _ "$work/seeded-1/timeseries.csv" "$work/default/timeseries.csv"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]

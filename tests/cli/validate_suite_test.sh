#!/bin/bash
# `migsim validate-suite` as a user runs it: a passing case exits 0, a FAIL exits 3, a documented
# known deviation exits 0 and says so, a bad case file exits 2 naming the file and JSON path.
# Usage: validate_suite_test.sh MIGSIM SOURCE_DIR
set -u
migsim=$1
src=$2
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
failures=0
expect() {  # expect STATUS PATTERN -- command...
  local status=$1 pattern=$2
  shift 3
  out=$("$@" 2>&1)
  got=$?
  if [ "$got" -ne "$status" ] || ! grep -qE -- "$pattern" <<<"$out"; then
    echo "FAILED: $* -> status $got (want $status), output lacks /$pattern/:"
    echo "$out" | tail -5
    failures=$((failures + 1))
  fi
}

cp "$src/scenarios/validation/clark2005_stop_and_copy.json" "$dir/s.json"
case_file() {  # case_file NAME METRIC EXPECTED TOLERANCE [EXTRA JSON]
  cat >"$dir/$1.validation.json" <<JSON
{ "case": "$1", "source": "test", "scenario": "s.json",
  "checks": [ { "metric": "$2", "expected": "$3", "tolerance": $4 ${5:-} } ] }
JSON
}

case_file good total_time 32s 0.001
expect 0 'good +- +total_time +published +32 s +32 s .* pass' -- "$migsim" validate-suite "$dir" --jobs 2

case_file bad total_time 30s 0.01
expect 3 'bad .* FAIL' -- "$migsim" validate-suite "$dir" --jobs 2
expect 0 '1 checks: 1 pass' -- "$migsim" validate-suite "$dir" --case good

rm "$dir/bad.validation.json"
case_file known total_time 30s 0.01 ', "known_deviation": "a test"'
expect 0 'known .* known +known deviation' -- "$migsim" validate-suite "$dir" --jobs 2

case_file typo total_time 32s 0.01 ', "tolerence": 1'
expect 2 'typo.validation.json: /checks/0/tolerence: unknown key' -- "$migsim" validate-suite "$dir"
rm "$dir/typo.validation.json"
case_file nounit total_tme 32s 0.01
expect 2 'unknown metric' -- "$migsim" validate-suite "$dir"
rm "$dir/nounit.validation.json"
# A check that cannot fail is refused: any simulated value would pass it ("inf" passed 0 s against 7 s).
loose() {  # loose CHECK_JSON: a case with that one check
  echo "{ \"case\": \"loose\", \"source\": \"test\", \"scenario\": \"s.json\", \"checks\": [ $1 ] }" >"$dir/loose.validation.json"
}
for bad in '"inf"' -5 '"-5s"' '"nan"'; do
  loose '{ "metric": "total_time", "expected": "7s", "abs_tolerance": '"$bad"' }'
  expect 2 'loose.validation.json: /checks/0/abs_tolerance: expected a' -- "$migsim" validate-suite "$dir"
done
for bad in '"inf"' -5; do  # a count has no unit: its tolerance was read with stod
  loose '{ "metric": "live_rounds", "expected": 7, "abs_tolerance": '"$bad"' }'
  expect 2 'loose.validation.json: /checks/0/abs_tolerance: expected a finite tolerance >= 0' -- "$migsim" validate-suite "$dir"
done
loose '{ "metric": "total_time", "expected": "7s", "tolerance": -0.1 }'
expect 2 'loose.validation.json: /checks/0/tolerance: expected a finite number >= 0' -- "$migsim" validate-suite "$dir"
loose '{ "metric": "converged", "expected": 1, "abs_tolerance": 1 }'
expect 2 'loose.validation.json: /checks/0/abs_tolerance: converged is 0 or 1, .* cannot fail' -- "$migsim" validate-suite "$dir"
loose '{ "metric": "vm[1].converged", "expected": 1, "tolerance": 1 }'
expect 2 'loose.validation.json: /checks/0/tolerance: converged is 0 or 1, .* cannot fail' -- "$migsim" validate-suite "$dir"
loose '{ "metric": "converged", "expected": 0.5, "tolerance": 0 }'
expect 2 'loose.validation.json: /checks/0/expected: converged is 0 or 1' -- "$migsim" validate-suite "$dir"
cat >"$dir/loose.validation.json" <<JSON
{ "case": "loose", "source": "test", "scenario": "s.json",
  "plugin": {"platform": "p.xml", "source": "a", "destination": "b", "ram": 1e9},
  "checks": [ { "metric": "total_time", "expected": "plugin", "of": "plugin", "tolerance": 0.01 } ] }
JSON
expect 2 'loose.validation.json: /checks/0/of: .* cannot fail' -- "$migsim" validate-suite "$dir"
rm "$dir/loose.validation.json"
expect 2 'no validation case named "nope"' -- "$migsim" validate-suite "$dir" --case nope
expect 2 'no such folder' -- "$migsim" validate-suite "$dir/missing"

[ "$failures" -eq 0 ] && echo "validate-suite CLI: all checks passed"
exit $((failures > 0))

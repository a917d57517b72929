#!/usr/bin/env bash
# scenarios/traces/make_trace.py as a user runs it: --help, the shipped traces are what their recorded
# commands make, a generated trace is accepted by migsim, and a broken one is refused with its line and
# column. Usage: make_trace_test.sh MIGSIM SOURCE_DIR
set -u
migsim=$1
src=$(cd "$2" && pwd)
gen="/usr/bin/python3 $src/scenarios/traces/make_trace.py"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
. "$(dirname "$0")/../check.sh"  # passed, failed, check()

check "--help names both formats" bash -c "$gen --help | grep -q 'time_s,first_page,pages' && $gen --help | grep -q 'time_s,rate_Bps'"
check "a bad argument exits with status 2" bash -c "$gen --kind bytes >/dev/null 2>&1; test \$? -eq 2"

# Each shipped trace starts with the command that made it: running it again gives the same bytes.
for trace in "$src"/scenarios/traces/*.csv; do
  name=$(basename "$trace")
  args=$(head -1 "$trace" | sed 's/^# make_trace.py//')
  check "$name is what its recorded command makes" bash -c "$gen $args --out '$work/$name' && cmp -s '$work/$name' '$trace'"
  check "$name is smaller than 200 KB" test "$(stat -c %s "$trace")" -lt 200000
done

# A generated zipf page trace for a 64 MiB guest, replayed by a scenario next to it.
$gen --kind pages --memory 64MiB --duration 5 --rate 20MBps --pattern zipf --zipf-exponent 1.1 --burst-pages 16 \
  --out "$work/zipf.csv"
cat >"$work/s.json" <<JSON
{ "vm": { "memory": "64MiB" }, "workload": { "dirty": { "trace": "zipf.csv" }, "io": { "profile": "none" } },
  "migration": { "policy": "precopy", "start": "1s" } }
JSON
check "migsim accepts a generated trace" "$migsim" validate "$work/s.json"
check "and runs it" "$migsim" run "$work/s.json" --out "$work/out" >/dev/null
check "page numbers stay inside the guest" awk -F, 'NR > 2 && $2 + $3 > 16384 { exit 1 }' "$work/zipf.csv"

# A trace that names a page beyond the guest: exit status 2, the trace file, line and column named.
sed -i '5s/^\([^,]*\),[0-9]*,/\1,99999,/' "$work/zipf.csv"
"$migsim" validate "$work/s.json" >"$work/stdout" 2>"$work/stderr"
status=$?
check "a broken trace is an input error (status 2)" test $status -eq 2
check "the error names the trace file, line 5 and the column" grep -q "zipf.csv: line 5, column first_page: page 99999 is beyond" "$work/stderr" "$work/stdout"

echo "make_trace_test: $passed passed, $failed failed"
test $failed -eq 0

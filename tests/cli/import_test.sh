#!/usr/bin/env bash
# `migsim import qemu` as a user runs it (docs/import.md), on the records in tests/cli/data/qemu/: three
# real testbed records (QEMU 10.0.2, docs/testbed.md) and one researcher's record of plain QMP replies
# built by hand from another (its _note says so). Checks that the imported values are the record's, that
# every fitted value is printed with its residual, that the scenario validates and runs, and that a bad
# record is one line naming the file and the JSON path, exit status 2, nothing written.
# Usage: import_test.sh MIGSIM SOURCE_DIR
set -u
migsim=$1
src=$(cd "$2" && pwd)
data=$src/tests/cli/data/qemu
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
. "$(dirname "$0")/../check.sh"  # passed, failed, check()

# value FILE EXPRESSION: a Python expression over the JSON documents s (scenario) and r (record)
value() {
  /usr/bin/python3 -c "import json,sys; s=json.load(open(sys.argv[1])); r=json.load(open(sys.argv[2])); print($3)" "$@"
}
# same SCENARIO RECORD EXPRESSION: the expression is true
same() {
  test "$(value "$1" "$2" "$3")" = True
}

# --- a real testbed record: uniform writes at 32 MiB/s over 128 MiB of a 512 MiB guest, 64 MiB/s cap.
record=$data/pre-bw64-uniform-w32-r1.json
"$migsim" import qemu "$record" >"$work/pre.json" 2>"$work/pre.err"
check "import exits 0" test $? -eq 0
check "the working set is printed with its residual" grep -qE '^migsim: import: working set N = [0-9]+ pages .*residual RMS [0-9]+ pages' "$work/pre.err"
check "the write rate is printed with its residual" grep -qE '^migsim: import: write rate r = [0-9.]+ pages/s .*residual RMS' "$work/pre.err"
s=$work/pre.json
check "memory is ram.total" same "$s" "$record" "s['vm']['memory'] == r['query_migrate_final']['ram']['total']"
check "page size is ram.page-size" same "$s" "$record" "s['vm']['page_size'] == r['query_migrate_final']['ram']['page-size'] == 4096"
check "free share is ram.duplicate / pages" same "$s" "$record" \
  "abs(s['vm']['free'] - r['query_migrate_final']['ram']['duplicate'] / (r['query_migrate_final']['ram']['total'] // 4096)) < 1e-12"
check "no page cache" same "$s" "$record" "s['vm']['page_cache'] == {'clean': 0, 'dirty': 0}"
check "bandwidth cap is max-bandwidth" same "$s" "$record" "s['migration']['bandwidth_cap'] == r['migrate_parameters']['max-bandwidth']"
check "downtime limit is downtime-limit (ms -> s)" same "$s" "$record" "s['migration']['downtime_limit'] == r['migrate_parameters']['downtime-limit'] / 1000"
check "time limit is the driver's time-out" same "$s" "$record" "s['migration']['max_time'] == r['migration']['timeout_s']"
check "the write rate is the guest's own, in bytes/s" same "$s" "$record" \
  "abs(s['workload']['dirty']['rate'] - r['guest_write_rate']['pages_per_s_mean'] * 4096) < 1e-6"
# The writer dirties 128 MiB = 32768 pages = 0.2497 of ram.total; the fit gets within 10 % of it.
check "the fitted working set is the writer's region within 10 %" same "$s" "$record" \
  "s['workload']['dirty']['pattern'] == 'hotset' and abs(s['workload']['dirty']['hot_fraction'] * (r['query_migrate_final']['ram']['total'] // 4096) / 32768 - 1) < 0.10 and s['workload']['dirty']['hot_share'] == 1"
check "zero pages cost a header" same "$s" "$record" "s['migration']['params'] == {'zero_page_detection': 1, 'zero_page_bytes': 9}"
check "one stream, precopy" same "$s" "$record" "s['migration']['streams'] == 1 and s['migration']['policy'] == 'precopy'"
check "the scenario validates" "$migsim" validate "$s"
"$migsim" run "$s" --out "$work/run-pre" >/dev/null 2>&1
check "the scenario runs" test -s "$work/run-pre/summary.csv"
check "and its precopy converges, as QEMU's did" grep -q ',ok,' "$work/run-pre/summary.csv"

# --out: the same text, written whole; stdout stays empty.
"$migsim" import qemu "$record" --out "$work/pre-out.json" >"$work/stdout" 2>/dev/null
check "--out exits 0" test $? -eq 0
check "--out writes what stdout would" cmp -s "$work/pre-out.json" "$work/pre.json"
check "--out leaves stdout empty" test ! -s "$work/stdout"
check "--out leaves no temporary file" test "$(ls "$work" | grep -c '\.tmp\.')" -eq 0

# --- a researcher's record: QMP replies as QEMU returns them, XBZRLE on, no write rate of its own.
record=$data/own_qemu_xbzrle.json
"$migsim" import qemu "$record" >"$work/own.json" 2>"$work/own.err"
check "researcher's record: exit 0" test $? -eq 0
s=$work/own.json
q="r['query_migrate_final']['return']"
check "researcher's record: N and r both fitted" test "$(grep -c '(fitted)' "$work/own.err")" -eq 2
check "researcher's record: xbzrle on" same "$s" "$record" "s['migration']['params']['xbzrle'] == 1"
check "researcher's record: hit ratio from XBZRLE's counters" same "$s" "$record" \
  "abs(s['migration']['params']['xbzrle_hit_ratio'] - $q['xbzrle-cache']['pages'] / ($q['xbzrle-cache']['pages'] + $q['xbzrle-cache']['cache-miss'])) < 1e-12"
check "researcher's record: compression ratio from XBZRLE's counters" same "$s" "$record" \
  "abs(s['migration']['params']['xbzrle_compression_ratio'] - $q['xbzrle-cache']['bytes'] / ($q['xbzrle-cache']['pages'] * 4096)) < 1e-12"
check "researcher's record: cap and limit from the query-migrate-parameters reply" same "$s" "$record" \
  "s['migration']['bandwidth_cap'] == r['migrate_parameters']['return']['max-bandwidth'] and s['migration']['downtime_limit'] == 0.3"
check "researcher's record: no time-out, migsim's default" same "$s" "$record" "'max_time' not in s['migration']"
check "researcher's record: validates" "$migsim" validate "$s"
"$migsim" run "$s" --out "$work/run-own" >/dev/null 2>&1
check "researcher's record: runs" grep -q ',ok,' "$work/run-own/summary.csv"

# --- post-copy: requested after the first pass (dirty-sync-count 3) -> hybrid with one live round.
record=$data/postcopy-bw32-uniform-w48-r1.json
"$migsim" import qemu "$record" >"$work/post.json" 2>"$work/post.err"
check "post-copy record: exit 0" test $? -eq 0
check "post-copy record: hybrid after one live round" same "$work/post.json" "$record" \
  "s['migration']['policy'] == 'hybrid' and s['migration']['params']['precopy_rounds'] == 1"
"$migsim" run "$work/post.json" --out "$work/run-post" >/dev/null 2>&1
check "post-copy record: runs" grep -q ',ok,' "$work/run-post/summary.csv"

# --- an idle guest (no writer: the testbed writes "guest_write_rate": null) -> no dirtying at all.
record=$data/idle-bw32-nowriter-dl300-r1.json
"$migsim" import qemu "$record" >"$work/idle.json" 2>"$work/idle.err"
check "idle record: exit 0 (null counts as absent)" test $? -eq 0
check "idle record: idle, printed as such" grep -q 'working set N = 0 pages .*(idle)' "$work/idle.err"
check "idle record: uniform at rate 0" same "$work/idle.json" "$record" \
  "s['workload']['dirty'] == {'pattern': 'uniform', 'rate': 0}"
"$migsim" run "$work/idle.json" --out "$work/run-idle" >/dev/null 2>&1
check "idle record: runs" grep -q ',ok,' "$work/run-idle/summary.csv"

# --- a record the driver cancelled at its 25 s timeout (QEMU did not converge): not a forced stop-and-copy.
record=$src/scenarios/validation/qemu/records/pre-bw32-uniform-w48-r1.json
"$migsim" import qemu "$record" >"$work/cancel.json" 2>"$work/cancel.err"
check "cancelled record: exit 0" test $? -eq 0
check "cancelled record: the first line says QEMU did not complete it" \
  bash -c "head -1 '$work/cancel.err' | grep -q 'did not complete: the driver cancelled it after 25.0 s'"
check "cancelled record: the scenario cancels at the timeout" same "$work/cancel.json" "$record" \
  "s['migration']['at_max_time'] == 'cancel' and s['migration']['max_time'] == r['migration']['timeout_s']"
"$migsim" run "$work/cancel.json" --out "$work/run-cancel" >/dev/null 2>&1
check "cancelled record: the run is cancelled, downtime 0, no stop-and-copy round" /usr/bin/python3 -c "
import csv, sys
row = next(csv.DictReader(open('$work/run-cancel/summary.csv')))
rounds = list(csv.DictReader(open('$work/run-cancel/rounds.csv')))
sys.exit(not (row['status'] == 'cancelled' and float(row['downtime_s']) == 0 and 25 <= float(row['total_time_s']) < 30
              and all(r['phase'] == 'live' for r in rounds)))"
check "a completed record: no cancel" same "$work/pre.json" "$record" "'at_max_time' not in s['migration']"

# --- bad records: exit 2, one line naming the file and the JSON path, stdout empty, --out not written.
# expect_bad NAME TEXT RECORD_JSON
expect_bad() {
  local name=$1 text=$2
  printf '%s\n' "$3" >"$work/$name.json"
  "$migsim" import qemu "$work/$name.json" --out "$work/$name-out.json" >"$work/stdout" 2>"$work/stderr"
  local status=$?
  check "$name: exit status 2 (got $status)" test $status -eq 2
  check "$name: stderr names the file and '$text'" grep -qF -- "migsim: error: $work/$name.json: $text" "$work/stderr"
  check "$name: one line on stderr" test "$(wc -l <"$work/stderr")" -eq 1
  check "$name: stdout empty" test ! -s "$work/stdout"
  check "$name: nothing written" test ! -e "$work/$name-out.json"
  [ "$(wc -l <"$work/stderr")" -eq 1 ] && grep -qF -- "$text" "$work/stderr" || cat "$work/stderr"
}
ram='"ram": {"total": 536870912, "page-size": 4096, "duplicate": 1000}'
expect_bad not_json "malformed JSON" '{"query_migrate_final": '
expect_bad no_reply "/query_migrate_final: missing" '{"calc_dirty_rate": []}'
expect_bad no_ram "/query_migrate_final/ram: missing" '{"query_migrate_final": {"status": "completed"}}'
expect_bad no_rate "/calc_dirty_rate: missing: no dirty rate" "{\"query_migrate_final\": {$ram}}"
expect_bad string_cap "/migrate_parameters/max-bandwidth: expected a number" \
  "{\"query_migrate_final\": {$ram}, \"migrate_parameters\": {\"max-bandwidth\": \"32M\"}, \"guest_write_rate\": {\"pages_per_s_mean\": 10}}"
expect_bad measuring "/calc_dirty_rate/1/return/status: is \"measuring\"" \
  "{\"query_migrate_final\": {$ram}, \"calc_dirty_rate\": [{\"calc-time\": 1, \"dirty-rate\": 4}, {\"return\": {\"status\": \"measuring\", \"calc-time\": 2}}]}"
expect_bad no_rate_value "/calc_dirty_rate/0/dirty-rate: missing" \
  "{\"query_migrate_final\": {$ram}, \"calc_dirty_rate\": [{\"calc_time_ms\": 1000}]}"
expect_bad capability "/migration/capabilities/xbzrle: expected true or false" \
  "{\"query_migrate_final\": {$ram}, \"migration\": {\"capabilities\": {\"xbzrle\": 1}}, \"guest_write_rate\": {\"pages_per_s_mean\": 10}}"
"$migsim" import qemu "$work/nonexistent.json" >/dev/null 2>"$work/stderr"
check "a missing file: exit status 2" test $? -eq 2
check "a missing file: named" grep -qF "$work/nonexistent.json: cannot open file" "$work/stderr"
"$migsim" import >/dev/null 2>&1
check "import without a kind: exit status 2" test $? -eq 2

echo "import_test: $passed passed, $failed failed"
test $failed -eq 0

#!/bin/bash
# A short real migration end to end: a small guest (32 MiB dirtied slowly) migrated at 128 MiB/s
# under TCG; asserts that the destination guest is alive and that the record is well formed.
# Exit 77 (skip) where QEMU cannot run here: not root, packages not installable, QEMU fails to start.
#   bash tests/testbed/one_migration_test.sh [BUILD_DIR]
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
BUILD=${1:-build/testbed}
PY=/usr/bin/python3
[ "$(id -u)" -eq 0 ] || sudo -n true 2>/dev/null || { echo "SKIP: needs root to install packages"; exit 77; }
[ -x "$PY" ] || { echo "SKIP: no /usr/bin/python3"; exit 77; }
mkdir -p "$BUILD"
bash "$HERE/setup.sh" "$BUILD" > "$BUILD/setup.log" 2>&1
rc=$?
if [ $rc -ne 0 ]; then
  tail -5 "$BUILD/setup.log"
  [ $rc -eq 77 ] && { echo "SKIP: testbed packages not installable"; exit 77; }
  echo "FAIL: setup (exit $rc), see $BUILD/setup.log"; exit 1
fi
# QEMU must at least start with TCG (e.g. not in a sandbox that forbids it).
timeout 20 qemu-system-x86_64 -accel tcg -nodefaults -display none -machine none -S -qmp stdio \
  <<< '{"execute":"qmp_capabilities"}{"execute":"quit"}' > /dev/null 2>&1 || { echo "SKIP: QEMU cannot run"; exit 77; }

OUT=$(mktemp -d /tmp/one-migration-XXXXXX)
trap 'rm -rf "$OUT"' EXIT
cat > "$OUT/case.json" <<'CASE'
{"name": "one-migration", "guest": {"region_mib": 32, "rate_mibps": 2, "pattern": "uniform"},
 "migration": {"max_bandwidth": 134217728, "timeout_s": 30}, "calc_times_ms": [500]}
CASE
"$PY" "$HERE/migrate.py" --build "$BUILD" --out "$OUT" --case "$OUT/case.json" || { echo "FAIL: migrate.py"; exit 1; }
"$PY" - "$OUT/one-migration-r1.json" <<'CHECK' || exit 1
import json, sys
r = json.load(open(sys.argv[1]))
problems = []
def need(cond, what):
    if not cond:
        problems.append(what)
need(r.get("format") == "migsim-testbed-record/1", "format")
need(r.get("outcome") == "completed", f"outcome {r.get('outcome')}")
need(r.get("destination_alive") is True, f"destination not alive: {r.get('destination')}")
need(not r.get("errors"), f"errors {r.get('errors')}")
q = r.get("query_migrate_final", {})
need(q.get("status") == "completed" and q.get("total-time", 0) > 0 and "downtime" in q, "query-migrate reply")
need(q.get("ram", {}).get("transferred", 0) > 32 << 20, "fewer bytes than the writer's region")
s = r.get("series", {})
need(len(s.get("rows", [])) >= 2 and all(len(x) == len(s["columns"]) for x in s["rows"]), "time series")
need(r.get("calc_dirty_rate") and r["calc_dirty_rate"][0].get("status") == "measured", "calc-dirty-rate")
print("\n".join("FAIL: " + p for p in problems) or
      f"PASS: {q['total-time']} ms, downtime {q['downtime']} ms, {q['ram']['transferred']} bytes, alive")
sys.exit(1 if problems else 0)
CHECK
rc=$?
# No QEMU of ours may be left behind.
if pgrep -f "tb-one-migration-r1-" > /dev/null; then echo "FAIL: QEMU left running"; exit 1; fi
exit $rc

#!/usr/bin/env bash
# A sweep killed part-way resumes without losing or repeating work: a 40-run sweep with --jobs 2 is
# SIGKILLed as a whole process group (twice, at different points), then `sweep run` finishes it. The
# merged files must equal those of an uninterrupted sweep of the same plan (cmp), no result folder may
# be half-written, and no run finished before a kill may run again (its result folder keeps its inode
# and mtime, and the resumed run reports exactly the missing runs as run now).
# Usage: kill_resume_test.sh MIGSIM SOURCE_DIR
set -u
migsim=$1
src=$(cd "$2" && pwd)
work=$(mktemp -d)
pid=""
cleanup() {
  [ -n "$pid" ] && kill -KILL -- "-$pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
# A private copy of the binary: a rebuild of the shared build folder during the test must not mix builds.
cp "$1" "$work/migsim" && migsim=$work/migsim
. "$(dirname "$0")/../check.sh"  # passed, failed, check()
results() { find "$work/killed/runs" -mindepth 2 -maxdepth 2 -name result | wc -l; }

# 5 dirty rates x 2 policies x 4 replications of a 1 GiB guest: about 0.1 s per run.
cat >"$work/sweep.json" <<EOF
{
  "name": "kill-resume",
  "base": "$src/scenarios/default.json",
  "set": { "/vm/memory": "1GiB" },
  "grid": { "/workload/dirty/rate": ["5MBps", "10MBps", "20MBps", "40MBps", "80MBps"] },
  "policies": ["precopy", "stop-and-copy"],
  "replications": 4
}
EOF
"$migsim" sweep plan "$work/sweep.json" --out "$work/killed" >/dev/null
cp -r "$work/killed" "$work/whole"
"$migsim" sweep run "$work/whole" --jobs 2 --quiet
"$migsim" sweep merge "$work/whole" --quiet
check "the uninterrupted sweep has 40 results" test "$(find "$work/whole/runs" -name result | wc -l)" -eq 40

# kill_when N: start `sweep run` in its own process group, SIGKILL the group once N results exist.
kill_when() {
  setsid "$migsim" sweep run "$work/killed" --jobs 2 --quiet &
  pid=$!
  while [ "$(results)" -lt "$1" ] && kill -0 "$pid" 2>/dev/null; do sleep 0.02; done
  kill -KILL -- "-$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  local killed_status=$?
  pid=""
  check "sweep killed part-way by SIGKILL (status $killed_status, $(results) of 40 done)" \
    test "$killed_status" -eq 137 -a "$(results)" -lt 40
}

whole_results() {  # every result folder has its four files and a one-row summary
  local r
  for r in "$work"/killed/runs/*/result; do
    for f in summary.csv rounds.csv timeseries.csv run.json; do
      [ -s "$r/$f" ] || { echo "  $r/$f missing or empty"; return 1; }
    done
    [ "$(wc -l <"$r/summary.csv")" -eq 2 ] || { echo "  $r/summary.csv is not whole"; return 1; }
  done
}

kill_when 8
check "after the first kill, every result folder is whole" whole_results
kill_when 20
check "after the second kill, every result folder is whole" whole_results
done_before=$(results)
echo "killed twice; $done_before of 40 runs were done, $(find "$work/killed/runs" -name '*.partial.*' | wc -l) partial folders left"
stat -c '%n %i %Y' "$work"/killed/runs/*/result >"$work/before"

"$migsim" sweep run "$work/killed" --jobs 2 >"$work/stdout" 2>/dev/null
check "the resumed sweep exits 0" test $? -eq 0
check "it runs exactly the missing runs" grep -q "$done_before already done, $((40 - done_before)) run now, 0 failed" "$work/stdout"
stat -c '%n %i %Y' $(cut -d' ' -f1 "$work/before") >"$work/after"
check "no finished run ran again (same inode and mtime)" cmp -s "$work/before" "$work/after"
check "no partial folder is left" test -z "$(find "$work/killed/runs" -name '*.partial.*' -o -name '*.tmp.*')"
check "every result folder is whole" whole_results

"$migsim" sweep merge "$work/killed" --quiet
for f in summary.csv timeseries.csv rounds.csv sweep.json; do
  check "$f identical to the uninterrupted sweep's" cmp "$work/whole/$f" "$work/killed/$f"
done

echo "kill_resume_test: $passed passed, $failed failed"
[ "$failed" -eq 0 ]

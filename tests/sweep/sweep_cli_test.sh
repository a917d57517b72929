#!/usr/bin/env bash
# `migsim sweep` as a user runs it: plan, run (whole, in ranges, in any order, with 1 or 2 jobs), merge,
# the all-in-one form and its resume, failed runs, bad input (exit 2, one line naming file and JSON
# path, nothing written), progress lines in a pipe, and the Slurm script run by hand task by task.
# Every way of running the same plan must give byte-identical merged files.
# Usage: sweep_cli_test.sh MIGSIM SOURCE_DIR
set -u
migsim=$1
src=$(cd "$2" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# A private copy of the binary: a rebuild of the shared build folder during the test must not mix builds.
cp "$1" "$work/migsim" && migsim=$work/migsim
. "$(dirname "$0")/../check.sh"  # passed, failed, check(), run_migsim(), expect_input_error()
same_merge() {  # same_merge DIR_A DIR_B: every merged file byte-identical
  local f
  for f in summary.csv timeseries.csv rounds.csv sweep.json; do
    cmp -s "$1/$f" "$2/$f" || { echo "  $1/$f and $2/$f differ"; return 1; }
  done
}
lines() { wc -l <"$1"; }

# 8 small runs: 2 dirty rates x 2 policies x 2 replications, on the default scenario with 256 MiB.
cat >"$work/small.json" <<EOF
{
  "name": "small",
  "base": "$src/scenarios/default.json",
  "set": { "/vm/memory": "256MiB" },
  "grid": { "/workload/dirty/rate": ["5MBps", "20MBps"] },
  "policies": ["precopy", "stop-and-copy"],
  "replications": 2
}
EOF

for sub in "" plan run merge slurm; do
  run_migsim sweep $sub --help
  check "sweep $sub --help exits 0" test "$status" -eq 0
done

# -- plan -------------------------------------------------------------------------------------------
run_migsim sweep plan "$work/small.json" --out "$work/a"
check "plan exits 0" test "$status" -eq 0
check "plan says how many runs" grep -q "planned 8 runs" "$work/stdout"
check "plan.json written" test -s "$work/a/plan.json"
check "plan.csv has a header and 8 rows" test "$(lines "$work/a/plan.csv")" -eq 9
check "plan.csv columns" grep -qx "run_id,seed,replication,policy,/workload/dirty/rate" <(head -1 "$work/a/plan.csv")
check "plan.csv values in SI units" grep -q "^3,[0-9]*,1,stop-and-copy,5000000$" "$work/a/plan.csv"
check "8 run folders" test "$(ls "$work/a/runs" | wc -l)" -eq 8
run_migsim validate "$work"/a/runs/*/scenario.json
check "every planned scenario validates" test "$status" -eq 0
check "no temporary folder left" test -z "$(ls "$work" | grep partial)"
cp -r "$work/a" "$work/plan"  # pristine copies of the plan for the other ways of running it
for d in b c d e f; do cp -r "$work/plan" "$work/$d"; done

run_migsim sweep plan "$work/small.json" --out "$work/a"
check "plan into a non-empty folder: exit 2" test "$status" -eq 2
check "  saying so" grep -q "already exists and is not empty" "$work/stderr"

# -- bad input: one line naming file and JSON path, exit 2, nothing written ---------------------------
expect_input_error() {  # expect_input_error NAME TEXT SWEEP_JSON
  local name=$1 text=$2
  printf '%s\n' "$3" >"$work/$name.json"
  run_migsim sweep plan "$work/$name.json" --out "$work/out-$name"
  check "$name: exit 2 (got $status)" test "$status" -eq 2
  check "$name: stderr names '$text'" grep -qF -- "$text" "$work/stderr"
  check "$name: one line on stderr" test "$(lines "$work/stderr")" -eq 1
  check "$name: nothing written" test ! -e "$work/out-$name"
  run_migsim sweep "$work/$name.json" --out "$work/out-$name"
  check "$name (all in one): exit 2, nothing written" test "$status" -eq 2 -a ! -e "$work/out-$name"
}
expect_input_error bad_unit "bad_unit.json: /grid/~1workload~1dirty~1rate/1: \"5XBps\" has unknown unit" \
  '{"grid": {"/workload/dirty/rate": ["10MBps", "5XBps"]}}'
expect_input_error bad_key "bad_key.json: /grid/~1workload~1dirty~1rte/0: unknown key \"rte\" (did you mean \"rate\"?)" \
  '{"grid": {"/workload/dirty/rte": ["10MBps"]}}'
expect_input_error typo "typo.json: /gird: unknown key \"gird\" (did you mean \"grid\"?)" '{"gird": {}}'
expect_input_error bad_policy "bad_policy.json: /policies/1: unknown policy 'nope'" '{"policies": ["precopy", "nope"]}'
expect_input_error zip_lengths "zip_lengths.json: /zip/~1vm~1free: zip lists vary in lock-step" \
  '{"zip": {"/vm/memory": ["1GiB", "2GiB"], "/vm/free": [0.1]}}'
expect_input_error bad_base "bad_base.json: /base: $work/no-such-file.json: cannot open file" '{"base": "no-such-file.json"}'
expect_input_error malformed "malformed.json: malformed JSON" '{"grid": '
expect_input_error combination "combination.json: run 1 (/vm/page_cache/clean=0.99):" \
  '{"grid": {"/vm/page_cache/clean": [0.5, 0.99]}}'
run_migsim sweep run "$work/nowhere"
check "run of a folder without a plan: exit 2" test "$status" -eq 2
run_migsim sweep run "$work/b" --range 5:2
check "a backwards range: exit 2" test "$status" -eq 2

# -- run and merge: jobs, ranges and order do not change the merged files -----------------------------
run_migsim sweep run "$work/a" --jobs 1
check "run --jobs 1 exits 0" test "$status" -eq 0
check "  reports 8 run now" grep -q "0 already done, 8 run now, 0 failed" "$work/stdout"
check "  progress lines in a pipe, no carriage returns" grep -q "^sweep: 8/8 runs done, 0 failed" "$work/stderr"
check "  (no \\r)" test "$(tr -cd '\r' <"$work/stderr" | wc -c)" -eq 0
check "each run has a whole result folder" test "$(ls -d "$work"/a/runs/*/result | wc -l)" -eq 8
run_migsim sweep merge "$work/a"
check "merge exits 0" test "$status" -eq 0
summary=$work/a/summary.csv
check "summary: header and 8 rows" test "$(lines "$summary")" -eq 9
check "summary: identity, varied value, then metrics" \
  grep -q "^run_id,status,scenario,policy,seed,replication,/workload/dirty/rate,.*total_time_s,downtime_s,lan_bytes,san_bytes,rounds" "$summary"
check "summary: every run ok" test "$(cut -d, -f2 "$summary" | grep -c '^ok$')" -eq 8
check "summary: values in SI units" test "$(cut -d, -f7 "$summary" | sort -u | tr '\n' ' ')" = "/workload/dirty/rate 20000000 5000000 "
check "timeseries: run_id first" grep -q "^run_id,scenario,policy,seed,time_s," "$work/a/timeseries.csv"
check "timeseries: every run in it" test "$(tail -n +2 "$work/a/timeseries.csv" | cut -d, -f1 | sort -u | wc -l)" -eq 8
check "sweep.json: provenance" grep -q '"simgrid_version": "3.32' "$work/a/sweep.json"
check "sweep.json: no failures" grep -q '"failures": 0' "$work/a/sweep.json"

stat -c '%i %Y' "$work"/a/runs/*/result >"$work/before"
run_migsim sweep run "$work/a" --jobs 2
check "a second run skips every finished run" grep -q "8 already done, 0 run now" "$work/stdout"
stat -c '%i %Y' "$work"/a/runs/*/result >"$work/after"
check "  and leaves their results untouched" cmp -s "$work/before" "$work/after"

run_migsim sweep run "$work/b" --jobs 2 --quiet
check "run --jobs 2 --quiet: exit 0, silent" test "$status" -eq 0 -a ! -s "$work/stdout" -a ! -s "$work/stderr"
"$migsim" sweep merge "$work/b" --quiet
check "--jobs 2 merges identical to --jobs 1" same_merge "$work/a" "$work/b"

for r in 6:8 3:6 :3; do "$migsim" sweep run "$work/c" --range $r --quiet; done
"$migsim" sweep merge "$work/c" --quiet
check "ranges run backwards merge identical" same_merge "$work/a" "$work/c"

# -- the Slurm script, run by hand task by task (the real cluster is slurm_sweep_test.sh) -------------
run_migsim sweep slurm "$work/d" --chunk 3 --partition debug --time 10:00 --sbatch-option=--account=x --timeout 120.5
check "slurm exits 0" test "$status" -eq 0
check "  3 tasks of 3 runs" grep -q "3 array tasks of at most 3 runs" "$work/stdout"
script=$work/d/slurm.sh
check "slurm.sh is valid bash" bash -n "$script"
check "  an array of 3 tasks" grep -qx "#SBATCH --array=0-2" "$script"
check "  partition, time, extra option" grep -q -e "^#SBATCH --partition=debug" "$script"
check "  --time" grep -qx "#SBATCH --time=10:00" "$script"
check "  --account" grep -qx "#SBATCH --account=x" "$script"
check "  absolute binary path" grep -q "^exec '/.*migsim' sweep run '/" "$script"
check "  each run's --timeout" grep -q "^exec .* --timeout 120.5$" "$script"
for task in 2 0 1; do SLURM_ARRAY_TASK_ID=$task bash "$script" >/dev/null 2>&1; done
"$migsim" sweep merge "$work/d" --quiet
check "array tasks run by hand merge identical" same_merge "$work/a" "$work/d"

# -- failures are recorded, the sweep goes on, exit 3 --------------------------------------------------
echo '{"broken":' >"$work/e/runs/000002/scenario.json"
run_migsim sweep run "$work/e" --jobs 2
check "a failed run: exit 3" test "$status" -eq 3
check "  the others ran" test "$(ls -d "$work"/e/runs/*/result | wc -l)" -eq 7
check "  error.json records it" grep -q '"status": "failed"' "$work/e/runs/000002/error.json"
check "  with the message" grep -q 'malformed JSON' "$work/e/runs/000002/error.json"
run_migsim sweep merge "$work/e"
check "merge with a failed run: exit 3" test "$status" -eq 3
check "  its row says failed, metrics empty" grep -q "^2,failed,default,stop-and-copy,[0-9]*,0,5000000,*$" "$work/e/summary.csv"
check "  sweep.json counts it" grep -q '"failures": 1' "$work/e/sweep.json"
cp "$work/plan/runs/000002/scenario.json" "$work/e/runs/000002/"
run_migsim sweep run "$work/e"
check "the failed run is retried and then succeeds" test "$status" -eq 0 -a ! -e "$work/e/runs/000002/error.json"
"$migsim" sweep merge "$work/e" --quiet
check "  after which the merge equals the others" same_merge "$work/a" "$work/e"

# A run that crashes (its process killed by SIGSEGV) is recorded as crashed, and the sweep goes on.
# Under AddressSanitizer (make test-sanitize) the sent SIGSEGV must stay a signal, not an ASan report of
# a memory fault that never happened: handle_segv=0 for this sweep only.
ASAN_OPTIONS="${ASAN_OPTIONS:-}${ASAN_OPTIONS:+:}handle_segv=0" "$migsim" sweep run "$work/f" --jobs 1 --quiet 2>/dev/null &
sweep_pid=$!
child=""
for _ in $(seq 500); do
  child=$(pgrep -P "$sweep_pid" | head -n 1)
  [ -n "$child" ] && break
  sleep 0.01
done
[ -n "$child" ] && kill -SEGV "$child"
wait "$sweep_pid"
status=$?
check "a crashed run: exit 3 (got $status)" test "$status" -eq 3
check "  recorded as crashed by signal 11" test "$(cat "$work"/f/runs/*/error.json 2>/dev/null | grep -c '"signal": 11')" -eq 1
check "  the other runs ran" test "$(ls -d "$work"/f/runs/*/result | wc -l)" -eq 7
"$migsim" sweep merge "$work/f" --quiet
check "  its row says crashed" test "$(grep -c "^[0-9]*,crashed," "$work/f/summary.csv")" -eq 1

# A run still going after --timeout stops itself and says so; the sweep goes on and exits 3.
printf '{"name": "slow", "replications": 2, "set": {"/vm/memory": "512GiB", "/workload/io/profile": "none"}}\n' >"$work/slow.json"
run_migsim sweep "$work/slow.json" --out "$work/slow" --timeout 0.5 --jobs 2 --quiet
check "runs past --timeout: exit 3 (got $status)" test "$status" -eq 3
check "  each recorded as failed, with the wall_timeout message" \
  test "$(grep -l '"error": "exit status 1: migsim: error: wall_timeout: the run was still running after 0.5 s' "$work"/slow/runs/*/error.json | wc -l)" -eq 2

# A run on a platform file that SimGrid 3.32 aborts on is bad input with SimGrid's message (the run,
# which simulates in its own process, tries the file in a throwaway one first), not a crash.
cp "$src/tests/cli/data/unknown_routing.xml" "$work/routing.xml"
printf '{"platform": {"file": "routing.xml", "source_host": "Fafard", "destination_host": "Tremblay"}, "vm": {"memory": "64MiB"}}\n' \
  >"$work/on_routing.json"
printf '{"base": "%s", "replications": 1}\n' "$work/on_routing.json" >"$work/routing_sweep.json"
run_migsim sweep "$work/routing_sweep.json" --out "$work/routing" --quiet
check "a run on a platform file SimGrid aborts on: exit 3 (got $status)" test "$status" -eq 3
check "  recorded as failed with exit status 2 and SimGrid's message" \
  grep -q '"error": "exit status 2: migsim: error: scenario.json: /platform/file: SimGrid cannot load platform file .*: Not a valid model!"' \
  "$work/routing/runs/000000/error.json"

# -- all in one, and its resume ------------------------------------------------------------------------
run_migsim sweep "$work/small.json" --out "$work/g" --jobs 2
check "sweep FILE --out DIR: exit 0" test "$status" -eq 0
check "  same merged files" same_merge "$work/a" "$work/g"
rm -rf "$work/g/runs/000005/result" "$work/g/summary.csv"
run_migsim sweep "$work/small.json" --out "$work/g" --jobs 2
check "  again: resumes" grep -q "resuming the sweep" "$work/stdout"
check "  runs only the missing run" grep -q "^sweep: 8/8 runs done" "$work/stderr"
check "  same merged files again" same_merge "$work/a" "$work/g"
sed 's/"replications": 2/"replications": 3/' "$work/small.json" >"$work/other.json"
run_migsim sweep "$work/other.json" --out "$work/g"
check "  another sweep into it: exit 2" test "$status" -eq 2
check "  saying so" grep -q "holds another sweep" "$work/stderr"

# -- a scenario with several VMs: one merged row per row of its summary (each VM, then "all") -----------
printf '{"base": "%s", "replications": 2}\n' "$src/scenarios/examples/evacuate_two_vms.json" >"$work/evacuate.json"
run_migsim sweep "$work/evacuate.json" --out "$work/evacuate" --jobs 2 --quiet
check "evacuation sweep: exit 0" test "$status" -eq 0
check "  3 rows per run" test "$(grep -c '^1,ok,' "$work/evacuate/summary.csv")" -eq 3
check "  the last one sums up the evacuation" grep -q "^1,ok,[^,]*,evacuation:" "$work/evacuate/summary.csv"

echo "sweep_cli_test: $passed passed, $failed failed"
[ "$failed" -eq 0 ]

#!/usr/bin/env bash
# A sweep through a real Slurm cluster: starts a one-node cluster on localhost (tests/slurm/
# local_cluster.sh, which installs slurm-wlm and munge if missing), runs an 8-run sweep as a job array
# of 3 tasks (chunks of 3 runs) with `migsim sweep slurm --wait` and every script option (partition,
# account, time, memory, set-up lines, a command prefix), and checks the merged files are
# byte-identical to those of a local `sweep run` of the same plan. The cluster is always torn down.
# Exit 77 (ctest SKIP) where the machine cannot run a cluster (not root, no apt-get).
# Usage: slurm_sweep_test.sh MIGSIM SOURCE_DIR
set -u
migsim=$1
src=$(cd "$2" && pwd)
cluster_script=$src/tests/slurm/local_cluster.sh
cluster=$(mktemp -d /tmp/migsim-slurm.XXXXXX)  # short: Slurm's unix sockets live under it
work=$(mktemp -d)
cleanup() {
  "$cluster_script" stop "$cluster" >/dev/null 2>&1
  rm -rf "$cluster" "$work"
}
trap cleanup EXIT
# A private copy of the binary: a rebuild of the shared build folder during the test must not mix builds.
cp "$1" "$work/migsim" && migsim=$work/migsim
trap 'exit 130' INT TERM  # through the EXIT trap: the cluster never outlives the test
. "$(dirname "$0")/../check.sh"  # passed, failed, check()

t0=$SECONDS
exports=$("$cluster_script" start "$cluster")
status=$?
if [ "$status" -eq 77 ]; then
  echo "SKIPPED: this machine cannot run a local Slurm cluster (see the message above)"
  exit 77
fi
if [ "$status" -ne 0 ]; then
  echo "FAILED: the local Slurm cluster did not start (exit $status)"
  exit 1
fi
eval "$exports"
echo "cluster up after $((SECONDS - t0)) s ($SLURM_CONF)"

cat >"$work/sweep.json" <<EOF
{
  "name": "slurm-test",
  "base": "$src/scenarios/default.json",
  "set": { "/vm/memory": "256MiB" },
  "grid": { "/workload/dirty/rate": ["5MBps", "20MBps"] },
  "policies": ["precopy", "stop-and-copy"],
  "replications": 2
}
EOF
"$migsim" sweep plan "$work/sweep.json" --out "$work/local" >/dev/null
cp -r "$work/local" "$work/slurm"

"$migsim" sweep run "$work/local" --jobs 2 --quiet
"$migsim" sweep merge "$work/local" --quiet
check "local run: 8 results" test "$(ls -d "$work"/local/runs/*/result | wc -l)" -eq 8

t1=$SECONDS
"$migsim" sweep slurm "$work/slurm" --chunk 3 --partition debug --account migsim-test --time 10:00 --mem 256M \
  --setup 'echo "set-up line ran on $(hostname)"' --setup 'export MIGSIM_TEST_SETUP=1' \
  --prefix '/usr/bin/time -f prefix-ran' --wait >"$work/stdout" 2>"$work/stderr"
status=$?
echo "sweep slurm --wait took $((SECONDS - t1)) s"
cat "$work/stdout"
check "sweep slurm --wait exits 0 (got $status)" test "$status" -eq 0
[ "$status" -eq 0 ] || { cat "$work/stderr"; tail -n 20 "$work"/slurm/logs/* 2>/dev/null; }
check "3 array tasks of 3 runs" grep -q "3 array tasks of at most 3 runs" "$work/stdout"
check "submitted a job array" grep -q "^submitted job array [0-9]" "$work/stdout"
check "3 task logs" test "$(ls "$work"/slurm/logs/slurm-*_*.out 2>/dev/null | wc -l)" -eq 3
check "task 2 ran runs 6 to 8" grep -q "runs 6 to 8 of 8: 0 already done, 2 run now, 0 failed" "$work"/slurm/logs/slurm-*_2.out
check "8 results" test "$(ls -d "$work"/slurm/runs/*/result | wc -l)" -eq 8
for option in "--partition=debug" "--account=migsim-test" "--time=10:00" "--mem=256M"; do
  check "slurm.sh has #SBATCH $option" grep -qx -- "#SBATCH $option" "$work/slurm/slurm.sh"
done
check "every task ran the set-up lines" test "$(grep -l "^set-up line ran on" "$work"/slurm/logs/slurm-*_*.out | wc -l)" -eq 3
check "every task ran migsim under the prefix" test "$(grep -l "^prefix-ran" "$work"/slurm/logs/slurm-*_*.out | wc -l)" -eq 3
check "a plan folder under /tmp draws a one-line warning" grep -q "^migsim: warning: .*under /tmp, which the nodes of a cluster do not share" "$work/stderr"
for f in summary.csv timeseries.csv rounds.csv sweep.json; do
  check "$f identical to the local run's" cmp "$work/local/$f" "$work/slurm/$f"
done

"$migsim" sweep slurm "$work/slurm" --setup $'echo a\necho b' >"$work/stdout" 2>"$work/stderr"
status=$?
check "a set-up line with a line break is refused with exit 2 (got $status)" test "$status" -eq 2
check "... in one line naming --setup" test "$(wc -l <"$work/stderr")" -eq 1 -a -n "$(grep -- '--setup must be a single line' "$work/stderr")"

echo "slurm_sweep_test: $passed passed, $failed failed, $((SECONDS - t0)) s in all"
[ "$failed" -eq 0 ]

#!/usr/bin/env bash
# Hostile files around the commands that write (docs/errors.md, "What no input may do"): nothing a user
# supplies becomes a line of slurm.sh; no write follows a link planted where migsim writes, or replaces a
# FIFO, a device or the input itself; a second `sweep run` on the same plan neither tears nor skips a
# run, and "done" is a whole result; the merged files are replaced as one set, also when a merge is
# killed (kill -9) at random moments; a FIFO, /dev/zero or a huge line among the per-run files is one
# line of error, never a hang or an exhausted memory.
# Usage: hostile_files_test.sh MIGSIM SOURCE_DIR
set -u
src=$(cd "$2" && pwd)
work=$(mktemp -d)
trap 'chmod -R u+rwx "$work"; rm -rf "$work"' EXIT
# A private copy of the binary: a rebuild of the shared build folder during the test must not mix builds.
cp "$1" "$work/migsim" && migsim=$work/migsim
. "$(dirname "$0")/../check.sh"  # passed, failed, check(), run_migsim()
one_line_error() {  # one_line_error NAME STATUS TEXT: the last run_migsim ended so
  check "$1: exit status $2 (got $status)" test "$status" -eq "$2"
  check "$1: stderr says '$3'" grep -qF -- "$3" "$work/stderr"
  check "$1: one line on stderr" test "$(wc -l <"$work/stderr")" -eq 1
  [ "$status" -eq "$2" ] && grep -qF -- "$3" "$work/stderr" || sed 's/^/    /' "$work/stderr"
}
sums() {  # sums DIR: checksums of the merged set DIR/merged holds
  (cd "$1/merged" && sha256sum summary.csv timeseries.csv rounds.csv sweep.json)
}
cat >"$work/outside.txt" <<<"a file outside every folder migsim was given"
outside_intact() {
  test "$(cat "$work/outside.txt")" = "a file outside every folder migsim was given"
}

# 4 small runs; each takes a fraction of a second.
cat >"$work/small.json" <<EOF
{
  "name": "small",
  "base": "$src/scenarios/default.json",
  "set": { "/vm/memory": "256MiB" },
  "grid": { "/workload/dirty/rate": ["5MBps", "20MBps"] },
  "policies": ["precopy", "stop-and-copy"]
}
EOF

# --- 1. Nothing supplied becomes a line of slurm.sh ------------------------------------------------
# A name that would end the comment it is written in; a file stem that would (the default name); a
# plan folder with spaces, quotes, '#' and '%' (quoted, and still running); a path with a line break
# (refused: no quoting makes it safe in an #SBATCH line).
sed 's/"name": "small"/"name": "x\\ntouch INJECTED\\n#"/' "$work/small.json" >"$work/named.json"
stem=$work/$'s\ntouch INJECTED\n#'.json
sed '/"name"/d' "$work/small.json" >"$stem"
for sweep in "$work/named.json" "$stem"; do
  plan="$work/plan \"q\" #1 %A"
  rm -rf "$plan"
  "$migsim" sweep plan "$sweep" --out "$plan" >/dev/null
  run_migsim sweep slurm "$plan" --chunk 1 --quiet
  check "slurm.sh of an injecting name: written (exit $status)" test "$status" -eq 0
  check "slurm.sh of an injecting name: no line runs 'touch'" bash -c "! grep -q '^touch' \"\$1\"" _ "$plan/slurm.sh"
  check "slurm.sh of an injecting name: bash parses it" bash -n "$plan/slurm.sh"
  mkdir -p "$work/task" && rm -f "$work/task/INJECTED"
  (cd "$work/task" && SLURM_ARRAY_TASK_ID=0 bash "$plan/slurm.sh" >/dev/null 2>&1)
  check "slurm.sh of an injecting name: task 0 runs its run" test -d "$plan/runs/000000/result"
  check "slurm.sh of an injecting name: nothing injected ran" test ! -e "$work/task/INJECTED"
done
check "slurm.sh: the --output folder quoted for sbatch" \
  grep -qF "#SBATCH --output=\"$work/plan \\\"q\\\" \\#1 %%A/logs/\"slurm-%A_%a.out" "$plan/slurm.sh"
newline_plan=$work/$'nl\ntouch INJECTED\n#'
"$migsim" sweep plan "$work/small.json" --out "$newline_plan" >/dev/null
run_migsim sweep slurm "$newline_plan"
one_line_error "slurm of a plan folder with a line break" 2 "holds a control character"
check "slurm of a plan folder with a line break: no slurm.sh" test ! -e "$newline_plan/slurm.sh"

# --- 2, 3. No write through a planted link; no FIFO, device or input replaced -----------------------
record=$src/tests/cli/data/qemu/pre-bw64-uniform-w32-r1.json
cp "$record" "$work/record.json"
ln -s "$work/outside.txt" "$work/linked.json"
run_migsim import qemu "$work/record.json" --out "$work/linked.json"
check "import --out onto a link: exit 0 (got $status)" test "$status" -eq 0
check "import --out onto a link: the file it pointed to is untouched" outside_intact
check "import --out onto a link: the link is replaced by the scenario" test -f "$work/linked.json" -a ! -L "$work/linked.json"
mkfifo "$work/fifo.json"
run_migsim import qemu "$work/record.json" --out "$work/fifo.json"
one_line_error "import --out onto a FIFO" 2 "is a FIFO, not a regular file"
check "import --out onto a FIFO: still a FIFO" test -p "$work/fifo.json"
if mknod "$work/null" c 1 3 2>/dev/null; then
  run_migsim import qemu "$work/record.json" --out "$work/null"
  one_line_error "import --out onto a device" 2 "is a device, not a regular file"
  check "import --out onto a device: still a device" test -c "$work/null"
fi
ln "$work/record.json" "$work/hardlink.json"
ln -s record.json "$work/symlink.json"
for out in record.json hardlink.json symlink.json; do
  run_migsim import qemu "$work/record.json" --out "$work/$out"
  one_line_error "import --out $out (the record itself)" 2 "itself; writing it would destroy the input"
  check "import --out $out: the record is intact" cmp -s "$record" "$work/record.json"
done
check "no temporary file is left next to --out" test -z "$(find "$work" -maxdepth 1 -name '*.tmp.*')"

# Links planted in a plan folder where sweep run, merge and slurm write.
plan=$work/links
"$migsim" sweep plan "$work/small.json" --out "$plan" >/dev/null
echo '{"not": "a scenario"}' >"$plan/runs/000001/scenario.json"  # run 1 fails: error.json, output.txt
ln -s "$work/outside.txt" "$plan/runs/000001/output.txt"
ln -s "$work/outside.txt" "$plan/runs/000001/error.json"
ln -s "$work/outside.txt" "$plan/summary.csv"
mkdir "$work/outside-folder"
ln -s "$work/outside-folder" "$plan/merged"
ln -s "$work/outside.txt" "$plan/slurm.sh"
"$migsim" sweep run "$plan" --quiet
check "sweep run with planted links: run 1 failed (error.json)" grep -q '"status": "failed"' "$plan/runs/000001/error.json"
"$migsim" sweep merge "$plan" --quiet
"$migsim" sweep slurm "$plan" --quiet
check "planted links: the file they pointed to is untouched" outside_intact
check "planted links: the folder merged pointed to is untouched" test -z "$(ls -A "$work/outside-folder")"
for f in runs/000001/output.txt runs/000001/error.json slurm.sh; do
  check "planted link $f: replaced by a file of migsim's" test -f "$plan/$f" -a ! -L "$plan/$f"
done
check "planted link summary.csv: now the link into merged/" test "$(readlink "$plan/summary.csv")" = merged/summary.csv
check "planted link merged: now migsim's set" test "$(head -c 6 "$plan/merged/summary.csv")" = run_id

# --- 4. "Done" is a whole result; two sweeps on one plan; merges replace the set as one -------------
plan=$work/torn
"$migsim" sweep plan "$work/small.json" --out "$plan" >/dev/null
"$migsim" sweep run "$plan" --quiet
rm "$plan/runs/000002/result/rounds.csv"  # as a concurrent clean-up once left it
run_migsim sweep merge "$plan" --quiet
check "merge of a torn result: exit 3, the run is not done (got $status)" test "$status" -eq 3
check "merge of a torn result: sweep.json says what it lacks" grep -q 'result/ is not whole (no rounds.csv)' "$plan/sweep.json"
run_migsim sweep run "$plan"
check "sweep run of a torn result: runs it again" grep -q '3 already done, 1 run now, 0 failed' "$work/stdout"
run_migsim sweep merge "$plan" --quiet
check "merge after the rerun: exit 0 (got $status)" test "$status" -eq 0

# Two `sweep run` at once on one plan of 8 runs: every run runs once, and both end with everything done.
sed 's/"policies"/"replications": 2, "policies"/' "$work/small.json" >"$work/eight.json"
plan=$work/twice
"$migsim" sweep plan "$work/eight.json" --out "$plan" >/dev/null
"$migsim" sweep run "$plan" --jobs 2 >"$work/first.out" 2>/dev/null &
first=$!
"$migsim" sweep run "$plan" --jobs 2 >"$work/second.out" 2>/dev/null
second_status=$?
wait "$first"
first_status=$?
check "two sweeps on one plan: both exit 0 ($first_status, $second_status)" test "$first_status$second_status" = 00
ran=$(($(cat "$work/first.out" "$work/second.out" | sed -n 's/.* \([0-9]*\) run now.*/\1/p' | paste -sd+)))
check "two sweeps on one plan: each run ran once (ran $ran)" test "$ran" -eq 8
for r in "$plan"/runs/*; do
  check "two sweeps on one plan: $(basename "$r") has its whole result" test -f "$r/result/rounds.csv" -a -f "$r/result/run.json"
done
run_migsim sweep merge "$plan" --quiet
check "two sweeps on one plan: merge exits 0 (got $status)" test "$status" -eq 0
check "two sweeps on one plan: no leftovers" test -z "$(find "$plan" -name '*.partial.*' -o -name '*.tmp.*')"

# A merge killed (kill -9) at random moments: the set in merged/ is the one before or the one after,
# never a mix, and the next merge removes whatever the killed one left. The two sets differ by run 3;
# samples every 2 ms make a timeseries.csv of a few MB, which a merge takes most of its time to write.
sed 's|"/vm/memory": "256MiB"|&, "/output/sample_interval": "2ms"|' "$work/small.json" >"$work/fine.json"
plan=$work/killed
"$migsim" sweep "$work/fine.json" --out "$plan" --quiet --jobs 2
after=$(sums "$plan")
mv "$plan/runs/000003/result" "$work/result-3"
"$migsim" sweep merge "$plan" --quiet
before=$(sums "$plan")
cp -a "$plan/merged/" "$work/set-before"
mv "$work/result-3" "$plan/runs/000003/result"
check "the two sets differ" test "$before" != "$after"
RANDOM=24
mixed=0 midway=0
for i in $(seq 10); do
  cp -a "$work/set-before" "$plan/merged.before" && ln -sfn merged.before "$plan/merged"
  "$migsim" sweep merge "$plan" --quiet &
  pid=$!
  sleep "$(printf '0.%02d' $((RANDOM % 60)))"  # a merge takes about 0.5 s here
  kill -9 "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  now=$(sums "$plan")
  [ "$now" = "$before" ] || [ "$now" = "$after" ] || mixed=$((mixed + 1))
  [ "$(find "$plan" -maxdepth 1 -name 'merged.*' | wc -l)" -gt 1 ] && midway=$((midway + 1))
done
echo "  (of 10 kills, $midway left a half-written set behind)"
check "merge killed 10 times: always the whole set before or after ($mixed mixed)" test "$mixed" -eq 0
"$migsim" sweep merge "$plan" --quiet
check "the merge after the kills: the set after" test "$(sums "$plan")" = "$after"
check "the merge after the kills: one set folder, no temporaries" \
  test "$(find "$plan" -maxdepth 1 \( -name 'merged.*' -o -name '*.tmp.*' \) | wc -l)" -eq 1

# --- 5. Per-run files that would hang or exhaust the merge -------------------------------------------
plan=$work/torn  # whole again
result=$plan/runs/000003/result
head -c 3000000 /dev/zero | tr '\0' 7 >"$work/long-line"
{ head -1 "$result/timeseries.csv" | tr -d '\n'; cat "$work/long-line"; } >"$result/huge-header.csv"
mv "$result/huge-header.csv" "$result/timeseries.csv"
run_migsim sweep merge "$plan" --quiet
one_line_error "merge of a 3 MB header line" 2 "has a line longer than 1024 KiB"
{ head -1 "$result/rounds.csv"; cat "$work/long-line"; } >"$result/timeseries.csv"
run_migsim sweep merge "$plan" --quiet
one_line_error "merge of a 3 MB row" 2 "runs/000003/result/timeseries.csv: has a line longer than 1024 KiB"
for special in fifo zero; do
  rm -f "$result/timeseries.csv"
  if [ $special = fifo ]; then mkfifo "$result/timeseries.csv"; else ln -s /dev/zero "$result/timeseries.csv"; fi
  status=0
  timeout 20 "$migsim" sweep merge "$plan" --quiet >/dev/null 2>"$work/stderr" || status=$?
  check "merge with a $special per-run file: ends, and not done: exit 3 (got $status)" test "$status" -eq 3
  check "merge with a $special per-run file: the run is listed as not whole" \
    grep -q 'result/ is not whole (no timeseries.csv)' "$plan/sweep.json"
done

echo "$passed passed, $failed failed"
test "$failed" -eq 0

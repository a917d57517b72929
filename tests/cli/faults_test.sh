#!/usr/bin/env bash
# Faults: a migration that cannot converge ends by its round, byte or time limit with a status saying so;
# a runaway run is stopped by the wall-clock guard (--timeout); a crashing simulation is one message and
# exit status 1; and a `migsim run` killed (SIGKILL) at any moment leaves its --out folder complete or
# absent, never half-written, never touches an earlier result, and leaves no simulation running.
# Usage: faults_test.sh MIGSIM SOURCE_DIR
set -u
migsim=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
. "$(dirname "$0")/../check.sh"  # passed, failed, check()

status_of() {  # status_of DIR: the status column of the single row of DIR/summary.csv
  awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "status") c = i } NR == 2 { print $c }' "$1/summary.csv"
}

nothing_runs() {  # nothing_runs TEXT: no process has TEXT on its command line (children included)
  ! pgrep -f -- "$1" >/dev/null
}

# --- Limits: the status names the one that ended the migration ----------------------------------------
hard=(--policy precopy --set /vm/memory=1GiB --set /workload/dirty/pattern=uniform --set /workload/dirty/rate=100MBps)
"$migsim" run "${hard[@]}" --set /migration/max_bytes_factor=1.5 --out "$work/bytes" --quiet
check "byte limit: exit status 0" test $? -eq 0
check "byte limit: status byte_limit" test "$(status_of "$work/bytes")" = byte_limit
"$migsim" run "${hard[@]}" --set /migration/max_bytes_factor=1e6 --set /migration/max_time=5s --out "$work/time" --quiet
check "time limit: exit status 0" test $? -eq 0
check "time limit: status time_limit" test "$(status_of "$work/time")" = time_limit
"$migsim" run "${hard[@]}" --set /migration/max_bytes_factor=1e6 --set /migration/max_rounds=2 --out "$work/rounds" --quiet
check "round limit: exit status 0" test $? -eq 0
check "round limit: status round_limit" test "$(status_of "$work/rounds")" = round_limit
check "round limit: two live rounds and the stop-and-copy one" test "$(($(wc -l <"$work/rounds/rounds.csv") - 1))" -eq 3

# --- The wall-clock guard -----------------------------------------------------------------------------
# 1 us samples over minutes of simulated time: a run that would take hours of wall-clock time.
start=$(date +%s%N)
"$migsim" run --set /output/sample_interval=1us --timeout 0.5 --out "$work/runaway" >"$work/stdout" 2>"$work/stderr"
status=$?
elapsed_ms=$((($(date +%s%N) - start) / 1000000))
check "wall timeout: exit status 1 (got $status)" test "$status" -eq 1
check "wall timeout: says wall_timeout" grep -q "^migsim: error: policy san-restore: wall_timeout: .* 0.5 s of wall-clock time" "$work/stderr"
check "wall timeout: one line on stderr" test "$(wc -l <"$work/stderr")" -eq 1
check "wall timeout: stdout empty" test ! -s "$work/stdout"
check "wall timeout: nothing written" test ! -e "$work/runaway"
check "wall timeout: stopped promptly (${elapsed_ms} ms)" test "$elapsed_ms" -lt 5000
check "wall timeout: the simulation process is gone" nothing_runs "$work/runaway"
"$migsim" run --timeout -1 --out "$work/negative" >/dev/null 2>"$work/stderr"
check "--timeout -1 is bad input (exit status 2)" test $? -eq 2
check "--timeout -1: says what is expected" grep -q -- '--timeout: expected a number of seconds, 0 or more (0: no limit), got "-1"' "$work/stderr"
"$migsim" run --timeout nan --out "$work/nan" >/dev/null 2>&1
check "--timeout nan is bad input (exit status 2)" test $? -eq 2

# --- A simulation process that crashes ----------------------------------------------------------------
for signal in ABRT ILL; do  # not SEGV: ASan (make test-sanitize) would report it
  "$migsim" run --set /output/sample_interval=1us --out "$work/crash-$signal" >"$work/stdout" 2>"$work/stderr" &
  parent=$!
  for _ in $(seq 100); do  # wait for the simulation process to start
    child=$(pgrep -P "$parent" | head -1)
    [ -n "$child" ] && break
    sleep 0.05
  done
  kill -"$signal" "$child"
  wait "$parent"
  status=$?
  check "crash by SIG$signal: exit status 1 (got $status)" test "$status" -eq 1
  check "crash by SIG$signal: one line naming the signal" \
    grep -q "^migsim: internal error: policy san-restore: simulation process died of signal" "$work/stderr"
  check "crash by SIG$signal: one line on stderr" test "$(wc -l <"$work/stderr")" -eq 1
  check "crash by SIG$signal: nothing written" test ! -e "$work/crash-$signal"
done

# --- SIGKILL at any moment: the result is complete or absent ------------------------------------------
mkdir "$work/results"
long=(--set /vm/memory=16GiB --set /output/sample_interval=10ms --policy precopy --policy san-restore --quiet)
start=$(date +%s%N)
"$migsim" run "${long[@]}" --out "$work/results/reference"
check "reference run: exit status 0" test $? -eq 0
run_ms=$((($(date +%s%N) - start) / 1000000))
cp -r "$work/results/reference" "$work/earlier"

complete_or_absent() {  # complete_or_absent DIR: absent, or the reference's files exactly
  local dir=$1
  [ -e "$dir" ] || return 0
  [ "$(ls -A "$dir" | sort | tr '\n' ' ')" = "rounds.csv run.json summary.csv timeseries.csv " ] || return 1
  for f in summary.csv rounds.csv timeseries.csv; do
    cmp -s "$dir/$f" "$work/results/reference/$f" || return 1
  done
  /usr/bin/python3 -c 'import json, sys; json.load(open(sys.argv[1]))' "$dir/run.json"
}

# Moments: spread over the run (seeded, so a failure can be replayed), then right when the results
# start being written (the .partial. folder appears), then after the end.
RANDOM=${MIGSIM_KILL_SEED:-5}
moments=()
for _ in 1 2 3; do
  moments+=($((RANDOM % (run_ms + 500))))
done
moments+=(writing end)
absent=0
complete=0
for i in "${!moments[@]}"; do
  out=$work/results/kill-$i
  "$migsim" run "${long[@]}" --out "$out" &
  pid=$!
  case ${moments[$i]} in
    writing)
      for _ in $(seq 20000); do
        compgen -G "$out.partial.*" >/dev/null && break
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.001
      done ;;
    end) wait "$pid" ;;
    *) sleep "$(printf '%d.%03d' $((moments[i] / 1000)) $((moments[i] % 1000)))" ;;
  esac
  kill -KILL "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  sleep 0.2  # the kernel delivers PR_SET_PDEATHSIG to the simulation processes
  check "killed at ${moments[$i]}: no simulation process left" nothing_runs "$out"
  check "killed at ${moments[$i]}: --out folder complete or absent" complete_or_absent "$out"
  if [ -e "$out" ]; then complete=$((complete + 1)); else absent=$((absent + 1)); fi
  leftovers=0
  for leftover in "$out".partial.*; do
    [ -e "$leftover" ] || continue
    leftovers=$((leftovers + 1))
    check "a leftover is named NAME.partial.PID ($(basename "$leftover"))" \
      bash -c '[[ $(basename "$1") =~ ^kill-[0-9]+\.partial\.[0-9]+$ ]]' _ "$leftover"
  done
  echo "killed at ${moments[$i]}: $([ -e "$out" ] && echo complete || echo absent), $leftovers .partial. leftover(s)"
done
echo "killed runs: $complete complete, $absent absent"
check "the last kill (after the end) left a complete result" test -e "$work/results/kill-$((${#moments[@]} - 1))"
check "the earlier result is untouched" diff -r "$work/earlier" "$work/results/reference"

# A leftover is not a result: the next run to the same --out succeeds and removes it.
mkdir -p "$work/results/again.partial.999999999"
"$migsim" run --out "$work/results/again" --quiet
check "a run next to a stale .partial. folder succeeds" test -s "$work/results/again/summary.csv"
check "and removes the stale .partial. folder of a dead process" test ! -e "$work/results/again.partial.999999999"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]

#!/usr/bin/env bash
# What the user's environment does to migsim, and what migsim must then do (docs/errors.md): numbers too
# large for the integer they name, folders it cannot read or write, names that do not fit, --out paths
# that end in a slash or name the current folder, a full disk, and standard streams that are closed or
# cannot be written. Each is one line on stderr with the documented status (never an internal error),
# and no empty folder or partial output is left.
# Usage: streams_and_paths_test.sh MIGSIM SOURCE_DIR
set -u
. "$(dirname "$0")/../check.sh"
start_cli_test "$1" "$2"
chmod 755 "$work"  # the unprivileged cases below run as nobody when the test runs as root
small=(--set /vm/memory=256MiB --set /workload/dirty/rate=10MBps --policy precopy --quiet)

unprivileged() {  # unprivileged COMMAND...: as this user, or as nobody when root (permissions hold then)
  if [ "$(id -u)" -eq 0 ]; then setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; else "$@"; fi
}
can_drop=$( (unprivileged true) 2>/dev/null && echo yes)

errors_only() {  # errors_only STATUS TEXT: $status, TEXT on the only "migsim: error" line, stdout empty
  local what=$1 want=$2 text=$3
  check "$what: exit status $want (got $status)" test "$status" -eq "$want"
  check "$what: one error line saying '$text'" test "$(grep -c '^migsim: ' "$work/stderr")" -eq 1 -a \
    "$(grep -cF -- "$text" "$work/stderr")" -eq 1
  check "$what: stdout empty" test ! -s "$work/stdout"
  grep -qF -- "$text" "$work/stderr" || sed 's/^/    /' "$work/stderr"
}

# --- Numbers too large for their integer: bad input, not an internal error -----------------------------
mkdir "$in/suite"
cp "$src/scenarios/validation/clark2005_stop_and_copy.json" "$in/suite/s.json"
for metric in 'round[99999999999].bytes' 'vm[99999999999999999999].total_time'; do
  cat >"$in/suite/c.validation.json" <<JSON
{ "case": "c", "source": "test", "scenario": "s.json", "checks": [ { "metric": "$metric", "expected": 1, "tolerance": 0.1 } ] }
JSON
  run_migsim validate-suite "$in/suite"
  errors_only "sidecar metric $metric" 2 "c.validation.json: /checks/0/metric: unknown metric"
done
run_migsim validate "$src/scenarios/examples/evacuate_two_vms.json" --set '/vms/99999999999999999999999/vm/memory=1GiB'
errors_only "--set with an index beyond 2^64" 2 "/vms/99999999999999999999999/vm/memory: --set: no such setting"

# --- Folders that cannot be read or written --------------------------------------------------------------
if [ -n "$can_drop" ]; then
  mkdir -p "$in/walk/locked"
  cp "$src/scenarios/validation/clark2005_stop_and_copy"*.json "$in/walk/"
  chmod 000 "$in/walk/locked"
  unprivileged "$migsim" validate-suite "$in/walk" >"$work/stdout" 2>"$work/stderr"
  status=$?
  errors_only "validate-suite with an unreadable sub-folder" 2 "$in/walk/locked: cannot read folder (Permission denied)"
  chmod 755 "$in/walk/locked"

  printf '{"name": "t", "base": {"vm": {"memory": "256MiB"}}, "grid": {"/workload/dirty/rate": ["1MBps", "2MBps"]}}\n' >"$in/sweep.json"
  "$migsim" sweep plan "$in/sweep.json" --out "$work/plan" >/dev/null
  chmod -R a-w "$work/plan"
  unprivileged "$migsim" sweep slurm "$work/plan" >"$work/stdout" 2>"$work/stderr"
  status=$?
  grep -v '^migsim: warning:' "$work/stderr" >"$work/errors"; mv "$work/errors" "$work/stderr"
  errors_only "sweep slurm on a read-only plan" 4 "cannot create directories \"$work/plan/logs\" (Permission denied)"
  chmod -R u+w "$work/plan"
else
  echo "skipped: the unreadable and read-only folder cases (cannot drop privileges)"
fi

# --- Output paths --------------------------------------------------------------------------------------
"$migsim" run "${small[@]}" --out "$work/slash/" 2>"$work/stderr"
check "--out DIR/: exit status 0 (got $?)" test -s "$work/slash/summary.csv"
check "--out DIR/: no error" test ! -s "$work/stderr"
mkdir "$work/here"
(cd "$work/here" && "$migsim" run "${small[@]}" --out . >"$work/stdout" 2>"$work/stderr")
status=$?
errors_only "--out . (the current folder)" 2 'output folder "." is the current folder'
check "--out .: checked before simulating, nothing left" test -z "$(ls -A "$work/here")"
if mkdir "$work/small" && mount -t tmpfs -o size=16k tmpfs "$work/small" 2>/dev/null; then
  (cd "$work/small" && "$migsim" run "${small[@]}" >"$work/stdout" 2>"$work/stderr")
  status=$?
  errors_only "run on a full disk" 4 "(No space left on device)"
  check "run on a full disk: no results/ folder left" test -z "$(ls -A "$work/small")"
  cat /dev/zero >"$work/small/fill" 2>/dev/null  # the disk is full now
  (cd "$work/small" && "$migsim" import qemu "$src/tests/cli/data/qemu/pre-bw64-uniform-w32-r1.json" >"$work/small/s.json" 2>"$work/stderr")
  status=$?
  check "import > FILE on a full disk: exit status 4 (got $status)" test "$status" -eq 4
  check "import > FILE on a full disk: one line" grep -qx 'migsim: error: cannot write the scenario to stdout (No space left on device)' "$work/stderr"
  umount "$work/small"
  mkdir -p "$work/mnt" && mount -t tmpfs -o size=1m tmpfs "$work/mnt"
  run_migsim run "${small[@]}" --out "$work/mnt"
  errors_only "--out a mount point" 2 "output folder \"$work/mnt\" is a mount point"
  umount "$work/mnt"
else
  echo "skipped: the full-disk and mount-point cases (cannot mount a tmpfs)"
fi

# --- Standard streams ----------------------------------------------------------------------------------
"$migsim" run "${small[@]}" --out "$work/closed" >&- 2>&-
check "run with stdout and stderr closed: exit status 0 (got $?)" test -s "$work/closed/summary.csv"
"$migsim" policies <&- >"$work/stdout" 2>&-
check "policies with stdin and stderr closed: prints the policies" grep -q precopy "$work/stdout"
cat >"$in/suite/c.validation.json" <<JSON
{ "case": "c", "source": "test", "scenario": "s.json", "checks": [ { "metric": "total_time", "expected": 1, "tolerance": 0.1 } ] }
JSON
for command in "policies" "import qemu $src/tests/cli/data/qemu/pre-bw64-uniform-w32-r1.json" "validate-suite $in/suite"; do
  # shellcheck disable=SC2086
  "$migsim" $command >/dev/full 2>"$work/stderr"
  status=$?
  check "$command > /dev/full: exit status 4 (got $status)" test "$status" -eq 4
  check "$command > /dev/full: one line on stderr" test "$(wc -l <"$work/stderr")" -eq 1
  grep -qx 'migsim: error: cannot write .*to stdout (No space left on device)' "$work/stderr" || cat "$work/stderr"
done
cp "$in/suite/c.validation.json" "$in/suite/d.validation.json"
sed -i 's/"case": "c"/"case": "d", "bogus": 1/' "$in/suite/d.validation.json"
run_migsim validate-suite "$in/suite"
errors_only "validate-suite with one bad sidecar among good ones" 2 'd.validation.json: /bogus: unknown key'

# --- Names that do not fit a scenario name: derived, and said so -------------------------------------------
/usr/bin/python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); d.pop("case", None); json.dump(d, open(sys.argv[2], "w"))' \
  "$src/tests/cli/data/qemu/pre-bw64-uniform-w32-r1.json" "$in/record.json"
long=$(printf 'r%.0s' $(seq 120))
for stem in "$long" "$(printf 'tab\there')" "$(printf 'not-utf8-\xff\xfe')"; do
  cp "$in/record.json" "$in/$stem.json"
  run_migsim import qemu "$in/$stem.json"
  check "import of a record named $(printf %q "$stem"): exit status 0 (got $status)" test "$status" -eq 0
  name=$(/usr/bin/python3 -c 'import json, sys; print(json.load(sys.stdin)["name"])' <"$work/stdout")
  check "its name fits (${#name} bytes)" test "${#name}" -le 100 -a "${#name}" -ge 10
  check "its name is said" grep -qF "/name is \"$name\"" "$work/stderr"
  "$migsim" validate "$work/stdout" >/dev/null 2>&1
  check "its scenario validates" test $? -eq 0
  rm "$in/$stem.json"
done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]

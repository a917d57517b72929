# Sourced by the shell tests: counters and check(), so that every test ends with the same
# "N passed, N failed" line that CI reads.
passed=0
failed=0

check() {  # check "what" command...: passes when the command succeeds
  local what=$1
  shift
  if "$@"; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    echo "FAILED: $what"
  fi
}

# expect_error NAME STATUS TEXT ARGS...: runs $migsim ARGS in an empty folder $work/cwd-NAME (with --out
# there for `run` without one) and checks the exit status, TEXT on the only line of stderr, empty stdout, and that the
# folder is still empty afterwards. Needs $migsim and $work.
expect_error() {
  local name=$1 want=$2 text=$3
  shift 3
  local cwd=$work/cwd-$name
  mkdir "$cwd"
  local out=()
  [ "$1" = run ] && [[ " $* " != *" --out "* ]] && out=(--out "$cwd/out")
  (cd "$cwd" && "$migsim" "$@" "${out[@]}" >"$work/stdout" 2>"$work/stderr")
  local status=$?
  check "$name: exit status $want (got $status)" test "$status" -eq "$want"
  check "$name: stderr says '$text'" grep -qF -- "$text" "$work/stderr"
  check "$name: exactly one line on stderr" test "$(wc -l <"$work/stderr")" -eq 1
  check "$name: stdout empty" test ! -s "$work/stdout"
  check "$name: nothing created" test -z "$(ls -A "$cwd")"
  if ! grep -qF -- "$text" "$work/stderr" || [ "$(wc -l <"$work/stderr")" -ne 1 ]; then
    echo "  stderr was:"
    sed 's/^/    /' "$work/stderr"
  fi
  chmod -R u+rwx "$cwd"
  rm -rf "$cwd"
}

# start_cli_test MIGSIM SOURCE_DIR: sets $migsim and $src (absolute), $work (removed at exit) and $in.
start_cli_test() {
  migsim=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
  src=$(cd "$2" && pwd)
  work=$(mktemp -d)
  trap 'chmod -R u+rwx "$work"; rm -rf "$work"' EXIT
  in=$work/in
  mkdir "$in"
}

# run_migsim ARGS...: runs $migsim, keeping stdout and stderr in $work/stdout and $work/stderr and the
# exit status in $status.
run_migsim() {
  "$migsim" "$@" >"$work/stdout" 2>"$work/stderr"
  status=$?
}

# expect_input_error NAME TEXT ARGS...: `migsim ARGS --out $work/out-NAME` exits 2 with TEXT on the only
# line of stderr, stdout empty and no output folder. (Some tests define their own for other commands.)
expect_input_error() {
  local name=$1 text=$2
  shift 2
  run_migsim "$@" --out "$work/out-$name"
  check "$name: exit status 2 (got $status)" test "$status" -eq 2
  check "$name: stderr names '$text'" grep -qF -- "$text" "$work/stderr"
  check "$name: one line on stderr" test "$(wc -l <"$work/stderr")" -eq 1
  check "$name: stdout empty" test ! -s "$work/stdout"
  check "$name: no output folder" test ! -e "$work/out-$name"
  [ "$(wc -l <"$work/stderr")" -eq 1 ] || cat "$work/stderr"
}

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

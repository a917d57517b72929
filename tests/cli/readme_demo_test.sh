#!/usr/bin/env bash
# The README's demo table is what `make demo` prints: runs the Makefile's DEMO_POLICIES on the built-in
# default scenario and compares the table, line by line, with the block in README.md (the results
# folder line aside). A model change that moves a number fails here until the README is updated.
# Usage: readme_demo_test.sh MIGSIM SOURCE_DIR
set -u
migsim=$1
src=$2
. "$(dirname "$0")/../check.sh"  # passed, failed, check()
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

policies=$(sed -n 's/^DEMO_POLICIES *:= *//p' "$src/Makefile")
check "the Makefile names the demo's policies" test -n "$policies"
args=()
for p in $policies; do args+=(--policy "$p"); done
"$migsim" run "${args[@]}" --out "$work/out" | grep -v '^results: ' >"$work/printed"
# The README's block: from the table header to the line before "results:".
awk '/^policy +status +total_s/{on=1} on && /^results: /{exit} on' "$src/README.md" >"$work/readme"
check "README has the demo table" test -s "$work/readme"
check "README's demo table is what make demo prints" diff -u "$work/readme" "$work/printed"
echo "readme_demo_test: $passed passed, $failed failed"
[ "$failed" -eq 0 ]

#!/bin/bash
# `make configure` in a copied checkout (cp -a, build folder included): the copied build/ names the
# original tree, so cmake would refuse it and `cmake --build build` would rebuild the original. The
# Makefile must notice and configure it afresh, and keep a build folder of this very tree as it is.
# cmake and the package check are stubbed: only the Makefile's decision is tested.
# Usage: copied_build_dir_test.sh SOURCE_DIR
set -u
src=$1
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
failures=0
fail() { echo "FAILED: $*"; failures=$((failures + 1)); }

mkdir -p "$dir/bin" "$dir/original" "$dir/copy"
cat >"$dir/bin/cmake" <<'STUB'
#!/bin/sh
echo "cmake $*" >>"$CMAKE_LOG"
STUB
cat >"$dir/bin/dpkg-query" <<'STUB'
#!/bin/sh
echo "install ok installed"
STUB
chmod +x "$dir/bin/cmake" "$dir/bin/dpkg-query"
cp "$src/Makefile" "$dir/original/"
mkdir -p "$dir/original/build/CMakeFiles"
printf 'CMAKE_CACHEFILE_DIR:INTERNAL=%s\nCMAKE_HOME_DIRECTORY:INTERNAL=%s\n' "$dir/original/build" "$dir/original" \
  >"$dir/original/build/CMakeCache.txt"
cp -a "$dir/original/." "$dir/copy/"
export CMAKE_LOG=$dir/cmake.log PATH=$dir/bin:$PATH

# The original's own build folder is kept.
out=$(make -s -C "$dir/original" configure 2>&1) || fail "make configure in the original: $out"
[ -f "$dir/original/build/CMakeCache.txt" ] || fail "the original's own build folder was removed"
grep -q 'removing' <<<"$out" && fail "the original's own build folder was reported as foreign: $out"

# The copy's build folder names the original: removed, with one line saying why, then configured here.
: >"$CMAKE_LOG"
out=$(make -s -C "$dir/copy" configure 2>&1) || fail "make configure in the copy: $out"
grep -q "^build/ was configured for the source tree $dir/original .*removing it to configure it afresh" <<<"$out" ||
  fail "no line naming the other tree: $out"
[ -e "$dir/copy/build/CMakeCache.txt" ] && fail "the copied cache was kept"
grep -q '^cmake -S . -B build' "$CMAKE_LOG" || fail "cmake was not run afterwards: $(cat "$CMAKE_LOG")"
[ -f "$dir/original/build/CMakeCache.txt" ] || fail "the original's build folder was touched"

# A build folder moved within the same tree (BUILD=other) is configured afresh too.
mv "$dir/original/build" "$dir/original/moved"
out=$(make -s -C "$dir/original" configure BUILD=moved 2>&1)
grep -q "^moved/ was configured" <<<"$out" || fail "a moved build folder was kept: $out"

[ "$failures" -eq 0 ] && echo "copied build folder: all checks passed"
exit $((failures > 0))

#!/usr/bin/env bash
# Builds the scenario loader's libFuzzer target with clang in BUILD_DIR (its own build folder: the fuzz
# build instruments everything for coverage, ASan and UBSan) and fuzzes it for SECONDS, starting from the
# scenarios/ files, tests/fuzz/seeds/ and tests/fuzz/regressions/, with tests/fuzz/scenario.dict.
# Exit 77 (ctest: skipped) where clang cannot build libFuzzer targets (`make deps-fuzz` installs it).
# A failure leaves the input in BUILD_DIR/artifacts/: fix the loader, then copy the input to
# tests/fuzz/regressions/ so that fuzz_regressions replays it in every build from then on.
# Usage: run_fuzz.sh SOURCE_DIR BUILD_DIR SECONDS
set -euo pipefail
src=$1
build=$2
seconds=$3
if [ "$seconds" -le 0 ]; then
  echo "skipped: fuzzing turned off (MIGSIM_FUZZ_SECONDS=$seconds)"
  exit 77
fi
cxx=${MIGSIM_FUZZ_CXX:-clang++}
probe=$(mktemp -d)
trap 'rm -rf "$probe"' EXIT
echo 'extern "C" int LLVMFuzzerTestOneInput(const unsigned char*, unsigned long) { return 0; }' >"$probe/probe.cpp"
if ! command -v "$cxx" >/dev/null || ! "$cxx" -fsanitize=fuzzer,address,undefined "$probe/probe.cpp" -o "$probe/probe" 2>/dev/null; then
  echo "skipped: $cxx cannot build libFuzzer targets (Debian: make deps-fuzz, i.e. apt-get install clang libclang-rt-14-dev)"
  exit 77
fi

mkdir -p "$build/corpus" "$build/artifacts"  # the corpus grows from run to run in this build folder
if ! { cmake -S "$src" -B "$build" -DCMAKE_CXX_COMPILER="$cxx" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMIGSIM_FUZZ=ON \
         -DMIGSIM_TESTS=OFF && cmake --build "$build" --target scenario_loader_fuzz -j"$(nproc)"; } >"$build/build.log" 2>&1; then
  tail -n 40 "$build/build.log"
  echo "cannot build the fuzz target (log: $build/build.log)"
  exit 1
fi
cd "$build"
# The loader opens platform files named in a scenario: relative names resolve here, not in the sources.
set +e
"$build/tests/fuzz/scenario_loader_fuzz" -max_total_time="$seconds" -timeout=10 -error_exitcode=1 -timeout_exitcode=1 -rss_limit_mb=2048 -max_len=4096 \
  -dict="$src/tests/fuzz/scenario.dict" -artifact_prefix="$build/artifacts/" -print_final_stats=1 \
  "$build/corpus" "$src/tests/fuzz/seeds" "$src/tests/fuzz/regressions" "$src/scenarios" 2>"$build/fuzz.log"
status=$?
set -e
grep -E '^(#[0-9]+ +DONE|stat::number_of_executed_units|stat::peak_rss_mb|INFO: seed corpus)' "$build/fuzz.log" || true
if [ "$status" -ne 0 ]; then
  tail -n 60 "$build/fuzz.log"
  echo "the scenario loader broke its contract; inputs in $build/artifacts/ (add them to tests/fuzz/regressions/)"
fi
exit "$status"

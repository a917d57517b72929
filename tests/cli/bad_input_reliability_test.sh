#!/usr/bin/env bash
# Issue 13, by class: inputs an adversarial user tries beyond tests/cli/bad_input_test.sh. Each class of
# docs/errors.md ("Reliability") is tried with several cases: none may give "internal error", a signal,
# a hang, or write outside its folder; each problem is one prefixed line naming the thing, with the
# documented exit status (2 bad input, 4 the filesystem refused).
# Usage: bad_input_reliability_test.sh MIGSIM SOURCE_DIR
set -u
. "$(dirname "$0")/../check.sh"  # passed, failed, check(), expect_error(), start_cli_test()
start_cli_test "$@"
platform=$src/scenarios/platforms/small_platform_fafard_tremblay.xml
quick=(--set /vm/memory=64MiB --set /workload/dirty/rate=1MBps --quiet)

scenario() { printf '%s' "$2" >"$in/$1.json"; }  # scenario NAME JSON
printf '{"replications": 2, "set": {"/vm/memory": "64MiB", "/workload/dirty/rate": "1MBps"}}\n' >"$in/small.json"
count_class() { echo "class $1: $(($passed - ${2:-0})) checks"; }

# --- 1. Valid-looking use that crashed (exit 0 now) -----------------------------------------------------
before=$passed
scenario no-migration '{"name": "nm"}'
scenario platform-no-migration "{\"platform\": {\"file\": \"$platform\", \"source_host\": \"Fafard\", \"destination_host\": \"Tremblay\", \"storage_host\": \"\"}}"
for p in precopy drop-cache stop-and-copy; do
  "$migsim" run "$in/no-migration.json" --policy $p "${quick[@]}" --out "$work/nm-$p" 2>"$work/stderr"
  check "run without /migration, --policy $p: exit 0" test $? -eq 0
done
"$migsim" run "$in/platform-no-migration.json" --policy precopy "${quick[@]}" --out "$work/pnm" 2>"$work/stderr"
check "platform file without /migration, --policy precopy: exit 0" test $? -eq 0
"$migsim" validate "$in/no-migration.json" --set /migration/policy=postcopy >/dev/null 2>"$work/stderr"
check "--set /migration/policy on a file without /migration: exit 0" test $? -eq 0
count_class crashes "$before"

# --- 2. Nothing escapes the results folder -------------------------------------------------------------
before=$passed
expect_error name-escapes 2 "/name: must not contain '/'" run --set '/name=../../escaped'
expect_error name-absolute 2 "/name: must not contain '/'" run --set '/name=/tmp/escaped'
expect_error name-dotdot 2 "/name: must not start with '.' or '-'" run --set '/name=..'
expect_error name-too-long 2 "/name: must be 1 to 100 bytes long" run --set "/name=$(printf 'x%.0s' $(seq 300))"
expect_error name-empty 2 "/name: must be 1 to 100 bytes long" run --set '/name=""'
scenario escape '{"name": "../../escaped"}'
expect_error name-in-file 2 "$in/escape.json: /name: must not contain '/'" validate "$in/escape.json"
check "nothing written outside" test ! -e "$work/escaped" -a ! -e "$in/../escaped"
count_class escaping "$before"

# --- 3. Overflow: quantities that become counts are bounded ---------------------------------------------
before=$passed
expect_error dirty-rate-1e29 2 "/workload/dirty/rate: must be at most" run --set /workload/dirty/rate=1e29
expect_error dirty-rate-1e12 2 "/workload/dirty/rate: must be at most 1e11 bytes/s" run --set /workload/dirty/rate=1e12
expect_error dirty-rate-unit 2 "/workload/dirty/rate: must be at most 1e11 bytes/s" run --set /workload/dirty/rate=1TBps
expect_error lan-rate 2 "/platform/lan/bandwidth: must be at most 1e15 bytes/s" run --set /platform/lan/bandwidth=1e300
expect_error duration 2 "/migration/max_time: must be at most 1e9 s" run --set /migration/max_time=1e300
expect_error start 2 "/migration/start: must be at most 1e9 s" run --set /migration/start=1e20
expect_error request-size 2 "/workload/io/request_size: must be at most 1GiB" run --set /workload/io/request_size=1e18
printf 'time_s,rate_Bps\n0,1e29\n' >"$in/rates.csv"
scenario trace-rate '{"workload": {"dirty": {"trace": "rates.csv"}}}'
expect_error trace-rate 2 "$in/rates.csv: a rate above 1e11 bytes/s" validate "$in/trace-rate.json"
cat >"$in/draw2.json" <<'EOF'
{"random": {"samples": 2, "params": {"/migration/max_rounds": {"min": 1, "max": 1e30, "integer": true}}}}
EOF
expect_error integer-draw 2 "draw2.json: /random/params/~1migration~1max_rounds: an integer range must lie within [-2^53, 2^53]" \
  sweep plan "$in/draw2.json" --out "$work/never"
count_class overflow "$before"

# --- 4. Unbounded inputs: sizes, counts and depth bounded before any work --------------------------------
before=$passed
mkfifo "$in/fifo.json" "$in/fifo.csv"
scenario trace-fifo '{"workload": {"dirty": {"trace": "fifo.csv"}}}'
expect_error fifo-scenario 2 "$in/fifo.json: is not a regular file" validate "$in/fifo.json"
expect_error fifo-trace 2 "/workload/dirty/trace: cannot read trace file \"$in/fifo.csv\": is not a regular file" \
  validate "$in/trace-fifo.json"
expect_error fifo-sweep 2 "$in/fifo.json: is not a regular file" sweep plan "$in/fifo.json" --out "$work/never"
yes 1 | head -c 70000000 >"$in/huge.csv"
scenario trace-huge '{"workload": {"dirty": {"trace": "huge.csv"}}}'
expect_error trace-huge 2 "cannot read trace file \"$in/huge.csv\": larger than 64 MiB" validate "$in/trace-huge.json"
head -c 2000000 /dev/zero | tr '\0' '1' >"$in/long-line.csv"
scenario trace-long-line '{"workload": {"dirty": {"trace": "long-line.csv"}}}'
expect_error trace-long-line 2 "cannot read trace file \"$in/long-line.csv\": has a line longer than 1024 KiB" validate "$in/trace-long-line.json"
python3 -c 'print("{\"vms\": [" + ",".join(["{}"] * 1001) + "]}")' >"$in/vms.json"
expect_error too-many-vms 2 "$in/vms.json: /vms: at most 1000 VMs, got 1001" validate "$in/vms.json"
python3 -c 'print("{\"vms\": [{\"vm\": " + "{\"a\": " * 100000 + "1" + "}" * 100000 + "}]}")' >"$in/deep.json"
expect_error deep-nesting 2 "$in/deep.json: /vms/0/vm/a" validate "$in/deep.json"
python3 -c 'print("[" * 100000 + "]" * 100000)' >"$in/deep-array.json"
expect_error deep-array 2 "nested more than 64 levels deep" validate "$in/deep-array.json"
cat >"$in/grid.json" <<'EOF'
{"grid": {"/migration/max_rounds": [RANGE], "/vm/free": [RANGE], "/vm/page_cache/clean": [RANGE]}}
EOF
sed -i "s/RANGE/$(seq -s, 0 999)/g" "$in/grid.json"
expect_error huge-grid 2 "grid.json: the sweep has 1000000000 runs" sweep plan "$in/grid.json" --out "$work/never"
count_class unbounded "$before"

# --- 5. Filesystem faults: located, exit status 4 (2 for an --out that is taken) -------------------------
before=$passed
touch "$work/regular"
expect_error out-under-file 4 "cannot create output folder \"$work/regular/out\": \"$work/regular\" is a file, not a folder" \
  run --out "$work/regular/out" --quiet
expect_error out-is-file 2 "output folder \"$work/regular\" is a file, not a folder" run --out "$work/regular" --quiet
ln -s "$work/nowhere" "$work/dangling"
expect_error out-dangling 2 "output folder \"$work/dangling\" is a dangling symbolic link" run --out "$work/dangling" --quiet
if [ "$(id -u)" -ne 0 ]; then
  mkdir "$work/readonly" && chmod 555 "$work/readonly"
  start=$(date +%s)
  expect_error out-read-only 4 "cannot create output folder \"$work/readonly/out\" in \"$work/readonly\" (Permission denied)" \
    run --out "$work/readonly/out" --quiet
  check "read-only parent found before simulating" test $(($(date +%s) - start)) -lt 5
  expect_error sweep-read-only 4 "in \"$work/readonly\" (Permission denied)" sweep plan "$src/scenarios/sweeps/$(ls "$src/scenarios/sweeps" | head -1)" --out "$work/readonly/s"
fi
nonutf=$(printf "$work/caf\xe9")
"$migsim" run "${quick[@]}" --out "$nonutf" 2>"$work/stderr"
check "a non-UTF-8 --out: exit 0" test $? -eq 0
check "  and its results" test -s "$nonutf/run.json"
for i in 1 2 3; do  # two sweeps racing for the same new --out: one plans, the other is told, none crashes
  "$migsim" sweep plan "$in/small.json" --out "$work/race$i" >/dev/null 2>"$work/race-a" & a=$!
  "$migsim" sweep plan "$in/small.json" --out "$work/race$i" >/dev/null 2>"$work/race-b" & b=$!
  wait $a; sa=$?; wait $b; sb=$?
  check "race $i: exactly one plan wins ($sa, $sb)" test $(( (sa == 0) + (sb == 0) )) -eq 1
  check "race $i: the other is exit 2 or 4 with one line" test $(( sa + sb )) -eq 2 -o $(( sa + sb )) -eq 4
  check "race $i: no internal error" test -z "$(grep -h 'internal error' "$work/race-a" "$work/race-b")"
done
count_class filesystem "$before"

# --- 6. Platform values SimGrid aborts on: refused before SimGrid -----------------------------------------
before=$passed
for bad in 'bandwidth="0"' 'bandwidth="0Gbps"' 'speed="0f"' 'speed="1Gf,0"'; do
  case $bad in
    bandwidth*) sed "s/bandwidth=\"41.279125MBps\"/$bad/" "$platform" >"$in/p.xml" ;;
    *) sed "s/speed=\"76.296Mf\"/$bad/" "$platform" >"$in/p.xml" ;;
  esac
  scenario zero "{\"platform\": {\"file\": \"p.xml\", \"source_host\": \"Fafard\", \"destination_host\": \"Tremblay\"}}"
  expect_error "platform-$bad" 2 "/platform/file: platform file \"$in/p.xml\" has $bad at line" validate "$in/zero.json"
  expect_error "platform-run-$bad" 2 "SimGrid needs a positive speed and bandwidth" run "$in/zero.json"
done
# validate builds a platform file as run does: what only the build finds is refused by both.
scenario no-host "{\"platform\": {\"file\": \"$platform\", \"source_host\": \"Fafard\", \"destination_host\": \"Nowhere\", \"storage_host\": \"\"}}"
expect_error platform-host-validate 2 "/platform/destination_host: no host \"Nowhere\" in platform file" validate "$in/no-host.json"
expect_error platform-host-run 2 "/platform/destination_host: no host \"Nowhere\" in platform file" run "$in/no-host.json"
count_class platform "$before"

# --- 7. Sweeps: damaged per-run files are named at merge ---------------------------------------------------
before=$passed
"$migsim" sweep "$in/small.json" --out "$work/sw" --quiet --jobs 2 2>"$work/stderr"
check "a small sweep runs: exit 0" test $? -eq 0
printf 'scenario,policy\n"unterminated\n' >"$work/sw/runs/000001/result/summary.csv"
expect_error merge-garbled 2 "$work/sw/runs/000001/result/summary.csv: unterminated quoted cell" sweep merge "$work/sw" --quiet
printf 'a,b\n1\n' >"$work/sw/runs/000001/result/summary.csv"
expect_error merge-short-row 2 "$work/sw/runs/000001/result/summary.csv: row 2 has 1 cells" sweep merge "$work/sw" --quiet
echo '{' >"$work/sw/runs/000000/result/run.json"
expect_error merge-bad-json 2 "$work/sw/runs/000000/result/run.json: malformed JSON" sweep merge "$work/sw" --quiet
# A SAN policy on a platform without a storage host is refused when loading: by run, validate and a
# sweep's plan ("policies": "all"), before any run.
scenario no-storage "{\"platform\": {\"file\": \"$platform\", \"source_host\": \"Fafard\", \"destination_host\": \"Tremblay\", \"storage_host\": \"\"}}"
no_san="/platform/storage_host: policy 'san-restore' reads from the SAN, but the platform file names no storage host"
expect_error no-storage-run 2 "$no_san" run "$in/no-storage.json" --policy san-restore
expect_error no-storage-validate 2 "$no_san" validate "$in/no-storage.json" --set /migration/policy=san-restore
expect_error no-storage-postcopy 2 "policy 'postcopy' reads from the SAN" \
  validate "$in/no-storage.json" --set /migration/policy=postcopy --set /migration/params/san_cache=1
printf '{"base": "%s", "policies": "all"}\n' "$in/no-storage.json" >"$in/all-policies.json"
expect_error no-storage-sweep-plan 2 "reads from the SAN, but the platform file names no storage host" \
  sweep plan "$in/all-policies.json" --out "$work/never"
count_class sweeps "$before"

# --- 8. Docs and code agree ------------------------------------------------------------------------------
before=$passed
expect_error trailing-space 2 "/vm/memory: \"5GiB \" has spaces around it" run --set '/vm/memory="5GiB "'
expect_error leading-space 2 "/vm/memory: \" 5GiB\" has spaces around it" run --set '/vm/memory=" 5GiB"'
"$migsim" validate "$src/scenarios/default.json" --set /migration/params/map_time_per_GiB=2 --set /migration/policy=san-lazy >/dev/null 2>"$work/stderr"
check "--set a parameter, then --set its policy: the parameter applies (exit 0)" test $? -eq 0
expect_error param-then-other-policy 2 "/migration/params/map_time_per_GiB: --set: no such setting in this scenario" \
  validate "$src/scenarios/default.json" --set /migration/params/map_time_per_GiB=2 --set /migration/policy=precopy
count_class docs "$before"

# --- 9. Messages: one line, prefixed, naming the thing --------------------------------------------------
before=$passed
expect_error unknown-command 2 'migsim: error: unknown command "frobnicate"; commands are: run, validate' frobnicate
expect_error unknown-option 2 'migsim: error: The following argument was not expected: --bogus' run --bogus
expect_error jobs-zero 2 'migsim: error: --jobs: expected a whole number, 1 or more, got "0"' run --jobs 0
expect_error sweep-jobs-zero 2 'migsim: error: --jobs: expected a whole number, 1 or more, got "0"' sweep x.json --out y --jobs 0
expect_error missing-file-arg 2 'migsim: error: scenarios is required' validate
count_class messages "$before"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]

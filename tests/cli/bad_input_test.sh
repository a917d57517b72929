#!/usr/bin/env bash
# Bad input, as a user gives it: every problem in a scenario file, a platform file or on the command line
# gives exit status 2, exactly one line on stderr naming the file and the JSON path (and the bad value),
# nothing on stdout, and nothing created: no --out folder, no results/ folder, no leftovers.
# Usage: bad_input_test.sh MIGSIM SOURCE_DIR
set -u
. "$(dirname "$0")/../check.sh"  # passed, failed, check(), expect_error(), start_cli_test()
start_cli_test "$@"

expect_input_error() {  # expect_input_error NAME TEXT ARGS...: expect_error with exit status 2 (check.sh)
  local name=$1 text=$2
  shift 2
  expect_error "$name" 2 "$text" "$@"
}

scenario() {  # scenario NAME JSON: writes $in/NAME.json
  printf '%s' "$2" >"$in/$1.json"
}

platform=$src/scenarios/platforms/small_platform_fafard_tremblay.xml
on_platform() {  # on_platform XML [HOST]: a scenario on platform file XML, destination HOST (Tremblay)
  printf '{"platform": {"file": "%s", "source_host": "Fafard", "destination_host": "%s", "storage_host": ""}}' \
    "$1" "${2:-Tremblay}"
}

# --- The file itself ---------------------------------------------------------------------------------
expect_input_error missing-file "$in/nope.json: cannot open file (No such file or directory)" run "$in/nope.json"
mkdir "$in/folder.json"
expect_input_error directory "$in/folder.json: is a directory, not a JSON file" run "$in/folder.json"
if [ "$(id -u)" -ne 0 ]; then  # root reads anything: the case cannot happen there
  scenario unreadable '{}'
  chmod 000 "$in/unreadable.json"
  expect_input_error unreadable "$in/unreadable.json: cannot open file (Permission denied)" run "$in/unreadable.json"
fi
scenario empty ''
expect_input_error empty "$in/empty.json: the file is empty; expected a JSON object" run "$in/empty.json"
scenario blank $'  \n\t\n'
expect_input_error blank "$in/blank.json: the file is empty" run "$in/blank.json"
head -c 17000000 /dev/zero >"$in/huge.json"
expect_input_error huge-file "$in/huge.json: larger than 16 MiB" run "$in/huge.json"

# --- Malformed JSON, with line and column --------------------------------------------------------------
scenario trailing-comma $'{\n  "vm": { "memory": "4GiB",\n }\n}\n'
expect_input_error trailing-comma "$in/trailing-comma.json: malformed JSON: parse error at line 3, column 2" \
  run "$in/trailing-comma.json"
scenario unclosed $'{\n  "vm": { "memory": "4GiB" }\n'
expect_input_error unclosed "$in/unclosed.json: malformed JSON: parse error at line 3, column 1" run "$in/unclosed.json"
scenario comment $'{\n  // a comment\n  "seed": 1\n}'
expect_input_error comment "$in/comment.json: malformed JSON: parse error at line 2, column 3" run "$in/comment.json"
scenario single-quotes "{'seed': 1}"
expect_input_error single-quotes "$in/single-quotes.json: malformed JSON: parse error at line 1, column 2" \
  run "$in/single-quotes.json"
printf '{"name": "caf\xe9"}' >"$in/latin1.json"
expect_input_error bad-utf8 "$in/latin1.json: malformed JSON: parse error at line 1, column" run "$in/latin1.json"
scenario overflow $'{\n  "vm": { "memory": 1e400 }\n}'
expect_input_error number-overflow "$in/overflow.json: malformed JSON: number out of range at line 2, column 21: 1e400" \
  run "$in/overflow.json"
scenario two-documents '{} {}'
expect_input_error two-documents "$in/two-documents.json: malformed JSON: parse error at line 1, column 4" \
  run "$in/two-documents.json"
scenario duplicate $'{"vm": {"memory": "1GiB",\n "memory": "2GiB"}}'
expect_input_error duplicate-key "$in/duplicate.json: /vm/memory: key given twice in the same object" run "$in/duplicate.json"

# --- Wrong shape and wrong types -----------------------------------------------------------------------
scenario array '[{"seed": 1}]'
expect_input_error top-level-array "$in/array.json: expected a JSON object at the top level, got an array" run "$in/array.json"
scenario number '42'
expect_input_error top-level-number "$in/number.json: expected a JSON object at the top level, got the number 42" \
  run "$in/number.json"
scenario not-object '{"vm": 3}'
expect_input_error not-an-object "$in/not-object.json: /vm: expected an object, got the number 3" run "$in/not-object.json"
scenario bool-size '{"vm": {"memory": true}}'
expect_input_error bool-size "$in/bool-size.json: /vm/memory: expected a size such as" run "$in/bool-size.json"
scenario null-rate '{"platform": {"lan": {"bandwidth": null}}}'
expect_input_error null-rate "$in/null-rate.json: /platform/lan/bandwidth: expected a rate such as \"1Gbps\"" \
  run "$in/null-rate.json"
scenario string-int '{"migration": {"max_rounds": "ten"}}'
expect_input_error string-integer "$in/string-int.json: /migration/max_rounds: expected an integer, got the string \"ten\"" \
  run "$in/string-int.json"
scenario float-int '{"migration": {"max_rounds": 2.5}}'
expect_input_error float-integer "$in/float-int.json: /migration/max_rounds: expected an integer, got the number 2.5" \
  run "$in/float-int.json"
scenario string-fraction '{"vm": {"free": "10%"}}'
expect_input_error string-fraction "$in/string-fraction.json: /vm/free: expected a number, got the string \"10%\"" \
  run "$in/string-fraction.json"
scenario number-name '{"name": 7}'
expect_input_error number-name "$in/number-name.json: /name: expected a string, got the number 7" run "$in/number-name.json"
scenario huge-seed '{"seed": 1e30}'
expect_input_error huge-seed "$in/huge-seed.json: /seed: expected an integer, got the number 1e+30" run "$in/huge-seed.json"
scenario negative-seed '{"seed": -1}'
expect_input_error negative-seed "$in/negative-seed.json: /seed: must be an integer in [0, 9223372036854775807], got -1" \
  run "$in/negative-seed.json"

# --- Unknown keys and names ----------------------------------------------------------------------------
scenario top-typo '{"seeds": 3}'
expect_input_error unknown-top-key "$in/top-typo.json: /seeds: unknown key \"seeds\" (did you mean \"seed\"?)" \
  run "$in/top-typo.json"
scenario nested-typo '{"platform": {"lan": {"bandwith": "1Gbps"}}}'
expect_input_error unknown-nested-key \
  "$in/nested-typo.json: /platform/lan/bandwith: unknown key \"bandwith\" (did you mean \"bandwidth\"?); known keys here: bandwidth, latency" \
  run "$in/nested-typo.json"
scenario far-typo '{"vm": {"colour": "blue"}}'
expect_input_error unknown-key-no-hint "$in/far-typo.json: /vm/colour: unknown key \"colour\"; known keys here:" \
  run "$in/far-typo.json"
scenario newline-key '{"vm": {"a\nb": 1}}'
expect_input_error newline-in-key "$in/newline-key.json: /vm/a\\nb: unknown key \"a\\nb\"" run "$in/newline-key.json"
scenario choice '{"platform": {"network_model": "CM03"}}'
expect_input_error unknown-choice \
  "$in/choice.json: /platform/network_model: unknown value \"CM03\"; expected one of: CM02, LV08 (did you mean \"CM02\"?)" \
  run "$in/choice.json"
scenario policy '{"migration": {"policy": "pre-copy"}}'
expect_input_error unknown-policy "$in/policy.json: /migration/policy: unknown policy 'pre-copy'; valid policies are: precopy, " \
  run "$in/policy.json"
scenario param '{"migration": {"policy": "precopy", "params": {"foo": 1}}}'
expect_input_error unknown-param "$in/param.json: /migration/params/foo: policy 'precopy' has no parameter \"foo\"; its parameters are: " \
  run "$in/param.json"
scenario param-typo '{"migration": {"policy": "san-restore", "params": {"map_time_per_gib": 1}}}'
expect_input_error param-typo \
  "$in/param-typo.json: /migration/params/map_time_per_gib: policy 'san-restore' has no parameter \"map_time_per_gib\" (did you mean \"map_time_per_GiB\"?)" \
  run "$in/param-typo.json"
scenario params-type '{"migration": {"params": 3}}'
expect_input_error params-not-object "$in/params-type.json: /migration/params: expected an object, got the number 3" \
  run "$in/params-type.json"

# --- Units ---------------------------------------------------------------------------------------------
scenario unit '{"platform": {"lan": {"bandwidth": "1GHz"}}}'
expect_input_error unknown-unit "$in/unit.json: /platform/lan/bandwidth: \"1GHz\" has unknown unit \"GHz\"; expected a rate" \
  run "$in/unit.json"
scenario wrong-kind '{"vm": {"memory": "1Gbps"}}'
expect_input_error unit-of-wrong-kind "$in/wrong-kind.json: /vm/memory: \"1Gbps\" has unknown unit \"Gbps\"; expected a size" \
  run "$in/wrong-kind.json"
scenario no-number '{"migration": {"downtime_limit": "ms"}}'
expect_input_error unit-without-number "$in/no-number.json: /migration/downtime_limit: \"ms\" is not a duration" \
  run "$in/no-number.json"
scenario bare-string '{"vm": {"memory": "4"}}'
expect_input_error string-without-unit "$in/bare-string.json: /vm/memory: must hold between 1 and 2^32 pages of /vm/page_size (\"4KiB\"), got \"4\"" \
  run "$in/bare-string.json"
scenario nan '{"vm": {"memory": "nanGiB"}}'
expect_input_error nan "$in/nan.json: /vm/memory: \"nanGiB\" is not a size" run "$in/nan.json"
scenario inf '{"migration": {"max_time": "infs"}}'
expect_input_error infinity "$in/inf.json: /migration/max_time: \"infs\" is not a duration" run "$in/inf.json"

# --- Out of range --------------------------------------------------------------------------------------
scenario zero-size '{"vm": {"memory": 0}}'
expect_input_error zero-size "$in/zero-size.json: /vm/memory: must be positive, got 0" run "$in/zero-size.json"
scenario negative-size '{"vm": {"memory": "-4GiB"}}'
expect_input_error negative-size "$in/negative-size.json: /vm/memory: must be positive, got \"-4GiB\"" run "$in/negative-size.json"
scenario zero-rate '{"platform": {"san": {"bandwidth": "0Gbps"}}}'
expect_input_error zero-rate "$in/zero-rate.json: /platform/san/bandwidth: must be positive, got \"0Gbps\"" run "$in/zero-rate.json"
scenario negative-rate '{"workload": {"dirty": {"rate": -1}}}'
expect_input_error negative-rate "$in/negative-rate.json: /workload/dirty/rate: must be zero or positive, got -1" \
  run "$in/negative-rate.json"
scenario negative-time '{"migration": {"start": "-1s"}}'
expect_input_error negative-duration "$in/negative-time.json: /migration/start: must be zero or positive, got \"-1s\"" \
  run "$in/negative-time.json"
scenario absurd '{"vm": {"memory": "1e30GiB"}}'
expect_input_error absurd-size "$in/absurd.json: /vm/memory: must hold between 1 and 2^32 pages" run "$in/absurd.json"
scenario tiny-page '{"vm": {"page_size": 100}}'
expect_input_error tiny-page "$in/tiny-page.json: /vm/page_size: must be a whole number of bytes, at least 512, got 100" \
  run "$in/tiny-page.json"
scenario small-chunk '{"migration": {"chunk": "1KiB"}}'
expect_input_error sub-page-chunk "$in/small-chunk.json: /migration/chunk: must be between one page" run "$in/small-chunk.json"
scenario fraction '{"vm": {"page_cache": {"clean": 1.5}}}'
expect_input_error fraction-above-1 "$in/fraction.json: /vm/page_cache/clean: must be in [0, 1], got 1.5" run "$in/fraction.json"
scenario negative-fraction '{"vm": {"free": -0.5}}'
expect_input_error fraction-below-0 "$in/negative-fraction.json: /vm/free: must be in [0, 1], got -0.5" \
  run "$in/negative-fraction.json"
scenario cache '{"vm": {"page_cache": {"clean": 0.8, "dirty": 0.3}}}'
expect_input_error cache-larger-than-memory \
  "$in/cache.json: /vm/page_cache: page cache (clean + dirty) is larger than memory: 0.8 + 0.3 > 1" run "$in/cache.json"
scenario cache-free '{"vm": {"page_cache": {"clean": 0.7, "dirty": 0.1}, "free": 0.3}}'
expect_input_error cache-plus-free "$in/cache-free.json: /vm/free: page cache plus free memory is larger than memory" \
  run "$in/cache-free.json"
scenario hot '{"workload": {"dirty": {"hot_fraction": 0}}}'
expect_input_error zero-hot-fraction "$in/hot.json: /workload/dirty/hot_fraction: must be greater than 0, got 0" run "$in/hot.json"
scenario rounds '{"migration": {"max_rounds": 0}}'
expect_input_error zero-rounds "$in/rounds.json: /migration/max_rounds: must be an integer in [1, 100000], got 0" run "$in/rounds.json"
scenario param-range '{"migration": {"policy": "san-restore", "params": {"map_time_per_GiB": -1}}}'
expect_input_error param-out-of-range "$in/param-range.json: /migration/params/map_time_per_GiB: must be" \
  run "$in/param-range.json"

# --- Platform files ------------------------------------------------------------------------------------
scenario platform-missing "$(on_platform nowhere.xml)"
expect_input_error platform-missing "$in/platform-missing.json: /platform/file: cannot read platform file \"$in/nowhere.xml\"" \
  run "$in/platform-missing.json"
scenario platform-folder "$(on_platform .)"
expect_input_error platform-is-a-folder "$in/platform-folder.json: /platform/file: cannot read platform file \"$in/.\": is a directory" \
  run "$in/platform-folder.json"
scenario platform-device "$(on_platform /dev/null)"
expect_input_error platform-not-a-file "$in/platform-device.json: /platform/file: cannot read platform file \"/dev/null\": is not a regular file" \
  run "$in/platform-device.json"
scenario trace-device '{"workload": {"dirty": {"trace": "/dev/zero"}}}'
expect_input_error trace-not-a-file "$in/trace-device.json: /workload/dirty/trace: cannot read trace file \"/dev/zero\": is not a regular file" \
  run "$in/trace-device.json"
echo 'hello, I am not XML' >"$in/text.xml"
scenario platform-text "$(on_platform text.xml)"
expect_input_error platform-not-xml "$in/platform-text.json: /platform/file: SimGrid cannot load platform file \"$in/text.xml\": Parse error" \
  run "$in/platform-text.json"
head -c 400 "$platform" >"$in/truncated.xml"
scenario platform-truncated "$(on_platform truncated.xml)"
expect_input_error platform-truncated "$in/platform-truncated.json: /platform/file: SimGrid cannot load platform file" \
  run "$in/platform-truncated.json"
cat >"$in/twice.xml" <<'EOF'
<?xml version='1.0'?>
<!DOCTYPE platform SYSTEM "https://simgrid.org/simgrid.dtd">
<platform version="4.1">
  <zone id="z" routing="Full">
    <host id="Fafard" speed="1Gf"/>
    <host id="Fafard" speed="1Gf"/>
  </zone>
</platform>
EOF
scenario platform-twice "$(on_platform twice.xml)"
expect_input_error platform-inconsistent "$in/platform-twice.json: /platform/file: SimGrid cannot load platform file" \
  run "$in/platform-twice.json"
cp "$src/tests/cli/data/unknown_routing.xml" "$in/routing.xml"
scenario platform-routing "$(on_platform routing.xml)"
# SimGrid aborts on this one instead of throwing (the process that died is diagnosed by a throwaway one)
expect_input_error platform-aborting-simgrid "$in/platform-routing.json: /platform/file: SimGrid cannot load platform file \"$in/routing.xml\": Not a valid model!" \
  run "$in/platform-routing.json"
expect_input_error validate-aborting-simgrid "$in/platform-routing.json: /platform/file: SimGrid cannot load platform file \"$in/routing.xml\": Not a valid model!" \
  validate "$in/platform-routing.json"
cat >"$in/islands.xml" <<'EOF'
<?xml version='1.0'?>
<!DOCTYPE platform SYSTEM "https://simgrid.org/simgrid.dtd">
<platform version="4.1">
  <zone id="z" routing="Full">
    <host id="Fafard" speed="1Gf"/>
    <host id="Tremblay" speed="1Gf"/>
  </zone>
</platform>
EOF
scenario platform-no-route "$(on_platform islands.xml)"
expect_input_error platform-without-route \
  "$in/platform-no-route.json: /platform/file: platform file \"$in/islands.xml\" has no route from host \"Fafard\" to host \"Tremblay\"" \
  run "$in/platform-no-route.json"
expect_input_error validate-without-route \
  "$in/platform-no-route.json: /platform/file: platform file \"$in/islands.xml\" has no route from host \"Fafard\" to host \"Tremblay\"" \
  validate "$in/platform-no-route.json"
scenario platform-host "$(on_platform "$platform" Nowhere)"
expect_input_error platform-unknown-host "$in/platform-host.json: /platform/destination_host: no host \"Nowhere\" in platform file" \
  run "$in/platform-host.json"
scenario platform-same "$(on_platform "$platform" Fafard)"
expect_input_error platform-same-host "$in/platform-same.json: /platform/destination_host: must differ from /platform/source_host" \
  run "$in/platform-same.json"
scenario platform-nameless "{\"platform\": {\"file\": \"$platform\", \"source_host\": \"Fafard\"}}"
expect_input_error platform-without-host "$in/platform-nameless.json: /platform/destination_host: a platform file needs the name of this host" \
  run "$in/platform-nameless.json"

# --- The command line ----------------------------------------------------------------------------------
expect_input_error set-unknown-path "built-in default: /vm/memroy: --set: no such setting" run --set /vm/memroy=1GiB
expect_input_error set-below-a-value "built-in default: /seed/x: --set: no such setting" run --set /seed/x=1
expect_input_error set-without-equals "built-in default: --set /vm/memory: expected /json/pointer=value" run --set /vm/memory
expect_input_error set-without-slash "built-in default: --set vm/memory=1GiB: expected /json/pointer=value" run --set vm/memory=1GiB
expect_input_error set-bad-pointer "built-in default: /vm/~2: --set: not a valid JSON pointer" run --set '/vm/~2=1'
expect_input_error set-bad-value "built-in default: /vm/memory: \"fast\" is not a size" run --set /vm/memory=fast
expect_input_error set-malformed-json "built-in default: /migration/max_rounds: expected an integer, got the string \"{\"" \
  run --set '/migration/max_rounds={'
expect_input_error set-empty-value "built-in default: /vm/memory: \"\" is not a size" run --set /vm/memory=
expect_input_error set-not-utf8 "built-in default: /name: --set: the value is not valid UTF-8" run --set "$(printf '/name=caf\xe9')"
expect_input_error set-below-a-replaced-object "built-in default: /vm" run --set /vm=1 --set /vm/memory=2GiB
expect_input_error set-out-of-range "built-in default: /vm/free: must be in [0, 1], got 2" run --set /vm/free=2
scenario ok '{"seed": 3}'
expect_input_error set-names-the-file "$in/ok.json: /vm/page_cache/clean: must be in [0, 1], got 7" \
  run "$in/ok.json" --set /vm/page_cache/clean=7
expect_input_error unknown-policy-option "--policy: unknown policy 'fast'; valid policies are: precopy" run --policy fast
expect_input_error validate-names-the-file "$in/top-typo.json: /seeds: unknown key" validate "$in/top-typo.json"
expect_input_error validate-set "$in/ok.json: /vm/memroy: --set: no such setting" validate "$in/ok.json" --set /vm/memroy=1

# Setting the policy with --set drops the defaults of the previous policy's parameters (no false alarm).
(cd "$work" && "$migsim" validate "$src/scenarios/default.json" --set /migration/policy=precopy >/dev/null 2>"$work/stderr")
check "--set /migration/policy=precopy on a san-restore scenario is accepted" test $? -eq 0

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]

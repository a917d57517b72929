#!/usr/bin/env bash
# The byte-identity check of a restructuring or a speed-up (docs/architecture.md): runs every scenario of
# SRC/scenarios, the default and paper ones under each of the 8 policies, the examples and validation
# scenarios under their own, and 4 QEMU-option variants of paper-database, keeps their CSV files and
# exit statuses in OUT, and prints one sha256 over all of them (OUT.sums lists each file's).
# Run it with the binary before and after a change and compare: `diff OLD.sums NEW.sums`.
# Usage: tests/golden.sh MIGSIM SRC OUT      (about 1 min on 2 cores)
set -u
migsim=$1 src=$2 out=$3
rm -rf "$out"
mkdir -p "$out"
keep() {  # keep NAME ARGS...: runs migsim, keeps its CSV files and exit status as OUT/NAME
  local d=$out/$1
  shift
  "$migsim" run "$@" --out "$d.tmp" >/dev/null 2>"$d.err"
  echo "rc=$?" >>"$d.err"
  mkdir -p "$d"
  cp "$d.tmp"/*.csv "$d"/ 2>/dev/null
  rm -rf "$d.tmp"
}
for s in "$src"/scenarios/default.json "$src"/scenarios/paper/*.json; do
  for p in precopy drop-cache san-restore san-adaptive san-lazy postcopy hybrid stop-and-copy; do
    keep "$(basename "$s" .json)-$p" "$s" --policy "$p"
  done
done
for s in "$src"/scenarios/examples/*.json "$src"/scenarios/validation/*.json; do
  case $s in *.validation.json) continue ;; esac
  keep "$(basename "$s" .json)" "$s"
done
n=0
for params in '{"xbzrle":1,"zero_page_detection":1}' '{"auto_converge":1,"downtime_step":0.05}' \
  '{"free_page_hinting":1,"postcopy_on_stall":1}' '{"rate_first":1e7,"rate_increment":5e6,"rate_max":1e8,"skip_rewritten":1}'; do
  n=$((n + 1))
  keep "qemu-opts-$n" "$src"/scenarios/paper/database.json --set /migration/policy=precopy --set "/migration/params=$params"
done
(cd "$out" && find . -type f | sort | xargs sha256sum) >"$out.sums"
sha256sum <"$out.sums"

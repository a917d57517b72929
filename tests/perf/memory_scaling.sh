#!/usr/bin/env bash
# Benchmark: wall time and peak memory of one whole `migsim run` process as the guest grows.
# Prints one line per guest size; the per-GiB column shows whether cost grows faster than linearly.
# Usage: tests/perf/memory_scaling.sh [MIGSIM] [SIZES_GiB...]   (default sizes: 1 4 16 64)
# Needs GNU time (/usr/bin/time, Debian package "time"). Each figure is the best of 3 runs.
set -euo pipefail
migsim=${1:-build/migsim}
shift || true
sizes=("${@:-1 4 16 64}")
[ $# -gt 0 ] || sizes=(1 4 16 64)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

measure() {  # measure LABEL ARGS... -> "seconds peak_KiB", best wall time of 3 runs
  local label=$1 best="" peak=""
  shift
  for i in 1 2 3; do
    /usr/bin/time -f "%e %M" -o "$work/t" "$migsim" run "$@" --quiet --out "$work/$label-$i" >/dev/null
    read -r s m <"$work/t"
    if [ -z "$best" ] || awk "BEGIN{exit !($s < $best)}"; then best=$s; peak=$m; fi
  done
  echo "$best $peak"
}

echo "migration engine alone (default scenario, guest IO off, precopy, migration starts at once)"
printf "%10s %10s %12s %14s\n" guest_GiB wall_s peak_MiB wall_ms_per_GiB
for g in "${sizes[@]}"; do
  read -r s m < <(measure "noio-$g" --policy precopy --set /vm/memory="${g}GiB" \
    --set /workload/io/profile=none --set /migration/start=0)
  printf "%10s %10s %12.0f %14.2f\n" "$g" "$s" "$((m / 1024))" "$(awk "BEGIN{print 1000 * $s / $g}")"
done

echo
echo "the built-in default scenario end to end (4 GiB web server with guest IO, one policy per process)"
printf "%14s %10s %12s\n" policy wall_s peak_MiB
for p in precopy drop-cache san-restore san-adaptive san-lazy; do
  read -r s m < <(measure "default-$p" --policy "$p")
  printf "%14s %10s %12.0f\n" "$p" "$s" "$((m / 1024))"
done

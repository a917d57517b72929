#!/usr/bin/env bash
# The standard figures (`make figures`, README "Figures"): runs the sweeps behind them
# (scenarios/sweeps/fig_*.json) and renders each with its analysis/ script into the figures folder,
# as a PNG and a PDF of the same name.
# The sweeps took about 3 min of wall time with 2 jobs on a 2-core VM (2026-11-30, after issue 12's
# faster IO model; 15.5 min before, beside other builds). The IO figure needs the io_Bps and
# cache_hit_ratio columns of timeseries.csv (the guest IO model); without them it is skipped with a
# message. Sweeps are always run afresh: results of an older binary are never reused.
# Usage: analysis/make_figures.sh MIGSIM FIGURES_DIR [JOBS]
# Environment: FIGURE_SWEEPS=DIR keeps the sweep folders there (default: next to MIGSIM).
set -u
migsim=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
figures=$2
jobs=${3:-$(nproc)}
here=$(cd "$(dirname "$0")" && pwd)
sweeps=$here/../scenarios/sweeps
work=${FIGURE_SWEEPS:-$(dirname "$migsim")/figure-sweeps}
python=/usr/bin/python3  # Debian's, with matplotlib and pandas (docs/analysis.md)
mkdir -p "$figures" "$work"
status=0

# sweep NAME: runs scenarios/sweeps/NAME.json into $work/NAME; some failed runs only warn (exit 3).
sweep() {
  local name=$1 rc
  echo "== sweep $name"
  rm -rf "${work:?}/$name"
  "$migsim" sweep "$sweeps/$name.json" --out "$work/$name" --jobs "$jobs"
  rc=$?
  if [ "$rc" -eq 3 ]; then
    echo "warning: some runs of $name failed; see $work/$name/sweep.json" >&2
  elif [ "$rc" -ne 0 ]; then
    echo "error: sweep $name failed (exit $rc)" >&2
    status=1
    return 1
  fi
}

# plot SCRIPT ARGS...: one figure; a failure is reported and makes the target fail at the end.
plot() {
  echo "== $1 ${*:2}"
  "$python" "$here/$1" "${@:2}" || { echo "error: $1 failed" >&2; status=1; }
}

if sweep fig_dirty_rate; then
  plot plot_time_vs_param.py "$work/fig_dirty_rate/summary.csv" --x /workload/dirty/rate \
    --out "$figures/time_vs_dirty_rate.png"
fi
if sweep fig_policies; then
  plot plot_bytes_per_policy.py "$work/fig_policies/summary.csv" --out "$figures/bytes_per_policy.png"
fi
if sweep fig_bandwidth_ratio; then
  plot plot_time_vs_bandwidth_ratio.py "$work/fig_bandwidth_ratio/summary.csv" \
    --out "$figures/time_vs_bandwidth_ratio.png"
fi
if sweep fig_reduction; then
  plot plot_reduction.py "$work/fig_reduction/summary.csv" --out "$figures/reduction.png"
fi
if sweep strategy_comparison; then
  plot strategy_table.py "$work/strategy_comparison/summary.csv" --out "$figures/strategy_comparison.md"
fi
if sweep fig_io_timeseries; then
  header=$(head -n 1 "$work/fig_io_timeseries/timeseries.csv")
  if [[ ",$header," == *,io_Bps,* && ",$header," == *,cache_hit_ratio,* ]]; then
    plot plot_io_timeseries.py "$work/fig_io_timeseries/timeseries.csv" \
      --summary "$work/fig_io_timeseries/summary.csv" --smooth 1 --out "$figures/io_timeseries.png"
  else
    echo "skipped io_timeseries.png: timeseries.csv has no io_Bps / cache_hit_ratio column (no guest IO model in this build)"
  fi
fi
echo "figures in $figures:"
ls -1 "$figures"/*.png "$figures"/*.pdf 2>/dev/null
exit "$status"

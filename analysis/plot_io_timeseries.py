"""Plot guest IO throughput and cache hit ratio over time, one line per policy.

Reads a ``timeseries.csv`` (one run, or several merged with a ``run_id``
column) and draws two panels sharing the time axis: the guest IO throughput
``io_Bps`` in MB/s, and ``cache_hit_ratio``.  With ``--summary`` the
migration interval of each policy is shaded in the policy's colour: from 0 to
``total_time_s``, since migsim's ``time_s`` counts from the migration start
(with ``--absolute-time``: from ``migration_start_s`` to
``migration_start_s + total_time_s``).

Each policy is drawn from one run: if the file holds several runs of a policy
(several seeds or run ids), the first one is used unless ``--seed`` or
``--run-id`` selects another; this is noted in a footnote.

Example:
    /usr/bin/python3 analysis/plot_io_timeseries.py out/run/timeseries.csv \\
        --summary out/run/summary.csv --out /tmp/io_timeseries.png
"""

import argparse

import migsim_csv as mc
from migsim_csv import np, pd, plt
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

TS_REQUIRED = ["policy", "time_s", "io_Bps", "cache_hit_ratio"]
SUMMARY_REQUIRED = ["policy", "total_time_s"]


def parse_args(argv=None):
    p = argparse.ArgumentParser(
        description="Guest IO throughput (MB/s) and cache hit ratio over time, one line "
                    "per policy, with the migration interval shaded when a summary "
                    "is given.",
        epilog="Example: %(prog)s timeseries.csv --summary summary.csv --out io.png")
    p.add_argument("timeseries", help="timeseries.csv of one run, or merged with run_id")
    p.add_argument("--summary", metavar="SUMMARY.csv",
                   help="summary.csv giving total_time_s (and migration_start_s for "
                        "--absolute-time), to shade the migration interval")
    p.add_argument("--seed", help="plot only runs with this seed")
    p.add_argument("--run-id", action="append", default=[], metavar="ID",
                   help="plot only these run ids (repeatable; needs a run_id column)")
    p.add_argument("--absolute-time", action="store_true",
                   help="time_s is simulated time since the run began (not migsim's time since "
                        "migration start): shade from migration_start_s instead of 0")
    p.add_argument("--smooth", type=float, default=0.0, metavar="SECONDS",
                   help="centred moving average of the IO throughput over this "
                        "window (default: 0, no smoothing)")
    mc.add_common_arguments(p, where=False)
    return p.parse_args(argv)


def run_key_columns(ts, summary):
    """Columns that identify a run in both the timeseries and the summary."""
    if summary is None:
        return []
    if "run_id" in ts.columns and "run_id" in summary.columns:
        return ["run_id"]
    if "seed" in ts.columns and "seed" in summary.columns:
        return ["seed"]
    return []


def select_runs(ts, args, notes):
    """One run per policy: the first (sorted) unless the user selected one."""
    if args.seed is not None:
        if "seed" not in ts.columns:
            mc.fail(args.timeseries, "--seed given but missing column 'seed'")
        ts = ts[mc.where_value_mask(ts["seed"], args.seed)]
        if ts.empty:
            mc.fail(args.timeseries, f"no rows with seed {args.seed}")
    if args.run_id:
        if "run_id" not in ts.columns:
            mc.fail(args.timeseries, "--run-id given but missing column 'run_id'")
        ts = ts[ts["run_id"].isin(args.run_id)]
        if ts.empty:
            mc.fail(args.timeseries, f"no rows with run_id in {args.run_id}")
    chosen = {}
    id_cols = [c for c in ("run_id", "seed") if c in ts.columns]
    for policy, grp in ts.groupby("policy", sort=True):
        if id_cols:
            runs = sorted(grp[id_cols].drop_duplicates().itertuples(index=False, name=None))
            first = runs[0]
            if len(runs) > 1:
                what = ", ".join(f"{c}={v}" for c, v in zip(id_cols, first))
                notes.append(f"{policy}: {len(runs)} runs in the file, showing {what} "
                             f"(choose with --seed / --run-id).")
            mask = np.ones(len(grp), dtype=bool)
            for c, v in zip(id_cols, first):
                mask &= (grp[c] == v).to_numpy()
            grp = grp[mask]
        chosen[policy] = grp.sort_values("time_s")
    return chosen


def migration_interval(summary, policy, run, keys, notes, absolute_time=False):
    """(start, end) of the migration of ``policy``'s run, or None."""
    rows = summary[summary["policy"] == policy]
    for key in keys:
        rows = rows[rows[key] == run[key].iloc[0]]
    if rows.empty:
        notes.append(f"{policy}: no matching row in the summary, interval not shaded.")
        return None
    if len(rows) > 1:
        notes.append(f"{policy}: {len(rows)} matching summary rows, using the first.")
    row = rows.iloc[0]
    # migsim's time_s counts from the migration start (docs/outputs.md), so the migration begins
    # at 0 on this axis; migration_start_s (simulated time since the run began) matters only for
    # a time axis of absolute simulated time (--absolute-time).
    start = 0.0
    if absolute_time and "migration_start_s" in rows.columns:
        start = row["migration_start_s"]
        start = 0.0 if not np.isfinite(start) else float(start)
    total = float(row["total_time_s"])
    if not np.isfinite(total):
        notes.append(f"{policy}: total_time_s is empty in the summary, interval not shaded.")
        return None
    return start, start + total


def smooth(times, values, window):
    """Centred moving average over ``window`` seconds (NaN-aware)."""
    if window <= 0 or len(times) < 3:
        return values
    dt = np.nanmedian(np.diff(times))
    k = int(round(window / dt)) if dt > 0 else 1
    if k <= 1:
        return values
    return pd.Series(values).rolling(k, center=True, min_periods=1).mean().to_numpy()


def main(argv=None):
    args = parse_args(argv)
    mc.output_paths(args.out)
    numeric = ["time_s", "io_Bps", "cache_hit_ratio"]
    ts = mc.read_csv(args.timeseries, required=TS_REQUIRED, numeric=numeric)
    ts = ts[np.isfinite(ts["time_s"].to_numpy(dtype=float))]
    if ts.empty:
        mc.fail(args.timeseries, "no data rows")
    summary = None
    if args.summary:
        summary = mc.read_csv(args.summary, required=SUMMARY_REQUIRED,
                              numeric=["total_time_s", "migration_start_s"])
    keys = run_key_columns(ts, summary)

    notes = []
    if args.seed is not None:
        notes.append(f"Showing seed {args.seed}.")
    if args.run_id:
        notes.append(f"Showing run id {', '.join(args.run_id)}.")
    runs = select_runs(ts, args, notes)
    colors = {p: st["color"] for p, st in mc.label_styles(runs, path=args.timeseries).items()}

    intervals = {}
    if summary is not None:
        for policy, run in runs.items():
            interval = migration_interval(summary, policy, run, keys, notes, args.absolute_time)
            if interval:
                intervals[policy] = interval

    width, font = mc.SIZES[args.size]
    width = width or 9.0
    plt.rcParams.update({"font.size": font, "legend.fontsize": font - 1})
    scale = width / 9.0
    if intervals:
        # A small Gantt strip on top names each policy's interval unambiguously,
        # since the shaded spans in the panels below may overlap.
        fig, (ax_mig, ax_io, ax_hit) = plt.subplots(
            3, 1, figsize=(width, (5.4 + 0.25 * len(intervals)) * scale), sharex=True,
            gridspec_kw=dict(height_ratios=[0.35 * len(intervals) + 0.3, 3, 2]))
    else:
        ax_mig = None
        fig, (ax_io, ax_hit) = plt.subplots(2, 1, figsize=(width, 5.0 * scale), sharex=True,
                                            gridspec_kw=dict(height_ratios=[3, 2]))
    for policy, run in runs.items():
        color = colors[policy]
        if policy in intervals:
            start, end = intervals[policy]
            for ax in (ax_io, ax_hit):
                ax.axvspan(start, end, color=color, alpha=0.08, linewidth=0, zorder=0)
                for edge in (start, end):
                    ax.axvline(edge, color=color, linestyle="--", linewidth=0.9,
                               alpha=0.8, zorder=1)
        t = run["time_s"].to_numpy(dtype=float)
        io = smooth(t, run["io_Bps"].to_numpy(dtype=float), args.smooth) / mc.MB
        ax_io.plot(t, io, color=color, linewidth=1.5, label=policy, zorder=3)
        ax_hit.plot(t, run["cache_hit_ratio"].to_numpy(dtype=float), color=color,
                    linewidth=1.5, label=policy, zorder=3)

    if ax_mig is not None:
        names = list(intervals)
        for i, policy in enumerate(names):
            start, end = intervals[policy]
            ax_mig.barh(i, end - start, left=start, height=0.6, color=colors[policy],
                        alpha=0.75, edgecolor=colors[policy])
            ax_mig.annotate(f"{end - start:.4g} s", (end, i), xytext=(4, 0),
                            textcoords="offset points", va="center", fontsize=font - 2)
        ax_mig.set_yticks(range(len(names)))
        ax_mig.set_yticklabels(names, fontsize=font - 2)
        ax_mig.set_ylim(len(names) - 0.4, -0.6)
        ax_mig.set_ylabel("Migration", fontsize=font - 1)
        ax_mig.grid(True, axis="x", alpha=0.3)

    ax_io.set_ylabel("Guest IO throughput (MB/s)")
    ax_io.set_ylim(bottom=0)
    ax_hit.set_ylabel("Cache hit ratio")
    ax_hit.set_ylim(-0.03, 1.03)
    ax_hit.set_xlabel("Time (s)")
    for ax in (ax_io, ax_hit):
        ax.grid(True, alpha=0.3)
    handles = [Line2D([], [], color=colors[p], linewidth=2, label=p) for p in runs]
    if intervals:
        handles.append(Patch(facecolor="0.5", alpha=0.2, edgecolor="0.3",
                             linestyle="--", label="migration (policy colour)"))
    if args.smooth > 0:
        notes.insert(0, f"IO throughput smoothed with a {args.smooth:g} s moving average.")
    mc.finish_figure(fig, args, mc.default_title(args, "Guest IO during migration"), handles,
                     legend_title="Policy", notes=notes)
    return 0


if __name__ == "__main__":
    mc.script_main(main)

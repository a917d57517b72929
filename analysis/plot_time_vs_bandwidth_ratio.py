"""Plot migration time against the SAN/LAN bandwidth ratio (log x axis).

Reads a ``summary.csv`` from a sweep that varies ``/platform/san/bandwidth``
and/or ``/platform/lan/bandwidth``, computes ratio = SAN bandwidth / LAN
bandwidth for every run, and draws one line per policy: the mean of
``total_time_s`` (or ``--metric``) over all ok runs with the same ratio, with
a shaded 95 % Student-t confidence band.  Both bandwidth columns are required.

Example:
    /usr/bin/python3 analysis/plot_time_vs_bandwidth_ratio.py out/bw/summary.csv \\
        --out /tmp/time_vs_bw_ratio.png
"""

import argparse

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import migsim_csv as mc  # noqa: E402

SAN_BW = "/platform/san/bandwidth"
LAN_BW = "/platform/lan/bandwidth"


def parse_args(argv=None):
    p = argparse.ArgumentParser(
        description="Total migration time vs SAN/LAN bandwidth ratio, one line per "
                    "policy, log x axis, mean with 95 % CI band.",
        epilog="Example: %(prog)s summary.csv --out ratio.png")
    p.add_argument("summary", help=f"summary.csv with columns {SAN_BW} and {LAN_BW}")
    p.add_argument("--metric", default="total_time_s",
                   help="metric column on the y axis (default: %(default)s)")
    p.add_argument("--where", action="append", default=[], metavar="COLUMN=VALUE",
                   help="keep only rows where COLUMN equals VALUE (repeatable)")
    p.add_argument("--logy", action="store_true", help="logarithmic y axis")
    mc.add_common_arguments(p)
    return p.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    mc.output_paths(args.out)
    numeric = [SAN_BW, LAN_BW, args.metric]
    df = mc.read_csv(args.summary, required=["status", "policy", SAN_BW, LAN_BW, args.metric],
                     numeric=numeric)
    df = mc.apply_where(df, args.where, args.summary)
    df, excl = mc.keep_ok(df)
    if df.empty:
        mc.fail(args.summary, "no runs with status ok to plot")
    if "scenario" not in df.columns:
        df["scenario"] = ""

    san = df[SAN_BW].to_numpy(dtype=float)
    lan = df[LAN_BW].to_numpy(dtype=float)
    valid = np.isfinite(san) & np.isfinite(lan) & (san > 0) & (lan > 0)
    if (~valid).any():
        excl.other.append(f"{int((~valid).sum())} ok runs with a missing or non-positive "
                          f"bandwidth ignored.")
    df = df[valid].copy()
    if df.empty:
        mc.fail(args.summary, f"no run has positive values in both {SAN_BW} and {LAN_BW}")
    # Round so that equal ratios from different bandwidth pairs group together.
    df["ratio"] = [float(f"{r:.9g}") for r in san[valid] / lan[valid]]
    df = mc.drop_nan(df, args.metric, excl)
    if df.empty:
        mc.fail(args.summary, f"column {args.metric!r} has no numeric values to plot")
    df = mc.add_series(df)
    styles = mc.series_styles(df)

    notes = [mc.where_note(args.where)]
    pairs = df.groupby(["series", "ratio"])[[SAN_BW, LAN_BW]].apply(
        lambda g: len(g.drop_duplicates()))
    if (pairs > 1).any():
        notes.append("Points pool runs whose (SAN, LAN) bandwidths differ but have the "
                     "same ratio.")
    averaged = mc.varying_within(df, ["series", "ratio"], exclude=[SAN_BW, LAN_BW])
    if averaged:
        msg = (f"Pooled over other varying parameters: {', '.join(averaged)} "
               f"(use --where to fix them).")
        mc.warn(args.summary, msg)
        notes.append(msg)

    stats = mc.group_mean_ci(df, ["series", "ratio"], args.metric)
    y_scale, y_unit = mc.metric_unit(args.metric, stats["mean"])
    fig, ax = plt.subplots(figsize=(7.5, 4.8))
    mc.plot_mean_with_band(ax, stats, "ratio", styles, y_scale=y_scale)
    ax.set_xscale("log")
    ratios = sorted(set(df["ratio"]))
    mc.set_log_ticks_at_values(ax.xaxis, ratios)
    if ratios[0] < 1 < ratios[-1] or 1 in ratios:
        ax.axvline(1.0, color="0.4", linestyle=":", linewidth=1, zorder=1)
        ax.annotate("SAN = LAN", (1.0, 1.0), xycoords=("data", "axes fraction"),
                    xytext=(3, -3), textcoords="offset points", ha="left", va="top",
                    fontsize=8, color="0.35")
    if args.logy:
        ax.set_yscale("log")
    else:
        ax.set_ylim(bottom=0)
    ax.set_xlabel("SAN bandwidth / LAN bandwidth (ratio, log scale)")
    ax.set_ylabel(mc.with_unit(mc.metric_name(args.metric), y_unit))
    ax.grid(True, which="major", alpha=0.3)
    mc.series_legend(ax, df)
    ax.set_title(args.title or f"{mc.metric_name(args.metric)} vs SAN/LAN bandwidth ratio")
    fig.tight_layout()
    mc.add_footnote(fig, [mc.replication_note(stats["n"]), *excl.note(), *notes])
    mc.save_figure(fig, args.out, args.dpi)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

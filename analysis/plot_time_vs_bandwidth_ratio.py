"""Plot migration time against the SAN/LAN bandwidth ratio (log x axis).

Reads a ``summary.csv`` from a sweep that varies ``/platform/san/bandwidth`` and/or
``/platform/lan/bandwidth``, computes ratio = SAN bandwidth / LAN bandwidth for every run, and draws
one line per policy: the mean of ``total_time_s`` (or ``--metric``) over replications with a
shaded 95 % Student-t band. A LAN bandwidth that varies gives one line per value (the same ratio
at two LAN speeds is not pooled); any other varying parameter becomes panels.

Example:
    /usr/bin/python3 analysis/plot_time_vs_bandwidth_ratio.py out/bw/summary.csv \\
        --out /tmp/time_vs_bw_ratio.png
"""

import argparse

import migsim_csv as mc
from migsim_csv import np

SAN_BW = "/platform/san/bandwidth"
LAN_BW = "/platform/lan/bandwidth"


def parse_args(argv=None):
    p = argparse.ArgumentParser(
        description="Total migration time vs SAN/LAN bandwidth ratio, one line per policy, "
                    "log x axis, mean with 95 % CI band over replications.",
        epilog="Example: %(prog)s summary.csv --out ratio.png")
    p.add_argument("summary", help=f"summary.csv with columns {SAN_BW} and {LAN_BW}")
    p.add_argument("--metric", default="total_time_s",
                   help="metric column on the y axis (default: %(default)s)")
    p.add_argument("--row", metavar="COLUMN", help="parameter that varies down the panel rows")
    p.add_argument("--col", metavar="COLUMN", help="parameter that varies across panel columns")
    p.add_argument("--logy", action="store_true", help="logarithmic y axis")
    mc.add_common_arguments(p)
    return p.parse_args(argv)


def add_ratio(df, path):
    """A ``ratio`` column; runs without two positive bandwidths are left out (and counted)."""
    san = df[SAN_BW].to_numpy(dtype=float)
    lan = df[LAN_BW].to_numpy(dtype=float)
    valid = np.isfinite(san) & np.isfinite(lan) & (san > 0) & (lan > 0)
    note = ""
    if (~valid).any():
        note = f"{int((~valid).sum())} runs with a missing or non-positive bandwidth left out."
    df = df[valid].copy()
    if df.empty:
        mc.fail(path, f"no run has positive values in both {SAN_BW} and {LAN_BW}")
    # Rounded so that equal ratios from different bandwidth pairs share an x position.
    df["ratio"] = np.round(san[valid] / lan[valid], 9)
    return df, note


def main(argv=None):
    args = parse_args(argv)
    mc.output_paths(args.out)
    df = mc.read_csv(args.summary, required=["status", "policy", SAN_BW, LAN_BW, args.metric],
                     numeric=[SAN_BW, LAN_BW, args.metric])
    df = mc.apply_where(df, args.where, args.summary)
    if not mc.status_is_ok(df).any():
        mc.fail(args.summary, "no runs with status ok to plot")
    df, ratio_note = add_ratio(df, args.summary)
    units = mc.sweep_units(args.summary)
    facets = mc.Facets(df, taken=["policy", SAN_BW, LAN_BW, "ratio"], row=args.row,
                       col=args.col, path=args.summary, units=units, lines_first=[LAN_BW])
    df = mc.add_line_keys(df, facets)
    styles = mc.label_styles(df["policy"], path=args.summary)
    dashes = mc.line_styles(df, facets)
    ok, bad, notes = mc.split_by_status(df, args.metric)
    if ok.empty:
        mc.fail(args.summary, f"column {args.metric!r} has no values in ok runs")
    y_scale, y_unit = mc.metric_unit(args.metric, ok[args.metric])
    paper = args.size != "screen"
    fig, axes = mc.new_figure(args, len(facets.row_values), len(facets.col_values))
    counts = []
    ratios = sorted(set(df["ratio"]))
    for i, row_value in enumerate(facets.row_values):
        for j, col_value in enumerate(facets.col_values):
            ax = axes[i][j]
            stats = mc.aggregate(facets.panel(ok, row_value, col_value),
                                 ["policy", "line", "ratio"], args.metric)
            counts.extend(stats["n"])
            mc.draw_mean_lines(ax, stats, "ratio", "policy", styles, dashes, y_scale=y_scale,
                               paper=paper)
            mc.draw_status_points(ax, facets.panel(bad, row_value, col_value), "ratio",
                                  args.metric, "policy", styles, y_scale=y_scale, paper=paper)
            ax.set_xscale("log")
            mc.set_log_ticks_at_values(ax.xaxis, ratios)
            if ratios[0] <= 1 <= ratios[-1]:
                ax.axvline(1.0, color="0.4", linestyle=":", linewidth=1, zorder=1)
            if args.logy:
                ax.set_yscale("log")
            ax.set_title(facets.title(row_value, col_value))
            if i == len(facets.row_values) - 1:
                ax.set_xlabel("SAN / LAN bandwidth")
            if j == 0:
                ax.set_ylabel(mc.with_unit(mc.metric_name(args.metric), y_unit))
            ax.grid(True, which="major", alpha=0.3)
    mc.start_y_at_zero(axes)

    handles = mc.legend_handles(styles, dashes=dashes, facets=facets, statuses=set(bad["status"]),
                                band=max(counts, default=0) > 1, paper=paper,
                                covered=mc.covered_series(axes))
    handles.append(mc.Line2D([], [], color="0.4", linestyle=":", label="SAN = LAN"))
    title = mc.default_title(args, f"{mc.metric_name(args.metric)} vs SAN/LAN bandwidth ratio")
    notes = [mc.replication_note(counts), facets.note(), mc.where_note(args.where), ratio_note,
             *notes]
    mc.finish_figure(fig, args, title, handles, legend_title="Policy", notes=notes)
    return 0


if __name__ == "__main__":
    mc.script_main(main)

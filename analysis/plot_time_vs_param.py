"""Plot metrics (default: total time and downtime) against one swept parameter.

Reads a ``summary.csv`` from ``migsim sweep`` and draws one line per policy: the mean over
replications with a shaded 95 % Student-t band. Every other parameter that varies becomes a panel
column, a panel row, or one line per value (never pooled into the band). Runs that did not end
``ok`` are drawn as separate markers.

Example:
    /usr/bin/python3 analysis/plot_time_vs_param.py out/sweep/summary.csv \\
        --x /workload/dirty/rate --out /tmp/time_vs_dirty_rate.png
"""

import argparse

import migsim_csv as mc

DEFAULT_X = "/workload/dirty/rate"
DEFAULT_METRICS = ["total_time_s", "downtime_s"]


def parse_args(argv=None):
    p = argparse.ArgumentParser(
        description="Metrics vs a swept parameter, one line per policy, mean with 95 % CI "
                    "band over replications; other varying parameters become facets.",
        epilog="Example: %(prog)s summary.csv --x /workload/dirty/rate --out time.png")
    p.add_argument("summary", help="summary.csv from 'migsim sweep'")
    p.add_argument("--x", default=DEFAULT_X, metavar="COLUMN",
                   help=f"parameter column (JSON pointer) on the x axis (default: {DEFAULT_X})")
    p.add_argument("--metrics", nargs="+", default=DEFAULT_METRICS, metavar="METRIC",
                   help="metric columns, one panel row each (default: %(default)s)")
    p.add_argument("--row", metavar="COLUMN", help="parameter that varies down the panel rows")
    p.add_argument("--col", metavar="COLUMN", help="parameter that varies across panel columns")
    p.add_argument("--x-label", metavar="TEXT", help="x-axis label (default: from the column)")
    p.add_argument("--x-scale", type=float, metavar="FACTOR",
                   help="multiply x values by FACTOR for display (give --x-label too)")
    p.add_argument("--logx", action="store_true",
                   help="logarithmic x axis (the default when the x values are log-spaced)")
    p.add_argument("--linear-x", action="store_true",
                   help="linear x axis even when the x values are log-spaced")
    p.add_argument("--logy", action="store_true", help="logarithmic y axes")
    mc.add_common_arguments(p)
    return p.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    mc.output_paths(args.out)  # refuse a bad output name before any work
    df = mc.read_csv(args.summary, required=["status", "policy", args.x, *args.metrics],
                     numeric=[args.x, *args.metrics])
    df = mc.apply_where(df, args.where, args.summary)
    if not mc.status_is_ok(df).any():
        mc.fail(args.summary, "no runs with status ok to plot")
    mc.require_numeric_values(df, args.x, args.summary)
    units = mc.sweep_units(args.summary)
    facets = mc.Facets(df, taken=[args.x, "policy"], row=args.row, col=args.col,
                       path=args.summary, units=units)
    df = mc.add_line_keys(df, facets)
    styles = mc.label_styles(df["policy"], path=args.summary)
    dashes = mc.line_styles(df, facets)

    x_scale, x_unit = mc.parameter_unit(args.x, df[args.x], units)
    if args.x_scale is not None:
        x_scale, x_unit = args.x_scale, ""
    x_label = args.x_label or mc.with_unit(mc.humanize_pointer(args.x), x_unit)
    auto_log = not args.logx and not args.linear_x and mc.log_spaced(df[args.x] * x_scale)
    logx = args.logx or auto_log

    # Panels: metrics side by side unless a parameter takes the columns; then one row each.
    if facets.col is None:
        grid = [[(m, r, None) for m in args.metrics] for r in facets.row_values]
    else:
        grid = [[(m, r, c) for c in facets.col_values]
                for m in args.metrics for r in facets.row_values]
    fig, axes = mc.new_figure(args, len(grid), len(grid[0]),
                              sharey="row" if facets.col is not None else "col")
    paper = args.size != "screen"
    counts, statuses, notes = [], set(), []
    for metric in args.metrics:
        ok, bad, status_notes = mc.split_by_status(df[df[args.x].notna()], metric)
        notes.extend(n for n in status_notes if n not in notes)
        statuses.update(bad["status"])
        y_scale, y_unit = mc.metric_unit(metric, ok[metric] if len(ok) else bad[metric])
        for i, grid_row in enumerate(grid):
            for j, (m, row_value, col_value) in enumerate(grid_row):
                if m != metric:
                    continue
                ax = axes[i][j]
                data = facets.panel(ok, row_value, col_value)
                stats = mc.aggregate(data, ["policy", "line", args.x], metric)
                counts.extend(stats["n"])
                mc.draw_mean_lines(ax, stats, args.x, "policy", styles, dashes, x_scale,
                                   y_scale, paper)
                mc.draw_status_points(ax, facets.panel(bad, row_value, col_value), args.x,
                                      metric, "policy", styles, x_scale, y_scale, paper)
                panel_title = facets.title(row_value, col_value)
                if len(args.metrics) > 1 and facets.col is None:
                    panel_title = ", ".join(filter(None, [mc.metric_name(metric), panel_title]))
                ax.set_title(panel_title)
                if j == 0 or facets.col is None:
                    ax.set_ylabel(mc.with_unit(mc.metric_name(metric), y_unit))
                if i == len(grid) - 1:
                    ax.set_xlabel(x_label)
                if logx:
                    ax.set_xscale("log")
                    mc.set_log_ticks_at_values(ax.xaxis, df[args.x] * x_scale)
                if args.logy:
                    ax.set_yscale("log")
                ax.grid(True, alpha=0.3)
    mc.start_y_at_zero(axes)

    handles = mc.legend_handles(styles, dashes=dashes, facets=facets, statuses=statuses,
                                band=max(counts, default=0) > 1, paper=paper,
                                covered=mc.covered_series(axes))
    what = mc.join_words(mc.lower_first(mc.metric_name(m)) for m in args.metrics)
    title = mc.default_title(args, f"{mc.upper_first(what)} vs "
                                   f"{mc.lower_first(mc.humanize_pointer(args.x))}")
    x_note = f"x axis: column {args.x}" + ("; logarithmic, as its values are log-spaced "
                                            "(--linear-x for a linear one)." if auto_log else ".")
    notes = [mc.replication_note(counts), x_note, facets.note(),
             mc.where_note(args.where), *notes]
    mc.finish_figure(fig, args, title, handles, legend_title="Policy", notes=notes)
    return 0


if __name__ == "__main__":
    mc.script_main(main)

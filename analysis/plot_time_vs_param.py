"""Plot migration time and downtime against one swept parameter.

Reads a ``summary.csv`` written by ``migsim sweep merge`` and draws one
subplot per metric (default: total_time_s and downtime_s) with the swept
parameter on the x axis, one line per policy: the mean over replications with
a shaded 95 % Student-t confidence band (no band where a point has a single
replication).  Only runs with status ``ok`` are used; the others are counted
in a footnote.

Example:
    /usr/bin/python3 analysis/plot_time_vs_param.py out/sweep/summary.csv \\
        --x /workload/dirty/rate --out /tmp/time_vs_dirty_rate.png
"""

import argparse

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

import migsim_csv as mc  # noqa: E402

DEFAULT_X = "/workload/dirty/rate"
DEFAULT_METRICS = ["total_time_s", "downtime_s"]


def parse_args(argv=None):
    p = argparse.ArgumentParser(
        description="Migration time and downtime vs a swept parameter, one line per "
                    "policy, mean with 95 % CI band over replications.",
        epilog="Example: %(prog)s summary.csv --x /workload/dirty/rate --out time.png")
    p.add_argument("summary", help="summary.csv from 'migsim sweep merge'")
    p.add_argument("--x", default=DEFAULT_X, metavar="COLUMN",
                   help=f"parameter column (JSON pointer) for the x axis (default: {DEFAULT_X})")
    p.add_argument("--metrics", nargs="+", default=DEFAULT_METRICS, metavar="METRIC",
                   help="metric columns, one subplot each (default: %(default)s)")
    p.add_argument("--where", action="append", default=[], metavar="COLUMN=VALUE",
                   help="keep only rows where COLUMN equals VALUE (repeatable), e.g. to "
                        "fix another swept parameter")
    p.add_argument("--x-label", metavar="TEXT",
                   help="x-axis label (default: derived from the column)")
    p.add_argument("--x-scale", type=float, metavar="FACTOR",
                   help="multiply x values by this factor for display (overrides the "
                        "automatic unit; give --x-label with the unit too)")
    p.add_argument("--logx", action="store_true", help="logarithmic x axis")
    p.add_argument("--logy", action="store_true", help="logarithmic y axes")
    mc.add_common_arguments(p)
    return p.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    mc.output_paths(args.out)  # validate the output name before any work
    required = ["status", "policy", args.x, *args.metrics]
    df = mc.read_csv(args.summary, required=required, numeric=[args.x, *args.metrics])
    df = mc.apply_where(df, args.where, args.summary)
    df, excl = mc.keep_ok(df)
    if df.empty:
        mc.fail(args.summary, "no runs with status ok to plot")
    if "scenario" not in df.columns:
        df["scenario"] = ""
    df = mc.drop_nan(df, args.x, excl)
    mc.require_numeric_values(df, args.x, args.summary)
    df = mc.add_series(df)
    styles = mc.series_styles(df)

    x_scale, x_unit = mc.parameter_unit(args.x, df[args.x])
    if args.x_scale is not None:
        x_scale, x_unit = args.x_scale, ""
    x_label = args.x_label or mc.with_unit(mc.humanize_pointer(args.x), x_unit)

    notes = [f"x axis: column {args.x}.", mc.where_note(args.where)]
    averaged = mc.varying_within(df, ["series", args.x], exclude=[args.x])
    if averaged:
        msg = (f"Pooled over other varying parameters: {', '.join(averaged)} "
               f"(use --where to fix them).")
        mc.warn(args.summary, msg)
        notes.append(msg)

    n_metrics = len(args.metrics)
    fig, axes = plt.subplots(1, n_metrics, figsize=(5.2 * n_metrics, 4.4), squeeze=False)
    counts = []
    for ax, metric in zip(axes[0], args.metrics):
        data = mc.drop_nan(df, metric, excl)
        if data.empty:
            ax.text(0.5, 0.5, f"no values for {metric}", ha="center", va="center",
                    transform=ax.transAxes, color="0.4")
        else:
            stats = mc.group_mean_ci(data, ["series", args.x], metric)
            counts.extend(stats["n"])
            y_scale, y_unit = mc.metric_unit(metric, stats["mean"])
            mc.plot_mean_with_band(ax, stats, args.x, styles, y_scale=y_scale, x_scale=x_scale)
            ax.set_ylabel(mc.with_unit(mc.metric_name(metric), y_unit))
            if not args.logy:
                ax.set_ylim(bottom=0)
        ax.set_title(mc.metric_name(metric))
        ax.set_xlabel(x_label)
        if args.logx:
            ax.set_xscale("log")
            mc.set_log_ticks_at_values(ax.xaxis, df[args.x] * x_scale)
        if args.logy:
            ax.set_yscale("log")
        ax.grid(True, alpha=0.3)
    mc.series_legend(axes[0][-1] if df["series"].nunique() > 4 else axes[0][0], df)

    what = mc.join_words(mc.lower_first(mc.metric_name(m)) for m in args.metrics)
    fig.suptitle(args.title or f"{mc.upper_first(what)} vs "
                 f"{mc.lower_first(mc.humanize_pointer(args.x))}")
    fig.tight_layout()
    mc.add_footnote(fig, [mc.replication_note(counts), *notes, *excl.note()])
    mc.save_figure(fig, args.out, args.dpi)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Plot how much shorter one policy's migration is than each baseline's, in percent.

Reads a ``summary.csv`` from ``migsim sweep`` that runs ``--policy`` (default san-adaptive) and the
``--baselines`` (default precopy and san-restore) on the same scenarios and seeds. Each run of the
policy is paired with the baseline's run of the same parameters and replication, and

    reduction = 100 * (1 - T_policy / T_baseline)        (T: total_time_s, or --metric)

is averaged over replications (95 % Student-t band). One panel row per baseline, panel columns by
the next varying parameter (e.g. the dirty rate), ``--x`` on the x axis (default: the clean page
cache share) and one line per SAN/LAN bandwidth ratio. A dashed line marks ``--reference`` (default
33.9 %, Akiyama et al. 2016's "up to 33.9 %"), in every row, because the paper does not say which
baseline that figure is against. Pairs where either run did not end ok are drawn as markers.

Example:
    /usr/bin/python3 analysis/plot_reduction.py out/fig_reduction/summary.csv \\
        --out /tmp/reduction.png
"""

import argparse

import migsim_csv as mc
from migsim_csv import np, pd

SAN_BW = "/platform/san/bandwidth"
LAN_BW = "/platform/lan/bandwidth"
REFERENCE_LABEL = "Akiyama et al. 2016: \"up to 33.9 %\" (baseline not stated)"
REFERENCE_NOTE = ("Dashed red line: Akiyama et al., IEICE Trans. E99-D(12), 2016 (abstract) report up "
                  "to 33.9 % shorter migration of IO-intensive VMs without naming the baseline; it "
                  "is drawn against each baseline (each reading).")


def parse_args(argv=None):
    p = argparse.ArgumentParser(
        description="Reduction of total migration time of one policy against baselines, "
                    "paired by run, mean with 95 % CI band over replications.",
        epilog="Example: %(prog)s summary.csv --out reduction.png")
    p.add_argument("summary", help="summary.csv from 'migsim sweep'")
    p.add_argument("--policy", default="san-adaptive",
                   help="policy whose reduction is shown (default: %(default)s)")
    p.add_argument("--baselines", nargs="+", default=["precopy", "san-restore"],
                   metavar="POLICY", help="one panel row each (default: %(default)s)")
    p.add_argument("--x", default="/vm/page_cache/clean", metavar="COLUMN",
                   help="parameter on the x axis (default: %(default)s)")
    p.add_argument("--linear-x", action="store_true",
                   help="linear x axis even when the x values are log-spaced (else a log axis)")
    p.add_argument("--col", metavar="COLUMN",
                   help="parameter across panel columns (default: the first other one varying)")
    p.add_argument("--metric", default="total_time_s",
                   help="metric whose reduction is shown (default: %(default)s)")
    p.add_argument("--reference", type=float, default=33.9, metavar="PERCENT",
                   help="horizontal reference line in every row (default: %(default)s; "
                        "a negative value draws none)")
    p.add_argument("--reference-label", default=REFERENCE_LABEL, metavar="TEXT",
                   help="legend text of the reference line")
    mc.add_common_arguments(p)
    return p.parse_args(argv)


def pair_runs(df, policy, baselines, metric, path):
    """One row per (baseline, run of ``policy``): the reduction and the pair's status.

    Runs pair on every parameter column, the scenario and the replication (or the seed): the
    same scenario and seed under two policies.
    """
    rep = "replication" if "replication" in df.columns else "seed"
    keys = mc.parameter_columns(df) + [c for c in ("scenario", rep) if c in df.columns]
    subject = df[df["policy"] == policy]
    if subject.empty:
        mc.fail(path, f"no runs of policy {policy!r} (policies present: "
                      f"{', '.join(sorted(set(df['policy'])))})")
    pairs = []
    for base in baselines:
        other = df[df["policy"] == base]
        if other.empty:
            mc.fail(path, f"no runs of baseline policy {base!r} (policies present: "
                          f"{', '.join(sorted(set(df['policy'])))})")
        m = subject.merge(other[keys + ["status", metric]], on=keys, suffixes=("", "_base"))
        m["baseline"] = f"vs {base}"
        m["reduction"] = 100.0 * (1.0 - m[metric] / m[metric + "_base"])
        # The pair is ok only if both runs are; otherwise it carries the first status not ok.
        own_ok = m["status"].str.lower() == "ok"
        m["status"] = np.where(own_ok, m["status_base"], m["status"])
        pairs.append(m)
    return pd.concat(pairs, ignore_index=True), keys


def main(argv=None):
    args = parse_args(argv)
    mc.output_paths(args.out)
    df = mc.read_csv(args.summary, required=["status", "policy", args.x, args.metric],
                     numeric=[args.x, args.metric])
    df = mc.apply_where(df, args.where, args.summary)
    pairs, keys = pair_runs(df, args.policy, args.baselines, args.metric, args.summary)
    if pairs.empty:
        mc.fail(args.summary, f"no run of {args.policy} has a baseline run with the same "
                              f"parameters and replication")
    units = mc.sweep_units(args.summary)
    if SAN_BW in pairs.columns and LAN_BW in pairs.columns:
        pairs["series"] = np.round(pairs[SAN_BW] / pairs[LAN_BW], 9)
        series_title, taken = "SAN / LAN bandwidth ratio", [SAN_BW, LAN_BW]
    else:
        pairs["series"] = args.policy
        series_title, taken = "Policy", []
    facets = mc.Facets(pairs, taken=[args.x, "baseline", "series", *taken], row="baseline",
                       col=args.col, path=args.summary, units=units)
    pairs = mc.add_line_keys(pairs, facets)
    ok, bad, notes = mc.split_by_status(pairs, "reduction")
    if ok.empty:
        mc.fail(args.summary, "no pair of runs where both ended ok")
    # An ordered quantity: a sequential colour map makes the ratio readable from the colour.
    styles = mc.label_styles(pairs["series"], cmap="viridis" if taken else None,
                               path=args.summary)
    dashes = mc.line_styles(pairs, facets)
    x_scale, x_unit = mc.parameter_unit(args.x, pairs[args.x], units)
    logx = not args.linear_x and mc.log_spaced(pairs[args.x] * x_scale)
    paper = args.size != "screen"
    fig, axes = mc.new_figure(args, len(facets.row_values), len(facets.col_values),
                              sharey=True)
    counts = []
    for i, row_value in enumerate(facets.row_values):
        for j, col_value in enumerate(facets.col_values):
            ax = axes[i][j]
            stats = mc.aggregate(facets.panel(ok, row_value, col_value),
                                 ["series", "line", args.x], "reduction")
            counts.extend(stats["n"])
            mc.draw_mean_lines(ax, stats, args.x, "series", styles, dashes, x_scale, 1.0, paper)
            mc.draw_status_points(ax, facets.panel(bad, row_value, col_value), args.x,
                                  "reduction", "series", styles, x_scale, 1.0, paper)
            if args.reference >= 0:
                ax.axhline(args.reference, color="crimson", linestyle="--", linewidth=1.0,
                           zorder=1)
            ax.axhline(0.0, color="0.3", linewidth=0.6, zorder=1)
            ax.set_title(facets.title(None, col_value) + ("\n" if col_value is not None else "")
                         + f"{args.policy} {row_value}", fontsize=mc.plt.rcParams["font.size"])
            if i == len(facets.row_values) - 1:
                ax.set_xlabel(mc.with_unit(mc.humanize_pointer(args.x), x_unit))
            if j == 0:
                short = "total time" if args.metric == "total_time_s" else \
                    mc.lower_first(mc.metric_name(args.metric))
                ax.set_ylabel(f"Reduction of {short} (%)")
            if logx:
                ax.set_xscale("log")
                mc.set_log_ticks_at_values(ax.xaxis, pairs[args.x] * x_scale)
            ax.grid(True, alpha=0.3)

    handles = mc.legend_handles(styles, dashes=dashes, facets=facets, statuses=set(bad["status"]),
                                band=max(counts, default=0) > 1, paper=paper,
                                covered=mc.covered_series(axes))
    if args.reference >= 0:
        handles.append(mc.Line2D([], [], color="crimson", linestyle="--",
                                 label=args.reference_label))
    title = mc.default_title(args, f"{mc.metric_name(args.metric)}: {args.policy} against "
                                   f"{mc.join_words(args.baselines)}")
    notes = [f"Reduction = 100 (1 - {args.metric} of {args.policy} / {args.metric} of the "
             f"baseline), paired on {', '.join(keys)}.",
             mc.replication_note(counts), facets.note(), mc.where_note(args.where),
             REFERENCE_NOTE if args.reference_label == REFERENCE_LABEL and args.reference >= 0
             else "", *notes]
    mc.finish_figure(fig, args, title, handles, legend_title=series_title, notes=notes)
    return 0


if __name__ == "__main__":
    mc.script_main(main)

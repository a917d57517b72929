"""Plot the LAN and SAN bytes of each migration policy as grouped bars.

Reads a ``summary.csv`` (from ``migsim sweep`` or a single ``migsim run``) and draws, for every
policy, the mean ``lan_bytes`` and ``san_bytes`` in GiB over its ok runs, with 95 % Student-t error
bars over replications. Parameters that vary become panels (one per value or combination), never a
pooled mean. Runs that did not end ok are drawn as separate markers over their bars.

Example:
    /usr/bin/python3 analysis/plot_bytes_per_policy.py out/sweep/summary.csv \\
        --out /tmp/bytes_per_policy.png
"""

import argparse

import migsim_csv as mc
from migsim_csv import np

METRICS = (("lan_bytes", "LAN", "#4C72B0", ""), ("san_bytes", "SAN", "#DD8452", "//"))


def parse_args(argv=None):
    p = argparse.ArgumentParser(
        description="Grouped bars of mean LAN and SAN bytes (GiB) per policy with 95 % CI "
                    "error bars over replications; varying parameters become panels.",
        epilog="Example: %(prog)s summary.csv --out bytes.png")
    p.add_argument("summary", help="summary.csv from 'migsim sweep' or 'migsim run'")
    p.add_argument("--row", metavar="COLUMN", help="parameter that varies down the panel rows")
    p.add_argument("--col", metavar="COLUMN", help="parameter that varies across panel columns")
    p.add_argument("--no-values", action="store_true", help="do not print the mean above each bar")
    mc.add_common_arguments(p)
    return p.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    mc.output_paths(args.out)
    columns = [m for m, *_ in METRICS]
    df = mc.read_csv(args.summary, required=["status", "policy", *columns], numeric=columns)
    df = mc.apply_where(df, args.where, args.summary)
    if not mc.status_is_ok(df).any():
        mc.fail(args.summary, "no runs with status ok to plot")
    units = mc.sweep_units(args.summary)
    facets = mc.Facets(df, taken=["policy"], row=args.row, col=args.col, path=args.summary,
                       units=units)
    if facets.lines:  # bars have no line style: a third varying parameter must be fixed
        mc.fail(args.summary, f"more parameters vary than panels can show: "
                              f"{', '.join(facets.lines)} (fix them with --where)")
    policies = sorted(set(df["policy"]))
    mc.check_series_count(len(policies), "policies", args.summary)
    x = np.arange(len(policies))
    paper = args.size != "screen"
    fig, axes = mc.new_figure(args, len(facets.row_values), len(facets.col_values),
                              panel_aspect=0.8, sharex=True, sharey=True,
                              screen_panel_width=max(3.9, 0.75 * len(policies)))
    width = 0.38
    counts, statuses, notes = [], set(), []
    for i, row_value in enumerate(facets.row_values):
        for j, col_value in enumerate(facets.col_values):
            ax = axes[i][j]
            panel = facets.panel(df, row_value, col_value)
            for k, (metric, label, color, hatch) in enumerate(METRICS):
                ok, bad, status_notes = mc.split_by_status(panel, metric)
                notes.extend(n for n in status_notes if n not in notes)
                stats = mc.aggregate(ok, ["policy"], metric).set_index("policy").reindex(policies)
                means = stats["mean"].to_numpy(dtype=float) / mc.GIB
                half = stats["half"].to_numpy(dtype=float) / mc.GIB
                counts.extend(stats["n"].fillna(0))
                pos = x + (k - 0.5) * width
                bars = ax.bar(pos, np.nan_to_num(means), width, color=color, hatch=hatch,
                              edgecolor="black", linewidth=0.5, zorder=2)
                has_ci = np.isfinite(half)
                if has_ci.any():
                    ax.errorbar(pos[has_ci], means[has_ci], yerr=half[has_ci], fmt="none",
                                ecolor="black", elinewidth=1.0, capsize=3, zorder=3)
                for status, grp in bad.groupby("status"):
                    statuses.add(status)
                    where = np.array([policies.index(p) for p in grp["policy"]])
                    ax.scatter(x[where] + (k - 0.5) * width, grp[metric] / mc.GIB,
                               marker=mc.status_marker(status), color="black",
                               s=20 if paper else 40, zorder=4)
                if not args.no_values:
                    for bar, m, h in zip(bars, means, half):
                        if np.isfinite(m):
                            ax.annotate(f"{m:.3g}", (bar.get_x() + bar.get_width() / 2,
                                                     m + (h if np.isfinite(h) else 0.0)),
                                        xytext=(0, 2), textcoords="offset points",
                                        ha="center", va="bottom",
                                        fontsize=5 if paper else 8)
            ax.set_xticks(x)
            ax.set_xticklabels(policies, rotation=30 if len(policies) > 3 else 0,
                               ha="right" if len(policies) > 3 else "center")
            ax.set_title(facets.title(row_value, col_value))
            if j == 0:
                ax.set_ylabel("Mean data moved (GiB)")
            ax.margins(y=0.12)
            ax.grid(True, axis="y", alpha=0.3, zorder=0)
    mc.start_y_at_zero(axes)

    handles = [mc.matplotlib.patches.Patch(facecolor=c, hatch=h, edgecolor="black", label=lab)
               for _, lab, c, h in METRICS]
    handles += mc.legend_handles({}, statuses=statuses, band=False, paper=paper)
    title = mc.default_title(args, "LAN and SAN bytes per policy")
    notes = [mc.replication_note(counts, per="bar", shown_as="error bars"), facets.note(),
             mc.where_note(args.where), *notes]
    mc.finish_figure(fig, args, title, handles, legend_title="Network", notes=notes)
    return 0


if __name__ == "__main__":
    mc.script_main(main)

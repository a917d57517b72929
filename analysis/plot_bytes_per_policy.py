"""Plot the LAN and SAN traffic of each migration policy as grouped bars.

Reads a ``summary.csv`` (from ``migsim sweep merge`` or a single ``migsim
run``) and draws, for every policy, two bars: the mean ``lan_bytes`` and the
mean ``san_bytes`` in GiB over all runs with status ``ok``, with 95 %
Student-t confidence-interval error bars (none when a policy has a single
run).  Runs with another status are counted in a footnote.  When the summary
holds several parameter values they are pooled; use ``--where`` to select one.

Example:
    /usr/bin/python3 analysis/plot_bytes_per_policy.py out/sweep/summary.csv \\
        --out /tmp/bytes_per_policy.png
"""

import argparse

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

import migsim_csv as mc  # noqa: E402

METRICS = (("lan_bytes", "LAN", "#4C72B0"), ("san_bytes", "SAN", "#DD8452"))


def parse_args(argv=None):
    p = argparse.ArgumentParser(
        description="Grouped bars of mean LAN and SAN bytes (GiB) per policy with "
                    "95 % CI error bars.",
        epilog="Example: %(prog)s summary.csv --out bytes.png")
    p.add_argument("summary", help="summary.csv from 'migsim sweep merge' or 'migsim run'")
    p.add_argument("--where", action="append", default=[], metavar="COLUMN=VALUE",
                   help="keep only rows where COLUMN equals VALUE (repeatable)")
    p.add_argument("--no-values", action="store_true",
                   help="do not print the mean above each bar")
    mc.add_common_arguments(p)
    return p.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    mc.output_paths(args.out)
    columns = [m for m, _, _ in METRICS]
    df = mc.read_csv(args.summary, required=["status", "policy", *columns], numeric=columns)
    df = mc.apply_where(df, args.where, args.summary)
    df, excl = mc.keep_ok(df)
    if df.empty:
        mc.fail(args.summary, "no runs with status ok to plot")
    if "scenario" not in df.columns:
        df["scenario"] = ""
    df = mc.add_series(df)
    series = sorted(set(df["series"]))

    notes = [mc.where_note(args.where)]
    pooled = [c for c in mc.parameter_columns(df)
              if (df.groupby("series")[c].nunique(dropna=False) > 1).any()]
    if pooled:
        notes.append(f"Pooled over all values of {', '.join(pooled)} "
                     f"(use --where to select one).")

    fig, ax = plt.subplots(figsize=(max(5.5, 1.6 * len(series) + 2.5), 4.6))
    x = np.arange(len(series))
    width = 0.38
    counts = []
    top = 0.0
    for i, (metric, label, color) in enumerate(METRICS):
        data = mc.drop_nan(df, metric, excl)
        stats = mc.group_mean_ci(data, ["series"], metric).set_index("series").reindex(series)
        means = stats["mean"].to_numpy(dtype=float) / mc.GIB
        half = stats["half"].to_numpy(dtype=float) / mc.GIB
        counts.extend(stats["n"].fillna(0))
        pos = x + (i - 0.5) * width
        bars = ax.bar(pos, np.nan_to_num(means), width, label=label, color=color,
                      edgecolor="black", linewidth=0.6, zorder=2)
        has_ci = np.isfinite(half)
        if has_ci.any():
            ax.errorbar(pos[has_ci], means[has_ci], yerr=half[has_ci], fmt="none",
                        ecolor="black", elinewidth=1.2, capsize=5, zorder=3)
        top = max(top, float(np.nanmax(np.where(has_ci, means + half, means), initial=0.0)))
        if not args.no_values:
            for bar, m, h in zip(bars, means, half):
                if not np.isfinite(m):
                    continue
                y = m + (h if np.isfinite(h) else 0.0)
                ax.annotate(f"{m:.3g}", (bar.get_x() + bar.get_width() / 2, y),
                            xytext=(0, 3), textcoords="offset points",
                            ha="center", va="bottom", fontsize=8)

    ax.set_xticks(x)
    ax.set_xticklabels(series)
    ax.set_xlabel("Policy")
    ax.set_ylabel("Mean data transferred (GiB)")
    ax.set_ylim(0, top * 1.15 if top > 0 else 1.0)
    ax.grid(True, axis="y", alpha=0.3, zorder=0)
    ax.legend(title="Network", fontsize=9, title_fontsize=9)
    ax.set_title(args.title or "LAN and SAN traffic per policy")
    fig.tight_layout()
    note = mc.replication_note(counts, per="bar", over="runs", shown_as="error bars")
    mc.add_footnote(fig, [note, *excl.note(), *notes])
    mc.save_figure(fig, args.out, args.dpi)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Which migration strategy wins where: a Markdown table from a merged sweep summary.csv.

For every combination of the varied parameters, the policy with the lowest mean total migration
time, the lowest mean downtime and the lowest mean IO penalty (means over replications of the runs
with status ok). Policies are opaque labels, so variants such as ``hybrid:precopy_rounds=1`` are
rows of their own. Ties are all named. A last column lists the runs that did not end ok.
Used by `make figures` to write figures/strategy_comparison.md (docs/strategy-comparison.md).

Example:
    /usr/bin/python3 analysis/strategy_table.py out/sweep/summary.csv --out /tmp/table.md
"""
import argparse

import migsim_csv as mc
from migsim_csv import np

METRICS = (("total_time_s", "fastest migration", 1.0, "s", ".1f"),
           ("downtime_s", "shortest downtime", 1e3, "ms", ".0f"),
           ("io_penalty_s", "smallest IO penalty", 1.0, "s", ".2f"))


def cell_text(text):
    """A Markdown table cell: a '|' in a label would split the cell."""
    return str(text).replace("|", "\\|")


def winners(cell, metric, scale, unit, fmt):
    """'a, b (12.3 s)': every policy whose mean equals the smallest one."""
    values = cell[metric].to_numpy(dtype=float)
    if not np.isfinite(values).any():
        return "—"
    best = np.nanmin(values)
    tied = cell.loc[np.isclose(values, best, rtol=1e-9, atol=0.0), "policy"]
    return f"{', '.join(cell_text(p) for p in sorted(tied))} ({best * scale:{fmt}} {unit})"


def main(argv=None):
    parser = mc.one_line_errors(argparse.ArgumentParser(description=__doc__.splitlines()[0]))
    parser.add_argument("summary", help="merged sweep summary.csv")
    parser.add_argument("--rows", default="/workload/dirty/rate",
                        help="column varied down the table (default: %(default)s)")
    parser.add_argument("--columns", default="/platform/san/bandwidth",
                        help="second column of the table (default: %(default)s)")
    parser.add_argument("--where", action="append", default=[], metavar="COLUMN=VALUE",
                        help="keep only rows where COLUMN equals VALUE (repeatable; units "
                             "allowed: 16Gbps)")
    parser.add_argument("--out", required=True, help="Markdown file to write")
    args = parser.parse_args(argv)

    metrics = [m for m, *_ in METRICS]
    table = mc.read_csv(args.summary, required=[args.rows, args.columns, *metrics, "policy",
                                                "status"], numeric=metrics)
    table = mc.apply_where(table, args.where, args.summary)
    ok_rows = mc.status_is_ok(table)
    if not ok_rows.any():
        mc.fail(args.summary, "no run with status ok")
    units = mc.sweep_units(args.summary)
    # Every other parameter that varies is a column too: cells never pool two settings.
    keys = [args.rows, args.columns] + mc.varying_parameters(
        table, exclude=[args.rows, args.columns, "scenario"])
    if "scenario" in mc.varying_parameters(table):
        keys.append("scenario")
    means = table[ok_rows].groupby(keys + ["policy"], sort=True)[metrics].mean().reset_index()
    not_ok = table[~ok_rows]

    header = [mc.humanize_pointer(k) for k in keys] + [name for _, name, *_ in METRICS] + \
        ["runs not ok"]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for key, cell in means.groupby(keys, sort=True):
        key = key if isinstance(key, tuple) else (key,)
        mask = np.ones(len(not_ok), dtype=bool)
        for k, v in zip(keys, key):
            mask &= (not_ok[k] == v).to_numpy()
        bad = not_ok[mask].groupby(["policy", "status"]).size()
        bad_text = ", ".join(f"{cell_text(p)} {s} ×{n}" for (p, s), n in bad.items()) or "—"
        lines.append("| " + " | ".join(
            [mc.format_value(k, v, units) for k, v in zip(keys, key)]
            + [winners(cell, m, scale, unit, fmt) for m, _, scale, unit, fmt in METRICS] + [bad_text]) + " |")
    skipped = int((~ok_rows).sum())
    text = "\n".join(lines) + "\n"
    if skipped:
        detail = ", ".join(f"{s or '(empty)'}: {n}"
                           for s, n in sorted(not_ok["status"].value_counts().items()))
        text += (f"\n{skipped} of {len(table)} runs did not end ok ({detail}) and are left "
                 f"out of the means.\n")
    try:
        with open(args.out, "w") as out:
            out.write(text)
    except OSError as exc:
        mc.fail(args.out, f"cannot write the table ({exc.strerror or exc})", mc.EXIT_FILESYSTEM)
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    mc.script_main(main)

"""Which migration strategy wins where: a Markdown table from a merged sweep summary.csv.

For every combination of the two varied parameters, the policy with the lowest mean total migration
time, the lowest mean downtime and the lowest mean IO penalty (means over replications; only runs
with status ok). Used by `make figures` to write docs/strategy-comparison.md.
"""
import argparse
import sys

from migsim_csv import fail, read_csv


def fmt_rate(value):
    return f"{value / 1e6:g} MB/s"


def fmt_bandwidth(value):
    return f"{value * 8 / 1e9:g} Gbit/s"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("summary", help="merged sweep summary.csv")
    parser.add_argument("--rows", default="/workload/dirty/rate", help="column varied down the table")
    parser.add_argument("--columns", default="/platform/san/bandwidth", help="column varied across")
    parser.add_argument("--out", required=True, help="Markdown file to write")
    args = parser.parse_args()

    metrics = ["total_time_s", "downtime_s", "io_penalty_s"]
    numeric = [args.rows, args.columns] + metrics
    table = read_csv(args.summary, required=numeric + ["policy", "status"], numeric=numeric)
    ok = table[table["status"] == "ok"]
    if ok.empty:
        fail(args.summary, "no run with status ok")
    means = ok.groupby([args.rows, args.columns, "policy"])[metrics].mean().reset_index()

    lines = [
        "| dirty rate | SAN | fastest migration | shortest downtime | smallest IO penalty |",
        "|---|---|---|---|---|",
    ]
    for (row, column), cell in means.groupby([args.rows, args.columns]):
        best = {m: cell.loc[cell[m].idxmin()] for m in metrics}
        lines.append(
            f"| {fmt_rate(row)} | {fmt_bandwidth(column)} "
            f"| {best['total_time_s']['policy']} ({best['total_time_s']['total_time_s']:.1f} s) "
            f"| {best['downtime_s']['policy']} ({best['downtime_s']['downtime_s'] * 1e3:.0f} ms) "
            f"| {best['io_penalty_s']['policy']} ({best['io_penalty_s']['io_penalty_s']:.2f} s) |"
        )
    skipped = len(table) - len(ok)
    with open(args.out, "w") as out:
        out.write("\n".join(lines) + "\n")
        if skipped:
            out.write(f"\n{skipped} runs without status ok were left out.\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/python3
"""Per-case summary of testbed records: mean, spread across repeats, and the derived figures that
docs/testbed.md reports (stop-and-copy rate against max-bandwidth, zero pages, syncs).

    /usr/bin/python3 tests/testbed/summarize.py RECORDS_DIR [--markdown]"""
import glob
import json
import os
import statistics
import sys

MIB = 1 << 20


def stats(values):
    v = [x for x in values if x is not None]
    if not v:
        return None
    m = statistics.mean(v)
    return {"n": len(v), "mean": m, "min": min(v), "max": max(v),
            "cv_pct": 100 * statistics.pstdev(v) / m if m and len(v) > 1 else 0.0}


def fmt(s, scale=1.0, digits=0):
    if not s:
        return "-"
    f = f"{{:.{digits}f}}"
    return f"{f.format(s['mean'] / scale)} [{f.format(s['min'] / scale)}-{f.format(s['max'] / scale)}]"


def load(directory):
    cases = {}
    for path in sorted(glob.glob(os.path.join(directory, "*.json"))):
        r = json.load(open(path))
        cases.setdefault(r["case"], []).append(r)
    return cases


def summarize(recs):
    q = [r.get("query_migrate_final") or {} for r in recs]
    ram = [x.get("ram") or {} for x in q]
    done = [i for i, r in enumerate(recs) if r["outcome"] == "completed"]
    bw = recs[0]["migration"]["max_bandwidth"]
    # Rate of the final stop-and-copy, from QEMU's own figures (bytes sent while stopped / downtime).
    stop_rate = [ram[i].get("downtime-bytes", 0) / (q[i]["downtime"] / 1000) if q[i].get("downtime") else None
                 for i in done]
    last = [r.get("query_migrate_last_with_ram") or {} for r in recs]
    return {
        "runs": len(recs),
        "outcomes": {o: sum(r["outcome"] == o for r in recs) for o in sorted({r["outcome"] for r in recs})},
        "alive": sum(bool(r.get("destination_alive")) for r in recs),
        "total_ms": stats([q[i].get("total-time") for i in done]),
        "downtime_ms": stats([q[i].get("downtime") for i in done]),
        "stop_to_resume_ms": stats([(r.get("switchover_host_ms") or {}).get("stop_to_resume") for r in recs]),
        "transferred": stats([ram[i].get("transferred") for i in done]
                             + [(l.get("ram") or {}).get("transferred") for l in last if l]),
        "downtime_bytes": stats([ram[i].get("downtime-bytes") for i in done]),
        "postcopy_bytes": stats([ram[i].get("postcopy-bytes") for i in done]),
        "syncs": stats([ram[i].get("dirty-sync-count") for i in done]
                       + [(l.get("ram") or {}).get("dirty-sync-count") for l in last if l]),
        "normal_pages": stats([ram[i].get("normal") for i in done]),
        "zero_pages": stats([ram[i].get("duplicate") for i in done]),
        "stop_rate_over_cap": stats([s / bw if s is not None else None for s in stop_rate]),
        "boot_s": stats([r.get("boot_s") for r in recs]),
        "load_before": stats([r["host"]["loadavg_before"][0] for r in recs]),
        "guest_pages_per_s": stats([(r.get("guest_write_rate") or {}).get("pages_per_s_mean") for r in recs]),
        "calc_dirty_rate": {d["calc_time_ms"]: stats([next((x.get("dirty_rate_mibps") for x in r.get("calc_dirty_rate", [])
                                                           if x["calc_time_ms"] == d["calc_time_ms"]), None) for r in recs])
                            for d in recs[0].get("calc_dirty_rate", [])},
        "max_bandwidth": bw,
    }


def main():
    if len(sys.argv) < 2:
        print(__doc__)
        return 2
    cases = load(sys.argv[1])
    md = "--markdown" in sys.argv
    head = ["case", "runs", "outcome", "alive", "total ms", "cv%", "downtime ms", "host stop->resume ms",
            "MiB sent", "cv%", "syncs", "stop-copy rate / cap", "zero pages", "normal pages"]
    print(("| " + " | ".join(head) + " |\n|" + "---|" * len(head)) if md else "\t".join(head))
    for name, recs in sorted(cases.items()):
        s = summarize(recs)
        out = ",".join(f"{k}:{v}" for k, v in s["outcomes"].items())
        row = [name, str(s["runs"]), out, f"{s['alive']}/{s['runs']}", fmt(s["total_ms"]),
               f"{s['total_ms']['cv_pct']:.1f}" if s["total_ms"] else "-", fmt(s["downtime_ms"]),
               fmt(s["stop_to_resume_ms"]), fmt(s["transferred"], MIB, 1),
               f"{s['transferred']['cv_pct']:.1f}" if s["transferred"] else "-", fmt(s["syncs"], 1, 1),
               fmt(s["stop_rate_over_cap"], 1, 1), fmt(s["zero_pages"]), fmt(s["normal_pages"])]
        print(("| " + " | ".join(row) + " |") if md else "\t".join(row))
    return 0


if __name__ == "__main__":
    sys.exit(main())

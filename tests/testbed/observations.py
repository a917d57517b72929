#!/usr/bin/python3
"""The observations of docs/testbed.md, computed from the records (nothing here is typed in by hand).

    /usr/bin/python3 tests/testbed/observations.py RECORDS_DIR"""
import math
import statistics
import sys

from summarize import load

MIB = 1 << 20
PAGE = 4096


def col(rec, name):
    s = rec["series"]
    i = s["columns"].index(name)
    return [r[i] for r in s["rows"]]


def med(v):
    v = [x for x in v if x is not None]
    return statistics.median(v) if v else float("nan")


def rng(v, f="{:.0f}"):
    v = [x for x in v if x is not None]
    if not v:
        return "-"
    return f"{f.format(statistics.mean(v))} (min {f.format(min(v))}, max {f.format(max(v))}, n={len(v)})"


def precopy_done(cases):
    for name, recs in sorted(cases.items()):
        for r in recs:
            if r["outcome"] == "completed" and not r["migration"]["capabilities"]:
                yield name, r


def first_pass_rate(cases):
    print("## Sending rate in the first pass (100 ms polls while dirty-sync-count is 1), per cap")
    by_cap = {}
    for name, recs in cases.items():
        for r in recs:
            if r["migration"]["capabilities"] or not name.startswith("pre-"):
                continue
            names = r["series"]["status_names"]
            rows = [x for x, s, st in zip(r["series"]["rows"], col(r, "dirty_sync_count"), col(r, "status"))
                    if s == 1 and names[st] == "active"]
            for a, b in zip(rows, rows[1:]):
                by_cap.setdefault(r["migration"]["max_bandwidth"] // MIB, []).append((b[1] - a[1]) / ((b[0] - a[0]) / 1000) / MIB)
    for cap, v in sorted(by_cap.items()):
        v.sort()
        print(f"cap {cap} MiB/s: median {statistics.median(v):.1f} MiB/s, 10th-90th percentile "
              f"{v[len(v) // 10]:.1f}-{v[9 * len(v) // 10]:.1f} ({len(v)} intervals)")
    print()


def stop_and_copy(cases):
    print("## Stop-and-copy (completed pre-copy runs without capabilities)")
    pts = []
    for name, r in precopy_done(cases):
        q = r["query_migrate_final"]
        pts.append((q["downtime"], q["ram"]["downtime-bytes"], r["migration"]["max_bandwidth"],
                    (r.get("switchover_host_ms") or {}).get("stop_to_resume"), name))
    rate = [b / (d / 1000) / MIB for d, b, bw, h, n in pts if d]
    over = [b / (d / 1000) / bw for d, b, bw, h, n in pts if d]
    print(f"runs: {len(pts)}; downtime ms: {rng([p[0] for p in pts])}")
    print(f"downtime-bytes MiB: {rng([p[1] / MIB for p in pts], '{:.2f}')}")
    print(f"stop-and-copy rate MiB/s (downtime-bytes/downtime): {rng(rate)}; / max-bandwidth: {rng(over, '{:.1f}')}")
    print(f"runs whose stop-and-copy rate exceeded max-bandwidth: {sum(o > 1 for o in over)} of {len(over)}")
    # Least squares downtime = a + bytes / rate over all runs.
    xs, ys = [p[1] / MIB for p in pts], [p[0] for p in pts]
    if len(xs) > 2:
        mx, my = statistics.mean(xs), statistics.mean(ys)
        sxx = sum((x - mx) ** 2 for x in xs)
        slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sxx if sxx else float("nan")
        a = my - slope * mx
        res = [y - a - slope * x for x, y in zip(xs, ys)]
        print(f"fit downtime_ms = {a:.1f} + {slope:.2f} * downtime_MiB (=> {1000 / slope if slope else float('inf'):.0f} MiB/s); "
              f"residual sd {statistics.pstdev(res):.1f} ms")
    print(f"host stop->resume ms: {rng([p[3] for p in pts])}; minus QEMU downtime: "
          f"{rng([p[3] - p[0] for p in pts if p[3] is not None], '{:.1f}')}")
    for name in sorted({p[4] for p in pts}):
        if name.startswith("idle-"):
            sel = [p for p in pts if p[4] == name]
            print(f"  {name}: downtime {rng([p[0] for p in sel])} ms, downtime-bytes {rng([p[1] for p in sel])}, "
                  f"host stop->resume {rng([p[3] for p in sel], '{:.1f}')} ms")
    print()


def passes(cases):
    print("## Syncs and passes (completed pre-copy runs without capabilities)")
    print("case: dirty-sync-count | syncs seen while active (series) | first pass ms, MiB | max dirty-pages-rate pages/s | writer pages/s")
    for name, recs in sorted(cases.items()):
        rows = []
        for r in recs:
            if r["outcome"] != "completed" or r["migration"]["capabilities"]:
                continue
            q = r["query_migrate_final"]["ram"]
            sync, t, tr, st = col(r, "dirty_sync_count"), col(r, "t_ms"), col(r, "transferred"), col(r, "status")
            names = r["series"]["status_names"]
            active = [s for s, x in zip(sync, st) if names[x] == "active"]
            first = next((i for i, s in enumerate(sync) if s >= 2), None)
            rows.append((q["dirty-sync-count"], max(active) if active else None,
                         t[first] if first is not None else None, tr[first] / MIB if first is not None else None,
                         max(col(r, "dirty_pages_rate")), (r.get("guest_write_rate") or {}).get("pages_per_s_mean")))
        if rows:
            print(f"{name}: " + " | ".join(rng([x[i] for x in rows], f) for i, f in
                                             enumerate(["{:.1f}", "{:.1f}", "{:.0f}", "{:.1f}", "{:.0f}", "{:.0f}"])))
    print()


def zero_pages(cases):
    print("## Zero pages and per-page overhead (completed runs)")
    for name, recs in sorted(cases.items()):
        q = [r["query_migrate_final"]["ram"] for r in recs if r["outcome"] == "completed"]
        if not q:
            continue
        xb = [r["query_migrate_final"].get("xbzrle-cache", {}).get("bytes", 0) for r in recs if r["outcome"] == "completed"]
        over = [(x["transferred"] - x["normal-bytes"] - b) / (x["duplicate"] + x["normal"]) for x, b in zip(q, xb)]
        print(f"{name}: zero pages {rng([x['duplicate'] for x in q])} ({rng([x['duplicate'] * PAGE / MIB for x in q], '{:.0f}')} MiB), "
              f"normal pages {rng([x['normal'] for x in q])}, bytes beyond page data per page sent {rng(over, '{:.1f}')}")
    print()


def dirty_rate(cases):
    print("## calc-dirty-rate (page sampling) against the writer and N(1-exp(-r t/N))")
    for name, recs in sorted(cases.items()):
        g = recs[0]["guest"]
        if not g["region_mib"]:
            continue
        by_t = {}
        for r in recs:
            for d in r.get("calc_dirty_rate", []):
                by_t.setdefault(d["calc_time_ms"], []).append(d.get("dirty_rate_mibps"))
        w = [(r.get("guest_write_rate") or {}).get("pages_per_s_mean") for r in recs]
        wr = statistics.mean([x for x in w if x is not None]) if any(x is not None for x in w) else 0
        n = g["region_mib"] * MIB // PAGE

        def model(t):  # distinct pages written in t seconds, as MiB/s
            if g["pattern"] == "hotset" and g["hot_mib"]:
                nh = g["hot_mib"] * MIB // PAGE
                d = nh * (1 - math.exp(-wr * g["hot_share"] * t / nh)) + \
                    (n - nh) * (1 - math.exp(-wr * (1 - g["hot_share"]) * t / (n - nh)))
            else:
                d = n * (1 - math.exp(-wr * t / n))
            return d * PAGE / MIB / t
        parts = [f"{t / 1000:g}s: {rng(v, '{:.1f}')} (model {model(t / 1000):.1f})" for t, v in sorted(by_t.items())]
        print(f"{name}: writer {wr:.0f} pages/s = {wr * PAGE / MIB:.1f} MiB/s; " + "; ".join(parts))
    print()


def features(cases):
    print("## Capabilities")
    for name, recs in sorted(cases.items()):
        caps = recs[0]["migration"]["capabilities"]
        if not caps:
            continue
        for r in recs:
            q = r.get("query_migrate_final") or {}
            ram = q.get("ram", {})
            extra = ""
            if "xbzrle" in caps:
                x = q.get("xbzrle-cache", {})
                extra = f"xbzrle pages {x.get('pages')} bytes {x.get('bytes')} cache-miss-rate {x.get('cache-miss-rate')}"
            if "auto-converge" in caps:
                extra = f"max throttle {max(col(r, 'throttle_pct'))} %, final {q.get('cpu-throttle-percentage')}"
                ws = [p for t, p in r.get("guest_write_series", []) if t > 0]
                extra += f", writer pages/s during migration min {min(ws) if ws else '-'}"
            if "postcopy-ram" in caps:
                t, st = col(r, "t_ms"), col(r, "status")
                names = r["series"]["status_names"]
                pc = [tt for tt, s in zip(t, st) if names[s] == "postcopy-active"]
                dur = (pc[-1] - pc[0]) / 1000 if len(pc) > 1 else None
                extra = (f"postcopy-bytes {ram.get('postcopy-bytes')} in ~{dur} s "
                         f"(~{ram.get('postcopy-bytes', 0) / MIB / dur:.1f} MiB/s)" if dur else "") + \
                        f", postcopy-requests {ram.get('postcopy-requests')}"
            print(f"{name} r{r['repeat']}: {r['outcome']}, total {q.get('total-time')} ms, downtime {q.get('downtime')} ms, "
                  f"host stop->resume {(r.get('switchover_host_ms') or {}).get('stop_to_resume')} ms, "
                  f"{ram.get('transferred', 0) / MIB:.1f} MiB, syncs {ram.get('dirty-sync-count')}; {extra}")
    print()


def page_cache(cases):
    print("## Page cache and drop_caches")
    for name, recs in sorted(cases.items()):
        if not name.startswith(("cache-", "io-")):
            continue
        q = [r["query_migrate_final"]["ram"] for r in recs if r["outcome"] == "completed"]
        d = [r.get("drop_caches_kb") for r in recs if r.get("drop_caches_kb")]
        m = [r.get("guest_mem_before_kb") for r in recs if r.get("guest_mem_before_kb")]
        print(f"{name}: sent {rng([x['transferred'] / MIB for x in q], '{:.1f}')} MiB, normal pages {rng([x['normal'] for x in q])}, "
              f"zero pages {rng([x['duplicate'] for x in q])}; Cached before {rng([x['Cached'] / 1024 for x in m])} MiB"
              + (f"; MemFree before/after drop {rng([x['MemFree_before'] / 1024 for x in d])} / "
                 f"{rng([x['MemFree_after'] / 1024 for x in d])} MiB" if d else ""))
    print()


def io_penalty(cases):
    print("## Post-migration IO (reader paused during the migration, disk throttled)")
    for name, recs in sorted(cases.items()):
        if not name.startswith("io-"):
            continue
        for r in recs:
            if "io_after" not in r:
                print(f"{name} r{r['repeat']}: no after run")
                continue
            before = [b for _, b in r["io_before"]["samples"]]
            after = r["io_after"]["samples"]
            base = statistics.median(before) * 10 / MIB  # MiB/s
            slow = next((ms for ms, b in after if b * 10 / MIB >= 0.5 * base), None)
            first_s = sum(b for ms, b in after if ms <= 1000) / MIB
            print(f"{name} r{r['repeat']}: before median {base:.0f} MiB/s; after: first second {first_s:.1f} MiB, "
                  f"back to >= half the before rate at {slow} ms; after median {statistics.median([b for _, b in after]) * 10 / MIB:.0f} MiB/s")
    print()


def main():
    cases = load(sys.argv[1])
    first_pass_rate(cases)
    stop_and_copy(cases)
    passes(cases)
    zero_pages(cases)
    dirty_rate(cases)
    features(cases)
    page_cache(cases)
    io_penalty(cases)


if __name__ == "__main__":
    main()

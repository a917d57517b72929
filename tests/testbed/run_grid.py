#!/usr/bin/python3
"""Run the grid of real migrations (cases.py), one at a time, and write one record per migration.

    /usr/bin/python3 tests/testbed/run_grid.py --build build/testbed --out results/testbed-DATE [--repeats 3]
        [--only SUBSTRING]...

Resumable: a record that exists is not run again. Repeat 1 of every case runs before repeat 2, so a
grid cut short still covers every case. A progress line per run goes to stdout."""
import argparse
import json
import os
import signal
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cases  # noqa: E402
import migrate  # noqa: E402


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build", default="build/testbed")
    ap.add_argument("--out", required=True)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--only", action="append", default=[], help="run only cases whose name contains this")
    ap.add_argument("--accel", default="tcg")
    ap.add_argument("--list", action="store_true", help="list the cases and exit")
    a = ap.parse_args()
    signal.signal(signal.SIGTERM, migrate.on_sigterm)
    signal.signal(signal.SIGINT, signal.default_int_handler)  # also when started in the background
    grid = [c for c in cases.all_cases() if not a.only or any(s in c["name"] for s in a.only)]
    if a.list:
        for c in grid:
            print(c["name"], json.dumps(c))
        return 0
    os.makedirs(a.out, exist_ok=True)
    pending = [(r, c) for r in range(1, a.repeats + 1) for c in grid
            if not os.path.exists(os.path.join(a.out, f"{c['name']}-r{r}.json"))]
    print(f"{len(grid)} cases x {a.repeats} repeats; {len(pending)} records to make in {a.out}", flush=True)
    start, failures = time.monotonic(), 0
    for i, (r, c) in enumerate(pending, 1):
        t = time.monotonic()
        rec, path = migrate.run(migrate.merge(migrate.DEFAULTS, c), os.path.abspath(a.build), a.out, r, a.accel)
        q = rec.get("query_migrate_final") or {}
        failures += bool(rec["errors"])
        time_left = (time.monotonic() - start) / i * (len(pending) - i)
        print(f"[{i}/{len(pending)}] {c['name']} r{r}: {rec['outcome']} alive={rec.get('destination_alive')} "
              f"total={q.get('total-time')} ms downtime={q.get('downtime')} ms "
              f"bytes={q.get('ram', {}).get('transferred')} syncs={q.get('ram', {}).get('dirty-sync-count')} "
              f"load={rec['host']['loadavg_before'][0]} run={time.monotonic() - t:.0f} s time_left={time_left / 60:.0f} min"
              + (f" ERRORS {rec['errors']}" if rec["errors"] else ""), flush=True)
    print(f"done: {len(pending)} runs, {failures} with errors, {(time.monotonic() - start) / 60:.1f} min", flush=True)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/python3
"""Makes synthetic dirtying traces for migsim's /workload/dirty/trace (Python 3 standard library only).

Two kinds, the two formats migsim reads (docs/model.md, "Trace replay"):
  pages  a page trace, header time_s,first_page,pages: one line per write burst of --burst-pages
         contiguous pages, bursts spread evenly in time so that they write --rate bytes per second,
         each burst's first page drawn by --pattern (uniform, hotset, zipf or sequential, as migsim's
         own patterns: hot and high-rank pages are the lowest-numbered ones);
  rates  a rate series, header time_s,rate_Bps: one line every --step seconds, the rate of the phase
         in force times a random factor exp(N(0, --noise)), as QEMU's calc-dirty-rate would sample.
--phase T:RATE (repeatable) changes the rate from T seconds on. The same arguments and --seed give
the same file. A first comment line records the command.

Example (the file shipped as webserver_hotset_pages.csv):
  make_trace.py --kind pages --memory 1GiB --duration 30 --rate 30MBps --pattern hotset \\
      --hot-fraction 0.05 --hot-share 0.9 --burst-pages 64 --seed 1 --out webserver_hotset_pages.csv
"""

import argparse
import bisect
import math
import random
import re
import sys

UNITS = {"": 1, "k": 1e3, "M": 1e6, "G": 1e9, "T": 1e12, "Ki": 2**10, "Mi": 2**20, "Gi": 2**30, "Ti": 2**40}


def size(text):
    """'1GiB', '4KiB', '4096' -> bytes."""
    m = re.fullmatch(r"\s*([0-9.eE+-]+)\s*(|k|M|G|T|Ki|Mi|Gi|Ti)B?\s*", text)
    if not m:
        raise argparse.ArgumentTypeError(f"expected a size such as 1GiB or 4096, got {text!r}")
    return float(m.group(1)) * UNITS[m.group(2)]


def rate(text):
    """'30MBps' (bytes/s), '1Gbps' (bits/s) or a plain number of bytes/s -> bytes/s."""
    m = re.fullmatch(r"\s*([0-9.eE+-]+)\s*(|k|M|G|T|Ki|Mi|Gi|Ti)(Bps|B/s|bps|)\s*", text)
    if not m:
        raise argparse.ArgumentTypeError(f"expected a rate such as 30MBps or 1Gbps, got {text!r}")
    value = float(m.group(1)) * UNITS[m.group(2)]
    return value / 8 if m.group(3) == "bps" else value


def phase(text):
    """'T:RATE' -> (seconds, bytes/s)."""
    at, sep, r = text.partition(":")
    if not sep:
        raise argparse.ArgumentTypeError(f"expected T:RATE such as 20:80MBps, got {text!r}")
    return float(at), rate(r)


def rate_at(t, base, phases):
    current = base
    for at, r in phases:
        if at <= t:
            current = r
    return current


class Picker:
    """First page of a burst, over `slots` burst-sized slots of memory, as migsim's patterns pick pages."""

    def __init__(self, args, slots, rng):
        self.args, self.slots, self.rng, self.cursor = args, slots, rng, 0
        if args.pattern == "zipf":
            weights = [r ** -args.zipf_exponent for r in range(1, slots + 1)]
            total, acc, self.cdf = sum(weights), 0.0, []
            for w in weights:
                acc += w / total
                self.cdf.append(acc)

    def __call__(self):
        a, n = self.args, self.slots
        if a.pattern == "sequential":
            slot, self.cursor = self.cursor, (self.cursor + 1) % n
            return slot
        if a.pattern == "hotset":
            hot = min(max(int(a.hot_fraction * n), 1), n)
            if hot == n or self.rng.random() < a.hot_share:
                return self.rng.randrange(hot)
            return hot + self.rng.randrange(n - hot)
        if a.pattern == "zipf":  # rank r is slot r - 1
            return min(bisect.bisect_left(self.cdf, self.rng.random()), n - 1)
        return self.rng.randrange(n)


def page_trace(args, out, rng):
    pages = int(args.memory // args.page_size)
    burst = args.burst_pages
    if burst > pages:
        sys.exit(f"make_trace.py: --burst-pages {burst} is more than the guest's {pages} pages")
    pick = Picker(args, pages // burst, rng)
    out.write("time_s,first_page,pages\n")
    t, carry = 0.0, 0.0
    step = args.burst_interval
    while t < args.duration:
        # bursts due in [t, t + step): rate x step bytes, fractional bursts carried over
        exact = carry + rate_at(t, args.rate, args.phase) * step / (burst * args.page_size)
        count = int(exact)
        carry = exact - count
        for i in range(count):
            out.write(f"{t + step * i / count:.6f},{pick() * burst},{burst}\n")
        t = round(t + step, 9)


def rate_series(args, out, rng):
    out.write("time_s,rate_Bps\n")
    t = 0.0
    while t < args.duration:
        r = rate_at(t, args.rate, args.phase) * math.exp(rng.gauss(0, args.noise)) if args.noise else rate_at(t, args.rate, args.phase)
        out.write(f"{t:g},{r:.0f}\n")
        t = round(t + args.step, 9)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--kind", choices=["pages", "rates"], default="pages", help="page trace or rate series (pages)")
    p.add_argument("--memory", type=size, default=size("1GiB"), help="guest memory (1GiB); page numbers stay below it")
    p.add_argument("--page-size", type=size, default=4096.0, help="page size (4KiB)")
    p.add_argument("--duration", type=float, default=30.0, help="seconds of guest time covered (30)")
    p.add_argument("--rate", type=rate, default=rate("30MBps"), help="dirtying rate before any phase (30MBps)")
    p.add_argument("--phase", type=phase, action="append", default=[], metavar="T:RATE",
                   help="from T seconds on, dirty RATE (repeatable), e.g. 20:80MBps")
    p.add_argument("--pattern", choices=["uniform", "hotset", "zipf", "sequential"], default="hotset",
                   help="pages: where bursts land (hotset)")
    p.add_argument("--hot-fraction", type=float, default=0.05, help="hotset: share of memory that is hot (0.05)")
    p.add_argument("--hot-share", type=float, default=0.9, help="hotset: share of bursts in the hot part (0.9)")
    p.add_argument("--zipf-exponent", type=float, default=1.0, help="zipf: exponent s, P(rank r) ~ r^-s (1.0)")
    p.add_argument("--burst-pages", type=int, default=64, help="pages: contiguous pages per burst (64)")
    p.add_argument("--burst-interval", type=float, default=0.1,
                   help="pages: bursts of each interval of this many seconds are spread over it (0.1)")
    p.add_argument("--step", type=float, default=1.0, help="rates: seconds between samples (1)")
    p.add_argument("--noise", type=float, default=0.0, help="rates: sigma of the log-normal factor per sample (0)")
    p.add_argument("--seed", type=int, default=1, help="random seed (1)")
    p.add_argument("--out", default="-", help="output file (- for standard output)")
    args = p.parse_args()
    for name in ("duration", "burst_interval", "step"):
        if getattr(args, name) <= 0:
            p.error(f"--{name.replace('_', '-')} must be positive")
    if args.burst_pages < 1 or args.page_size < 1 or args.memory < args.page_size:
        p.error("--burst-pages must be at least 1 and --memory at least one page")
    args.phase.sort()
    rng = random.Random(args.seed)
    out = sys.stdout if args.out == "-" else open(args.out, "w", newline="\n")
    with out:
        recorded, skip = [], False  # the command, without where its output went
        for a in sys.argv[1:]:
            if not skip and not a.startswith("--out"):
                recorded.append(a)
            skip = a == "--out"
        out.write("# " + " ".join(["make_trace.py"] + recorded) + "\n")
        (page_trace if args.kind == "pages" else rate_series)(args, out, rng)


if __name__ == "__main__":
    main()

"""The grid of real migrations (docs/testbed.md explains the choices). Each case is a dict in the
format of migrate.DEFAULTS; `name` names the record file (<name>-r<repeat>.json)."""

MIB = 1 << 20
REGION = 128          # MiB of guest memory the writer fills and dirties
HOT, SHARE = 16, 0.9  # hotset: 90 % of the writes go to 16 MiB
# Write rates (MiB/s of page writes) per bandwidth cap: idle, well under, half, 1.5 x the cap.
RATES = {32: [0, 4, 16, 48], 64: [0, 8, 32, 96]}


def writer(rate, pattern):
    g = {"region_mib": REGION, "rate_mibps": rate, "pattern": pattern}
    if pattern == "hotset":
        g.update(hot_mib=HOT, hot_share=SHARE)
    return g


def precopy_grid():
    for bw, rates in RATES.items():
        for pattern in ("uniform", "hotset"):
            for rate in rates:
                yield {"name": f"pre-bw{bw}-{pattern}-w{rate}", "guest": writer(rate, pattern),
                       "migration": {"max_bandwidth": bw * MIB, "timeout_s": 25}}


def switchover_cases():
    """No writer at all: what a switch-over costs when (almost) nothing is left to send."""
    for limit in (300, 1):
        yield {"name": f"idle-bw32-nowriter-dl{limit}", "guest": {"region_mib": 0},
               "migration": {"max_bandwidth": 32 * MIB, "downtime_limit_ms": limit, "timeout_s": 25},
               "calc_times_ms": [1000]}


def feature_cases():
    """The non-converging uniform case at 32 MiB/s (pre-bw32-uniform-w48), with each remedy."""
    base = {"guest": writer(48, "uniform")}
    yield dict(base, name="xbzrle-bw32-uniform-w48",
               migration={"max_bandwidth": 32 * MIB, "capabilities": {"xbzrle": True},
                          "xbzrle_cache_size": 256 * MIB, "timeout_s": 25})
    yield dict(base, name="autoconv-bw32-uniform-w48",
               migration={"max_bandwidth": 32 * MIB, "capabilities": {"auto-converge": True}, "timeout_s": 40})
    yield dict(base, name="postcopy-bw32-uniform-w48",
               migration={"max_bandwidth": 32 * MIB, "capabilities": {"postcopy-ram": True},
                          "max_postcopy_bandwidth": 32 * MIB, "postcopy_after_syncs": 2, "timeout_s": 40})


def page_cache_cases():
    """192 MiB of file data in the guest's page cache, no writer: as is, dropped, dropped + init_on_free."""
    g = {"disk": True, "fill_mib": 192}
    m = {"max_bandwidth": 64 * MIB, "timeout_s": 40}
    yield {"name": "cache-bw64-keep", "guest": g, "migration": m, "calc_times_ms": [1000]}
    yield {"name": "cache-bw64-drop", "guest": g, "migration": m, "calc_times_ms": [1000], "drop_caches": True}
    yield {"name": "cache-bw64-drop-initfree", "guest": dict(g, init_on_free=True), "migration": m,
           "calc_times_ms": [1000], "drop_caches": True}


def io_cases():
    """Reader re-reads a cached 32 MiB file before and after the migration (paused during it); disk
    throttled to 16 MiB/s, so a read that misses the cache is visibly slower. With and without a drop."""
    g = {"disk": True, "fill_mib": 32, "disk_bps_read": 16 * MIB}
    m = {"max_bandwidth": 64 * MIB, "timeout_s": 40}
    io = {"read_mib": 32, "before_s": 3, "after_s": 4}
    yield {"name": "io-bw64-keep", "guest": g, "migration": m, "io": io, "calc_times_ms": [1000]}
    yield {"name": "io-bw64-drop", "guest": g, "migration": m, "io": io, "calc_times_ms": [1000],
           "drop_caches": True}


def all_cases():
    return list(precopy_grid()) + list(switchover_cases()) + list(feature_cases()) + list(page_cache_cases()) + list(io_cases())

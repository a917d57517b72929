#!/usr/bin/python3
"""One real live migration between two local QEMU processes, driven over QMP; writes one JSON record.

    /usr/bin/python3 tests/testbed/migrate.py --build build/testbed --out RESULTS --case CASE.json [--repeat N]

CASE.json holds one case (see cases.py for the grid's cases and docs/testbed.md for every field).
The record goes to RESULTS/<case name>-r<repeat>.json, written atomically. Both QEMUs are always
killed at the end, also on error, SIGTERM or Ctrl-C. Exit status 0 when the record was written and
the run met no error (an outcome such as cancelled-not-converged is not an error)."""
import argparse
import ctypes
import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from qmp import QMP, Control, QMPError  # noqa: E402
from record import write_record  # noqa: E402

QEMU = "qemu-system-x86_64"
MIB = 1 << 20

# Defaults of a case; a case file overrides any of them.
DEFAULTS = {
    "guest": {"memory_mib": 512, "region_mib": 0, "rate_mibps": 0, "pattern": "uniform", "hot_mib": 0,
              "hot_share": 0.0, "fill_mib": 0, "disk": False, "init_on_free": False, "disk_bps_read": 0},
    "migration": {"capabilities": {}, "max_bandwidth": 32 * MIB, "downtime_limit_ms": 300,
                  "xbzrle_cache_size": None, "max_postcopy_bandwidth": None,
                  "postcopy_after_syncs": None, "timeout_s": 25},
    "settle_s": 1.0,
    "calc_times_ms": [1000, 2000, 4000],
    "drop_caches": False,         # echo 3 > drop_caches in the guest just before the migration
    "io": None,                   # {"read_mib": M, "before_s": S, "after_s": S}: the reader case
}

# Time series columns (one row per query-migrate poll, every 100 ms).
SERIES_COLUMNS = ["t_ms", "transferred", "remaining", "dirty_pages_rate", "dirty_sync_count",
                  "throttle_pct", "status"]
KEPT_PARAMETERS = ["max-bandwidth", "downtime-limit", "xbzrle-cache-size", "max-postcopy-bandwidth",
                   "avail-switchover-bandwidth", "cpu-throttle-initial", "cpu-throttle-increment",
                   "cpu-throttle-tailslow", "max-cpu-throttle", "throttle-trigger-threshold",
                   "zero-page-detection"]
# QEMU's MigrationStatus values, in the order of qapi/migration.json; the series stores the index.
STATUS_NAMES = ["none", "setup", "cancelling", "cancelled", "active", "postcopy-active", "postcopy-paused",
                "postcopy-recover-setup", "postcopy-recover", "completed", "failed", "colo", "pre-switchover",
                "device", "wait-unplug"]


def die_with_parent():
    """In the QEMU child before exec: SIGKILL it when the driver dies, however it dies."""
    ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG = 1


def on_sigterm(signum, frame):
    raise KeyboardInterrupt("SIGTERM")  # so that the teardown in run() runs


def merge(defaults, case):
    out = json.loads(json.dumps(defaults))
    for k, v in case.items():
        if isinstance(v, dict) and isinstance(out.get(k), dict):
            out[k].update(v)
        else:
            out[k] = v
    return out


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def loadavg():
    with open("/proc/loadavg") as f:
        return [float(x) for x in f.read().split()[:3]]


def qemu_version():
    out = subprocess.run([QEMU, "--version"], capture_output=True, text=True).stdout
    return out.splitlines()[0] if out else "unknown"


def kernel_cmdline(g):
    args = ["console=ttyS0", "quiet", "panic=-1", "mitigations=off",
            f"tb.region={g['region_mib']}", f"tb.rate={g['rate_mibps']}", f"tb.pattern={g['pattern']}",
            f"tb.hot={g['hot_mib']}", f"tb.share={g['hot_share']}", f"tb.fill={g['fill_mib']}",
            f"tb.disk={1 if g['disk'] else 0}"]
    if g["init_on_free"]:
        args.append("init_on_free=1")
    return " ".join(args)


def qemu_command(build, run, side, g, accel):
    drive = f"file={build}/disk.img,if=virtio,format=raw,cache=none,readonly=on"
    if g["disk_bps_read"]:
        drive += f",throttling.bps-read={g['disk_bps_read']}"
    cmd = [QEMU, "-accel", accel, "-m", str(g["memory_mib"]), "-smp", "1", "-nodefaults",
           "-display", "none", "-no-reboot",
           "-kernel", f"{build}/vmlinuz", "-initrd", f"{build}/initrd.img", "-append", kernel_cmdline(g),
           "-serial", f"file:{run}/{side}-console.log",
           "-chardev", f"socket,id=ctl,path={run}/{side}-ctl.sock,server=on,wait=off",
           "-serial", "chardev:ctl",
           "-qmp", f"unix:{run}/{side}-qmp.sock,server=on,wait=off",
           "-drive", drive]
    if side == "dst":
        cmd += ["-incoming", "defer"]
    return cmd


def row(t, info):
    ram = info.get("ram", {})
    status = info.get("status", "none")
    code = STATUS_NAMES.index(status) if status in STATUS_NAMES else -1
    return [round(t * 1000), ram.get("transferred", 0), ram.get("remaining", 0),
            ram.get("dirty-pages-rate", 0), ram.get("dirty-sync-count", 0),
            info.get("cpu-throttle-percentage", 0), code]


def measure_dirty_rate(qmp, calc_times_ms, sample_pages=4096):
    """calc-dirty-rate at each calc time, mode page-sampling (sample_pages per GiB, QEMU's maximum).
    Under TCG the dirty-bitmap mode always reports 0 (docs/testbed.md, QEMU facts); dirty-ring is KVM only.
    Page sampling hashes the sampled pages at the start and the end: it counts distinct pages changed."""
    results = []
    for ms in calc_times_ms:
        try:
            qmp.cmd("calc-dirty-rate", **{"calc-time": ms, "calc-time-unit": "millisecond",
                                          "mode": "page-sampling", "sample-pages": sample_pages})
        except QMPError as e:
            results.append({"calc_time_ms": ms, "error": str(e)})
            continue
        deadline = time.monotonic() + ms / 1000 + 20
        time.sleep(ms / 1000)
        while True:
            r = qmp.cmd("query-dirty-rate", **{"calc-time-unit": "millisecond"})
            if r.get("status") == "measured" or time.monotonic() > deadline:
                break
            time.sleep(0.05)
        results.append({"calc_time_ms": ms, "mode": r.get("mode"), "sample_pages_per_gib": r.get("sample-pages"),
                        "status": r.get("status"), "dirty_rate_mibps": r.get("dirty-rate")})
    return results


def guest_write_rate(lines, t_from, t_to):
    """The writer's own figures between two host times: pages per second, from its 'wr' lines."""
    rates = [int(l.split()[3]) for t, l in lines if l and l.startswith("wr ") and t_from <= t <= t_to]
    if not rates:
        return None
    return {"seconds": len(rates), "pages_per_s_mean": sum(rates) / len(rates),
            "pages_per_s_min": min(rates), "pages_per_s_max": max(rates)}


def reader_series(lines, t_from):
    """The reader's 100 ms throughput samples after host time t_from: [[guest ms, bytes], ...]."""
    out, end = [], None
    for t, l in lines:
        if t < t_from or not l:
            continue
        if l.startswith("rd "):
            _, ms, b = l.split()
            out.append([int(ms), int(b)])
        elif l.startswith("rdend"):
            _, total, ms = l.split()
            end = {"bytes": int(total), "ms": int(ms)}
            break
    return {"samples": out, "end": end}


def run_io(ctl, mib, seconds):
    """Ask the guest to re-read its file for `seconds`; return the time the run started."""
    t0 = time.monotonic()
    ctl.send(f"read {mib} {seconds}")
    ctl.reader.wait_for(lambda l: l.startswith("rdend"), seconds + 30, ctl.reader.mark() - 1)
    return t0


def run(case, build, out_dir, repeat, accel="tcg"):
    g, m = case["guest"], case["migration"]
    name = f"{case['name']}-r{repeat}"
    rec = {"format": "migsim-testbed-record/1", "case": case["name"], "repeat": repeat,
           "qemu_version": qemu_version(), "accel": accel,
           "host": {"cpus": os.cpu_count(), "loadavg_before": loadavg()},
           "started_utc": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
           "guest": dict(g, page_size=4096, kernel_cmdline=kernel_cmdline(g)),
           "migration": dict(m), "outcome": "error", "errors": []}
    run_dir = tempfile.mkdtemp(prefix=f"tb-{name}-", dir="/tmp")
    procs, conns = [], []
    try:
        for side in ("dst", "src"):
            log = open(f"{run_dir}/{side}-qemu.log", "w")
            procs.append(subprocess.Popen(qemu_command(build, run_dir, side, g, accel), stdout=log,
                                          stderr=subprocess.STDOUT, start_new_session=True,
                                          preexec_fn=die_with_parent))
        t_boot = time.monotonic()
        dst, src = QMP(f"{run_dir}/dst-qmp.sock"), QMP(f"{run_dir}/src-qmp.sock")
        dctl, sctl = Control(f"{run_dir}/dst-ctl.sock"), Control(f"{run_dir}/src-ctl.sock")
        conns += [dst, src, dctl, sctl]

        ready = sctl.reader.wait_for(lambda l: l == "ready", 180)
        if not ready:
            raise RuntimeError("guest not ready within 180 s")
        rec["boot_s"] = round(ready[0] - t_boot, 2)
        time.sleep(case["settle_s"])

        t_dr = time.monotonic()
        rec["calc_dirty_rate"] = measure_dirty_rate(src, case["calc_times_ms"])
        rec["guest_write_rate"] = guest_write_rate(sctl.reader.lines, t_dr, time.monotonic())

        io = case["io"]
        if io:
            rec["io_before"] = reader_series(sctl.reader.lines, run_io(sctl, io["read_mib"], io["before_s"]))
        mem = sctl.ask("mem", "mem ")
        rec["guest_mem_before_kb"] = dict(zip(("MemFree", "Cached"), map(int, mem[1].split()[1:]))) if mem else None
        if case["drop_caches"]:
            d = sctl.ask("drop", "dropped", 60)
            rec["drop_caches_kb"] = dict(zip(("MemFree_before", "MemFree_after"), map(int, d[1].split()[1:]))) if d else None

        # Capabilities on both sides, parameters on the source.
        caps = [{"capability": c, "state": bool(v)} for c, v in m["capabilities"].items()]
        for q in (dst, src):
            if caps:
                q.cmd("migrate-set-capabilities", capabilities=caps)
        params = {"max-bandwidth": m["max_bandwidth"], "downtime-limit": m["downtime_limit_ms"]}
        if m["xbzrle_cache_size"]:
            params["xbzrle-cache-size"] = m["xbzrle_cache_size"]
        if m["max_postcopy_bandwidth"]:
            params["max-postcopy-bandwidth"] = m["max_postcopy_bandwidth"]
        src.cmd("migrate-set-parameters", **params)
        # The parameters that shape a precopy/postcopy migration (the rest are TLS, multifd, announce...).
        p = src.cmd("query-migrate-parameters")
        rec["migrate_parameters"] = {k: p[k] for k in KEPT_PARAMETERS if k in p}
        port = free_port()
        dst.cmd("migrate-incoming", uri=f"tcp:127.0.0.1:{port}")

        # Migrate, polling every 100 ms.
        rows, t0 = [], time.monotonic()
        src.cmd("migrate", uri=f"tcp:127.0.0.1:{port}")
        postcopy_started = cancelled = last_with_ram = None
        while True:
            info = src.cmd("query-migrate")
            t = time.monotonic() - t0
            rows.append(row(t, info))
            st = info.get("status")
            if "ram" in info:
                last_with_ram = info
            if st in ("completed", "failed", "cancelled"):
                break
            ram = info.get("ram", {})
            if (m["postcopy_after_syncs"] and postcopy_started is None and st == "active"
                    and ram.get("dirty-sync-count", 0) >= m["postcopy_after_syncs"]):
                src.cmd("migrate-start-postcopy")
                postcopy_started = round(t * 1000)
            if t > m["timeout_s"] and cancelled is None and st == "active":
                src.cmd("migrate_cancel")
                cancelled = round(t * 1000)
            if t > m["timeout_s"] + 60:
                raise RuntimeError(f"migration still {st} after {t:.0f} s")
            time.sleep(max(0.0, 0.1 - (time.monotonic() - t0 - t)))
        final = src.cmd("query-migrate")
        rec["query_migrate_final"] = final
        if "ram" not in final:  # a cancelled migration reports no figures: keep the last that had them
            rec["query_migrate_last_with_ram"] = last_with_ram
        rec["series"] = {"columns": SERIES_COLUMNS, "status_names": STATUS_NAMES,
                         "rows": rows}
        rec["postcopy_started_ms"] = postcopy_started
        rec["cancelled_at_ms"] = cancelled
        status = final.get("status")
        rec["outcome"] = {"completed": "completed", "failed": "failed"}.get(
            status, "cancelled-not-converged" if cancelled is not None else status)

        # Host-side view of the switch-over: source STOP to destination RESUME.
        stop, resume = src.event_time("STOP", t0), None
        if status == "completed":
            deadline = time.monotonic() + 15
            while time.monotonic() < deadline:
                resume = dst.event_time("RESUME", t0)
                if resume and dst.cmd("query-status").get("status") == "running":
                    break
                time.sleep(0.05)
        rec["switchover_host_ms"] = {
            "src_stop": round((stop - t0) * 1000) if stop else None,
            "dst_resume": round((resume - t0) * 1000) if resume else None,
            "stop_to_resume": round((resume - stop) * 1000, 1) if stop and resume else None}

        # Is the destination guest alive: running, answering, memory intact, no panic on its console.
        alive = {"status": None, "pong": False, "verify": None, "panic": False}
        if status == "completed":
            alive["status"] = dst.cmd("query-status").get("status")
            alive["pong"] = dctl.ask("ping", "pong", 15) is not None
            if g["region_mib"]:
                v = dctl.ask("verify", "verify", 60)
                alive["verify"] = v[1] if v else None
            if io:
                rec["io_after"] = reader_series(dctl.reader.lines, run_io(dctl, io["read_mib"], io["after_s"]))
            t_end = time.monotonic()
            rec["guest_write_rate_after"] = guest_write_rate(dctl.reader.lines, t0, t_end)
        # The writer's own rate through the migration, source then destination: [ms since migrate, pages/s].
        rec["guest_write_series"] = [[round((t - t0) * 1000), int(l.split()[3])]
                                     for r in (sctl.reader, dctl.reader) for t, l in list(r.lines)
                                     if l and l.startswith("wr ") and t >= t0 - 1]
        if cancelled is not None:
            # After a cancel the guest must go on running on the source.
            v = sctl.ask("verify", "verify", 60) if g["region_mib"] else None
            rec["source_after_cancel"] = {"status": src.cmd("query-status").get("status"),
                                          "pong": sctl.ask("ping", "pong", 15) is not None,
                                          "verify": v[1] if v else None}
        console = open(f"{run_dir}/dst-console.log", errors="replace").read()
        alive["panic"] = bool(re.search(r"Kernel panic|BUG:|Oops", console))
        rec["destination"] = alive
        rec["destination_alive"] = bool(alive["status"] == "running" and alive["pong"] and not alive["panic"]
                                        and (alive["verify"] is None or alive["verify"].startswith("verify ok")))
    except (Exception, KeyboardInterrupt) as e:  # noqa: BLE001 - the record says what went wrong
        rec["errors"].append(f"{type(e).__name__}: {e}")
        if isinstance(e, KeyboardInterrupt):
            raise
    finally:
        for c in conns:
            c.close()
        for p in procs:  # always: kill both QEMUs
            try:
                os.killpg(p.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            p.wait()
        rec["host"]["loadavg_after"] = loadavg()
        for side in ("src", "dst"):
            try:
                tail = open(f"{run_dir}/{side}-qemu.log", errors="replace").read()[-2000:]
                if tail.strip():
                    rec.setdefault("qemu_stderr", {})[side] = tail
            except OSError:
                pass
        if not os.environ.get("TESTBED_KEEP_RUN_DIR"):
            subprocess.run(["rm", "-rf", run_dir])
        else:
            rec["run_dir"] = run_dir
    path = os.path.join(out_dir, name + ".json")
    write_record(rec, path)
    return rec, path


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build", default="build/testbed")
    ap.add_argument("--out", required=True)
    ap.add_argument("--case", required=True, help="case JSON file")
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--accel", default="tcg", help="tcg (default) or kvm")
    a = ap.parse_args()
    signal.signal(signal.SIGTERM, on_sigterm)
    signal.signal(signal.SIGINT, signal.default_int_handler)  # also when started in the background
    with open(a.case) as f:
        case = merge(DEFAULTS, json.load(f))
    os.makedirs(a.out, exist_ok=True)
    rec, path = run(case, os.path.abspath(a.build), a.out, a.repeat, a.accel)
    print(f"{path}: {rec['outcome']}, alive={rec.get('destination_alive')}, errors={rec['errors']}")
    return 0 if not rec["errors"] else 1


if __name__ == "__main__":
    sys.exit(main())

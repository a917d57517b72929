#!/usr/bin/env python3
"""Runs a command once and prints "cpu_s wall_s peak_KiB": its user + system CPU time and that of the
children it waited for (wait4's accounting, in microseconds, finer than GNU time's 10 ms), its wall time
and its peak resident memory. The command's output goes to /dev/null; a failure prints its stderr and
exits 1. Used by tests/perf/bench.sh."""
import os
import subprocess
import sys
import time

start = time.monotonic()
proc = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
err = proc.stderr.read()
_, status, usage = os.wait4(proc.pid, 0)
wall = time.monotonic() - start
if os.waitstatus_to_exitcode(status) != 0:
    sys.stderr.write(err.decode(errors="replace"))
    sys.exit(1)
print(f"{usage.ru_utime + usage.ru_stime:.6f} {wall:.6f} {usage.ru_maxrss}")

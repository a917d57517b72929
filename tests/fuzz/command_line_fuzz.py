#!/usr/bin/python3
"""Random command lines against the migsim binary (issue 13: "fuzzing covers the command line").

libFuzzer (scenario_loader_fuzz) covers what files and --set values hold; this covers what comes
before them: commands, options, their values and their order, drawn from a dictionary of real and
near-miss tokens with a fixed seed (so a failure repeats). Every command line must end with a
documented exit status (0-4), never a signal, never "internal error", never a hang past its time-out,
and with at most one line on stderr when it fails. Runs stay small (64 MiB guests, a short
wall-clock guard) and write only under a temporary folder.

Usage: command_line_fuzz.py MIGSIM SOURCE_DIR [COUNT] [SEED]
"""
import os
import random
import subprocess
import sys
import tempfile

migsim, src = sys.argv[1], sys.argv[2]
count = int(sys.argv[3]) if len(sys.argv) > 3 else 300
rng = random.Random(int(sys.argv[4]) if len(sys.argv) > 4 else 1)

commands = ["run", "validate", "policies", "sweep", "validate-suite", "import", "frobnicate", "", "--help",
            "--version", "-h"]
policies = ["precopy", "san-restore", "hybrid:precopy_rounds=1", "precopy:xbzrle=1,auto_converge=1",
            "postcopy:san_cache=1", "hybrid:precopy_rounds=0", "hybrid:bogus=1", "nope", ":", "precopy:",
            "precopy:=1", "precopy:xbzrle=2", "san-lazy:map_time_per_GiB=1s", "drop-cache:zero_page_detection=1"]
sets = ["/vm/memory=64MiB", "/vm/memory=0", "/vm/memory=1e30", "/workload/dirty/rate=1MBps",
        "/workload/dirty/rate=1e29", "/migration/policy=postcopy", "/migration/params/precopy_rounds=2",
        "/migration/downtime_limit=30ms", "/migration/downtime_limit=-1", "/name=../x", "/name=ok",
        "/nope=1", "=", "", "/", "/vm=1", "/migration/cap_final_copy=true", "/migration/switchover/resume_time=1s",
        "/workload/io/profile=none", "/vms/0/name=a", "/platform/lan/bandwidth=0"]
values = ["0", "1", "2", "-1", "1e308", "nan", "inf", "abc", "", "1:2", ":", "0:", "999999999999999999999",
          "\x01", "é", "--", "-"]


def scenario_files(tmp):
    files = [os.path.join(src, "scenarios", "default.json"), os.path.join(src, "scenarios", "paper", "webserver.json"),
             os.path.join(tmp, "missing.json"), tmp, "/dev/null"]
    bad = os.path.join(tmp, "bad.json")
    with open(bad, "w") as f:
        f.write('{"vm": {"memory": "64MiB"}, "vm": 1}')
    small = os.path.join(tmp, "small.json")
    with open(small, "w") as f:
        f.write('{"vm": {"memory": "64MiB"}, "workload": {"dirty": {"rate": "1MBps"}}}')
    return files + [bad, small]


def draw(tmp, files, n):
    args = [rng.choice(commands)]
    out = os.path.join(tmp, "out%d" % n)
    for _ in range(rng.randint(0, 6)):
        kind = rng.random()
        if kind < 0.25:
            args.append(rng.choice(files))
        elif kind < 0.45:
            args += ["--policy", rng.choice(policies)]
        elif kind < 0.65:
            args += ["--set", rng.choice(sets)]
        elif kind < 0.72:
            args += ["--out", rng.choice([out, os.path.join(tmp, "small.json"), os.path.join(tmp, "ro", "x"), ""])]
        elif kind < 0.8:
            args += [rng.choice(["--jobs", "--timeout", "--range", "--chunk", "--verbose", "--quiet"]), rng.choice(values)]
        elif kind < 0.9:
            args.append(rng.choice(["--bogus", "-x", "--set", "--policy", "--out", "plan", "run", "merge", "slurm", "qemu"]))
        else:
            args.append(rng.choice(values))
    if args[0] == "run":  # keep the simulations that do run small and short
        args += ["--set", "/vm/memory=64MiB", "--timeout", "20", "--quiet"]
        if "--out" not in args:
            args += ["--out", out]
    return args


def main():
    failures = 0
    statuses = {}
    with tempfile.TemporaryDirectory() as tmp:
        files = scenario_files(tmp)
        os.mkdir(os.path.join(tmp, "ro"), 0o500)
        for n in range(count):
            args = draw(tmp, files, n)
            try:
                p = subprocess.run([migsim] + args, cwd=tmp, capture_output=True, timeout=60,
                                   stdin=subprocess.DEVNULL)
            except subprocess.TimeoutExpired:
                print("FAILED (hang): migsim %r" % args)
                failures += 1
                continue
            statuses[p.returncode] = statuses.get(p.returncode, 0) + 1
            err = p.stderr.decode("utf-8", "replace")
            lines = [l for l in err.splitlines() if l and not l.startswith("migsim: warning:")]
            problem = None
            if p.returncode < 0:
                problem = "signal %d" % -p.returncode
            elif p.returncode not in (0, 1, 2, 3, 4):
                problem = "exit status %d" % p.returncode
            elif "internal error" in err:
                problem = "internal error"
            elif p.returncode != 0 and len(lines) > 1 and args[0] not in ("sweep", "validate-suite"):
                problem = "%d lines on stderr" % len(lines)
            elif p.returncode in (1, 2, 4) and lines and not lines[-1].startswith("migsim: error:"):
                problem = "message without the migsim: error: prefix"
            if problem:
                failures += 1
                print("FAILED (%s): migsim %r\n  %s" % (problem, args, err.strip()[:400]))
    spread = ", ".join("exit %d: %d" % (k, v) for k, v in sorted(statuses.items()))
    print("command_line_fuzz: %d command lines (%s), %d failed" % (count, spread, failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

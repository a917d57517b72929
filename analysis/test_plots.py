"""End-to-end tests of the analysis/ plotting scripts on synthetic migsim CSVs.

Writes small deterministic summary/timeseries CSVs (3 policies, 3
replications, a few parameter values) into a temporary directory, runs every
script as a subprocess and checks that each output is a readable, non-trivial
PNG (or PDF), and that bad input ends with exit status 2 and a message naming
the file and the missing column.

Run from the repository root with either of:
    /usr/bin/python3 -m unittest analysis/test_plots.py
    /usr/bin/python3 analysis/test_plots.py
Set MIGSIM_PLOT_OUTDIR=/some/dir to keep the rendered images for inspection.
"""

import csv
import itertools
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.image  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import migsim_csv  # noqa: E402

PYTHON = sys.executable
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"

POLICIES = ("precopy", "postcopy", "san-hybrid")
REPLICATIONS = 3
DIRTY_RATES = (25e6, 50e6, 100e6, 200e6, 400e6)  # bytes/s
LAN_BW = 1.25e9  # bytes/s (10 Gbit/s)
SAN_BWS = (0.3125e9, 0.625e9, 1.25e9, 2.5e9, 5e9)  # ratios 1/4 .. 4
MEMORY = 4 * 2 ** 30  # bytes
METRICS = ("total_time_s", "downtime_s", "lan_bytes", "san_bytes", "rounds",
           "io_penalty_s", "io_recovery_s")


# --------------------------------------------------------------------------
# synthetic data

def _fmt(value):
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return repr(float(value)) if isinstance(value, float) else str(value)


def write_csv(path, header, rows):
    with open(path, "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        for row in rows:
            w.writerow([_fmt(row.get(h)) for h in header])
    return path


def model_run(policy, dirty, san_bw, lan_bw, rng):
    """Plausible-looking metrics of one migration (deterministic given rng)."""
    noise = lambda: 1.0 + 0.04 * rng.standard_normal()  # noqa: E731
    load = min(dirty / lan_bw, 0.8)
    if policy == "precopy":
        rounds = 1 + int(round(8 * load))
        total = MEMORY / lan_bw / (1.0 - load) * noise()
        downtime = (0.02 + 0.6 * load ** 1.5) * noise()
        lan, san = MEMORY * (1.0 + 2.5 * load) * noise(), 0.05 * MEMORY * noise()
    elif policy == "postcopy":
        rounds = 1
        total = (MEMORY / lan_bw + 0.3 + 2.0 * load) * noise()
        downtime = 0.015 * noise()
        lan, san = MEMORY * 1.02 * noise(), 0.05 * MEMORY * noise()
    else:  # san-hybrid: restores from the SAN, fetches dirty pages over the LAN
        rounds = 2
        total = (MEMORY / (san_bw + 0.3 * lan_bw) + 0.5 + 3.0 * load) * noise()
        downtime = (0.03 + 0.2 * load) * noise()
        lan, san = MEMORY * (0.15 + load) * noise(), MEMORY * 0.95 * noise()
    return dict(total_time_s=total, downtime_s=downtime, lan_bytes=lan, san_bytes=san,
                rounds=rounds, io_penalty_s=0.1 * total * noise(),
                io_recovery_s=0.5 * noise())


def sweep_rows(param_values, rng, failures=True):
    """Rows of a merged sweep summary; param_values: list of {pointer: value}."""
    rows, run = [], 0
    for params in param_values:
        for policy in POLICIES:
            for rep in range(REPLICATIONS):
                dirty = params.get("/workload/dirty/rate", 100e6)
                san = params.get("/platform/san/bandwidth", 2.5e9)
                lan = params.get("/platform/lan/bandwidth", LAN_BW)
                row = dict(run_id=f"r{run:04d}", status="ok", scenario="baseline",
                           policy=policy, seed=1000 + rep, replication=rep, **params)
                row.update(model_run(policy, dirty, san, lan, rng))
                if policy == "postcopy" and rep == 0:
                    row["io_penalty_s"] = row["io_recovery_s"] = None  # empty io cells
                rows.append(row)
                run += 1
    if failures:  # two runs without a result: counted, not plotted
        for status in ("failed", "timeout"):
            rows.append(dict(run_id=f"r{run:04d}", status=status, scenario="baseline",
                             policy="precopy", seed=2000 + run, replication=REPLICATIONS,
                             **param_values[-1]))
            run += 1
        # two migrations that stopped at the round limit: they have values and are drawn
        for rep in range(2):
            row = dict(run_id=f"r{run:04d}", status="round_limit", scenario="baseline",
                       policy="precopy", seed=3000 + rep, replication=REPLICATIONS + 1 + rep,
                       **param_values[-1])
            row.update(model_run("precopy", 100e6, 2.5e9, LAN_BW, rng))
            rows.append(row)
            run += 1
    return rows


def dirty_rate_summary(path, replications=REPLICATIONS):
    rng = np.random.default_rng(1)
    rows = sweep_rows([{"/workload/dirty/rate": d} for d in DIRTY_RATES], rng)
    rows = [r for r in rows if r["replication"] < replications or r["status"] != "ok"]
    header = ["run_id", "status", "scenario", "policy", "seed", "replication",
              "/workload/dirty/rate", *METRICS]
    return write_csv(path, header, rows)


def bandwidth_summary(path, drop=None):
    rng = np.random.default_rng(2)
    grid = [{"/platform/san/bandwidth": s, "/platform/lan/bandwidth": LAN_BW} for s in SAN_BWS]
    # A second LAN speed with the same ratio as one point above: pooled by ratio.
    grid.append({"/platform/san/bandwidth": 5e9, "/platform/lan/bandwidth": 2.5e9})
    rows = sweep_rows(grid, rng)
    header = ["run_id", "status", "scenario", "policy", "seed", "replication",
              "/platform/san/bandwidth", "/platform/lan/bandwidth", *METRICS]
    if drop:
        header.remove(drop)
    return write_csv(path, header, rows)


def timeseries_files(ts_path, summary_path, seeds=(1,), with_run_id=False):
    """Timeseries of one run per (policy, seed) and the matching summary."""
    rng = np.random.default_rng(3)
    start = 10.0
    durations = {"precopy": 42.0, "postcopy": 31.0, "san-hybrid": 18.0}
    ts_rows, sum_rows, run = [], [], 0
    for seed in seeds:
        for policy in POLICIES:
            run_id = f"r{run:04d}"
            end = start + durations[policy] + seed
            for t in np.arange(0.0, 80.0, 0.5):
                during = start <= t < end
                if policy == "postcopy" and during:
                    recovering = min(1.0, (t - start) / (end - start))
                    hit, io = 0.2 + 0.6 * recovering, 60e6 + 120e6 * recovering
                elif during:
                    hit, io = (0.85, 150e6) if policy == "precopy" else (0.7, 120e6)
                else:
                    hit, io = 0.93, 200e6
                row = dict(policy=policy, seed=seed, time_s=float(t),
                           lan_Bps=1.1e9 if during else 0.0,
                           san_restore_Bps=8e8 if (during and policy == "san-hybrid") else 0.0,
                           san_guest_Bps=io * (1 - hit), dirty_pages=int(5000 * rng.random()),
                           io_Bps=io * (1.0 + 0.05 * rng.standard_normal()),
                           cache_hit_ratio=min(1.0, hit + 0.02 * rng.standard_normal()))
                if with_run_id:
                    row["run_id"] = run_id
                ts_rows.append(row)
            s = dict(run_id=run_id, scenario="baseline", policy=policy, seed=seed, status="ok",
                     migration_start_s=start, total_time_s=end - start)
            s.update({k: v for k, v in model_run(policy, 100e6, 2.5e9, LAN_BW, rng).items()
                      if k != "total_time_s"})
            sum_rows.append(s)
            run += 1
    ts_header = (["run_id"] if with_run_id else []) + [
        "policy", "seed", "time_s", "lan_Bps", "san_restore_Bps", "san_guest_Bps",
        "dirty_pages", "io_Bps", "cache_hit_ratio"]
    sum_header = (["run_id"] if with_run_id else []) + [
        "scenario", "policy", "seed", "status", "migration_start_s", *METRICS]
    write_csv(ts_path, ts_header, ts_rows)
    write_csv(summary_path, sum_header, sum_rows)
    return ts_path, summary_path


def drop_column(src, dst, column):
    """Copy a CSV without one column."""
    with open(src, newline="") as fh:
        rows = list(csv.reader(fh))
    idx = rows[0].index(column)
    with open(dst, "w", newline="") as fh:
        csv.writer(fh).writerows([r[:idx] + r[idx + 1:] for r in rows])
    return dst


# --------------------------------------------------------------------------
# tests

class ScriptTestBase(unittest.TestCase):
    """Synthetic inputs in a temporary folder and helpers to run the scripts (no tests)."""

    @classmethod
    def setUpClass(cls):
        cls._tmp = tempfile.TemporaryDirectory(prefix="migsim-plots-")
        cls.tmp = Path(cls._tmp.name)
        keep = os.environ.get("MIGSIM_PLOT_OUTDIR")
        cls.out = Path(keep) if keep else cls.tmp / "out"
        cls.out.mkdir(parents=True, exist_ok=True)
        cls.dirty = dirty_rate_summary(cls.tmp / "dirty_summary.csv")
        cls.dirty1 = dirty_rate_summary(cls.tmp / "dirty_summary_1rep.csv", replications=1)
        cls.bw = bandwidth_summary(cls.tmp / "bw_summary.csv")
        cls.ts, cls.ts_summary = timeseries_files(cls.tmp / "timeseries.csv",
                                                  cls.tmp / "run_summary.csv")
        cls.ts_merged, cls.ts_merged_summary = timeseries_files(
            cls.tmp / "timeseries_merged.csv", cls.tmp / "merged_summary.csv",
            seeds=(1, 2), with_run_id=True)

    @classmethod
    def tearDownClass(cls):
        cls._tmp.cleanup()

    def run_script(self, script, *args):
        return subprocess.run([PYTHON, str(HERE / script), *map(str, args)],
                              capture_output=True, text=True, timeout=120)

    def assert_ok(self, proc):
        self.assertEqual(proc.returncode, 0, f"stdout:\n{proc.stdout}\nstderr:\n{proc.stderr}")

    def assert_valid_png(self, path):
        path = Path(path)
        self.assertTrue(path.is_file(), f"{path} was not written")
        data = path.read_bytes()
        self.assertEqual(data[:8], PNG_MAGIC, f"{path} is not a PNG")
        self.assertGreater(len(data), 10_000, f"{path} is suspiciously small")
        img = matplotlib.image.imread(str(path))
        self.assertEqual(img.ndim, 3)
        self.assertGreater(img.shape[0], 100)
        self.assertGreater(img.shape[1], 100)
        self.assertGreater(float(np.std(img[..., :3])), 0.01, f"{path} is blank")

    def assert_bad_input(self, proc, path, column):
        self.assertEqual(proc.returncode, 2, f"stderr:\n{proc.stderr}")
        self.assertIn(str(path), proc.stderr)
        self.assertIn(column, proc.stderr)
        self.assertNotIn("Traceback", proc.stderr)



class PlotScriptsTest(ScriptTestBase):

    # -- plot_time_vs_param.py ----------------------------------------------

    def test_time_vs_param(self):
        out = self.out / "time_vs_dirty_rate.png"
        proc = self.run_script("plot_time_vs_param.py", self.dirty, "--out", out)
        self.assert_ok(proc)
        self.assert_valid_png(out)

    def test_time_vs_param_pdf_writes_pdf_and_png(self):
        out = self.out / "time_vs_dirty_rate_pdf.pdf"
        proc = self.run_script("plot_time_vs_param.py", self.dirty, "--x",
                               "/workload/dirty/rate", "--metrics", "total_time_s",
                               "downtime_s", "rounds", "--logx", "--out", out)
        self.assert_ok(proc)
        self.assertEqual(out.read_bytes()[:5], b"%PDF-")
        self.assert_valid_png(out.with_suffix(".png"))

    def test_time_vs_param_single_replication(self):
        out = self.out / "time_vs_dirty_rate_1rep.png"
        proc = self.run_script("plot_time_vs_param.py", self.dirty1, "--out", out)
        self.assert_ok(proc)
        self.assert_valid_png(out)

    def test_time_vs_param_missing_metric_column(self):
        bad = drop_column(self.dirty, self.tmp / "no_downtime.csv", "downtime_s")
        proc = self.run_script("plot_time_vs_param.py", bad, "--out", self.tmp / "x.png")
        self.assert_bad_input(proc, bad, "downtime_s")

    def test_time_vs_param_missing_x_column(self):
        proc = self.run_script("plot_time_vs_param.py", self.dirty, "--x",
                               "/platform/lan/latency", "--out", self.tmp / "x.png")
        self.assert_bad_input(proc, self.dirty, "/platform/lan/latency")

    # -- plot_bytes_per_policy.py -------------------------------------------

    def test_bytes_per_policy(self):
        out = self.out / "bytes_per_policy.png"
        proc = self.run_script("plot_bytes_per_policy.py", self.dirty, "--out", out)
        self.assert_ok(proc)
        self.assert_valid_png(out)

    def test_bytes_per_policy_single_run_summary(self):
        out = self.out / "bytes_per_policy_single_run.png"
        proc = self.run_script("plot_bytes_per_policy.py", self.ts_summary, "--out", out)
        self.assert_ok(proc)
        self.assert_valid_png(out)

    def test_bytes_per_policy_missing_column(self):
        bad = drop_column(self.dirty, self.tmp / "no_san.csv", "san_bytes")
        proc = self.run_script("plot_bytes_per_policy.py", bad, "--out", self.tmp / "x.png")
        self.assert_bad_input(proc, bad, "san_bytes")

    # -- plot_io_timeseries.py ----------------------------------------------

    def test_io_timeseries_with_summary(self):
        out = self.out / "io_timeseries.png"
        # The synthetic time axis is absolute simulated time (migration from 10 s on).
        proc = self.run_script("plot_io_timeseries.py", self.ts, "--summary",
                               self.ts_summary, "--absolute-time", "--out", out)
        self.assert_ok(proc)
        self.assert_valid_png(out)

    def test_io_timeseries_without_summary(self):
        out = self.out / "io_timeseries_nosummary.png"
        proc = self.run_script("plot_io_timeseries.py", self.ts, "--out", out)
        self.assert_ok(proc)
        self.assert_valid_png(out)

    def test_io_timeseries_merged_runs(self):
        out = self.out / "io_timeseries_merged_seed2.png"
        proc = self.run_script("plot_io_timeseries.py", self.ts_merged, "--summary",
                               self.ts_merged_summary, "--seed", "2", "--smooth", "2",
                               "--out", out)
        self.assert_ok(proc)
        self.assert_valid_png(out)

    def test_io_timeseries_missing_column(self):
        bad = drop_column(self.ts, self.tmp / "no_hit.csv", "cache_hit_ratio")
        proc = self.run_script("plot_io_timeseries.py", bad, "--out", self.tmp / "x.png")
        self.assert_bad_input(proc, bad, "cache_hit_ratio")

    def test_io_timeseries_summary_missing_column(self):
        bad = drop_column(self.ts_summary, self.tmp / "no_total.csv", "total_time_s")
        proc = self.run_script("plot_io_timeseries.py", self.ts, "--summary", bad,
                               "--out", self.tmp / "x.png")
        self.assert_bad_input(proc, bad, "total_time_s")

    # -- plot_time_vs_bandwidth_ratio.py ------------------------------------

    def test_time_vs_bandwidth_ratio(self):
        out = self.out / "time_vs_bw_ratio.png"
        proc = self.run_script("plot_time_vs_bandwidth_ratio.py", self.bw, "--out", out)
        self.assert_ok(proc)
        self.assert_valid_png(out)

    def test_time_vs_bandwidth_ratio_missing_bandwidth(self):
        for column in ("/platform/lan/bandwidth", "/platform/san/bandwidth"):
            with self.subTest(column=column):
                bad = bandwidth_summary(self.tmp / "bw_missing.csv", drop=column)
                proc = self.run_script("plot_time_vs_bandwidth_ratio.py", bad,
                                       "--out", self.tmp / "x.png")
                self.assert_bad_input(proc, bad, column)

    # -- common behaviour ----------------------------------------------------

    def test_help(self):
        for script in ("plot_time_vs_param.py", "plot_bytes_per_policy.py",
                       "plot_io_timeseries.py", "plot_time_vs_bandwidth_ratio.py",
                       "plot_reduction.py", "strategy_table.py"):
            with self.subTest(script=script):
                proc = self.run_script(script, "--help")
                self.assert_ok(proc)
                self.assertIn("--out", proc.stdout)

    def test_missing_file_and_bad_extension(self):
        missing = self.tmp / "does_not_exist.csv"
        proc = self.run_script("plot_bytes_per_policy.py", missing, "--out", self.tmp / "x.png")
        self.assertEqual(proc.returncode, 2)
        self.assertIn(str(missing), proc.stderr)
        proc = self.run_script("plot_bytes_per_policy.py", self.dirty, "--out",
                               self.tmp / "x.jpg")
        self.assertEqual(proc.returncode, 2)
        self.assertIn("x.jpg", proc.stderr)

    def assert_one_line(self, proc, status, text):
        self.assertEqual(proc.returncode, status, f"stderr:\n{proc.stderr}")
        lines = [ln for ln in proc.stderr.splitlines() if not ln.startswith("Matplotlib created")]
        self.assertEqual(len(lines), 1, proc.stderr)
        self.assertIn(text, lines[0])
        self.assertNotIn("Traceback", proc.stderr)

    def test_hostile_files_and_options_are_one_line(self):
        """Every script's entry (migsim_csv.script_main): one line on stderr, status 2 or 4."""
        scripts = ("plot_time_vs_param.py", "plot_bytes_per_policy.py",
                   "plot_time_vs_bandwidth_ratio.py", "plot_reduction.py")
        for script in scripts:
            with self.subTest(script=script, case="--dpi -5"):
                proc = self.run_script(script, self.dirty, "--out", self.tmp / "x.png", "--dpi", "-5")
                self.assert_one_line(proc, 2, "--dpi: expected a whole number from 1 to 2400")
            with self.subTest(script=script, case="unknown option"):
                proc = self.run_script(script, self.dirty, "--out", self.tmp / "x.png", "--bogus")
                self.assert_one_line(proc, 2, "unrecognized arguments: --bogus")
        a_file = self.tmp / "a_file"
        a_file.write_text("")
        proc = self.run_script("plot_bytes_per_policy.py", self.dirty, "--out", a_file / "x.png")
        self.assert_one_line(proc, 4, "cannot write the figure (it is a file, not a folder)")
        proc = self.run_script("strategy_table.py", self.dirty, "--out", a_file / "t.md")
        self.assertIn(proc.returncode, (2, 4), proc.stderr)
        self.assertNotIn("Traceback", proc.stderr)
        big = self.tmp / "huge_summary.csv"
        big.write_bytes(Path(self.dirty).read_bytes())
        os.truncate(big, migsim_csv.MAX_INPUT_BYTES + 1)  # sparse: no disk used, and refused before reading
        proc = self.run_script("plot_bytes_per_policy.py", big, "--out", self.tmp / "x.png")
        self.assert_one_line(proc, 2, f"at most {migsim_csv.MAX_INPUT_BYTES}")
        big.unlink()

    @unittest.skipIf(os.geteuid() == 0 and not shutil.which("setpriv"), "root reads and writes anything")
    def test_unreadable_csv_and_read_only_folder(self):
        # As root, permissions hold only for another user: the scripts then run as nobody.
        drop = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"] if os.geteuid() == 0 else []
        self.tmp.chmod(0o755)
        locked = self.tmp / "locked.csv"
        locked.write_bytes(Path(self.dirty).read_bytes())
        locked.chmod(0)
        read_only = self.tmp / "read_only"
        read_only.mkdir()
        read_only.chmod(0o555)
        for summary, out, status, text in (
                (locked, self.tmp / "x.png", 2, "cannot read the file (Permission denied)"),
                (self.dirty, read_only / "x.png", 4, "cannot write the figure (Permission denied)")):
            proc = subprocess.run([*drop, PYTHON, str(HERE / "plot_bytes_per_policy.py"), str(summary),
                                   "--out", str(out)], capture_output=True, text=True, timeout=120,
                                  env={**os.environ, "MPLCONFIGDIR": str(self.tmp / "mpl")})
            self.assert_one_line(proc, status, text)

    def test_too_many_series_is_refused(self):
        with open(self.dirty) as fh:
            rows = list(csv.reader(fh))
        policy = rows[0].index("policy")
        many = self.tmp / "many_policies.csv"
        with open(many, "w", newline="") as fh:
            out = csv.writer(fh)
            out.writerow(rows[0])
            for i in range(migsim_csv.MAX_SERIES + 1):
                for row in rows[1:3]:
                    out.writerow(row[:policy] + [f"policy-{i}"] + row[policy + 1:])
        for script in ("plot_bytes_per_policy.py", "plot_time_vs_param.py"):
            with self.subTest(script=script):
                proc = self.run_script(script, many, "--out", self.tmp / "x.png")
                self.assert_one_line(proc, 2, f"at most {migsim_csv.MAX_SERIES} can be told apart")

    def test_non_numeric_value(self):
        bad = self.tmp / "text_in_metric.csv"
        text = Path(self.dirty).read_text().splitlines()
        fields = text[1].split(",")
        fields[-7] = "fast"  # total_time_s of the first data row
        bad.write_text("\n".join([text[0], ",".join(fields), *text[2:]]) + "\n")
        proc = self.run_script("plot_time_vs_param.py", bad, "--out", self.tmp / "x.png")
        self.assert_bad_input(proc, bad, "total_time_s")


def write_plan(summary_path, written):
    """A plan.json next to a summary, with the values as a sweep file wrote them."""
    runs = [{"run_id": i, "values": list(combo)}
            for i, combo in enumerate(itertools.product(*written.values()))]
    (Path(summary_path).parent / "plan.json").write_text(
        json.dumps({"format": "migsim-sweep-plan-1", "parameters": list(written), "runs": runs}))


def grid_summary(path):
    """Dirty rate x SAN bandwidth both varying (plus a plan.json): must be faceted, not pooled."""
    rng = np.random.default_rng(4)
    grid = [{"/workload/dirty/rate": d, "/platform/san/bandwidth": b}
            for d in DIRTY_RATES[:3] for b in (1.25e8, 1e9)]
    rows = sweep_rows(grid, rng)
    header = ["run_id", "status", "scenario", "policy", "seed", "replication",
              "/workload/dirty/rate", "/platform/san/bandwidth", *METRICS]
    write_csv(path, header, rows)
    write_plan(path, {"/workload/dirty/rate": ["25MBps", "50MBps", "100MBps"],
                      "/platform/san/bandwidth": ["1Gbps", "8Gbps"]})
    return path


VARIANTS = ("hybrid", "hybrid:precopy_rounds=1", "precopy", "precopy[auto_converge=1]")


def variant_summary(path):
    """Policy variants as opaque labels; hybrid:precopy_rounds=1 is made the fastest."""
    rows, run = [], 0
    for dirty in (10e6, 40e6):
        for i, policy in enumerate(VARIANTS):
            for rep in range(2):
                total = 20.0 + i + 0.1 * rep if policy != "hybrid:precopy_rounds=1" else 5.0
                rows.append(dict(run_id=run, status="ok", scenario="s", policy=policy,
                                 seed=rep + 1, replication=rep, **{
                                     "/workload/dirty/rate": dirty,
                                     "/platform/san/bandwidth": 1e9},
                                 # the hybrid family ties on downtime
                                 total_time_s=total,
                                 downtime_s=0.0 if policy.startswith("hybrid") else 0.1 + 0.01 * i,
                                 io_penalty_s=1.0 + i, lan_bytes=1e9, san_bytes=0.0,
                                 rounds=3))
                run += 1
    header = ["run_id", "status", "scenario", "policy", "seed", "replication",
              "/workload/dirty/rate", "/platform/san/bandwidth", "total_time_s",
              "downtime_s", "io_penalty_s", "lan_bytes", "san_bytes", "rounds"]
    return write_csv(path, header, rows)


REDUCTION_FACTORS = {"precopy": 1.0, "san-restore": 0.8, "san-adaptive": 0.6}


def reduction_summary(path):
    """san-adaptive takes 0.6 and san-restore 0.8 of pre-copy's time in every run: the
    reductions are 40 % vs precopy and 25 % vs san-restore. One san-adaptive run ends
    byte_limit."""
    rng = np.random.default_rng(5)
    rows, run = [], 0
    for dirty, clean, san in itertools.product((5e6, 40e6), (0.3, 0.6, 0.9), (6.25e7, 5e8)):
        for rep in range(2):
            base = 30.0 + 20 * clean + 5 * rng.random()
            for policy, factor in REDUCTION_FACTORS.items():
                status = "ok"
                if policy == "san-adaptive" and (dirty, clean, san, rep) == (40e6, 0.9, 5e8, 1):
                    status = "byte_limit"
                rows.append(dict(run_id=run, status=status, scenario="default", policy=policy,
                                 seed=100 + rep, replication=rep, **{
                                     "/workload/dirty/rate": dirty, "/vm/page_cache/clean": clean,
                                     "/platform/san/bandwidth": san,
                                     "/platform/lan/bandwidth": 1.25e8},
                                 total_time_s=base * factor, downtime_s=0.2))
                run += 1
    header = ["run_id", "status", "scenario", "policy", "seed", "replication",
              "/workload/dirty/rate", "/vm/page_cache/clean", "/platform/san/bandwidth",
              "/platform/lan/bandwidth", "total_time_s", "downtime_s"]
    write_csv(path, header, rows)
    write_plan(path, {"/workload/dirty/rate": ["5MBps", "40MBps"],
                      "/vm/page_cache/clean": [0.3, 0.6, 0.9],
                      "/platform/san/bandwidth": ["500Mbps", "4Gbps"],
                      "/platform/lan/bandwidth": ["1Gbps"]})
    return path


def png_size(path):
    """(width, height) in pixels, from the PNG header."""
    data = Path(path).read_bytes()[16:24]
    return int.from_bytes(data[:4], "big"), int.from_bytes(data[4:], "big")


class FacetsStatusVariantsTest(ScriptTestBase):
    """Faceting instead of pooling, not-ok runs drawn, policy variants, titles, sizes, units."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        (cls.tmp / "grid").mkdir()
        (cls.tmp / "reduction").mkdir()
        cls.grid = grid_summary(cls.tmp / "grid" / "summary.csv")
        cls.variants = variant_summary(cls.tmp / "variants.csv")
        cls.reduction = reduction_summary(cls.tmp / "reduction" / "summary.csv")

    def notes(self, proc):
        return [ln[len("note: "):] for ln in proc.stdout.splitlines() if ln.startswith("note: ")]

    def test_second_parameter_is_a_facet_not_pooled(self):
        out = self.out / "grid_faceted.png"
        proc = self.run_script("plot_time_vs_param.py", self.grid, "--no-footnote", "--out", out)
        self.assert_ok(proc)
        self.assert_valid_png(out)
        notes = " ".join(self.notes(proc))
        self.assertIn("columns: /platform/san/bandwidth", notes)
        # each point is one (policy, dirty rate, SAN) cell: 3 replications, not 3 x 2 pooled
        self.assertIn(f"n = {REPLICATIONS} per point", notes)
        self.assertNotIn("Pooled", proc.stderr + notes)

    def test_bandwidth_ratio_lan_speeds_are_separate_lines(self):
        proc = self.run_script("plot_time_vs_bandwidth_ratio.py", self.bw, "--no-footnote",
                               "--out", self.tmp / "bw_lines.png")
        self.assert_ok(proc)
        self.assertIn("one line per value of /platform/lan/bandwidth", " ".join(self.notes(proc)))

    def test_not_ok_runs_are_drawn_and_counted(self):
        proc = self.run_script("plot_time_vs_param.py", self.dirty, "--no-footnote",
                               "--out", self.tmp / "status.png")
        self.assert_ok(proc)
        notes = " ".join(self.notes(proc))
        self.assertIn("round_limit: 2", notes)
        self.assertIn("drawn as separate markers", notes)
        self.assertIn("failed: 1", notes)  # no value: counted only
        df = migsim_csv.read_csv(self.dirty, numeric=["total_time_s"])
        ok, bad, _ = migsim_csv.split_by_status(df, "total_time_s")
        self.assertEqual(sorted(set(bad["status"])), ["round_limit"])
        self.assertTrue((ok["status"] == "ok").all())

    def test_title_footnote_and_size_presets(self):
        sizes = {}
        for name, extra in (("default", []), ("no_title", ["--title", ""]),
                            ("no_footnote", ["--no-footnote"]),
                            ("one_column", ["--size", "one-column", "--dpi", "100"]),
                            ("two_column", ["--size", "two-column", "--dpi", "100"])):
            out = self.out / f"preset_{name}.png"
            proc = self.run_script("plot_time_vs_param.py", self.dirty, *extra, "--out", out)
            self.assert_ok(proc)
            self.assert_valid_png(out)
            self.assertEqual(out.with_suffix(".pdf").read_bytes()[:5], b"%PDF-")
            sizes[name] = png_size(out)
        self.assertLess(sizes["no_title"][1], sizes["default"][1])
        self.assertLess(sizes["no_footnote"][1], sizes["default"][1])
        self.assertEqual(sizes["one_column"][0], 350)  # 3.5 in at 100 dpi, exactly
        self.assertEqual(sizes["two_column"][0], 700)

    def test_where_with_units(self):
        for value in ("100MBps", "0.1GBps", "800Mbps", "1e8"):
            with self.subTest(value=value):
                proc = self.run_script("plot_bytes_per_policy.py", self.dirty, "--where",
                                       f"/workload/dirty/rate={value}", "--no-footnote",
                                       "--out", self.tmp / "where.png")
                self.assert_ok(proc)
                self.assertIn("Rows selected by", proc.stdout)
        proc = self.run_script("plot_bytes_per_policy.py", self.dirty, "--where",
                               "/workload/dirty/rate=100XBps", "--out", self.tmp / "where.png")
        self.assert_bad_input(proc, self.dirty, "XBps")

    def test_bars_facet_by_varying_parameters(self):
        out = self.out / "bytes_grid.png"
        proc = self.run_script("plot_bytes_per_policy.py", self.grid, "--no-footnote",
                               "--out", out)
        self.assert_ok(proc)
        self.assert_valid_png(out)
        panels = [n for n in self.notes(proc) if n.startswith("Panels:")]
        self.assertEqual(len(panels), 1)
        for column in ("/platform/san/bandwidth", "/workload/dirty/rate"):
            self.assertIn(column, panels[0])
        self.assertIn("n = 3 per bar", " ".join(self.notes(proc)))

    def test_policy_variants_are_told_apart(self):
        df = migsim_csv.read_csv(self.variants)
        self.assertEqual(sorted(set(df["policy"])), sorted(VARIANTS))  # labels kept verbatim
        styles = migsim_csv.label_styles(df["policy"])
        pairs = {(tuple(st["color"]), st["marker"]) for st in styles.values()}
        self.assertEqual(len(pairs), len(VARIANTS))
        many = migsim_csv.label_styles([f"p{i}" for i in range(25)])
        self.assertEqual(len({(tuple(s["color"]), s["marker"]) for s in many.values()}), 25)
        out = self.out / "variants.png"
        self.assert_ok(self.run_script("plot_time_vs_param.py", self.variants, "--out", out))
        self.assert_valid_png(out)

    def test_strategy_table_variants_and_facets(self):
        out = self.tmp / "variants.md"
        self.assert_ok(self.run_script("strategy_table.py", self.variants, "--out", out))
        lines = out.read_text().splitlines()
        body = [ln for ln in lines if ln.startswith("| ") and "MB/s" in ln]
        self.assertEqual(len(body), 2)  # one line per dirty rate
        for ln in body:
            self.assertIn("| hybrid:precopy_rounds=1 (5.0 s) |", ln)
            self.assertIn("| hybrid, hybrid:precopy_rounds=1 (0 ms) |", ln)
        # A third varying parameter becomes a table column, never pooled.
        out = self.tmp / "grid.md"
        self.assert_ok(self.run_script("strategy_table.py", self.grid, "--rows",
                                       "/workload/dirty/rate", "--columns",
                                       "/platform/san/bandwidth", "--out", out))
        text = out.read_text()
        self.assertIn("| Dirty rate | SAN bandwidth |", text)
        self.assertIn("8 Gbit/s", text)  # the unit the sweep file was written in
        self.assertIn("round_limit", text)

    def test_reduction_pairs_runs(self):
        sys.path.insert(0, str(HERE))
        import plot_reduction
        df = migsim_csv.read_csv(self.reduction, numeric=["total_time_s",
                                                          "/vm/page_cache/clean"])
        pairs, keys = plot_reduction.pair_runs(df, "san-adaptive", ["precopy", "san-restore"],
                                               "total_time_s", self.reduction)
        self.assertIn("replication", keys)
        self.assertEqual(len(pairs), 2 * 2 * 3 * 2 * 2)
        for baseline, expected in (("vs precopy", 40.0), ("vs san-restore", 25.0)):
            got = pairs.loc[pairs["baseline"] == baseline, "reduction"].to_numpy()
            np.testing.assert_allclose(got, expected, rtol=1e-9)
        self.assertEqual((pairs["status"] == "byte_limit").sum(), 2)

    def test_reduction_figure(self):
        out = self.out / "reduction.png"
        proc = self.run_script("plot_reduction.py", self.reduction, "--no-footnote",
                               "--out", out)
        self.assert_ok(proc)
        self.assert_valid_png(out)
        notes = " ".join(self.notes(proc))
        self.assertIn("byte_limit: 2", notes)
        self.assertIn("columns: /workload/dirty/rate", notes)
        proc = self.run_script("plot_reduction.py", self.reduction, "--baselines", "nope",
                               "--out", self.tmp / "x.png")
        self.assert_bad_input(proc, self.reduction, "nope")


class UnitsAndStatisticsTest(unittest.TestCase):

    def test_parse_quantity_follows_units_cpp(self):
        pq = migsim_csv.parse_quantity
        self.assertEqual(pq("16Gbps"), (2e9, "rate", "Gbps"))
        self.assertEqual(pq("512MiB"), (512 * 2 ** 20, "size", "MiB"))
        self.assertAlmostEqual(pq("30ms")[0], 0.03)
        self.assertEqual(pq("1 GiB")[0], 2 ** 30)  # spaces before the suffix
        self.assertEqual(pq("125MB/s")[0], 125e6)
        self.assertEqual(pq("1.5e9"), (1.5e9, None, ""))
        for bad in ("16gbps", "4XB", "0x10", "GiB", "1GiBx"):
            with self.subTest(bad=bad), self.assertRaises(migsim_csv.UnitError):
                pq(bad)
        with self.assertRaises(migsim_csv.UnitError):
            pq("1Gbps", kind="size")  # a rate is not a size

    def test_axis_follows_the_sweep_unit(self):
        with tempfile.TemporaryDirectory() as tmp:
            summary = Path(tmp) / "summary.csv"
            summary.write_text("x\n")
            write_plan(summary, {"/platform/san/bandwidth": ["500Mbps", "1Gbps", "8Gbps"],
                                 "/workload/dirty/rate": ["5MBps"], "/vm/memory": ["512MiB"]})
            units = migsim_csv.sweep_units(summary)
        self.assertEqual(units["/platform/san/bandwidth"], "Gbps")  # the most common unit
        scale, label = migsim_csv.parameter_unit("/platform/san/bandwidth", [1e9], units)
        self.assertEqual(label, "Gbit/s")
        self.assertAlmostEqual(1e9 * scale, 8.0)
        self.assertEqual(migsim_csv.parameter_unit("/workload/dirty/rate", [5e6], units)[1],
                         "MB/s")
        self.assertEqual(migsim_csv.parameter_unit("/vm/memory", [2 ** 29], units)[1], "MiB")
        self.assertEqual(migsim_csv.format_value("/platform/san/bandwidth", 2.5e8, units),
                         "2 Gbit/s")

    def test_t_quantile_and_ci(self):
        self.assertAlmostEqual(migsim_csv.t_quantile(2), 4.302653, places=5)
        self.assertTrue(math.isnan(migsim_csv.t_quantile(0)))
        mean, half, n = migsim_csv.mean_ci([1.0, 2.0, 3.0])
        self.assertEqual((mean, n), (2.0, 3))
        self.assertAlmostEqual(half, 4.302653 / math.sqrt(3), places=5)
        mean, half, n = migsim_csv.mean_ci([5.0, float("nan")])
        self.assertEqual((mean, n), (5.0, 1))
        self.assertTrue(math.isnan(half))

    def test_aggregate_groups(self):
        df = pd.DataFrame({"k": ["a", "a", "b", "b", "b"], "v": [1.0, 3.0, 2.0, 2.0, 5.0]})
        out = migsim_csv.aggregate(df, ["k"], "v").set_index("k")
        self.assertEqual(out.loc["a", "mean"], 2.0)
        self.assertEqual(out.loc["b", "n"], 3)
        self.assertAlmostEqual(out.loc["b", "hi"] - out.loc["b", "mean"],
                               migsim_csv.t_quantile(2) * math.sqrt(3.0) / math.sqrt(3))


def render(module_name, *argv):
    """Runs a plotting script in this process and returns its figure, open, before it is closed."""
    import importlib
    module = importlib.import_module(module_name)
    figures, close = [], migsim_csv.plt.close
    migsim_csv.plt.close = lambda fig=None: figures.append(fig) if hasattr(fig, "axes") else close(fig)
    try:
        module.main([str(a) for a in argv])
    finally:
        migsim_csv.plt.close = close
    return figures[0]


def small_summary(path, pointer, values, metrics):
    """A sweep summary: policy x value x 2 replications; metrics(policy, value, rep) gives the metrics."""
    rows = []
    for policy in ("hybrid", "precopy", "san-restore"):
        for value in values:
            for rep in range(2):
                rows.append(dict(run_id=f"r{len(rows):04d}", status="ok", scenario="s", policy=policy,
                                 seed=rep + 1, replication=rep, **{pointer: value},
                                 **metrics(policy, value, rep)))
    header = ["run_id", "status", "scenario", "policy", "seed", "replication", pointer,
              "total_time_s", "downtime_s", "lan_bytes", "san_bytes"]
    return write_csv(path, header, rows)


def metrics_of(policy, value, rep):
    """hybrid runs exactly as precopy (the reviewer's case); san-restore differs; all grow with value."""
    base = {"hybrid": 1.0, "precopy": 1.0, "san-restore": 0.5}[policy] * value / 1e6
    return dict(total_time_s=base + 0.01 * rep, downtime_s=(0.3 if policy == "san-restore" else 0.1) + 0.001 * rep,
                lan_bytes=base * 2 ** 30, san_bytes=(policy == "san-restore") * base * 2 ** 30)


class FiguresAReviewerWouldQuestionTest(unittest.TestCase):
    """Clipped bars, a line hidden under another, a linear axis for log-spaced values."""

    @classmethod
    def setUpClass(cls):
        cls._tmp = tempfile.TemporaryDirectory(prefix="migsim-review-")
        cls.tmp = Path(cls._tmp.name)
        cls.log_rates = small_summary(cls.tmp / "log.csv", "/workload/dirty/rate", (1e6, 1e7, 1e8),
                                      metrics_of)
        cls.lin_rates = small_summary(cls.tmp / "lin.csv", "/workload/dirty/rate",
                                      (5e6, 10e6, 20e6, 40e6, 60e6, 80e6), metrics_of)

    @classmethod
    def tearDownClass(cls):
        cls._tmp.cleanup()

    def assert_nothing_above_the_top(self, fig):
        for ax in fig.axes:
            top = ax.get_ylim()[1]
            for container in ax.containers:
                for bar in getattr(container, "patches", []):
                    self.assertLessEqual(bar.get_y() + bar.get_height(), top * (1 + 1e-9))
            for line in ax.get_lines():
                ys = np.asarray(line.get_ydata(), dtype=float)
                if ys.size:
                    self.assertLessEqual(np.nanmax(ys), top * (1 + 1e-9))

    def test_a_taller_later_panel_is_not_cut_off(self):
        # Panels share y; a limit set while drawing the first one used to cut the later, taller ones.
        fig = render("plot_bytes_per_policy", self.log_rates, "--no-footnote", "--out", self.tmp / "b.png")
        self.assertEqual(len(fig.axes), 3)
        self.assert_nothing_above_the_top(fig)
        self.assertGreaterEqual(fig.axes[0].get_ylim()[1], 100)  # the 100 GiB bar of the last panel
        migsim_csv.plt.close(fig)
        fig = render("plot_time_vs_param", self.log_rates, "--col", "/workload/dirty/rate", "--x",
                     "/workload/dirty/rate", "--no-footnote", "--out", self.tmp / "t.png")
        self.assert_nothing_above_the_top(fig)
        migsim_csv.plt.close(fig)

    def test_a_value_above_the_top_is_written_there(self):
        fig, ax = migsim_csv.plt.subplots()
        ax.bar([0, 1], [1.0, 7.5])
        ax.plot([0, 1], [0.5, 9.25])
        ax.set_ylim(0, 2)
        self.assertEqual(migsim_csv.mark_clipped(fig), 2)
        texts = [t.get_text() for t in ax.texts]
        self.assertIn("\u2191 7.5", texts)
        self.assertIn("\u2191 9.25", texts)
        migsim_csv.plt.close(fig)

    def test_a_line_drawn_under_another_says_so_in_the_legend(self):
        for script, extra in (("plot_time_vs_param", []), ("plot_time_vs_param", ["--metrics", "total_time_s"])):
            fig = render(script, self.lin_rates, *extra, "--no-footnote", "--out", self.tmp / "c.png")
            labels = [t.get_text() for t in fig.legends[0].get_texts()]
            self.assertIn("hybrid (drawn under precopy)", labels)
            self.assertIn("precopy", labels)
            self.assertIn("san-restore", labels)
            migsim_csv.plt.close(fig)

    def test_log_spaced_values_get_a_log_axis(self):
        self.assertTrue(migsim_csv.log_spaced([1e6, 1e7, 1e8]))
        self.assertTrue(migsim_csv.log_spaced([0.5, 1, 2, 4, 8, 16]))
        self.assertFalse(migsim_csv.log_spaced([5, 10, 20, 40, 60, 80]))
        self.assertFalse(migsim_csv.log_spaced([1, 2, 3, 4]))
        self.assertFalse(migsim_csv.log_spaced([0, 1, 10, 100]))
        fig = render("plot_time_vs_param", self.log_rates, "--no-footnote", "--out", self.tmp / "l.png")
        self.assertTrue(all(ax.get_xscale() == "log" for ax in fig.axes))
        migsim_csv.plt.close(fig)
        fig = render("plot_time_vs_param", self.log_rates, "--linear-x", "--no-footnote",
                     "--out", self.tmp / "l.png")
        self.assertTrue(all(ax.get_xscale() == "linear" for ax in fig.axes))
        migsim_csv.plt.close(fig)
        fig = render("plot_time_vs_param", self.lin_rates, "--no-footnote", "--out", self.tmp / "l.png")
        self.assertTrue(all(ax.get_xscale() == "linear" for ax in fig.axes))
        migsim_csv.plt.close(fig)


# The Python API's tests run with this file (ctest analysis_plots runs only test_plots.py).
from test_migsim import FindBinaryTest, MigsimApiTest  # noqa: E402,F401


if __name__ == "__main__":
    unittest.main()

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
import math
import os
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.image  # noqa: E402
import numpy as np  # noqa: E402

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
    if failures:  # two runs that did not finish: counted, not plotted
        for status in ("failed", "timeout"):
            rows.append(dict(run_id=f"r{run:04d}", status=status, scenario="baseline",
                             policy="precopy", seed=2000 + run, replication=REPLICATIONS,
                             **param_values[-1]))
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

class PlotScriptsTest(unittest.TestCase):

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
                       "plot_io_timeseries.py", "plot_time_vs_bandwidth_ratio.py"):
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

    def test_non_numeric_value(self):
        bad = self.tmp / "text_in_metric.csv"
        text = Path(self.dirty).read_text().splitlines()
        fields = text[1].split(",")
        fields[-7] = "fast"  # total_time_s of the first data row
        bad.write_text("\n".join([text[0], ",".join(fields), *text[2:]]) + "\n")
        proc = self.run_script("plot_time_vs_param.py", bad, "--out", self.tmp / "x.png")
        self.assert_bad_input(proc, bad, "total_time_s")


class StatisticsTest(unittest.TestCase):

    def test_t_quantile(self):
        self.assertAlmostEqual(migsim_csv.t_quantile(2), 4.302653, places=4)
        self.assertAlmostEqual(migsim_csv.t_quantile(30), 2.042272, places=4)
        self.assertAlmostEqual(migsim_csv.t_quantile(1000), 1.962339, places=3)

    def test_mean_ci(self):
        mean, half, n = migsim_csv.mean_ci([1.0, 2.0, 3.0])
        self.assertEqual((mean, n), (2.0, 3))
        self.assertAlmostEqual(half, 4.302653 * 1.0 / math.sqrt(3), places=4)
        mean, half, n = migsim_csv.mean_ci([5.0, float("nan")])
        self.assertEqual((mean, n), (5.0, 1))
        self.assertTrue(math.isnan(half))

    def test_units(self):
        self.assertEqual(migsim_csv.parameter_unit("/workload/dirty/rate", [1e8])[1], "MB/s")
        self.assertEqual(migsim_csv.humanize_pointer("/platform/san/bandwidth"),
                         "SAN bandwidth")


if __name__ == "__main__":
    unittest.main()

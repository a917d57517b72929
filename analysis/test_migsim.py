"""Tests of analysis/migsim.py against the real migsim binary (skipped when it is missing).

test_plots.py imports these classes, so the ctest test ``analysis_plots`` runs them too.
Run alone: cd analysis && /usr/bin/python3 -m unittest test_migsim.py
"""

import os
import sys
import unittest
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import migsim  # noqa: E402

try:
    BINARY = migsim.find_binary()
except migsim.MigsimError:
    BINARY = None

# A small guest so that each simulation takes a fraction of a second.
SMALL = {"name": "py-small", "vm": {"memory": "256MiB"},
         "migration": {"start": "1s"}, "output": {"observe_after": "1s", "baseline_window": "500ms"}}


@unittest.skipIf(BINARY is None, "migsim binary not built (build/migsim, or set MIGSIM)")
class MigsimApiTest(unittest.TestCase):

    def test_run_dict_two_policies(self):
        res = migsim.run(SMALL, policies=["precopy", "san-adaptive"],
                         set={"/platform/lan/bandwidth": "2Gbps", "/vm/page_cache/clean": 0.5})
        s = res.summary
        self.assertEqual(list(s["policy"]), ["precopy", "san-adaptive"])
        self.assertTrue((s["scenario"] == "py-small").all())
        self.assertTrue((s["status"] == "ok").all())
        # --set with a unit reached the simulation: 2 Gbit/s is 250 MB/s.
        self.assertTrue((s["lan_bandwidth_Bps"] == 250_000_000).all())
        self.assertTrue((s["memory_bytes"] == 256 * 2 ** 20).all())
        # san-adaptive restores clean cache over the SAN, pre-copy does not.
        self.assertEqual(s.loc[s["policy"] == "precopy", "san_bytes"].item(), 0)
        self.assertGreater(s.loc[s["policy"] == "san-adaptive", "san_bytes"].item(), 0)
        # Each run's rounds.csv rows: live rounds plus the stop-and-copy round.
        for _, row in s.iterrows():
            n = (res.rounds["policy"] == row["policy"]).sum()
            self.assertEqual(n, row["rounds"] + 1)
        self.assertEqual(set(res.timeseries["policy"]), {"precopy", "san-adaptive"})
        self.assertIsNone(res.folder)  # read into memory, temporary folder removed
        self.assertEqual(len(res.meta["runs"]), 2)

    def test_run_path_keeps_out_folder(self):
        import tempfile
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / "kept"
            scenario = Path(tmp) / "small.json"
            scenario.write_text(__import__("json").dumps(SMALL))
            res = migsim.run(str(scenario), policies="stop-and-copy", out=out)
            self.assertTrue((out / "summary.csv").is_file())
            s = res.summary
            # stop-and-copy: the whole migration is downtime, with no live round.
            self.assertEqual(s["rounds"].item(), 0)
            self.assertAlmostEqual(s["downtime_s"].item(), s["total_time_s"].item(), places=6)

    def test_bad_input_raises_with_message_and_status(self):
        with self.assertRaises(migsim.MigsimError) as cm:
            migsim.run({"vm": {"memory": "4XB"}})
        err = cm.exception
        self.assertEqual(err.status, 2)
        self.assertIn("/vm/memory", err.message)
        self.assertIn("XB", err.message)
        self.assertIn("<scenario dict>", err.message)
        self.assertNotIn("\n", err.message)
        with self.assertRaises(migsim.MigsimError) as cm:
            migsim.run(SMALL, policies=["no-such-policy"])
        self.assertEqual(cm.exception.status, 2)
        self.assertIn("no-such-policy", cm.exception.message)

    def test_path_not_utf8_raises_migsim_error(self):
        # migsim echoes the path in its message; the bytes that are not UTF-8 must not break it.
        path = os.fsdecode(b"/nonexistent/\xff\xfe.json")
        with self.assertRaises(migsim.MigsimError) as caught:
            migsim.run(path)
        self.assertEqual(caught.exception.status, 2)
        self.assertIn("nonexistent", str(caught.exception))

    def test_sweep_dict(self):
        spec = {"name": "py-sweep", "base": SMALL,
                "grid": {"/workload/dirty/rate": ["5MBps", "20MBps"]},
                "policies": ["precopy", "san-restore"], "replications": 2}
        res = migsim.sweep(spec, jobs=2)
        s = res.summary
        self.assertEqual(len(s), 2 * 2 * 2)
        self.assertEqual(sorted(set(s["/workload/dirty/rate"])), [5e6, 20e6])
        self.assertEqual(set(s["policy"]), {"precopy", "san-restore"})
        self.assertEqual(sorted(set(s["replication"])), [0, 1])
        self.assertIn("run_id", res.timeseries.columns)
        self.assertEqual(res.meta["runs"], 8)

    def test_sweep_bad_value_raises(self):
        spec = {"base": SMALL, "grid": {"/workload/dirty/rate": ["5XBps"]}}
        with self.assertRaises(migsim.MigsimError) as cm:
            migsim.sweep(spec)
        self.assertEqual(cm.exception.status, 2)
        self.assertIn("XBps", cm.exception.message)


class FindBinaryTest(unittest.TestCase):

    def test_missing_binary_argument(self):
        with self.assertRaises(migsim.MigsimError) as cm:
            migsim.find_binary("/nonexistent/migsim")
        self.assertIn("/nonexistent/migsim", cm.exception.message)

    @unittest.skipIf(BINARY is None, "migsim binary not built")
    def test_environment_variable(self):
        old = os.environ.get("MIGSIM")
        os.environ["MIGSIM"] = BINARY
        try:
            self.assertEqual(migsim.find_binary(), str(Path(BINARY).resolve()))
        finally:
            if old is None:
                del os.environ["MIGSIM"]
            else:
                os.environ["MIGSIM"] = old


if __name__ == "__main__":
    unittest.main()

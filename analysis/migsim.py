"""Run migsim from Python and get its results as pandas DataFrames.

    import migsim
    res = migsim.run("scenarios/default.json", policies=["precopy", "san-adaptive"],
                     set={"/platform/san/bandwidth": "16Gbps"})
    res.summary[["policy", "total_time_s"]]
    sw = migsim.sweep({"base": "scenarios/default.json",
                       "grid": {"/workload/dirty/rate": ["5MBps", "40MBps"]},
                       "policies": ["precopy", "san-adaptive"]}, jobs=2)
    sw.summary.groupby(["policy", "/workload/dirty/rate"]).total_time_s.mean()

Needs only the standard library and pandas. The binary is the ``binary`` argument, else the
environment variable ``MIGSIM``, else ``build/migsim`` of the repository this file is in, else
``migsim`` on PATH. A failure raises :class:`MigsimError` with migsim's one-line message and its
exit status (2: bad input, 1: internal error or timeout, 3: some sweep runs failed).
"""

import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pandas as pd

__all__ = ["run", "sweep", "find_binary", "MigsimError", "Result"]

REPO = Path(__file__).resolve().parent.parent


class MigsimError(RuntimeError):
    """migsim failed: ``message`` is its last stderr line, ``status`` its exit status."""

    def __init__(self, message, status, stderr="", command=None):
        super().__init__(f"{message} (exit status {status})")
        self.message = message
        self.status = status
        self.stderr = stderr
        self.command = command


class Result:
    """The CSV files of a run or sweep folder, read on first use.

    ``summary``, ``rounds`` and ``timeseries`` are DataFrames; ``meta`` is run.json or sweep.json
    as a dict; ``folder`` is where the files are, or None when they were in a temporary folder
    (the call had no ``out=``) and have been read into memory.
    """

    def __init__(self, folder, meta_name):
        self.folder = Path(folder)
        self._meta_name = meta_name
        self._frames = {}
        self._meta = None

    def _frame(self, name):
        if name not in self._frames:
            path = self.folder / f"{name}.csv"
            # Labels stay text ("hybrid:precopy_rounds=1", seeds); numeric columns are numbers.
            self._frames[name] = pd.read_csv(path, dtype={"policy": str, "scenario": str,
                                                          "status": str, "vm": str})
        return self._frames[name]

    @property
    def summary(self):
        return self._frame("summary")

    @property
    def rounds(self):
        return self._frame("rounds")

    @property
    def timeseries(self):
        return self._frame("timeseries")

    @property
    def meta(self):
        if self._meta is None:
            self._meta = json.loads((self.folder / self._meta_name).read_text())
        return self._meta

    def _detach(self):
        """Read everything now: the temporary folder is about to be removed."""
        for name in ("summary", "rounds", "timeseries"):
            self._frame(name)
        self.meta
        self.folder = None
        return self


def find_binary(binary=None):
    """The migsim executable: argument, $MIGSIM, <repo>/build/migsim, then PATH."""
    candidates = [binary, os.environ.get("MIGSIM"), REPO / "build" / "migsim"]
    for c in candidates:
        if c and Path(c).is_file() and os.access(c, os.X_OK):
            return str(Path(c).resolve())
        if c and c is binary:
            raise MigsimError(f"migsim binary {c} not found or not executable", 127)
    on_path = shutil.which("migsim")
    if on_path:
        return on_path
    raise MigsimError("migsim binary not found: pass binary=, set MIGSIM, or build it "
                      f"({REPO / 'build' / 'migsim'})", 127)


def _absolute(path):
    return str(Path(path).expanduser().resolve())


def _write_json(data, folder, name):
    path = Path(folder) / name
    path.write_text(json.dumps(data, indent=2))
    return str(path)


def _scenario_file(scenario, tmp):
    """A path for a scenario given as a path or a dict (written into ``tmp``).

    migsim takes a scenario's relative paths from the file's folder; for a dict, that would be
    the temporary folder, so its relative paths are made absolute from the current directory.
    """
    if scenario is None:
        return None
    if isinstance(scenario, dict):
        data = json.loads(json.dumps(scenario))  # deep copy
        platform = data.get("platform") or {}
        if isinstance(platform.get("file"), str):
            platform["file"] = _absolute(platform["file"])
        dirty = (data.get("workload") or {}).get("dirty") or {}
        if isinstance(dirty.get("trace"), str):
            dirty["trace"] = _absolute(dirty["trace"])
        return _write_json(data, tmp, "scenario.json")
    return _absolute(scenario)


def _sweep_file(spec, tmp):
    """A path for a sweep given as a path or a dict; a dict's ``base`` path is made absolute
    from the current directory, and an inline base scenario gets the scenario treatment."""
    if isinstance(spec, dict):
        data = json.loads(json.dumps(spec))
        data.setdefault("name", "python-sweep")
        base = data.get("base")
        if isinstance(base, str):
            data["base"] = _absolute(base)
        elif isinstance(base, dict):
            data["base"] = _scenario_file(base, tmp)
        return _write_json(data, tmp, "sweep.json")
    return _absolute(spec)


def _format_value(value):
    """A --set value: strings as they are ("16Gbps"), anything else as JSON."""
    return value if isinstance(value, str) else json.dumps(value)


def _raise_for(proc, command, tmp, allow=()):
    if proc.returncode in (0, *allow):
        return
    lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
    errors = [ln for ln in lines if "error" in ln.lower()]
    message = (errors or lines or [f"migsim exited with status {proc.returncode}"])[-1]
    prefix = "migsim: error: "
    if message.startswith(prefix):
        message = message[len(prefix):]
    # A dict was written to a temporary file: name it as what the caller gave.
    for name, what in (("scenario.json", "<scenario dict>"), ("sweep.json", "<sweep dict>")):
        message = message.replace(str(Path(tmp) / name), what)
    raise MigsimError(message, proc.returncode, proc.stderr, command)


def run(scenario=None, policies=(), set=None, binary=None, out=None, jobs=None, timeout=None):
    """Run one scenario under each policy; returns a :class:`Result`.

    ``scenario``: a path, a dict (the scenario's JSON), or None for the built-in default.
    ``policies``: names or variant labels; empty runs the scenario's own policy.
    ``set``: {json_pointer: value}, as ``--set``: "16Gbps" or 0.7.
    ``out``: keep the results in this folder (it must not exist or be empty); otherwise they are
    read into memory and the temporary folder is removed.
    ``timeout``: migsim's --timeout per simulation, in seconds.
    """
    exe = find_binary(binary)
    if isinstance(policies, str):
        policies = [policies]
    with tempfile.TemporaryDirectory(prefix="migsim-py-") as tmp:
        folder = _absolute(out) if out else str(Path(tmp) / "result")
        command = [exe, "run"]
        path = _scenario_file(scenario, tmp)
        if path:
            command.append(path)
        for p in policies:
            command += ["--policy", p]
        for pointer, value in (set or {}).items():
            command += ["--set", f"{pointer}={_format_value(value)}"]
        command += ["--out", folder, "--quiet"]
        if jobs:
            command += ["--jobs", str(jobs)]
        if timeout is not None:
            command += ["--timeout", str(timeout)]
        _raise_for(subprocess.run(command, capture_output=True, text=True, errors="replace"), command, tmp)
        result = Result(folder, "run.json")
        return result if out else result._detach()


def sweep(spec, jobs=None, binary=None, out=None, check=True):
    """Plan, run and merge a sweep; returns a :class:`Result` with the merged frames.

    ``spec``: a sweep file path or a dict with its content (docs/sweeps.md). ``check``: raise
    :class:`MigsimError` (status 3) when some runs failed; with False the failed runs are rows of
    ``summary`` with status ``failed`` or ``crashed``. ``out`` keeps the sweep folder (and resumes
    an interrupted sweep there).
    """
    exe = find_binary(binary)
    with tempfile.TemporaryDirectory(prefix="migsim-py-") as tmp:
        folder = _absolute(out) if out else str(Path(tmp) / "sweep")
        command = [exe, "sweep", _sweep_file(spec, tmp), "--out", folder, "--quiet"]
        if jobs:
            command += ["--jobs", str(jobs)]
        proc = subprocess.run(command, capture_output=True, text=True, errors="replace")
        _raise_for(proc, command, tmp, allow=() if check else (3,))
        result = Result(folder, "sweep.json")
        return result if out else result._detach()

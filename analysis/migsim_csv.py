"""Shared code of the analysis/ scripts: loading, units, statistics, faceting, styles, output.

Every script starts with ``from migsim_csv import plt`` (or ``import migsim_csv as mc``): this module
selects the headless Agg backend before pyplot is imported, so no script repeats that prologue.

Every input problem (missing, unreadable or too large file, unparsable CSV, missing column, text in
a numeric column, nothing left to plot, too many series, a bad option) is reported on stderr as one
line ``error: <file>: <reason>`` with exit status 2; an output file that cannot be written is exit
status 4, as for migsim itself (docs/errors.md). Every script's entry is :func:`script_main`, so
that nothing else escapes as a traceback either.
"""

import argparse
import collections
import json
import math
import re
import sys
import textwrap
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # headless: figures are only ever written to files

import matplotlib.container  # noqa: E402
import matplotlib.patches  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402
from scipy import stats  # noqa: E402

__all__ = ["plt", "np", "pd"]  # re-exported so that scripts need no backend prologue

EXIT_INTERNAL = 1
EXIT_BAD_INPUT = 2
EXIT_FILESYSTEM = 4

#: The largest CSV or plan.json read: pandas holds a text table in about 10 times its size, so a
#: 256 MiB summary (about 600 000 runs) needs a few GiB of memory.
MAX_INPUT_BYTES = 256 * 2 ** 20

#: The most series (policies, lines, bars) one figure draws: colour and marker cycles tell 100 apart.
MAX_SERIES = 100

MB = 1e6  # decimal megabyte: rates without a sweep unit are shown in MB/s
MIB = 2.0 ** 20
GIB = 2.0 ** 30

CONFIDENCE = 0.95

#: Human-readable names of the summary metrics.
METRIC_NAMES = {
    "total_time_s": "Total migration time",
    "downtime_s": "Downtime",
    "lan_bytes": "LAN bytes",
    "san_bytes": "SAN bytes",
    "rounds": "Rounds",
    "io_penalty_s": "IO penalty",
    "io_recovery_s": "IO recovery time",
    "migration_start_s": "Migration start",
}

_ACRONYMS = {"san", "lan", "io", "vm", "cpu", "ram", "ssd", "hdd", "nfs",
             "iscsi", "tcp", "mtu", "wss"}


# --------------------------------------------------------------------------
# errors

def one_line(text):
    """``text`` on one line: a newline in a file name or a message must not start another line."""
    return str(text).replace("\n", "\\n").replace("\r", "\\r")


def fail(path, message, status=EXIT_BAD_INPUT):
    """Print ``error: <path>: <message>`` to stderr and exit with ``status`` (2: bad input)."""
    print(one_line(f"error: {path}: {message}"), file=sys.stderr)
    sys.exit(status)


def script_main(main):
    """Run a script's ``main()`` and exit with its status; what it did not report itself becomes
    one line on stderr: an unreadable or unwritable file (2 when read, 4 when written, as
    :func:`read_csv` and :func:`finish_figure` tell), memory running out, or a bug (status 1)."""
    try:
        status = main()
    except MemoryError:
        fail("input", "not enough memory to plot this much data; keep fewer rows with --where")
    except OSError as exc:
        fail(exc.filename or "input", exc.strerror or exc)
    except Exception as exc:  # noqa: BLE001 - a bug: one line, not a traceback, as migsim does
        print(one_line(f"internal error: {type(exc).__name__}: {exc}"), file=sys.stderr)
        sys.exit(EXIT_INTERNAL)
    sys.exit(status)


def check_series_count(count, what, path):
    """A figure with more series than styles can tell apart is refused, not drawn for minutes."""
    if count > MAX_SERIES:
        fail(path, f"{count} {what} to draw in one figure; at most {MAX_SERIES} can be told apart "
                   f"(keep fewer with --where)")


# --------------------------------------------------------------------------
# loading

def read_csv(path, required=(), numeric=()):
    """Read a migsim CSV into a DataFrame; ``numeric`` columns become float (empty -> NaN)."""
    path = Path(path)
    if not path.exists():
        fail(path, "no such file")
    if not path.is_file():
        fail(path, "not a regular file")
    size = path.stat().st_size
    if size > MAX_INPUT_BYTES:
        fail(path, f"the file has {size} bytes; at most {MAX_INPUT_BYTES} ({MAX_INPUT_BYTES >> 20} MiB) "
                   f"are read (keep fewer runs in one summary)")
    try:
        # Labels stay text: a policy such as "hybrid:precopy_rounds=1" or a seed must not be parsed.
        df = pd.read_csv(path, skipinitialspace=True, dtype=str, keep_default_na=False)
    except OSError as exc:
        fail(path, f"cannot read the file ({exc.strerror or exc})")
    except pd.errors.EmptyDataError:
        fail(path, "file is empty (expected a CSV header row)")
    except (pd.errors.ParserError, UnicodeDecodeError) as exc:
        fail(path, f"cannot parse as CSV: {exc}")
    df.columns = [str(c).strip() for c in df.columns]
    missing = [c for c in required if c not in df.columns]
    if missing:
        noun = "column" if len(missing) == 1 else "columns"
        fail(path, f"missing required {noun} {', '.join(repr(c) for c in missing)}"
                   f" (columns present: {', '.join(df.columns) or 'none'})")
    for col in df.columns:
        if col in numeric:
            df[col] = to_numeric_column(df[col], path, col)
        elif col.startswith("/"):
            # Swept parameters are numbers when they can be (SI base units), else text ("hotset").
            values = pd.to_numeric(df[col].str.strip().replace("", np.nan), errors="coerce")
            if values.notna().sum() == (df[col].str.strip() != "").sum():
                df[col] = values.astype(float)
            else:
                df[col] = df[col].str.strip()
        else:
            df[col] = df[col].str.strip()
    return df


def to_numeric_column(series, path, column):
    """Convert a column to float; empty cells become NaN, text is an error."""
    text = series.astype(str).str.strip()
    values = pd.to_numeric(text.replace("", np.nan), errors="coerce")
    bad = values.isna() & (text != "") & \
        (~text.str.lower().isin(["nan", "na", "n/a", "null", "none"]))
    if bad.any():
        row = int(np.flatnonzero(bad.to_numpy())[0])
        fail(path, f"column {column!r} must be numeric, but data row {row + 1} "
                   f"holds {series.iloc[row]!r}")
    return values.astype(float)


def parameter_columns(df):
    """Varied-parameter columns of a sweep summary (named by a JSON pointer)."""
    return [c for c in df.columns if c.startswith("/")]


def varying_parameters(df, exclude=()):
    """Parameter columns (and ``scenario``) that take more than one value in ``df``."""
    candidates = parameter_columns(df) + (["scenario"] if "scenario" in df.columns else [])
    return [c for c in candidates if c not in exclude and df[c].nunique(dropna=False) > 1]


def require_numeric_values(df, column, path):
    if not np.isfinite(df[column].to_numpy(dtype=float)).any():
        fail(path, f"column {column!r} has no numeric values to plot")


# --------------------------------------------------------------------------
# units: the grammar of models/units.cpp, and the unit a sweep file was written in

# suffix -> factor to SI base units; each suffix belongs to one kind, so a suffix names its kind.
UNITS = {
    "size": {"TiB": 2.0 ** 40, "GiB": 2.0 ** 30, "MiB": 2.0 ** 20, "KiB": 1024.0,
             "TB": 1e12, "GB": 1e9, "MB": 1e6, "kB": 1e3, "KB": 1e3, "B": 1.0},
    "rate": {"TiBps": 2.0 ** 40, "GiBps": 2.0 ** 30, "MiBps": 2.0 ** 20, "KiBps": 1024.0,
             "TBps": 1e12, "GBps": 1e9, "MBps": 1e6, "kBps": 1e3, "KBps": 1e3, "Bps": 1.0,
             "Tbps": 1e12 / 8, "Gbps": 1e9 / 8, "Mbps": 1e6 / 8, "kbps": 1e3 / 8,
             "Kbps": 1e3 / 8, "bps": 1.0 / 8,
             "GiB/s": 2.0 ** 30, "MiB/s": 2.0 ** 20, "GB/s": 1e9, "MB/s": 1e6,
             "kB/s": 1e3, "B/s": 1.0},
    "duration": {"ms": 1e-3, "us": 1e-6, "ns": 1e-9, "min": 60.0, "h": 3600.0, "s": 1.0},
}
# What strtod reads (decimal only: units.cpp refuses hexadecimal), then optional spaces.
_NUMBER = re.compile(r"\s*([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|[+-]?(?:inf|infinity|nan))",
                     re.IGNORECASE)


class UnitError(ValueError):
    pass


def parse_quantity(text, kind=None):
    """``"16Gbps"`` -> ``(2e9, "rate", "Gbps")``; a bare number is in SI base units (suffix "").

    Same grammar as models/units.cpp: a number, optional spaces, an exact case-sensitive suffix.
    ``kind`` ("size", "rate", "duration") restricts the suffixes; None accepts any kind.
    """
    text = str(text)
    match = _NUMBER.match(text)
    if not match or re.match(r"\s*[+-]?0[xX]", text):
        raise UnitError(f"{text!r} is not a number with an optional unit")
    number = float(match.group(1))
    if not math.isfinite(number):
        raise UnitError(f"{text!r} is not a finite number")
    suffix = text[match.end():].strip(" ")
    if not suffix:
        return number, kind, ""
    for k in ([kind] if kind else UNITS):
        if suffix in UNITS[k]:
            return number * UNITS[k][suffix], k, suffix
    raise UnitError(f"{text!r} has unknown unit {suffix!r}")


def display_unit(suffix):
    """(factor, label) to show values in the unit a sweep was written in: Gbps -> Gbit/s."""
    for kind, table in UNITS.items():
        if suffix in table:
            if kind == "rate" and suffix.endswith("bps"):
                label = suffix[:-3] + "bit/s"
            elif kind == "rate" and suffix.endswith("ps"):
                label = suffix[:-2] + "/s"
            elif suffix == "us":
                label = "µs"
            else:
                label = suffix
            return table[suffix], label
    raise UnitError(f"unknown unit {suffix!r}")


def sweep_units(summary_path):
    """{pointer: suffix} as written in the sweep file, read from plan.json or sweep.json next to
    the summary. Where values of one pointer use several units, the most common one wins."""
    folder = Path(summary_path).resolve().parent
    written = collections.defaultdict(list)
    plan = folder / "plan.json"
    if plan.is_file() and plan.stat().st_size <= MAX_INPUT_BYTES:  # units are a nicety: skip a huge plan
        try:
            data = json.loads(plan.read_text())
            for run in data.get("runs", []):  # values: as written, in the order of parameters
                for pointer, value in zip(data.get("parameters", []), run.get("values") or []):
                    written[pointer].append(value)
        except (OSError, ValueError):
            pass
    if not written and (folder / "sweep.json").is_file():
        try:
            sweep = json.loads((folder / "sweep.json").read_text()).get("sweep", {})
        except (OSError, ValueError):
            sweep = {}
        for section in ("grid", "zip"):
            for pointer, values in (sweep.get(section) or {}).items():
                written[pointer].extend(values if isinstance(values, list) else [values])
        for pointer, spec in ((sweep.get("random") or {}).get("params") or {}).items():
            if isinstance(spec, dict):
                written[pointer].extend(v for k, v in spec.items() if k in ("min", "max"))
    units = {}
    for pointer, values in written.items():
        suffixes = []
        for v in values:
            if isinstance(v, str):
                try:
                    suffixes.append(parse_quantity(v)[2])
                except UnitError:
                    pass
        suffixes = [s for s in suffixes if s]
        if suffixes:
            units[pointer] = collections.Counter(suffixes).most_common(1)[0][0]
    return units


def parameter_unit(column, values, units=None):
    """(scale, unit label) to display a parameter column given in SI base units.

    The sweep's own unit (``units``, from :func:`sweep_units`) wins; without one, rates are
    shown in MB/s, sizes in MiB or GiB, durations in s.
    """
    if units and column in units:
        factor, label = display_unit(units[column])
        return 1.0 / factor, label
    leaf = column.rstrip("/").split("/")[-1].lower()
    finite = np.asarray(values, dtype=float)
    finite = finite[np.isfinite(finite)]
    biggest = float(np.abs(finite).max()) if finite.size else 0.0
    if "page" in leaf:
        return 1.0, "pages/s" if "rate" in leaf else ""
    if re.search(r"(rate|bandwidth|bps|throughput|speed)", leaf):
        return 1.0 / MB, "MB/s"
    if re.search(r"(size|memory|ram|bytes|capacity)", leaf):
        return (1.0 / GIB, "GiB") if biggest >= GIB else (1.0 / MIB, "MiB")
    if leaf.endswith("_s") or re.search(r"(latency|delay|duration|time|period|interval|start)",
                                        leaf):
        return 1.0, "s"
    return 1.0, ""


def metric_unit(column, values):
    """(scale, unit label) for a summary metric column."""
    finite = np.asarray(values, dtype=float)
    finite = finite[np.isfinite(finite)]
    biggest = float(np.abs(finite).max()) if finite.size else 0.0
    if column.endswith("bytes"):
        return 1.0 / GIB, "GiB"
    if column.endswith("_s"):
        return (1e3, "ms") if 0 < biggest < 1.0 else (1.0, "s")
    if column.endswith("_Bps"):
        return 1.0 / MB, "MB/s"
    return 1.0, ""


def format_value(column, value, units=None):
    """One parameter value for a facet title or legend: '8 Gbit/s', '0.7', 'hotset'."""
    if not isinstance(value, (int, float, np.number)) or not np.isfinite(value):
        return str(value)
    scale, unit = parameter_unit(column, [value], units)
    return f"{value * scale:.4g} {unit}".strip()


# --------------------------------------------------------------------------
# filtering

def status_is_ok(df):
    return df["status"].str.lower() == "ok"


def where_value_mask(series, value):
    """Rows of ``series`` equal to ``value``: numbers (and unit strings) compare numerically."""
    try:
        number = float(value)
    except ValueError:
        try:
            number = parse_quantity(value)[0]
        except UnitError:
            number = None
    if number is not None and pd.api.types.is_numeric_dtype(series):
        return np.isclose(series.to_numpy(dtype=float), number, rtol=1e-9, atol=0.0)
    if number is not None:
        col = pd.to_numeric(series, errors="coerce").to_numpy(dtype=float)
        if np.isfinite(col).any():
            return np.isclose(col, number, rtol=1e-9, atol=0.0)
    return (series.astype(str).str.strip() == value).to_numpy()


def apply_where(df, conditions, path):
    """Keep rows matching every ``COLUMN=VALUE``; VALUE may carry a unit ("16Gbps", "30ms")."""
    for cond in conditions:
        if "=" not in cond:
            fail(path, f"--where {cond!r}: expected COLUMN=VALUE")
        column, value = (s.strip() for s in cond.split("=", 1))
        if column not in df.columns:
            fail(path, f"--where: missing column {column!r} "
                       f"(columns present: {', '.join(df.columns)})")
        if pd.api.types.is_numeric_dtype(df[column]):
            try:  # a numeric column needs a number: "16Gbps" yes, "16XBps" is an error
                float(value)
            except ValueError:
                try:
                    parse_quantity(value)
                except UnitError as exc:
                    fail(path, f"--where {cond!r}: {exc}")
        df = df[where_value_mask(df[column], value)]
        if df.empty:
            fail(path, f"no rows left after --where {cond!r}")
    return df


def where_note(conditions):
    return f"Rows selected by {', '.join(conditions)}." if conditions else ""


def split_by_status(df, value_column, path=None):
    """(ok rows, drawable not-ok rows, footnote lines).

    Not-ok runs that have a value (round_limit, byte_limit, time_limit...) are kept to be drawn
    with their own marker; runs without a value (failed, crashed, missing) can only be counted.
    """
    ok = status_is_ok(df)
    has_value = np.isfinite(df[value_column].to_numpy(dtype=float))
    notes = []
    bad = df[~ok & has_value]
    if len(bad):
        detail = ", ".join(f"{s}: {n}" for s, n in sorted(bad["status"].value_counts().items()))
        notes.append(f"{len(bad)} of {len(df)} runs did not end ok ({detail}): drawn as "
                     f"separate markers, not in the means.")
    lost = df[~ok & ~has_value]
    if len(lost):
        detail = ", ".join(f"{s or '(empty)'}: {n}"
                           for s, n in sorted(lost["status"].value_counts().items()))
        notes.append(f"{len(lost)} runs have no {value_column} to draw ({detail}).")
    empty_ok = int((ok & ~has_value).sum())
    if empty_ok:
        notes.append(f"{empty_ok} ok runs without a value for {value_column} ignored.")
    return df[ok & has_value], bad, notes


# --------------------------------------------------------------------------
# statistics

def t_quantile(dof, confidence=CONFIDENCE):
    """Two-sided Student-t critical value (NaN for fewer than 1 degree of freedom)."""
    dof = np.asarray(dof, dtype=float)
    q = np.where(dof >= 1, stats.t.ppf(0.5 + confidence / 2.0, np.maximum(dof, 1)), np.nan)
    return float(q) if q.ndim == 0 else q


def aggregate(df, keys, column, confidence=CONFIDENCE):
    """Mean and Student-t CI of ``column`` per group of ``keys`` (the replications).

    Returns the keys plus ``mean``, ``std``, ``n``, ``half``, ``lo``, ``hi``; ``half`` is NaN for a
    group of one.
    """
    out = (df.groupby(list(keys), sort=True, dropna=False)[column]
             .agg(mean="mean", std="std", n="count").reset_index())
    out = out[out["n"] > 0].copy()
    out["half"] = t_quantile(out["n"] - 1, confidence) * out["std"] / np.sqrt(out["n"])
    out["lo"] = out["mean"] - out["half"]
    out["hi"] = out["mean"] + out["half"]
    return out


def mean_ci(values, confidence=CONFIDENCE):
    """(mean, half-width, n) of one sample; the same computation as :func:`aggregate`."""
    s = pd.DataFrame({"g": 0, "v": pd.Series(values, dtype=float)})
    row = aggregate(s, ["g"], "v", confidence)
    if row.empty:
        return math.nan, math.nan, 0
    return float(row["mean"].iloc[0]), float(row["half"].iloc[0]), int(row["n"].iloc[0])


def replication_note(counts, per="point", shown_as="shaded band"):
    """Footnote text on the number of replications behind each mean and its interval."""
    counts = [int(c) for c in counts if c > 0]
    if not counts:
        return ""
    lo, hi = min(counts), max(counts)
    if hi < 2:
        return f"Single replication per {per}: no confidence interval."
    n = f"n = {lo}" if lo == hi else f"n = {lo}-{hi}"
    text = (f"Mean over replications ({n} per {per}); {shown_as}: 95 % CI (Student t) of the "
            f"replications only")
    if lo < 2:
        text += "; no interval where n = 1"
    return text + "."


# --------------------------------------------------------------------------
# labels

#: Names of common parameters where the last two path words read badly.
POINTER_NAMES = {
    "/vm/page_cache/clean": "Clean page-cache share",
    "/vm/page_cache/dirty": "Dirty page-cache share",
    "/vm/free": "Free memory share",
}


def humanize_pointer(pointer):
    """'/platform/san/bandwidth' -> 'SAN bandwidth', '/workload/dirty/rate' -> 'Dirty rate'."""
    if pointer in POINTER_NAMES:
        return POINTER_NAMES[pointer]
    if not pointer.startswith("/"):
        return pointer[:1].upper() + pointer[1:]
    parts = [p for p in pointer.strip("/").split("/") if p and not p.isdigit()]
    words = " ".join(parts[-2:]).replace("_", " ").split() if parts else [pointer]
    words = [w.upper() if w.lower() in _ACRONYMS else w for w in words]
    text = " ".join(words)
    return text[:1].upper() + text[1:]


def metric_name(column):
    return METRIC_NAMES.get(column, humanize_pointer(column) if column.startswith("/")
                            else column.replace("_", " "))


def with_unit(name, unit):
    return f"{name} ({unit})" if unit else name


def lower_first(text):
    """Lower-case the first letter unless the first word is an acronym."""
    first = text.split(" ", 1)[0]
    return text if len(first) > 1 and first.isupper() else text[:1].lower() + text[1:]


def upper_first(text):
    return text[:1].upper() + text[1:]


def join_words(words):
    words = list(words)
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


# --------------------------------------------------------------------------
# styles: one colour + marker per label (policies and their variants are opaque labels)

# Filled markers for series; status markers below are line-only, so the two never look alike.
SERIES_MARKERS = ("o", "s", "^", "D", "v", "<", ">", "p", "h", "8")
LINESTYLES = ("-", "--", ":", "-.", (0, (5, 1, 1, 1, 1, 1)), (0, (8, 2)))
STATUS_MARKERS = {"round_limit": "x", "byte_limit": "+", "time_limit": "1"}
OTHER_STATUS_MARKERS = ("2", "3", "4", "|", "_")


def label_styles(labels, cmap=None, path="input"):
    """{label: {color, marker}}, distinct for up to 100 labels (colour and marker cycle at
    different periods), in sorted order so that a label keeps its style across figures."""
    labels = sorted(set(labels), key=lambda v: (isinstance(v, str), v))
    check_series_count(len(labels), "series", path)
    if cmap is None:
        cmap = matplotlib.colormaps["tab10" if len(labels) <= 10 else "tab20"]
        colors = [cmap(i % cmap.N) for i in range(len(labels))]
    else:  # an ordered quantity: a sequential colour map
        cmap = matplotlib.colormaps[cmap]
        colors = [cmap(0.15 + 0.7 * i / max(1, len(labels) - 1)) for i in range(len(labels))]
    n_m = len(SERIES_MARKERS)
    return {lab: dict(color=colors[i], marker=SERIES_MARKERS[(i + i // n_m) % n_m])
            for i, lab in enumerate(labels)}


def status_marker(status):
    if status in STATUS_MARKERS:
        return STATUS_MARKERS[status]
    return OTHER_STATUS_MARKERS[sum(map(ord, status)) % len(OTHER_STATUS_MARKERS)]


# --------------------------------------------------------------------------
# facets: never pool a swept parameter

class Facets:
    """Which varying parameters become panel rows, panel columns, or separate lines.

    ``x`` and the colour key (usually ``policy``) are taken; every other parameter that varies is
    assigned, in this order, to ``--col``, ``--row`` (explicit or automatic) and then to ``lines``:
    one line per combination, told apart by line style and named in the legend.
    """

    def __init__(self, df, taken, row=None, col=None, path=None, units=None, auto=True,
                 lines_first=()):
        # lines_first: parameters drawn as separate lines (if they vary) before any is faceted.
        first = [c for c in lines_first if c in varying_parameters(df) and c not in (row, col)]
        varying = varying_parameters(df, exclude=list(taken) + first)
        for name, value in (("--row", row), ("--col", col)):
            if value and value not in df.columns:
                fail(path, f"{name}: missing column {value!r} "
                           f"(columns present: {', '.join(df.columns)})")
        rest = [c for c in varying if c not in (row, col)]
        if auto and col is None and rest:
            col = rest.pop(0)
        if auto and row is None and rest:
            row = rest.pop(0)
        self.row, self.col, self.lines, self.units = row, col, first + rest, units or {}
        self.row_values = self._values(df, row)
        self.col_values = self._values(df, col)

    @staticmethod
    def _values(df, column):
        return sorted(df[column].dropna().unique(), key=lambda v: (isinstance(v, str), v)) \
            if column else [None]

    def panel(self, df, row_value, col_value):
        for column, value in ((self.row, row_value), (self.col, col_value)):
            if column:
                df = df[df[column] == value]
        return df

    def title(self, row_value, col_value):
        parts = [f"{humanize_pointer(c)} = {format_value(c, v, self.units)}"
                 for c, v in ((self.row, row_value), (self.col, col_value))
                 if c and v is not None]
        return ", ".join(parts)

    def line_label(self, key_values):
        """Legend text for the extra line keys of one line: 'LAN bandwidth = 1 Gbit/s'."""
        return ", ".join(f"{humanize_pointer(c)} = {format_value(c, v, self.units)}"
                         for c, v in zip(self.lines, key_values))

    def note(self):
        parts = []
        if self.col:
            parts.append(f"columns: {self.col}")
        if self.row:
            parts.append(f"rows: {self.row}")
        if self.lines:
            parts.append(f"one line per value of {', '.join(self.lines)}")
        return f"Panels: {'; '.join(parts)}." if parts else ""


def add_line_keys(df, facets):
    """A ``line`` column: the tuple of the extra line-key values of each row."""
    df = df.copy()
    df["line"] = list(zip(*[df[c] for c in facets.lines])) if facets.lines else [()] * len(df)
    return df


def line_styles(df, facets):
    """{line key tuple: linestyle} for the extra line keys."""
    keys = sorted(set(df["line"]), key=str)
    return {k: LINESTYLES[i % len(LINESTYLES)] for i, k in enumerate(keys)}


# --------------------------------------------------------------------------
# drawing

def draw_mean_lines(ax, stats_df, x, series, styles, dashes=None, x_scale=1.0, y_scale=1.0,
                    paper=False):
    """One line per (series, line) group: the mean with a translucent CI band of the
    replications; an isolated interval (no neighbour with one) gets an error bar instead."""
    keys = [series] + (["line"] if "line" in stats_df.columns else [])
    for key, grp in stats_df.groupby(keys, sort=True):
        key = key if isinstance(key, tuple) else (key,)
        style = styles[key[0]]
        linestyle = dashes[key[1]] if dashes and len(key) > 1 else "-"
        grp = grp.sort_values(x)
        xs = grp[x].to_numpy(dtype=float) * x_scale
        ax.plot(xs, grp["mean"] * y_scale, color=style["color"], marker=style["marker"],
                linestyle=linestyle, markersize=3.5 if paper else 5,
                linewidth=1.1 if paper else 1.7, zorder=3, gid=_SERIES_GID + str(key[0]))
        lo = grp["lo"].to_numpy(dtype=float) * y_scale
        hi = grp["hi"].to_numpy(dtype=float) * y_scale
        have = np.isfinite(lo) & np.isfinite(hi)
        if have.any():
            ax.fill_between(xs, lo, hi, where=have, color=style["color"], alpha=0.18,
                            linewidth=0, zorder=2)
            isolated = have & ~np.r_[False, have[:-1]] & ~np.r_[have[1:], False]
            if isolated.any():
                ax.errorbar(xs[isolated], ((hi + lo) / 2)[isolated],
                            yerr=((hi - lo) / 2)[isolated], fmt="none",
                            ecolor=style["color"], alpha=0.6, capsize=3)


def draw_status_points(ax, bad, x, y, series, styles, x_scale=1.0, y_scale=1.0, paper=False):
    """Runs that did not end ok: one point each, in the series colour, with the status's marker."""
    for (label, status), grp in bad.groupby([series, "status"], sort=True):
        ax.scatter(grp[x].to_numpy(dtype=float) * x_scale,
                   grp[y].to_numpy(dtype=float) * y_scale,
                   marker=status_marker(status), color=styles[label]["color"],
                   s=22 if paper else 45, linewidths=1.0 if paper else 1.4, zorder=4)


_SERIES_GID = "migsim-series:"
#: Two lines closer than this share of the panel's y span at every point look like one line.
COINCIDENT_SHARE = 0.01


def _flat(axes):
    return list(np.ravel(np.asarray(axes, dtype=object)))


def covered_series(axes):
    """Series whose mean line is drawn exactly under another one's, so the reader cannot see it.

    Returns {label: text for the legend}: "(drawn under X)" when it is covered in every panel where it
    appears, "(under X in k of n panels)" otherwise. Call once every panel has its final limits.
    """
    covered, present = collections.defaultdict(collections.Counter), collections.Counter()
    for ax in _flat(axes):
        lines = [ln for ln in ax.get_lines() if str(ln.get_gid() or "").startswith(_SERIES_GID)]
        log = ax.get_yscale() == "log"
        lo, hi = ax.get_ylim()
        span = (np.log10(hi) - np.log10(lo)) if log else (hi - lo)
        seen = set()
        for i, line in enumerate(lines):
            label = line.get_gid()[len(_SERIES_GID):]
            if label not in seen:
                seen.add(label)
                present[label] += 1
            x1, y1 = (np.asarray(v, dtype=float) for v in line.get_data())
            for above in lines[i + 1:]:  # drawn later, so on top
                other = above.get_gid()[len(_SERIES_GID):]
                x2, y2 = (np.asarray(v, dtype=float) for v in above.get_data())
                if other == label or len(x1) != len(x2) or not np.allclose(x1, x2, rtol=1e-9):
                    continue
                a, b = (np.log10(y1), np.log10(y2)) if log else (y1, y2)
                if span > 0 and np.all(np.abs(a - b) <= COINCIDENT_SHARE * span):
                    covered[label][other] += 1
                    break
    notes = {}
    for label, by in covered.items():
        other, k = by.most_common(1)[0]
        n = present[label]
        notes[label] = f"(drawn under {other})" if k == n else f"(under {other} in {k} of {n} panels)"
    return notes


def log_spaced(values):
    """True when the distinct values grow by a roughly constant factor over at least a decade
    (1, 10, 100 or 0.5, 1, 2, ..., 16): such an axis is read in ratios and wants a log scale."""
    v = np.unique(np.asarray([x for x in values if np.isfinite(x)], dtype=float))
    if len(v) < 3 or v[0] <= 0 or v[-1] / v[0] < 10:
        return False
    ratios = v[1:] / v[:-1]
    return ratios.min() >= 1.5 and ratios.max() / ratios.min() <= 2.5


def start_y_at_zero(axes):
    """Linear y axes from 0, set once every panel is drawn: on panels that share y, a limit set while
    drawing turns autoscaling off, and a later, taller panel would be cut off at the top."""
    for ax in _flat(axes):
        if ax.get_yscale() == "linear":
            ax.set_ylim(bottom=0)


def mark_clipped(fig):
    """A bar or point above the top of its panel is written there with an arrow, never cut off
    silently. Returns how many were marked."""
    marked = 0
    for ax in fig.axes:
        lo, hi = ax.get_ylim()
        if hi < lo:  # an inverted axis (the migration bars of the IO plot) has no top to clip
            continue
        tops = []
        for container in ax.containers:
            if isinstance(container, matplotlib.container.BarContainer) and \
                    getattr(container, "orientation", "vertical") == "vertical":
                tops += [(b.get_x() + b.get_width() / 2, b.get_y() + b.get_height())
                         for b in container.patches]
        for line in ax.get_lines():
            xs, ys = (np.asarray(v, dtype=float) for v in line.get_data())
            if xs.shape == ys.shape:
                tops += list(zip(xs, ys))
        for x, y in tops:
            if np.isfinite(y) and y > hi * (1 + 1e-9) + 1e-12:
                ax.annotate(f"\u2191 {y:.3g}", (x, hi), xytext=(0, -2), textcoords="offset points",
                            ha="center", va="top", fontsize=matplotlib.rcParams["font.size"] - 2,
                            annotation_clip=False, zorder=6)
                marked += 1
    return marked


def legend_handles(styles, title_prefix=None, dashes=None, facets=None, statuses=(),
                   band=True, paper=False, covered=None):
    """Legend entries: series (colour + marker), extra line keys (line style), statuses, band.
    ``covered`` (from covered_series) adds "(drawn under X)" to a series hidden under another."""
    handles = []
    covered = covered or {}
    for label, style in styles.items():
        text = f"{title_prefix or ''}{label:g}" if isinstance(label, float) \
            else f"{title_prefix or ''}{label}"
        note = covered.get(str(label))
        handles.append(Line2D([], [], color=style["color"], marker=style["marker"],
                              linestyle="-", markersize=4 if paper else 6,
                              label=f"{text} {note}" if note else text))
    if dashes and facets and facets.lines and len(dashes) > 1:
        for key, ls in dashes.items():
            handles.append(Line2D([], [], color="0.3", linestyle=ls,
                                  label=facets.line_label(key)))
    for status in sorted(set(statuses)):
        handles.append(Line2D([], [], color="0.2", marker=status_marker(status), linestyle="none",
                              markersize=5 if paper else 7,
                              label=f"run ended {status} (not ok)"))
    if band:
        handles.append(matplotlib.patches.Patch(color="0.5", alpha=0.25,
                                                label="95 % CI over replications"))
    return handles


def set_log_ticks_at_values(axis, values, max_ticks=12):
    """On a log axis, put the major ticks at the data values if there are few."""
    from matplotlib.ticker import FixedLocator, FuncFormatter, NullLocator
    values = sorted({float(v) for v in values if np.isfinite(v) and v > 0})
    if 0 < len(values) <= max_ticks:
        axis.set_major_locator(FixedLocator(values))
        axis.set_minor_locator(NullLocator())
    axis.set_major_formatter(FuncFormatter(lambda v, _pos=None: f"{v:.4g}"))


# --------------------------------------------------------------------------
# figure size, layout and output

#: --size presets: figure width in inches and base font size; "screen" keeps roomy panels.
SIZES = {"screen": (None, 10), "one-column": (3.5, 7), "two-column": (7.0, 8)}


def positive_dpi(text):
    """--dpi: a whole number from 1 to 2400 (matplotlib refuses 0 and less, and memory runs out far
    above: a 7-inch figure at 2400 dpi is already 280 million pixels)."""
    try:
        value = int(text)
    except ValueError:
        value = 0
    if not 1 <= value <= 2400:
        raise argparse.ArgumentTypeError(f"expected a whole number from 1 to 2400, got {text!r}")
    return value


def one_line_errors(parser):
    """argparse's errors as one line ``error: <prog>: <message>`` (exit status 2), as the rest."""
    parser.error = lambda message: fail(parser.prog, f"{message} (see --help)")
    return parser


def add_common_arguments(parser, where=True):
    """Options shared by every script: output, title, footnote, size, dpi (and --where)."""
    one_line_errors(parser)
    parser.add_argument("--out", required=True, metavar="FILE",
                        help="output image, .png or .pdf; both are always written, side by side")
    parser.add_argument("--title", metavar="TEXT",
                        help='figure title (default: derived from the data; "" for none)')
    parser.add_argument("--no-footnote", action="store_true",
                        help="no footnote under the figure (its text goes to stdout instead)")
    parser.add_argument("--size", choices=sorted(SIZES), default="screen",
                        help="one-column: 3.5 in wide, two-column: 7 in wide, with paper font "
                             "sizes; screen (default): panels sized for reading on screen")
    parser.add_argument("--dpi", type=positive_dpi, default=150, metavar="N",
                        help="PNG resolution, 1 to 2400 (default: 150; use 300 or more for print)")
    if where:
        parser.add_argument("--where", action="append", default=[], metavar="COLUMN=VALUE",
                            help="keep only rows where COLUMN equals VALUE (repeatable); VALUE "
                                 "may carry a unit as in scenarios: 16Gbps, 512MiB, 30ms")


def output_paths(out):
    """--out names a .png or .pdf; both files are written, with the same stem."""
    out = Path(out)
    if out.suffix.lower() not in (".png", ".pdf"):
        fail(out, "output file name must end in .png or .pdf")
    return [out.with_suffix(".png"), out.with_suffix(".pdf")]


def new_figure(args, nrows, ncols, panel_aspect=0.78, sharex=True, sharey="row",
               screen_panel_width=3.9):
    """Figure with a grid of panels sized for --size (paper widths are exact)."""
    width, font = SIZES[args.size]
    matplotlib.rcParams.update({"font.size": font, "axes.titlesize": font,
                                "axes.labelsize": font, "legend.fontsize": font - 1,
                                "xtick.labelsize": font - 1, "ytick.labelsize": font - 1})
    if width is None:
        width = 1.2 + screen_panel_width * ncols
        height = 3.4 * nrows * panel_aspect / 0.78
    else:
        # Wide single panels would get taller than a page column needs: cap the row height.
        height = max(1.6, min(2.8, (width / ncols) * panel_aspect)) * nrows
    fig, axes = plt.subplots(nrows, ncols, figsize=(width, height), squeeze=False,
                             sharex=sharex, sharey=sharey)
    return fig, axes


def _height_in(artist, fig):
    bbox = artist.get_window_extent(fig.canvas.get_renderer())
    return bbox.height / fig.dpi, bbox.width / fig.dpi


def finish_figure(fig, args, title, handles=(), legend_title=None, notes=()):
    """Title, legend under the panels, footnote, layout; writes the PNG and the PDF.

    The figure keeps its width (exact for the paper presets) and grows in height by what the
    title, legend and footnote need, so nothing is cut off and nothing overlaps.
    """
    notes = [n for n in notes if n]
    if args.no_footnote:
        for line in notes:
            print(f"note: {line}")
        notes = []
    width, height = fig.get_size_inches()
    pad = 0.06
    font = matplotlib.rcParams["font.size"]
    foot = leg = head = None
    foot_h = leg_h = head_h = 0.0
    if notes:
        chars = max(40, int(width * 72 / (0.55 * (font - 2))))
        text = "\n".join(textwrap.fill(n, chars) for n in notes)
        foot = fig.text(0.01, 0.0, text, ha="left", va="bottom", fontsize=font - 2, color="0.3")
        foot_h = _height_in(foot, fig)[0] + pad
    if handles:
        ncol = len(handles)
        while True:
            leg = fig.legend(handles=handles, title=legend_title, loc="lower center", ncol=ncol,
                             frameon=False, borderaxespad=0.2, handlelength=2.2,
                             columnspacing=1.0)
            if ncol == 1 or _height_in(leg, fig)[1] <= width - 0.1:
                break
            leg.remove()
            ncol -= 1
        leg_h = _height_in(leg, fig)[0] + pad
    if title:
        head = fig.suptitle(title, fontsize=font + 1)
        head_h = _height_in(head, fig)[0] + 2 * pad
    total = height + foot_h + leg_h + head_h
    fig.set_size_inches(width, total)
    if foot is not None:
        foot.set_position((0.01, pad / 2 / total))
    if leg is not None:
        leg.set_bbox_to_anchor((0.5, foot_h / total), transform=fig.transFigure)
    if head is not None:
        head.set_y(1 - pad / total)
        head.set_va("top")
    fig.tight_layout(rect=(0, (foot_h + leg_h) / total, 1, 1 - head_h / total), pad=0.4)
    if mark_clipped(fig):
        print("note: values above the top of their panel are written at the top with an arrow")
    paths = output_paths(args.out)
    for path in paths:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fig.savefig(path, dpi=args.dpi)
        except OSError as exc:  # a folder that is a file, read-only, a full disk
            reason = "it is a file, not a folder" if isinstance(exc, FileExistsError) else exc.strerror or exc
            fail(exc.filename or path, f"cannot write the figure ({reason})", EXIT_FILESYSTEM)
        print(f"wrote {path}")
    plt.close(fig)
    return paths


def default_title(args, text):
    """--title wins, even when empty (no title); otherwise ``text``."""
    return text if args.title is None else args.title

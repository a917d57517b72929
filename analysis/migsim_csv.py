"""Shared helpers for the migsim plotting scripts.

Loading and validating migsim's CSV outputs (``summary.csv`` from
``migsim run`` / ``migsim sweep merge`` and ``timeseries.csv``), Student-t
95 % confidence intervals over replications, axis units, consistent policy
styles and figure output.

Every input problem (missing file, unparsable CSV, missing column, non-numeric
value in a numeric column, nothing left to plot) is reported on stderr as
``error: <file>: <reason>`` and ends the process with exit status 2.
"""

import math
import re
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

EXIT_BAD_INPUT = 2

MB = 1e6  # decimal megabyte: rates are shown in MB/s
MIB = 2.0 ** 20
GIB = 2.0 ** 30

CONFIDENCE = 0.95

#: Metric columns of summary.csv (the io_* columns may be empty / NaN).
METRIC_COLUMNS = ("total_time_s", "downtime_s", "lan_bytes", "san_bytes",
                  "rounds", "io_penalty_s", "io_recovery_s")

#: Human-readable names of the known metrics.
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

def fail(path, message):
    """Print ``error: <path>: <message>`` to stderr and exit with status 2."""
    print(f"error: {path}: {message}", file=sys.stderr)
    sys.exit(EXIT_BAD_INPUT)


def warn(path, message):
    """Print a non-fatal ``warning: <path>: <message>`` to stderr."""
    print(f"warning: {path}: {message}", file=sys.stderr)


# --------------------------------------------------------------------------
# loading

def read_csv(path, required=(), numeric=()):
    """Read a migsim CSV (header row, comma-separated) into a DataFrame.

    ``required`` columns must all be present; ``numeric`` columns (if present)
    are converted to float, empty cells becoming NaN.  Any problem ends the
    process via :func:`fail` (exit status 2) with a message naming the file
    and the offending column.
    """
    path = Path(path)
    if not path.exists():
        fail(path, "no such file")
    if not path.is_file():
        fail(path, "not a regular file")
    try:
        df = pd.read_csv(path, skipinitialspace=True)
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

    for col in numeric:
        if col in df.columns:
            df[col] = to_numeric_column(df[col], path, col)
    for col in ("policy", "scenario", "status", "run_id", "seed"):
        if col in df.columns:
            df[col] = df[col].map(clean_label)
    return df


def to_numeric_column(series, path, column):
    """Convert a column to float; empty cells become NaN, text is an error."""
    values = pd.to_numeric(series, errors="coerce")
    text = series.astype(str).str.strip()
    bad = values.isna() & series.notna() & (text != "") & \
        (~text.str.lower().isin(["nan", "na", "n/a", "null", "none"]))
    if bad.any():
        row = int(np.flatnonzero(bad.to_numpy())[0])
        fail(path, f"column {column!r} must be numeric, but data row {row + 1} "
                   f"holds {series.iloc[row]!r}")
    return values.astype(float)


def clean_label(value):
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def parameter_columns(df):
    """Varied-parameter columns of a sweep summary (named by a JSON pointer)."""
    return [c for c in df.columns if c.startswith("/")]


def require_numeric_values(df, column, path):
    """Fail unless ``column`` has at least one finite value."""
    if not np.isfinite(df[column].to_numpy(dtype=float)).any():
        fail(path, f"column {column!r} has no numeric values to plot")


# --------------------------------------------------------------------------
# filtering

class Exclusions:
    """Bookkeeping of rows dropped before plotting, rendered as a footnote."""

    def __init__(self, total):
        self.total = total
        self.by_status = {}
        self.other = []

    @property
    def excluded(self):
        return sum(self.by_status.values())

    def note(self):
        lines = []
        if self.by_status:
            detail = ", ".join(f"{s}: {n}" for s, n in sorted(self.by_status.items()))
            lines.append(f"Excluded {self.excluded} of {self.total} runs whose "
                         f"status is not ok ({detail}).")
        lines.extend(self.other)
        return lines


def keep_ok(df):
    """Return (rows with status ``ok``, :class:`Exclusions`)."""
    ex = Exclusions(len(df))
    status = df["status"].str.strip().str.lower()
    ok = status == "ok"
    for s, n in df.loc[~ok, "status"].replace("", "(empty)").value_counts().items():
        ex.by_status[str(s)] = int(n)
    return df[ok].copy(), ex


def apply_where(df, conditions, path):
    """Keep rows matching every ``COLUMN=VALUE`` condition (numeric-aware)."""
    for cond in conditions:
        if "=" not in cond:
            fail(path, f"--where {cond!r}: expected COLUMN=VALUE")
        column, value = cond.split("=", 1)
        column, value = column.strip(), value.strip()
        if column not in df.columns:
            fail(path, f"--where: missing column {column!r} "
                       f"(columns present: {', '.join(df.columns)})")
        try:
            number = float(value)
            col = pd.to_numeric(df[column], errors="coerce").to_numpy(dtype=float)
            mask = np.isclose(col, number, rtol=1e-9, atol=0.0)
        except ValueError:
            mask = (df[column].astype(str).str.strip() == value).to_numpy()
        df = df[mask]
        if df.empty:
            fail(path, f"no rows left after --where {cond!r}")
    return df


def drop_nan(df, column, exclusions, what="runs"):
    """Drop rows with a non-finite ``column``, noting the count."""
    finite = np.isfinite(df[column].to_numpy(dtype=float))
    n = int((~finite).sum())
    if n:
        exclusions.other.append(f"{n} ok {what} without a value for {column} ignored.")
    return df[finite]


# --------------------------------------------------------------------------
# statistics

# Two-sided 95 % Student-t quantiles t_{0.975, df} for df = 1..30.
_T975 = (12.706205, 4.302653, 3.182446, 2.776445, 2.570582, 2.446912,
         2.364624, 2.306004, 2.262157, 2.228139, 2.200985, 2.178813,
         2.160369, 2.144787, 2.131450, 2.119905, 2.109816, 2.100922,
         2.093024, 2.085963, 2.079614, 2.073873, 2.068658, 2.063899,
         2.059539, 2.055529, 2.051831, 2.048407, 2.045230, 2.042272)


def t_quantile(dof, confidence=CONFIDENCE):
    """Two-sided Student-t critical value for ``dof`` degrees of freedom."""
    if dof < 1:
        return math.nan
    try:
        from scipy import stats
        return float(stats.t.ppf(0.5 + confidence / 2.0, dof))
    except ImportError:
        pass
    if abs(confidence - 0.95) < 1e-12 and dof <= len(_T975):
        return _T975[int(dof) - 1]
    # Cornish-Fisher expansion around the normal quantile (error < 1e-4 for
    # dof > 30 at 95 %).
    from statistics import NormalDist
    z = NormalDist().inv_cdf(0.5 + confidence / 2.0)
    g1 = (z ** 3 + z) / 4.0
    g2 = (5 * z ** 5 + 16 * z ** 3 + 3 * z) / 96.0
    g3 = (3 * z ** 7 + 19 * z ** 5 + 17 * z ** 3 - 15 * z) / 384.0
    return z + g1 / dof + g2 / dof ** 2 + g3 / dof ** 3


def mean_ci(values, confidence=CONFIDENCE):
    """Mean and half-width of the Student-t confidence interval.

    Returns ``(mean, half_width, n)``; ``half_width`` is NaN when fewer than
    two finite values are available (no interval can be estimated).
    """
    x = np.asarray(values, dtype=float)
    x = x[np.isfinite(x)]
    n = x.size
    if n == 0:
        return math.nan, math.nan, 0
    mean = float(x.mean())
    if n < 2:
        return mean, math.nan, n
    sem = float(x.std(ddof=1)) / math.sqrt(n)
    return mean, t_quantile(n - 1, confidence) * sem, n


def group_mean_ci(df, keys, column):
    """Per-group mean and 95 % CI of ``column``.

    Returns a DataFrame with the key columns plus ``mean``, ``half``, ``lo``,
    ``hi`` and ``n``, sorted by the keys.
    """
    rows = []
    keys = list(keys)
    by = keys[0] if len(keys) == 1 else keys
    for key, grp in df.groupby(by, sort=True):
        key = key if isinstance(key, tuple) else (key,)
        mean, half, n = mean_ci(grp[column])
        rows.append((*key, mean, half, n))
    out = pd.DataFrame(rows, columns=[*keys, "mean", "half", "n"])
    out["lo"] = out["mean"] - out["half"]
    out["hi"] = out["mean"] + out["half"]
    return out


def replication_note(counts, per="point", over="replications", shown_as="shaded band"):
    """Footnote text describing the number of replications behind the CI."""
    counts = [int(c) for c in counts if c > 0]
    if not counts:
        return ""
    lo, hi = min(counts), max(counts)
    n = f"n = {lo}" if lo == hi else f"n = {lo}-{hi}"
    text = f"Mean over {over} ({n} per {per}); {shown_as}: 95 % CI (Student t)"
    if hi < 2:
        return f"Single replication per {per}: no confidence interval."
    if lo < 2:
        text += "; no interval where n = 1"
    return text + "."


# --------------------------------------------------------------------------
# labels and units

def humanize_pointer(pointer):
    """'/platform/san/bandwidth' -> 'SAN bandwidth', '/workload/dirty/rate' -> 'Dirty rate'."""
    parts = [p for p in pointer.strip("/").split("/") if p and not p.isdigit()]
    words = " ".join(parts[-2:]).replace("_", " ").split() if parts else [pointer]
    words = [w.upper() if w.lower() in _ACRONYMS else w for w in words]
    text = " ".join(words)
    return text[:1].upper() + text[1:]


def parameter_unit(column, values):
    """Choose ``(scale, unit)`` to display a parameter column.

    Values are in SI base units.  Rates/bandwidths (bytes/s) are shown in
    MB/s, sizes in MiB or GiB, durations in s; anything else unscaled.
    """
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
    if leaf.endswith("_s") or re.search(r"(latency|delay|duration|time|period|interval)", leaf):
        return 1.0, "s"
    return 1.0, ""


def metric_unit(column, values):
    """Choose ``(scale, unit)`` for a summary metric column."""
    finite = np.asarray(values, dtype=float)
    finite = finite[np.isfinite(finite)]
    biggest = float(np.abs(finite).max()) if finite.size else 0.0
    if column.endswith("_bytes") or column.endswith("bytes"):
        return 1.0 / GIB, "GiB"
    if column.endswith("_s"):
        if 0 < biggest < 1.0:
            return 1e3, "ms"
        return 1.0, "s"
    if column.endswith("_Bps"):
        return 1.0 / MB, "MB/s"
    return 1.0, ""


def metric_name(column):
    return METRIC_NAMES.get(column, humanize_pointer(column) if column.startswith("/")
                            else column.replace("_", " "))


def with_unit(name, unit):
    return f"{name} ({unit})" if unit else name


# --------------------------------------------------------------------------
# series (policy, optionally per scenario) and styles

_MARKERS = ("o", "s", "^", "D", "v", "P", "X", "<", ">", "*")
_LINESTYLES = ("-", "--", ":", "-.")


def add_series(df):
    """Add a ``series`` column: the policy, plus the scenario if several."""
    df = df.copy()
    scenarios = sorted(set(df["scenario"])) if "scenario" in df.columns else []
    if len(scenarios) > 1:
        df["series"] = df["policy"] + " / " + df["scenario"]
    else:
        df["series"] = df["policy"]
    return df


def series_styles(df):
    """Map each series to matplotlib line kwargs: colour/marker by policy,
    line style by scenario."""
    cmap = matplotlib.colormaps["tab10"]
    policies = sorted(set(df["policy"]))
    scenarios = sorted(set(df["scenario"])) if "scenario" in df.columns else [""]
    styles = {}
    for _, row in df.drop_duplicates("series").iterrows():
        p = policies.index(row["policy"])
        s = scenarios.index(row["scenario"]) if "scenario" in df.columns else 0
        styles[row["series"]] = dict(color=cmap(p % 10), marker=_MARKERS[p % len(_MARKERS)],
                                     linestyle=_LINESTYLES[s % len(_LINESTYLES)])
    return styles


def policy_colors(policies):
    cmap = matplotlib.colormaps["tab10"]
    return {p: cmap(i % 10) for i, p in enumerate(sorted(set(policies)))}


def varying_within(df, group_keys, exclude=()):
    """Parameter columns that take several values inside one plotted group."""
    out = []
    for col in parameter_columns(df):
        if col in exclude or col in group_keys:
            continue
        if (df.groupby(list(group_keys))[col].nunique(dropna=False) > 1).any():
            out.append(col)
    return out


# --------------------------------------------------------------------------
# output

def output_paths(out):
    """Files to write for ``--out``: a .png, or a .pdf plus a .png next to it."""
    out = Path(out)
    suffix = out.suffix.lower()
    if suffix == ".png":
        return [out]
    if suffix == ".pdf":
        return [out, out.with_suffix(".png")]
    fail(out, "output file name must end in .png or .pdf")


def add_footnote(fig, lines):
    """Small grey text under the figure (kept by bbox_inches='tight')."""
    lines = [ln for ln in lines if ln]
    if lines:
        fig.text(0.01, -0.01, "\n".join(lines), ha="left", va="top",
                 fontsize=8, color="0.3", wrap=False)


def save_figure(fig, out, dpi=150):
    """Write the figure to ``out`` (and a PNG next to it if ``out`` is a PDF)."""
    import matplotlib.pyplot as plt
    for path in output_paths(out):
        path.parent.mkdir(parents=True, exist_ok=True)
        fig.savefig(path, dpi=dpi, bbox_inches="tight", pad_inches=0.15)
        print(f"wrote {path}")
    plt.close(fig)


def add_common_arguments(parser):
    """--out, --title, --dpi shared by every script."""
    parser.add_argument("--out", required=True, metavar="FILE",
                        help="output image; .png, or .pdf (a .png with the same "
                             "name is written next to it)")
    parser.add_argument("--title", metavar="TEXT",
                        help="figure title (default: derived from the data)")
    parser.add_argument("--dpi", type=int, default=150, metavar="N",
                        help="PNG resolution (default: 150)")


# --------------------------------------------------------------------------
# plotting helpers

def plot_mean_with_band(ax, stats, x, styles, y_scale=1.0, x_scale=1.0):
    """One line per series (mean) with a translucent 95 % CI band.

    ``stats`` comes from :func:`group_mean_ci` keyed by ``series`` and ``x``.
    Groups with a single replication get no band (their CI is NaN).
    """
    for series, grp in stats.groupby("series", sort=True):
        grp = grp.sort_values(x)
        xs = grp[x].to_numpy(dtype=float) * x_scale
        style = styles[series]
        ax.plot(xs, grp["mean"] * y_scale, label=series, color=style["color"],
                marker=style["marker"], linestyle=style["linestyle"],
                markersize=5, linewidth=1.8, zorder=3)
        lo = grp["lo"].to_numpy(dtype=float) * y_scale
        hi = grp["hi"].to_numpy(dtype=float) * y_scale
        have = np.isfinite(lo) & np.isfinite(hi)
        if have.any():
            ax.fill_between(xs, lo, hi, where=have, interpolate=False,
                            color=style["color"], alpha=0.2, linewidth=0, zorder=2)
            # Also mark the interval at isolated points, where a band has no width.
            isolated = have & ~np.r_[False, have[:-1]] & ~np.r_[have[1:], False]
            if isolated.any():
                mid = (hi + lo) / 2
                ax.errorbar(xs[isolated], mid[isolated], yerr=((hi - lo) / 2)[isolated],
                            fmt="none", ecolor=style["color"], alpha=0.5, capsize=3)


def lower_first(text):
    """Lower-case the first letter unless the first word is an acronym."""
    first = text.split(" ", 1)[0]
    if len(first) > 1 and first.isupper():
        return text
    return text[:1].lower() + text[1:]


def upper_first(text):
    return text[:1].upper() + text[1:]


def format_tick(value, _pos=None):
    """Compact tick label: 0.25, 1, 312.5, 1250, 1.2e+06."""
    return f"{value:.4g}"


def set_log_ticks_at_values(axis, values, max_ticks=12):
    """On a log axis, put major ticks at the data values if there are few.

    The default log locator shows only decades (often a single '10^2').
    """
    from matplotlib.ticker import FixedLocator, FuncFormatter, NullLocator
    values = sorted({float(v) for v in values if np.isfinite(v) and v > 0})
    if 0 < len(values) <= max_ticks:
        axis.set_major_locator(FixedLocator(values))
        axis.set_minor_locator(NullLocator())
    axis.set_major_formatter(FuncFormatter(format_tick))


def join_words(words):
    """['a'] -> 'a'; ['a', 'b', 'c'] -> 'a, b and c'."""
    words = list(words)
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def series_legend(ax, df):
    """Legend of the plotted series; moved outside the axes when long."""
    n = df["series"].nunique()
    several = "scenario" in df.columns and df["scenario"].nunique() > 1
    title = "Policy / scenario" if several else "Policy"
    if n > 4:
        ax.legend(title=title, fontsize=9, title_fontsize=9, loc="upper left",
                  bbox_to_anchor=(1.02, 1.0), borderaxespad=0)
    else:
        ax.legend(title=title, fontsize=9, title_fontsize=9)


def where_note(conditions):
    """Footnote line recording --where filters (empty if none)."""
    return f"Rows selected by {', '.join(conditions)}." if conditions else ""

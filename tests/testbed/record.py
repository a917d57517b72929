"""Writing a record: JSON that stays readable (one key per line) but compact (a list of numbers,
such as one time-series row, stays on one line), written atomically (temp file + rename)."""
import json
import os
import tempfile


def dumps(value, indent=0):
    pad, inner = " " * indent, " " * (indent + 1)
    if isinstance(value, dict) and value:
        items = [f"{inner}{json.dumps(str(k))}: {dumps(v, indent + 1)}" for k, v in value.items()]
        return "{\n" + ",\n".join(items) + "\n" + pad + "}"
    if isinstance(value, list) and any(isinstance(v, (dict, list)) for v in value):
        return "[\n" + ",\n".join(inner + dumps(v, indent + 1) for v in value) + "\n" + pad + "]"
    return json.dumps(value, separators=(",", ":"))


def write_record(rec, path):
    d = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".json", dir=d)
    with os.fdopen(fd, "w") as f:
        f.write(dumps(rec) + "\n")
    os.chmod(tmp, 0o644)  # mkstemp makes it private
    os.replace(tmp, path)

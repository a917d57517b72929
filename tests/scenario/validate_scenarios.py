#!/usr/bin/python3
"""docs/scenario.schema.json as an editor uses it: a valid draft 2020-12 schema, every scenario under
scenarios/ valid against it, and on a set of small documents the same verdict as `migsim validate`
(exit 77, skipped, without Debian's python3-jsonschema). Usage: validate_scenarios.py MIGSIM SOURCE_DIR"""
import json
import pathlib
import subprocess
import sys
import tempfile

try:
    import jsonschema
except ImportError:
    print("skipped: no jsonschema module (Debian: apt-get install python3-jsonschema)")
    sys.exit(77)

migsim, source = sys.argv[1], pathlib.Path(sys.argv[2])
schema = json.loads((source / "docs/scenario.schema.json").read_text())
jsonschema.Draft202012Validator.check_schema(schema)
validator = jsonschema.Draft202012Validator(schema)
failures = []

# Every scenario file: all *.json under scenarios/ but sweep files, the validation suite's sidecars and
# the real-migration records of the testbed (scenarios/validation/qemu/records/, docs/testbed.md).
for path in sorted((source / "scenarios").rglob("*.json")):
    if "sweeps" in path.parts or path.name.endswith(".validation.json") or "records" in path.parts:
        continue
    for error in validator.iter_errors(json.loads(path.read_text())):
        failures.append(f"{path}: {'/'.join(map(str, error.absolute_path))}: {error.message}")

# Small documents on which the schema and the loader must agree (what the schema cannot express, such
# as "clean + dirty at most 1" or "memory holds at least one page", is left out).
cases = [
    ({}, True),
    ({"vm": {"memory": "4 GiB", "page_size": 8192}}, True),
    ({"migration": {"downtime_limit": "1.5e2ms", "max_time": 60, "chunk": "+16MiB", "start": "2e-3s"}}, True),
    ({"migration": {"policy": "san-restore", "params": {"map_time_per_GiB": "100ms"}}}, True),
    ({"workload": {"dirty": {"phases": [{"at": "5s", "rate": "20MBps", "pattern": "uniform"}]}}}, True),
    ({"vms": [{"name": "a"}, {"name": "b", "vm": {"memory": "1GiB"}}], "evacuation": {"mode": "batch", "batch": 2}}, True),
    ({"vm": {"memroy": "4GiB"}}, False),
    ({"datacentre": {"racks": [{"count": 2, "host": {"nic": "10Gbps"}}], "spine": {"oversubscription": 4}},
      "vms": [{"name": "a", "host": "rack0-host0", "cpu": 2}],
      "plan": {"migrations": [{"vm": "a", "to": "rack1-host1", "start": "1s"}], "limits": {"per_rack": 1}}}, True),
    ({"datacentre": {"racks": [{}]}, "vms": [{"host": "rack0-host0"}],
      "plan": {"migrations": [{"vm": "vm1", "to": "rack0-host1"}], "limit": {"running": 1}}}, False),
    ({"vm": {"memory": "4GHz"}}, False),
    ({"vm": {"memory": "-4GiB"}}, False),
    ({"vm": {"memory": True}}, False),
    ({"vm": {"page_cache": {"clean": 1.5}}}, False),
    ({"platform": {"network_model": "CM03"}}, False),
    ({"platform": {"lan": {"bandwidth": "1GB"}}}, False),
    ({"migration": {"policy": "pre-copy"}}, False),
    ({"migration": {"max_rounds": 0}}, False),
    ({"migration": {"max_rounds": "ten"}}, False),
    ({"migration": {"params": 3}}, False),
    ({"seed": -1}, False),
    ({"vms": []}, False),
    ({"vms": [{"name": "a", "platform": {}}]}, False),
    ({"evacuation": {"mode": "all"}, "vms": [{"name": "a"}]}, False),
    ({"workload": {"io": {"profile": "mail"}}}, False),
]
with tempfile.TemporaryDirectory() as work:
    for i, (document, valid) in enumerate(cases):
        path = pathlib.Path(work) / f"case{i}.json"
        path.write_text(json.dumps(document))
        by_schema = validator.is_valid(document)
        run = subprocess.run([migsim, "validate", str(path)], capture_output=True, text=True)
        by_loader = run.returncode == 0
        if by_schema != valid or by_loader != valid:
            failures.append(f"{json.dumps(document)}: expected {'valid' if valid else 'invalid'}, schema says "
                            f"{by_schema}, migsim validate says {by_loader} ({run.stderr.strip()})")

for f in failures:
    print("FAILED:", f)
print(f"{len(cases)} documents and the scenario files checked, {len(failures)} failures")
sys.exit(1 if failures else 0)

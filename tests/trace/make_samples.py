#!/usr/bin/python3
"""Writes the small trace samples of tests/trace/samples/ (deterministic: a fixed seed).

planetlab/: three VMs in CloudSim's PlanetLab format (288 integer CPU % lines), one of them with a
space in its name as in the real day; bitbrains/: one VM in Bitbrains GWA-T-12 fastStorage format
(a header, then 12 rows of 11 fields separated by ";\\t", 300 s apart).
Usage: make_samples.py OUT_DIR
"""
import os
import random
import sys

out = sys.argv[1]
rng = random.Random(22)
os.makedirs(os.path.join(out, "planetlab"), exist_ok=True)
os.makedirs(os.path.join(out, "bitbrains"), exist_ok=True)
# A flat VM (always 10 %), a ramp 0..95 % and back, and a noisy one.
flat = [10] * 288
ramp = [min(95, i // 2) if i < 192 else max(0, 95 - (i - 192)) for i in range(288)]
noisy = [rng.randint(0, 60) for _ in range(288)]
for name, values in (("flat_vm", flat), ("ramp_vm", ramp), ("noisy vm_with space", noisy)):
    with open(os.path.join(out, "planetlab", name), "w") as f:
        f.write("".join(f"{v}\n" for v in values))

header = ("Timestamp [ms];\tCPU cores;\tCPU capacity provisioned [MHZ];\tCPU usage [MHZ];\tCPU usage [%];\t"
          "Memory capacity provisioned [KB];\tMemory usage [KB];\tDisk read throughput [KB/s];\t"
          "Disk write throughput [KB/s];\tNetwork received throughput [KB/s];\tNetwork transmitted throughput [KB/s]")
with open(os.path.join(out, "bitbrains", "1.csv"), "w") as f:
    f.write(header + "\n")
    for i in range(12):
        percent = 5 * i  # 0, 5, ..., 55 %
        usage_mhz = 2 * 2926 * percent / 100
        f.write(f"{1376314846 + 300 * i};\t2;\t5852.0;\t{usage_mhz:.3f};\t{percent:.1f};\t4194304.0;\t"
                f"{rng.randint(100000, 400000)}.0;\t{rng.randint(0, 50)}.0;\t{rng.randint(0, 50)}.0;\t"
                f"{rng.uniform(0, 5):.3f};\t{rng.uniform(0, 5):.3f}\n")

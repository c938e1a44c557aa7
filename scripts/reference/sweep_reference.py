#!/usr/bin/env python3
"""Expected numbers of `sslmem report --sweep epoch` on the fixtures' SimCLR checkpoints
and final dumps: each pair scored by the independent float64 scripts/reference/reference_scores.py
(range over the candidates, sslmem's default convention),
then the candidates' mean score per epoch (one run per epoch, so no std over seeds).

Usage: sweep_reference.py > fixtures/expected/sweep_epoch.json   (run from the repository root)
"""
import csv
import json
import os
import subprocess
import sys
import tempfile

import h5py
import numpy as np

PAIRS = [(f"fixtures/checkpoints/simclr_f_epoch{e:03d}.h5", f"fixtures/checkpoints/simclr_g_epoch{e:03d}.h5")
         for e in (8, 26, 53)] + [("fixtures/simclr_f.h5", "fixtures/simclr_g.h5")]


def main():
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for f, g in PAIRS:
            out = os.path.join(tmp, "scores.csv")
            subprocess.run([sys.executable, "scripts/reference/reference_scores.py", "--f", f, "--g", g, "--range-over", "candidate",
                            "--out", out], check=True)
            with open(out) as fh:
                scores = [float(r["score"]) for r in csv.DictReader(fh) if r["subset"] == "candidate"]
            with h5py.File(f, "r") as h:
                epoch = float(h.attrs["epoch"])
            rows.append({"epoch": epoch, "runs": 1, "candidate_mean": float(np.mean(scores))})
    print(json.dumps(sorted(rows, key=lambda r: r["epoch"])))


if __name__ == "__main__":
    main()

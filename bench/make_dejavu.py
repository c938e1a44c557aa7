#!/usr/bin/env python3
"""Write a layout-v1 pair (f, g) for the Déjà Vu benchmark: `--targets` crop rows
(half candidates, half independent), `--public` labelled public rows, `--dim`
float32 dimensions; representations are class centres plus noise. The views are
a token [N, 2, 1] so the files are valid dumps; only /dejavu is measured.

  make_dejavu.py --out DIR --targets 10000 --public 100000 --dim 2048 [--seed 0]
"""
import argparse
import os

import h5py
import numpy as np


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--targets", type=int, default=10000)
    ap.add_argument("--public", type=int, default=100000)
    ap.add_argument("--dim", type=int, default=2048)
    ap.add_argument("--seed", type=int, default=0)
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    rng = np.random.default_rng(a.seed)
    n, m, d = a.targets, a.public, a.dim
    index = rng.permutation(n * 2)[:n].astype(np.int64)
    subset = np.where(np.arange(n) % 2 == 0, 1, 2).astype(np.uint8)
    label = rng.integers(0, 10, n).astype(np.int64)
    public_label = rng.integers(0, 10, m).astype(np.int64)
    for role, trained in (("f", "candidate"), ("g", "independent")):
        centres = rng.standard_normal((10, d)).astype(np.float32) * 0.12
        with h5py.File(os.path.join(a.out, f"dejavu_{role}.h5"), "w") as h:
            h.attrs["sslmem_format"] = "representations"
            h.attrs["sslmem_format_version"] = 1
            h.attrs["trained_on"] = ["shared", trained]
            h["points/index"] = index
            h["points/subset"] = subset
            h["points/label"] = label
            h["views/representations"] = rng.standard_normal((n, 2, 1)).astype(np.float32)
            h["dejavu/crop_index"] = index
            crop = h.create_dataset("dejavu/crop", (n, d), dtype="f4", chunks=(64, d))
            for s in range(0, n, 4096):
                e = min(n, s + 4096)
                crop[s:e] = centres[label[s:e]] + rng.standard_normal((e - s, d), dtype=np.float32)
            public = h.create_dataset("dejavu/public", (m, d), dtype="f4", chunks=(64, d))
            for s in range(0, m, 4096):
                e = min(m, s + 4096)
                public[s:e] = centres[public_label[s:e]] + rng.standard_normal((e - s, d), dtype=np.float32)
            h["dejavu/public_label"] = public_label


if __name__ == "__main__":
    main()

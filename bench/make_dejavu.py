#!/usr/bin/env python3
"""Write a layout-v1 pair (f, g) for the Déjà Vu benchmark: `--targets` crop rows
(half candidates, half independent), `--public` labelled public rows, `--dim`
float32 dimensions. The views are a token [N, 2, 1] so the files are valid dumps;
only /dejavu is measured.

`--spectrum isotropic` (the default): class centres (sd 0.12 per coordinate) plus
isotropic unit noise, the worst case for spectral pruning.

`--spectrum realistic`: the covariance spectrum of real SSL embeddings. On the
fmnist SimCLR and VICReg dumps' Déjà Vu public sets (/work/shared/data/fmnist/
{simclr,vicreg}_{f,g}.h5 `/dejavu/public`, 3,000 × 256, from the small CNN), the
centred covariance's eigenvalues follow λᵢ ∝ (i + i₀)^(−α) closely (least squares
on log λ over all 256): α = 2.99, 2.94, 2.92, 3.06 and i₀ = 26, 25, 17, 21; the
top 32 directions hold 80–87% of the variance; classes carry 25–30% of it
(between-class share) and the mean's norm is 0.65–0.72 of the spread √Σλ. The
generator keeps SimCLR's law in rank (α = 2.97, i₀ = 25.5) up to `--dim`
(extrapolated: at 2,048 dims the top 32 directions hold 79%, the top 64 91%), with
29% of each direction's variance between 10 class centres and the rest within,
plus a mean offset of norm 0.65·√Σλ, along random orthogonal directions (a product
of random Householder reflections, so no coordinate axis is special).

  make_dejavu.py --out DIR --targets 10000 --public 100000 --dim 2048 [--spectrum realistic] [--seed 0]
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
    ap.add_argument("--spectrum", choices=("isotropic", "realistic"), default="isotropic")
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    rng = np.random.default_rng(a.seed)
    n, m, d = a.targets, a.public, a.dim
    index = rng.permutation(n * 2)[:n].astype(np.int64)
    subset = np.where(np.arange(n) % 2 == 0, 1, 2).astype(np.uint8)
    label = rng.integers(0, 10, n).astype(np.int64)
    public_label = rng.integers(0, 10, m).astype(np.int64)
    realistic = a.spectrum == "realistic"
    if realistic:
        # Standard deviations per principal direction, and the directions: 8 random Householder reflections.
        sd = ((np.arange(1, d + 1) + 25.5) ** -2.97) ** 0.5
        sd = (sd / np.sqrt((sd ** 2).sum())).astype(np.float32)  # total variance 1
        reflections = rng.standard_normal((8, d)).astype(np.float32)
        reflections /= np.linalg.norm(reflections, axis=1, keepdims=True)

    def rotate(x):
        for v in reflections:
            x -= 2 * np.outer(x @ v, v)
        return x

    def rows(count, labels, centres, offset):
        if not realistic:
            return centres[labels] + rng.standard_normal((count, d), dtype=np.float32)
        z = rng.standard_normal((count, d), dtype=np.float32) * (sd * np.float32(0.71 ** 0.5))
        return rotate(centres[labels] + z) + offset

    for role, trained in (("f", "candidate"), ("g", "independent")):
        if realistic:
            centres = rng.standard_normal((10, d)).astype(np.float32) * (sd * np.float32(0.29 ** 0.5))
            offset = rotate(rng.standard_normal((1, d)).astype(np.float32))[0]
            offset *= np.float32(0.65) / np.linalg.norm(offset)
        else:
            centres = rng.standard_normal((10, d)).astype(np.float32) * 0.12
            offset = None
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
                crop[s:e] = rows(e - s, label[s:e], centres, offset)
            public = h.create_dataset("dejavu/public", (m, d), dtype="f4", chunks=(64, d))
            for s in range(0, m, 4096):
                e = min(m, s + 4096)
                public[s:e] = rows(e - s, public_label[s:e], centres, offset)
            h["dejavu/public_label"] = public_label


if __name__ == "__main__":
    main()

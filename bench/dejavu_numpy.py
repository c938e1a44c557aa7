#!/usr/bin/env python3
"""The Déjà Vu attack as a researcher would write it with h5py + numpy: float32
distances through a matrix product in blocks of targets, np.argpartition for the
k nearest, bincount votes and entropy. It is the speed peer of `sslmem dejavu`
(it does not break distance ties exactly). Prints the seconds and quadrant shares.

  dejavu_numpy.py --f F.h5 --g G.h5 [--k 100]
"""
import argparse
import time

import h5py
import numpy as np


def attack(path, keys, k):
    with h5py.File(path, "r") as h:
        crop = h["dejavu/crop"][:]
        row_of = {int(x): i for i, x in enumerate(h["dejavu/crop_index"][:])}
        public = h["dejavu/public"][:]
        public_label = h["dejavu/public_label"][:]
    targets = crop[[row_of[x] for x in keys]]
    pn = (public * public).sum(1)
    right_label = np.empty(len(keys), np.int64)
    entropy = np.empty(len(keys))
    for s in range(0, len(targets), 1024):
        t = targets[s:s + 1024]
        d = (t * t).sum(1)[:, None] + pn[None, :] - 2 * t @ public.T
        nn = np.argpartition(d, k - 1, axis=1)[:, :k]
        labels = public_label[nn]
        counts = np.stack([np.bincount(row, minlength=10) for row in labels])
        right_label[s:s + len(t)] = counts.argmax(1)
        p = counts / k
        entropy[s:s + len(t)] = -(np.where(p > 0, p * np.log(np.where(p > 0, p, 1)), 0)).sum(1)
    return right_label, entropy


def run(attack) -> None:
    """The driver both peers share (this script and dejavu_faiss.py): reads the targets and labels, runs
    `attack(path, keys, k)` (the inferred label per target) on f and g, prints the seconds and the
    memorized share."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--f", required=True)
    ap.add_argument("--g", required=True)
    ap.add_argument("--k", type=int, default=100)
    a = ap.parse_args()
    start = time.perf_counter()
    with h5py.File(a.f, "r") as h:
        subset = dict(zip(h["points/index"][:].tolist(), h["points/subset"][:].tolist()))
        label = dict(zip(h["points/index"][:].tolist(), h["points/label"][:].tolist()))
        keys = sorted(x for x in h["dejavu/crop_index"][:].tolist() if subset[x] in (1, 2))
    truth = np.array([label[x] for x in keys])
    in_a = np.array([subset[x] == 1 for x in keys])
    fr = attack(a.f, keys, a.k) == truth
    gr = attack(a.g, keys, a.k) == truth
    memorized = ((fr & ~gr)[in_a].mean() + (gr & ~fr)[~in_a].mean()) / 2
    print(f"{time.perf_counter() - start:.2f} s  memorized {memorized:.4f}")


def main():
    run(lambda path, keys, k: attack(path, keys, k)[0])


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""The Déjà Vu attack as facebookresearch/DejaVu runs its kNN: faiss `IndexFlatL2`
(exact float32 brute force, all cores through OpenMP) over the public rows, then
the same label vote as `sslmem dejavu`. It is the speed peer the issue names; it
reads the files with h5py, like the numpy peer, and its time includes the reads.
Prints the seconds and the memorized share.

  dejavu_faiss.py --f F.h5 --g G.h5 [--k 100]
"""
import argparse
import time

import faiss
import h5py
import numpy as np


def attack(path: str, keys: list[int], k: int) -> np.ndarray:
    with h5py.File(path, "r") as h:
        crop = h["dejavu/crop"][:]
        row_of = {int(x): i for i, x in enumerate(h["dejavu/crop_index"][:])}
        public = h["dejavu/public"][:]
        public_label = h["dejavu/public_label"][:]
    targets = np.ascontiguousarray(crop[[row_of[x] for x in keys]])
    index = faiss.IndexFlatL2(public.shape[1])
    index.add(public)
    _, nn = index.search(targets, k)
    labels = public_label[nn]
    counts = np.stack([np.bincount(row, minlength=int(public_label.max()) + 1) for row in labels])
    return counts.argmax(1)


def main() -> None:
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


if __name__ == "__main__":
    main()

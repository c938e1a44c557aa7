#!/usr/bin/env python3
"""The Déjà Vu attack as facebookresearch/DejaVu runs its kNN: faiss `IndexFlatL2`
(exact float32 brute force, all cores through OpenMP) over the public rows, then
the same label vote as `sslmem dejavu`. It is the speed peer the issue names; it
reads the files with h5py and shares the numpy peer's driver (`dejavu_numpy.run`),
so its time includes the reads. Prints the seconds and the memorized share.

  dejavu_faiss.py --f F.h5 --g G.h5 [--k 100]
"""
import faiss
import h5py
import numpy as np

from dejavu_numpy import run


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
    run(attack)


if __name__ == "__main__":
    main()

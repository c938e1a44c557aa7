#!/usr/bin/env python3
"""Writes fixtures/foreign/: files as other tools write them, for the tests of
reading them (Tests/SSLMemAnalysisTests/ForeignFileTests.swift). Run from the repository
root with numpy, scipy and h5py (h5py's built-in LZF filter):

    python3 -m venv /tmp/venv && /tmp/venv/bin/pip install numpy scipy h5py
    /tmp/venv/bin/python scripts/make_foreign_fixtures.py

The CSV files come out byte for byte the same; the .mat headers carry their creation
time (scipy.io.savemat), so those bytes differ between runs while their arrays do not.
"""
import csv
import os

import h5py
import numpy as np
import scipy.io

OUT = "fixtures/foreign"
SCORES = "fixtures/expected/simclr_allpairs_l2_range.csv"


def read_scores(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def main():
    os.makedirs(OUT, exist_ok=True)
    rows = read_scores(SCORES)

    # Python's csv module: CRLF line ends; a UTF-8 BOM (utf-8-sig, as Excel writes);
    # the columns in another order and an extra column.
    order = ["score", "extra_note", "index", "diff", "subset", "align_g", "label", "align_f"]
    with open(f"{OUT}/scores_crlf_bom.csv", "w", newline="", encoding="utf-8-sig") as f:
        w = csv.writer(f)  # lineterminator "\r\n"
        w.writerow(order)
        for r in reversed(rows):
            w.writerow([r.get(c, "x") if c != "extra_note" else "n/a" for c in order])

    # Another method's per-point score (e.g. Feldman's), index + a column named "mem",
    # for the even indices only; mem = 2 * score + 1 (Kendall's tau with the scores is 1).
    with open(f"{OUT}/other_method.csv", "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["index", "mem"])
        for r in rows:
            if int(r["index"]) % 2 == 0:
                w.writerow([r["index"], repr(2 * float(r["score"]) + 1)])

    # NaN in a scores CSV and the same in a per-point .h5.
    with open(f"{OUT}/scores_nan.csv", "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["index", "score"])
        w.writerow([5, 0.25])
        w.writerow([7, "nan"])
    with h5py.File(f"{OUT}/scores_nan.h5", "w") as h:
        h["index"] = np.array([5, 7], dtype=np.int64)
        h["score"] = np.array([0.25, np.nan])

    # .mat files of a per-point score: level 5 uncompressed (index given, subset codes),
    # level 5 zlib-compressed (no index: positions 0..N-1), and v7.3 (HDF5 with a 512-byte header).
    index = np.array([int(r["index"]) for r in rows], dtype=np.int64)
    score = np.array([float(r["score"]) for r in rows])
    subset = np.array([["shared", "candidate", "independent", "extra"].index(r["subset"]) for r in rows], dtype=np.uint8)
    scipy.io.savemat(f"{OUT}/scores_v5.mat", {"index": index, "score": score, "subset": subset, "note": "sslmem"},
                     do_compression=False, oned_as="column")
    positions = np.arange(50, dtype=np.float64) / 49.0
    scipy.io.savemat(f"{OUT}/memorization_v5z.mat", {"memorization": positions}, do_compression=True)
    with h5py.File(f"{OUT}/scores_v73.mat", "w", userblock_size=512, libver=("earliest", "v110")) as h:
        h["index"] = index.reshape(1, -1).astype(np.float64)
        h["score"] = score.reshape(1, -1)
    with open(f"{OUT}/scores_v73.mat", "r+b") as f:
        f.write(b"MATLAB 7.3 MAT-file, written by scripts/make_foreign_fixtures.py".ljust(116, b" "))

    # A pair of dumps with LZF-compressed views (h5py compression="lzf"), chunks of whole
    # rows, and the same values with gzip, whose scores must be equal; and an LZF dump whose
    # chunks split rows, which only libhdf5 could read (it has no LZF filter).
    for role in ["f", "g"]:
        with h5py.File(f"fixtures/vicreg_{role}.h5", "r") as src:
            n = 48
            take = np.sort(np.argsort(src["points/index"][:])[:n])
            views = src["views/representations"][:][take][:, :, :64]
            views = np.round(views * 8) / 8  # compressible, so LZF is applied to every chunk
            for name, kwargs in [("lzf", dict(compression="lzf", shuffle=True, chunks=(16, 5, 64))),
                                 ("gzip", dict(compression="gzip", chunks=(16, 5, 64))),
                                 ("lzf_split", dict(compression="lzf", chunks=(16, 5, 16)))]:
                if name == "lzf_split" and role == "g":
                    continue
                with h5py.File(f"{OUT}/{role}_{name}.h5", "w", libver=("earliest", "v110")) as dst:
                    for key, value in src.attrs.items():
                        dst.attrs[key] = value
                    for key in ["points/index", "points/subset", "points/label"]:
                        dst[key] = src[key][:][take]
                    dst["points/subset"].attrs["names"] = src["points/subset"].attrs["names"]
                    dst.create_dataset("views/representations", data=views, **kwargs)
                    if name == "lzf":
                        ds = dst["views/representations"]
                        masks = [ds.id.get_chunk_info(i).filter_mask for i in range(ds.id.get_num_chunks())]
                        assert all(m == 0 for m in masks), masks


if __name__ == "__main__":
    main()

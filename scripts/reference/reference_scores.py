#!/usr/bin/env python3
"""Independent float64 implementation of the SSLMem score (layout v1, docs/layout.md),
used to make the expected values the Swift tests compare against and to check
`sslmem score` on real data. Straightforward on purpose: whole arrays in float64,
explicit unit vectors, explicit pair loops.

  reference_scores.py --f F.h5 [--f ...] --g G.h5 [--g ...] [--pairing all-pairs|original]
                      [--distance l2|cosine] [--normalize range|none] [--range-over all|candidate]
                      --out scores.csv
"""
import argparse, csv
import numpy as np, h5py

SUBSETS = ["shared", "candidate", "independent", "extra"]


def alignment(path, pairing, distance):
    with h5py.File(path, "r") as h:
        index = h["points/index"][:]
        subset = h["points/subset"][:]
        label = h["points/label"][:] if "points/label" in h else np.full(len(index), -1)
        views = h["views/representations"][:].astype(np.float64)
        views = views.reshape(views.shape[0], views.shape[1], -1)
        unit = views / np.linalg.norm(views, axis=2, keepdims=True)
        if pairing == "original":
            o = h["views/original"][:].astype(np.float64).reshape(len(index), -1)
            o /= np.linalg.norm(o, axis=1, keepdims=True)
            pairs = [(unit[:, k], o) for k in range(unit.shape[1])]
        else:
            K = unit.shape[1]
            pairs = [(unit[:, i], unit[:, j]) for i in range(K) for j in range(i + 1, K)]
    if distance == "l2":
        d = [np.sqrt(((a - b) ** 2).sum(axis=1)) for a, b in pairs]
    else:
        d = [1.0 - (a * b).sum(axis=1) for a, b in pairs]
    a = np.mean(d, axis=0)
    order = np.argsort(index)
    return index[order], subset[order], label[order], a[order]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--f", action="append", required=True)
    ap.add_argument("--g", action="append", required=True)
    ap.add_argument("--pairing", default="all-pairs")
    ap.add_argument("--distance", default="l2")
    ap.add_argument("--normalize", default="range")
    ap.add_argument("--range-over", default="all", choices=["all", "candidate"])
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    runs = {role: [alignment(p, args.pairing, args.distance) for p in paths]
            for role, paths in (("f", args.f), ("g", args.g))}
    index, subset, label = runs["f"][0][:3]
    for run in runs["f"] + runs["g"]:
        assert np.array_equal(run[0], index)
    af = np.mean([r[3] for r in runs["f"]], axis=0)
    ag = np.mean([r[3] for r in runs["g"]], axis=0)
    diff = ag - af
    rows = subset == 1 if args.range_over == "candidate" else np.ones(len(diff), dtype=bool)
    score = diff / (diff[rows].max() - diff[rows].min()) if args.normalize == "range" else diff
    with open(args.out, "w", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["index", "subset", "label", "align_f", "align_g", "diff", "score"])
        for i in range(len(index)):
            w.writerow([int(index[i]), SUBSETS[subset[i]], int(label[i])] +
                       [repr(float(x[i])) for x in (af, ag, diff, score)])


if __name__ == "__main__":
    main()

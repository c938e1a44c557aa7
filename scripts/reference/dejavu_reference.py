#!/usr/bin/env python3
"""Independent Déjà Vu label-inference attack (Meehan et al. 2023) on a layout-v1 pair.

Written from the spec in issue 6 / docs, not from the Swift code, to check
`sslmem dejavu --json` to the last digit:

- distances: float64 matrix product ||t||^2 + ||p||^2 - 2 t.p (numpy); rows within
  1e-9 relative of the k-th distance are settled with exact rational arithmetic
  (fractions.Fraction), rounded once to float64; ties by lower public row;
- prediction: most frequent neighbour label, ties -> lowest label;
- confidence: entropy (natural log) of the neighbour-label histogram, terms summed
  over the counts in descending order; lower = more confident;
- acc_M(S, q): accuracy on the floor(q*|S| + 1e-9) (at least 1) most confident
  points of S, ties by lower point index.

Usage: dejavu_reference.py --f F.h5 --g G.h5 [--k 100] [--fractions 0.05,0.2,1]
"""
import argparse
import json
import math
from collections import Counter
from fractions import Fraction

import h5py
import numpy as np


def nearest(targets, public, k):
    """Row numbers of the k nearest public rows of each target (exact order at the boundary)."""
    t = targets.astype(np.float64)
    p = public.astype(np.float64)
    pn = (p * p).sum(1)
    out = []
    for start in range(0, len(t), 256):
        block = t[start:start + 256]
        tn = (block * block).sum(1)
        d = tn[:, None] + pn[None, :] - 2.0 * (block @ p.T)
        for i in range(len(block)):
            row = d[i]
            kth = np.partition(row, k - 1)[k - 1]
            tol = 1e-9 * (tn[i] + pn.max()) + 1e-300
            sure = np.flatnonzero(row < kth - tol)
            unsure = np.flatnonzero(np.abs(row - kth) <= tol)
            exact = []
            for r in unsure:
                a = [Fraction(float(x)) for x in block[i]]
                b = [Fraction(float(x)) for x in p[r]]
                exact.append((float(sum((x - y) ** 2 for x, y in zip(a, b))), int(r)))
            exact.sort()
            chosen = list(sure) + [r for _, r in exact[:k - len(sure)]]
            assert len(chosen) == k
            out.append(chosen)
    return out


def infer(labels):
    counts = Counter(labels)
    top = max(counts.values())
    prediction = min(label for label, c in counts.items() if c == top)
    k = len(labels)
    h = 0.0
    for c in sorted(counts.values(), reverse=True):
        share = c / k
        h -= share * math.log(share)
    return prediction, h


def attack(path, keys, k):
    with h5py.File(path, "r") as h:
        crop = h["dejavu/crop"][:]
        row_of = {int(key): i for i, key in enumerate(h["dejavu/crop_index"][:])}
        public = h["dejavu/public"][:]
        public_label = h["dejavu/public_label"][:]
    targets = np.stack([crop[row_of[key]] for key in keys]).reshape(len(keys), -1)
    neighbours = nearest(targets, public.reshape(len(public), -1), k)
    return {key: infer([int(public_label[r]) for r in rows]) for key, rows in zip(keys, neighbours)}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--f", required=True)
    ap.add_argument("--g", required=True)
    ap.add_argument("--k", type=int, default=100)
    ap.add_argument("--fractions", default="0.05,0.2,1")
    args = ap.parse_args()
    with h5py.File(args.f, "r") as h:
        subset = dict(zip(h["points/index"][:].tolist(), h["points/subset"][:].tolist()))
        label = dict(zip(h["points/index"][:].tolist(), h["points/label"][:].tolist()))
        cropped = set(h["dejavu/crop_index"][:].tolist())
    A = sorted(x for x in cropped if subset[x] == 1)
    B = sorted(x for x in cropped if subset[x] == 2)
    keys = A + B
    f = attack(args.f, keys, args.k)
    g = attack(args.g, keys, args.k)
    model = {"f": f, "g": g}

    def acc(m, S, q):
        ranked = sorted(S, key=lambda x: (model[m][x][1], x))
        n = max(1, min(len(S), int(math.floor(q * len(S) + 1e-9))))
        return sum(model[m][x][0] == label[x] for x in ranked[:n]) / n

    def target(q):
        return (acc("f", A, q) + acc("g", B, q)) / 2

    def reference(q):
        return (acc("f", B, q) + acc("g", A, q)) / 2

    def share(S, own, other, own_right, other_right):
        return sum((model[own][x][0] == label[x]) == own_right and (model[other][x][0] == label[x]) == other_right
                   for x in S) / len(S)

    def quadrant(own_right, other_right):
        return (share(A, "f", "g", own_right, other_right) + share(B, "g", "f", own_right, other_right)) / 2

    fractions = [float(q) for q in args.fractions.split(",")]
    result = {
        "k": args.k, "n_A": len(A), "n_B": len(B),
        "fractions": [{"q": q, "target": target(q), "reference": reference(q), "gap": target(q) - reference(q)}
                      for q in fractions],
        "memorized": quadrant(True, False), "forgotten": quadrant(False, True),
        "correlated": quadrant(True, True), "both_wrong": quadrant(False, False),
        "sweep": [{"q": i / 10, "target": target(i / 10), "reference": reference(i / 10)} for i in range(1, 11)],
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()

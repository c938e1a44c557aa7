#!/usr/bin/env python3
"""Compares two scores.csv files: same points and subsets, align_f/align_g within
a relative tolerance, diff/score within an absolute one. Prints the largest
deviations; exits 1 when a tolerance is exceeded.

  compare_scores.py A.csv B.csv [--rel 1e-6] [--abs 1e-6]
"""
import argparse, csv, sys


def read(path):
    with open(path) as fh:
        return list(csv.DictReader(fh))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("a"); ap.add_argument("b")
    ap.add_argument("--rel", type=float, default=1e-6)
    ap.add_argument("--abs", type=float, default=1e-6)
    args = ap.parse_args()
    a, b = read(args.a), read(args.b)
    if [(r["index"], r["subset"], r["label"]) for r in a] != [(r["index"], r["subset"], r["label"]) for r in b]:
        sys.exit("points, subsets or labels differ")
    worst = {}
    for col in ("align_f", "align_g"):
        worst[col] = max(abs(float(x[col]) - float(y[col])) / abs(float(y[col])) for x, y in zip(a, b))
    for col in ("diff", "score"):
        worst[col] = max(abs(float(x[col]) - float(y[col])) for x, y in zip(a, b))
    print(f"{len(a)} points; max rel dev align_f {worst['align_f']:.2e}, align_g {worst['align_g']:.2e}; "
          f"max abs dev diff {worst['diff']:.2e}, score {worst['score']:.2e}")
    ok = worst["align_f"] <= args.rel and worst["align_g"] <= args.rel and worst["diff"] <= args.abs \
        and worst["score"] <= args.abs
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Kendall's tau-b for n = 1,000,000, sslmem (SSLMemStats via sslmem-bench) against
scipy.stats.kendalltau on the same arrays in the same run: without ties
(continuous scores) and with many ties (1,000 distinct values). Best of 5 runs
each; checks that tau and p agree within 1e-9 relative.

  kendall.py --bench .build/release/sslmem-bench --data bench-data
"""
import argparse, os, subprocess, sys, time
import numpy as np
from scipy import stats

N = 1_000_000


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bench", required=True)
    ap.add_argument("--data", required=True)
    a = ap.parse_args()
    os.makedirs(a.data, exist_ok=True)
    rng = np.random.default_rng(7)
    x = rng.normal(size=N)
    cases = [("no ties", x, 0.3 * x + rng.normal(size=N)),
             ("ties (1,000 levels)", np.floor(x * 150) , np.floor((0.3 * x + rng.normal(size=N)) * 150))]
    print(f"{'Kendall tau-b, n = 1e6':24} {'sslmem s':>9} {'scipy s':>8} {'ratio':>6}  tau and p agree")
    for title, u, v in cases:
        paths = [os.path.join(a.data, f"kendall_{i}.f64") for i in (0, 1)]
        u.astype("<f8").tofile(paths[0]); v.astype("<f8").tofile(paths[1])
        out = subprocess.run([a.bench, "kendall", paths[0], paths[1], "5"], capture_output=True, text=True,
                             check=True).stdout.split()
        ours, tau, p = float(out[0]), float(out[1]), float(out[2])
        best = float("inf")
        for _ in range(5):
            t = time.perf_counter(); r = stats.kendalltau(u, v); best = min(best, time.perf_counter() - t)
        agree = abs(tau - r.statistic) <= 1e-9 * abs(r.statistic) and \
            (abs(p - r.pvalue) <= 1e-9 * abs(r.pvalue) if r.pvalue != 0 else p == 0)
        print(f"{title:24} {ours:9.3f} {best:8.3f} {best / ours:5.1f}×  {'yes' if agree else 'NO'} "
              f"(tau {tau:.6f}, p {p:.3g})")
        if not agree:
            sys.exit(f"{title}: sslmem tau {tau!r} p {p!r}, scipy tau {r.statistic!r} p {r.pvalue!r}")


if __name__ == "__main__":
    main()

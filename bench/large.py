#!/usr/bin/env python3
"""`make bench-large`: `sslmem score` on a synthetic pair of over 10 GB (32,000 points
× 5 views × 8,192 float32 dimensions per file, ../shared-style make_synthetic.py),
against the fixture pair (11 MB): peak RSS must stay flat while the input grows
1,000-fold. Prints time, throughput and peak RSS of both.

  large.py --sslmem .build/release/sslmem --data bench-data [--python PY]
"""
import os

from bench import arguments, pair, timed

HERE = os.path.dirname(os.path.abspath(__file__))


def main():
    a = arguments()
    folder = os.path.join(a.data, "big")
    f, g = pair(folder, ("f.h5", "g.h5"), ["make_synthetic.py", "--points", "32000", "--views", "5", "--dim", "8192"],
                a.python)
    size = (os.path.getsize(f) + os.path.getsize(g)) / 1e9
    out = os.path.join(folder, "scores.csv")
    cold = timed([a.sslmem, "score", "--f", f, "--g", g, "--out", out])
    warm = timed([a.sslmem, "score", "--f", f, "--g", g, "--out", out])
    fixtures = os.path.join(os.path.dirname(HERE), "fixtures")
    small = timed([a.sslmem, "score", "--f", os.path.join(fixtures, "simclr_f.h5"), "--g", os.path.join(fixtures, "simclr_g.h5"),
                   "--out", os.path.join(folder, "fixture.csv")])
    print(f"{size:.1f} GB pair: first run {cold[0]:.2f} s, second {warm[0]:.2f} s ({size / warm[0]:.1f} GB/s), "
          f"peak RSS {max(cold[1], warm[1]):.0f} MB")
    print(f"fixture pair (0.01 GB): peak RSS {small[1]:.0f} MB")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""`make bench`, Déjà Vu part: `sslmem dejavu` against the numpy attack
(bench/dejavu_numpy.py) on the same synthetic pair, in one run: 10,000 targets
× 100,000 public rows × 2,048 float32 dimensions per encoder (bench/make_dejavu.py).
Prints each tool's time, peak RSS and memorized share, and the speed ratio.

  dejavu_bench.py --sslmem .build/release/sslmem --data bench-data [--python PY]
"""
import json
import os
import subprocess

from bench import arguments, pair, timed

HERE = os.path.dirname(os.path.abspath(__file__))


def main():
    a = arguments()
    f, g = pair(os.path.join(a.data, "dejavu"), ("dejavu_f.h5", "dejavu_g.h5"), ["make_dejavu.py"], a.python)
    t_ours, rss_ours = timed([a.sslmem, "dejavu", "--f", f, "--g", g])
    t_base, rss_base = timed([a.python, os.path.join(HERE, "dejavu_numpy.py"), "--f", f, "--g", g])
    ours = subprocess.run([a.sslmem, "dejavu", "--json", "--f", f, "--g", g], capture_output=True, text=True).stdout
    theirs = subprocess.run([a.python, os.path.join(HERE, "dejavu_numpy.py"), "--f", f, "--g", g],
                            capture_output=True, text=True).stdout
    print("Déjà Vu, 10,000 targets × 100,000 public × 2,048 dims, both encoders, k = 100")
    print(f"  sslmem dejavu (exact kNN): {t_ours:7.2f} s, peak RSS {rss_ours:6.0f} MB")
    print(f"  numpy (float32 kNN):       {t_base:7.2f} s, peak RSS {rss_base:6.0f} MB")
    print(f"  ratio {t_base / t_ours:.2f}×")
    memorized = json.loads(ours)["memorized"]
    print(f"  memorized share: sslmem {memorized:.4f}, numpy {theirs.split()[-1]}")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Compares two JSON documents of the same shape: keys, strings and integers
exactly, floats within a relative tolerance (default 1e-9; null only with null).
Prints the largest relative deviation; exits 1 on any difference.

  compare_json.py A.json B.json [--rel 1e-9]
"""
import argparse, json, sys


def walk(a, b, path, rel, worst):
    if isinstance(a, dict) and isinstance(b, dict):
        if list(a) != list(b):
            sys.exit(f"{path}: keys {list(a)} vs {list(b)}")
        for k in a:
            walk(a[k], b[k], f"{path}.{k}", rel, worst)
    elif isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            sys.exit(f"{path}: lengths {len(a)} vs {len(b)}")
        for i, (x, y) in enumerate(zip(a, b)):
            walk(x, y, f"{path}[{i}]", rel, worst)
    elif isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool):
        d = abs(a - b) / abs(b) if b != 0 else abs(a)
        if d > worst[0]:
            worst[:] = [d, path]
        if d > rel:
            sys.exit(f"{path}: {a} vs {b} (relative {d:.2e})")
    elif a != b:
        sys.exit(f"{path}: {a!r} vs {b!r}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("a"); ap.add_argument("b"); ap.add_argument("--rel", type=float, default=1e-9)
    args = ap.parse_args()
    worst = [0.0, ""]
    with open(args.a) as fa, open(args.b) as fb:
        walk(json.load(fa), json.load(fb), "$", args.rel, worst)
    print(f"same shape; largest relative deviation {worst[0]:.2e} at {worst[1]}")


if __name__ == "__main__":
    main()

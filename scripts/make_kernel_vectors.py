#!/usr/bin/env python3
"""Exact-rounding vectors for the squared-distance kernel (Sources/CCoreKernels/squared_distance.c).

For float32 vectors t and p, the expected value is sum((t_i - p_i)^2) computed exactly with
fractions.Fraction and rounded once to float64 (Python's Fraction -> float division rounds
correctly, ties to even). Every compiled variant of the kernel (baseline, AVX2+FMA, AVX-512) must
return exactly these bits. Cases: random normals of lengths around the 8-lane width, huge dynamic
range (differences that are not exact in float64, so the TwoSum error term matters), cancellation
where float64 summation left to right is wrong, and sums that lie just off a rounding midpoint.

Writes Tests/SSLMemCoreTests/Vectors/squared_distance_vectors.json (floats as hex bit patterns).
Run from the repository root: python3 scripts/make_kernel_vectors.py  (standard library only)
"""
import json
import random
import struct
from fractions import Fraction


def f32(x):
    """x rounded to float32 (round to nearest even), as a Python float."""
    return struct.unpack("<f", struct.pack("<f", x))[0]


def bits32(x):
    return "%08x" % struct.unpack("<I", struct.pack("<f", x))[0]


def bits64(x):
    return "%016x" % struct.unpack("<Q", struct.pack("<d", x))[0]


def exact(t, p):
    total = sum((Fraction(a) - Fraction(b)) ** 2 for a, b in zip(t, p))
    return float(total)  # Fraction.__float__: numerator / denominator, correctly rounded


def naive(t, p):
    s = 0.0
    for a, b in zip(t, p):
        d = a - b
        s += d * d
    return s


rng = random.Random(20241126)
cases = []


def add(name, t, p):
    t = [f32(x) for x in t]
    p = [f32(x) for x in p]
    cases.append({"name": name, "t": [bits32(x) for x in t], "p": [bits32(x) for x in p],
                  "expected": bits64(exact(t, p)), "naive_differs": naive(t, p) != exact(t, p)})


add("empty", [], [])
add("2^52 + 1/4 + 1/4 + 2^-40 rounds up to 2^52 + 1", [67108864, 0.5, 0.5, 2.0 ** -20], [0, 0, 0, 0])
for n in [1, 3, 7, 8, 9, 15, 16, 17, 64, 1003, 2048]:
    add(f"normal n={n}", [rng.gauss(0, 1) for _ in range(n)], [rng.gauss(0, 1) for _ in range(n)])
for n in [5, 8, 13, 40, 257]:
    # Exponents spread over the float32 range: t - p is inexact in float64 when they are far apart.
    t = [rng.choice([-1, 1]) * 2.0 ** rng.randint(-60, 60) * rng.uniform(1, 2) for _ in range(n)]
    p = [rng.choice([-1, 1]) * 2.0 ** rng.randint(-60, 60) * rng.uniform(1, 2) for _ in range(n)]
    add(f"wide range n={n}", t, p)
for n in [9, 24, 100]:
    # One large term and many tiny ones: float64 left-to-right loses the tiny ones.
    t = [2.0 ** 26] + [2.0 ** -1 * rng.uniform(0.9, 1.1) for _ in range(n - 1)]
    add(f"large + tiny n={n}", t, [0.0] * n)
for n in [3, 8, 11]:
    # Differences far below the operands: a = 1 + small, b = 1 - small; plus a term 2^-30 apart from 1.
    t = [1.0 + rng.randint(1, 2 ** 10) * 2.0 ** -23 for _ in range(n)]
    p = [1.0 - rng.randint(1, 2 ** 10) * 2.0 ** -24 for _ in range(n)]
    t[0], p[0] = 2.0 ** 40, 2.0 ** -40
    add(f"near-equal with one far pair n={n}", t, p)
# Near midpoints: 2^53-scale value plus a half unit plus a tiny nudge either way.
for sign, name in [(1, "just above"), (-1, "exactly at (ties to even)")]:
    # 2^52 + 1/4 + 1/4 = 2^52 + 1/2 exactly, a midpoint; the last term (2^-36, inside the kernel's documented n^2 * 2^-106 margin) moves it up
    # (t = 2^-30 - 0 adds it, t - p = 0 leaves the tie, which rounds to even 2^52).
    t = [2.0 ** 26, 2.0 ** -1, 2.0 ** -1, 2.0 ** -18]
    p = [0.0, 0.0, 0.0, 0.0 if sign > 0 else 2.0 ** -18]
    add(f"midpoint 2^52 + 1/2 {name}", t, p)
for i in range(8):
    n = rng.randint(2, 40)
    t = [rng.gauss(0, 1) * 2.0 ** rng.randint(-20, 20) for _ in range(n)]
    p = [x + rng.gauss(0, 1) * 2.0 ** -18 * abs(x) for x in t]
    add(f"close pairs {i} n={n}", t, p)

out = "Tests/SSLMemCoreTests/Vectors/squared_distance_vectors.json"
with open(out, "w") as handle:
    json.dump({"source": "scripts/make_kernel_vectors.py (fractions.Fraction, rounded once)", "cases": cases},
              handle, indent=1)
    handle.write("\n")
print(f"{len(cases)} cases, {sum(c['naive_differs'] for c in cases)} where float64 left-to-right summation differs -> {out}")

"""Shards of points for cluster runs, the same partition as `sslmem score --shard i/N`.

Point x (its dataset index, `/points/index`) is in shard h(x) mod N, where h is the SplitMix64
finalizer (Steele, Lea & Flood 2014) of the index read as an unsigned 64-bit integer — exactly
Sources/SSLMemCore/Shard.swift. A dump made with `shard=(i, N)` holds the points that
`sslmem score --shard i/N` scores.
"""
from __future__ import annotations

from typing import Optional, Tuple

import numpy as np

MASK64 = (1 << 64) - 1

Shard = Tuple[int, int]


def splitmix64(x: int) -> int:
    """SplitMix64 finalizer of x (mod 2^64): z = x + 0x9E3779B97F4A7C15, then two xor-shift-multiply
    rounds and a final xor-shift."""
    z = (x + 0x9E3779B97F4A7C15) & MASK64
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK64
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK64
    return z ^ (z >> 31)


def shard_of(index: int, count: int) -> int:
    """The shard (0 ≤ s < count) of dataset index `index` (negative indices as two's complement)."""
    return splitmix64(int(index) & MASK64) % count


def in_shard(index: int, shard: Shard) -> bool:
    """Whether dataset index `index` belongs to shard (i, N) (`sslmem score --shard i/N`'s rule)."""
    number, count = shard
    return shard_of(index, count) == number


def shard_mask(indices: np.ndarray, shard: Optional[Shard]) -> np.ndarray:
    """Boolean mask of the indices in `shard` (all True when shard is None)."""
    if shard is None:
        return np.ones(len(indices), dtype=bool)
    check_shard(shard)
    return np.array([in_shard(int(i), shard) for i in indices], dtype=bool)


def check_shard(shard: Shard) -> None:
    """Raises ValueError unless the shard (i, N) has 0 ≤ i < N."""
    number, count = shard
    if not (count >= 1 and 0 <= number < count):
        raise ValueError(f"shard {number}/{count}: need 0 <= i < N")


def parse_shard(text: str) -> Shard:
    """Parses "i/N" as `sslmem --shard` does."""
    try:
        a, b = text.split("/")
        shard = (int(a), int(b))
    except ValueError:
        raise ValueError(f"shard {text!r}: expected i/N, e.g. 2/8") from None
    check_shard(shard)
    return shard

#!/usr/bin/env python3
"""Dump throughput of sslmem-backend against a bare torch loop (issue 17, goal: overhead < 10%).

Both run the same encoder (the experiment's small CNN, width 32) over the same augmented batches
— the same `seeded_view` calls, the same batch composition — on the same points; the bare loop
only moves each output to a float32 numpy array and drops it, `dump_representations` also checks
it for NaN/Inf, casts it to float16 and streams it through shuffle + gzip to HDF5. Each variant
runs `--repeats` times, alternating, and the best time counts (least disturbed by other load).
The overhead is computed on CPU time of this process (time.process_time: all its threads), which
other jobs on a shared machine disturb far less than wall time; wall times are printed too.

    .venv/bin/python bench/dump_bench.py [--points 2000] [--views 8] [--threads 2] [--layers]
"""
from __future__ import annotations

import argparse
import os
import tempfile
import time

import numpy as np
import torch

from sslmem_backend.dump import dump_representations
from sslmem_backend.datasets import ArrayDataset
from sslmem_backend.models import SmallCNN
from sslmem_backend.split import make_split
from sslmem_backend.views import Normalize, SimCLRAugment, seeded_view


def bare_loop(encoder, dataset, index, views, transform, original, batch_size, layers):
    """What dump_representations computes, without writing: same views, batches and forwards."""
    taps, handles = {}, []
    modules = dict(encoder.named_modules())
    for name in layers:
        handles.append(modules[name].register_forward_hook(lambda m, i, o, n=name: taps.__setitem__(n, o)))
    step = max(1, batch_size // (views + 1))
    with torch.no_grad():
        for s in range(0, len(index), step):
            aug, plain = [], []
            for i in index[s:s + step]:
                img, _ = dataset[int(i)]
                aug += [seeded_view(transform, img, 0, int(i), k) for k in range(views)]
                plain.append(seeded_view(original, img, 0, int(i), -1))
            for batch in (aug, plain):
                out = encoder(torch.stack(batch)).float().cpu().numpy()
                for t in taps.values():
                    t.float().cpu().numpy()
                del out
    for h in handles:
        h.remove()


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--points", type=int, default=1000)
    p.add_argument("--views", type=int, default=8)
    # one thread: with more, OpenMP workers spin-wait and CPU time measures the spinning
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--repeats", type=int, default=3)
    p.add_argument("--layers", action="store_true", help="also dump conv1..conv3 (the experiment's final files)")
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    rng = np.random.default_rng(0)
    n = a.points
    data = ArrayDataset(rng.integers(0, 256, (n, 28, 28), dtype=np.uint8), rng.integers(0, 10, n), n,
                        mean=[0.286], std=[0.353])
    split = make_split(n, 0, shared=n // 2, candidate=n // 4, independent=n - n // 2 - n // 4, seed=0)
    torch.manual_seed(0)
    enc = SmallCNN(1, 32).eval()
    aug, orig = SimCLRAugment([0.286], [0.353]), Normalize([0.286], [0.353])
    layers = ("conv1", "conv2", "conv3", "fc") if a.layers else ()
    index = split.points()["index"]
    times = {"bare": [], "dump": []}
    cpu = {"bare": [], "dump": []}
    with tempfile.TemporaryDirectory() as d:
        split.save(os.path.join(d, "split.h5"))  # as users do: a saved split (its SHA-256 is then known)
        for r in range(a.repeats):
            t, c = time.perf_counter(), time.process_time()
            bare_loop(enc, data, index, a.views, aug, orig, 256, layers)
            times["bare"].append(time.perf_counter() - t)
            cpu["bare"].append(time.process_time() - c)
            t, c = time.perf_counter(), time.process_time()
            dump_representations(enc, data, split, os.path.join(d, "f.h5"), role="f", views=a.views, transform=aug,
                                 original_transform=orig, layers=layers, batch_size=256)
            times["dump"].append(time.perf_counter() - t)
            cpu["dump"].append(time.process_time() - c)
            size = os.path.getsize(os.path.join(d, "f.h5"))
    bare, dump = min(cpu["bare"]), min(cpu["dump"])
    what = "views + original" + (" + 4 layers" if a.layers else "")
    print(f"dump throughput ({what}; {n} points × {a.views} views, small-cnn w32, {a.threads} thread(s), "
          f"best of {a.repeats}):")
    print(f"  bare torch loop       CPU {bare:7.2f} s  wall {min(times['bare']):7.2f} s  {n / bare:6.0f} points per CPU-s")
    print(f"  dump_representations  CPU {dump:7.2f} s  wall {min(times['dump']):7.2f} s  {n / dump:6.0f} points per CPU-s"
          f"  file {size / 1e6:.1f} MB")
    print(f"  writer overhead (CPU time)  {100 * (dump / bare - 1):+6.1f}%   (goal < 10%)")


if __name__ == "__main__":
    main()

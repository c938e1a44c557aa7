#!/usr/bin/env python3
"""Dump throughput of sslmem-backend against a bare forward loop (issue 29 item 15: goal ≥ 80%).

The bare loop runs the encoder (the experiment's small CNN, width 32, on 28×28 images) over the very
batches the dump feeds it — the augmented views and the originals of each block of points, made
once before timing — and moves each output to a float32 numpy array. `dump_representations` does
all of it: makes the views (SimCLRAugment, seeded per point and view; in DataLoader worker processes
with `--workers` > 0), runs the same forward passes, checks the outputs, casts them to float16 and
streams them through shuffle + gzip to HDF5. Throughput ratio = bare time / dump time (wall clock:
the workers are other processes). The two alternate, `--repeats` times, and the best of each counts
(least disturbed by other load on a shared machine).

    .venv/bin/python bench/dump_bench.py [--points 2000] [--views 8] [--threads 1] [--workers N] [--layers]
"""
from __future__ import annotations

import argparse
import os
import platform
import subprocess
import tempfile
import time

import numpy as np
import torch

from sslmem_backend.blas import set_threads
from sslmem_backend.datasets import ArrayDataset
from sslmem_backend.dump import DumpOptions, _Blocks, dump_representations, plan_dump
from sslmem_backend.models import SmallCNN
from sslmem_backend.split import make_split
from sslmem_backend.views import Normalize, SimCLRAugment


def cpu_name() -> str:
    try:
        out = subprocess.run(["lscpu"], capture_output=True, text=True).stdout
        for line in out.splitlines():
            if line.startswith("Model name:"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


class PILImages:
    """A torchvision-style dataset: (PIL image, int label)."""

    def __init__(self, images: np.ndarray, labels: np.ndarray) -> None:
        self.images, self.labels = images, labels

    def __len__(self) -> int:
        return len(self.images)

    def __getitem__(self, i: int):
        from PIL import Image
        return Image.fromarray(self.images[i]), int(self.labels[i])


def bare_loop(encoder, batches, layers) -> None:
    """The dump's forward passes over prepared inputs, outputs to numpy, nothing else."""
    taps, handles = {}, []
    modules = dict(encoder.named_modules())
    for name in layers:
        handles.append(modules[name].register_forward_hook(lambda m, i, o, n=name: taps.__setitem__(n, o.clone())))
    with torch.no_grad():
        for views, original in batches:
            for batch in (views, original):
                encoder(batch).float().cpu().numpy()
                for t in taps.values():
                    t.float().cpu().numpy()
    for h in handles:
        h.remove()


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--points", type=int, default=2000)
    p.add_argument("--views", type=int, default=8)
    p.add_argument("--threads", type=int, default=1, help="torch and OpenBLAS threads of the forward pass (both loops)")
    p.add_argument("--workers", type=int, default=None,
                   help="DataLoader worker processes of the dump (default: the backend's choice, as the experiment's "
                        "dump: none for SimCLRAugment's batched seeded views, which a thread makes one block ahead)")
    p.add_argument("--repeats", type=int, default=3)
    p.add_argument("--layers", action="store_true", help="also dump conv1..conv3 and fc (the experiment's final files)")
    p.add_argument("--pipeline", choices=("simclr", "torchvision"), default="simclr",
                   help="simclr: SimCLRAugment on tensors (batched seeded views); torchvision: a dataset of PIL "
                        "images and T.Compose([RandomResizedCrop, RandomHorizontalFlip, ToTensor, Normalize]) "
                        "(one view at a time)")
    a = p.parse_args()
    set_threads(a.threads)  # torch and OpenBLAS, as the backend's commands set them
    rng = np.random.default_rng(0)
    n = a.points
    data = ArrayDataset(rng.integers(0, 256, (n, 28, 28), dtype=np.uint8), rng.integers(0, 10, n), n,
                        mean=[0.286], std=[0.353])
    split = make_split(n, 0, shared=n // 2, candidate=n // 4, independent=n - n // 2 - n // 4, seed=0)
    torch.manual_seed(0)
    enc = SmallCNN(1, 32).eval()
    aug, orig = SimCLRAugment([0.286], [0.353]), Normalize([0.286], [0.353])
    if a.pipeline == "torchvision":
        import torchvision.transforms as T
        from PIL import Image
        data = PILImages(data.images, data.labels)
        norm = T.Normalize([0.286], [0.353])
        aug = T.Compose([T.RandomResizedCrop(28, scale=(0.2, 1.0)), T.RandomHorizontalFlip(), T.ToTensor(), norm])
        orig = T.Compose([T.ToTensor(), norm])
        _ = Image
    layers = ("conv1", "conv2", "conv3", "fc") if a.layers else ()
    times = {"bare": [], "dump": []}
    cpu = {"bare": [], "dump": []}
    with tempfile.TemporaryDirectory() as d:
        split.save(os.path.join(d, "split.h5"))  # as users do: a saved split (its SHA-256 is then known)
        out = os.path.join(d, "f.h5")
        opts = DumpOptions(role="f", views=a.views, transform=aug, original_transform=orig, layers=layers,
                           batch_size=256, workers=a.workers)
        blocks = _Blocks(data, plan_dump(data, split, out, opts))
        batches = [(b["views"], b["original"]) for b in (blocks[i] for i in range(blocks.point_blocks))]
        images = sum(len(v) + len(o) for v, o in batches)
        for _ in range(a.repeats):
            t, c = time.perf_counter(), time.process_time()
            bare_loop(enc, batches, layers)
            times["bare"].append(time.perf_counter() - t)
            cpu["bare"].append(time.process_time() - c)
            t, c = time.perf_counter(), time.process_time()
            dump_representations(enc, data, split, out, options=opts)
            times["dump"].append(time.perf_counter() - t)
            cpu["dump"].append(time.process_time() - c)
        size = os.path.getsize(out)
    bare, dump = min(times["bare"]), min(times["dump"])
    what = "views + original" + (" + 4 layers" if a.layers else "") + f", {a.pipeline} pipeline"
    print(f"dump throughput ({what}; {n} points × {a.views} views = {images} encoder inputs, small-cnn w32 on 28×28; "
          f"{a.threads} torch thread(s), {'auto' if a.workers is None else a.workers} worker(s); {cpu_name()}, "
          f"{os.cpu_count()} CPUs; "
          f"load {os.getloadavg()[0]:.1f}; alternating, best of {a.repeats}):")
    bc, dc = min(cpu["bare"]), min(cpu["dump"])
    print(f"  bare forward over the same batches  wall {bare:7.2f} s  {images / bare:8.0f} inputs/s   CPU {bc:7.2f} s")
    print(f"  dump_representations                wall {dump:7.2f} s  {images / dump:8.0f} inputs/s   CPU {dc:7.2f} s"
          f"{' (this process; workers not counted)' if a.workers else ''}  file {size / 1e6:.1f} MB")
    print(f"  dump / bare throughput (wall)  {100 * bare / dump:5.1f}%   (goal ≥ 80%)")
    print(f"  bare / dump CPU time           {100 * bc / dc:5.1f}%   (the work the dump adds; with workers = 0 "
          "its views run in a second thread, one block ahead)")


if __name__ == "__main__":
    main()

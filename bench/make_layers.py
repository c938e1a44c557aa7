#!/usr/bin/env python3
"""Write a pair of synthetic layout-v1 files (f and g) with per-layer outputs shaped like the files
`make experiment` writes (docs/layout.md, "Per-layer outputs"): the small CNN of width 32 on 28×28
images, layers conv1 [32, 14, 14], conv2 [64, 7, 7], conv3 [128, 4, 4] (ReLU outputs, about half
zeros) and fc [128] (signed), 300 points per subset (1,200), 8 views, float16; the layers stored as
sslmem-backend's writer stores them (chunks of whole rows, at most 64 rows and 4 MiB, no filter),
/views (the fc output) with shuffle + gzip 4. About 257 MB per file, as the experiment's.

Each point has a base activation per layer; a view adds noise, less for the points the encoder
trained on (f: shared and candidate; g: shared and independent) and least for its own subset, more in
deeper layers, so that m(x) = a_g(x) − a_f(x) is positive on average for the candidates.

  make_layers.py --out DIR [--points-per-subset 300] [--views 8] [--width 32] [--seed 0]
"""
import argparse
import os

import h5py
import numpy as np

SUBSETS = ["shared", "candidate", "independent", "extra"]
CHUNK_BYTES = 4 << 20  # sslmem-backend's writer.py


def chunk_rows(rows, tail, itemsize):
    return max(1, min(64, rows, CHUNK_BYTES // max(1, int(np.prod(tail)) * itemsize)))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--points-per-subset", type=int, default=300)
    ap.add_argument("--views", type=int, default=8)
    ap.add_argument("--width", type=int, default=32)
    ap.add_argument("--seed", type=int, default=0)
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    w, K = a.width, a.views
    layers = [("conv1", (w, 14, 14)), ("conv2", (2 * w, 7, 7)), ("conv3", (4 * w, 4, 4)), ("fc", (4 * w,))]
    rng = np.random.default_rng(a.seed)
    N = 4 * a.points_per_subset
    subset = np.repeat(np.arange(4, dtype=np.uint8), a.points_per_subset)
    order = rng.permutation(N)
    subset = subset[order]
    index = np.sort(rng.permutation(N * 5)[:N]).astype(np.int64)
    label = rng.integers(0, 10, N).astype(np.int64)
    dtype = np.float16
    for role, own in [("f", 1), ("g", 2)]:
        path = os.path.join(a.out, f"{role}.h5")
        tmp = path + ".tmp"
        with h5py.File(tmp, "w") as h:
            h.attrs["sslmem_format"] = "representations"
            h.attrs["sslmem_format_version"] = 1
            h.attrs["encoder"] = role
            h.attrs["trained_on"] = np.array(["shared", SUBSETS[own]], dtype=h5py.string_dtype())
            h.attrs["method"] = "synthetic"
            h.attrs["architecture"] = f"small-cnn-w{w}"
            h.attrs["seed"] = a.seed
            p = h.create_group("points")
            p.create_dataset("index", data=index)
            s = p.create_dataset("subset", data=subset)
            s.attrs["names"] = np.array(SUBSETS, dtype=h5py.string_dtype())
            p.create_dataset("label", data=label)
            gz = dict(compression="gzip", compression_opts=4, shuffle=True)
            fc_tail = layers[-1][1]
            views = h.create_group("views")
            vds = views.create_dataset("representations", shape=(N, K) + fc_tail, dtype=dtype,
                                       chunks=(chunk_rows(N, (K,) + fc_tail, 2), K) + fc_tail, **gz)
            ods = views.create_dataset("original", shape=(N,) + fc_tail, dtype=dtype,
                                       chunks=(chunk_rows(N, fc_tail, 2),) + fc_tail, **gz)
            # Both files share the points' base activations (same seed), not the view noise.
            base_rng = np.random.default_rng(a.seed + 11)
            noise_rng = np.random.default_rng(a.seed * 7 + own)
            for depth, (name, tail) in enumerate(layers):
                g = h.create_group(f"layers/{name}")
                g.attrs["order"] = np.int64(depth)
                g.attrs["units_axis"] = np.int64(0)
                rep = g.create_dataset("representations", shape=(N, K) + tail, dtype=dtype,
                                       chunks=(chunk_rows(N, (K,) + tail, 2), K) + tail)
                org = g.create_dataset("original", shape=(N,) + tail, dtype=dtype,
                                       chunks=(chunk_rows(N, tail, 2),) + tail)
                D = int(np.prod(tail))
                scale = 0.3 + 0.15 * depth  # deeper layers: views differ more
                for s0 in range(0, N, 64):
                    s1 = min(N, s0 + 64)
                    sub = subset[s0:s1]
                    base = base_rng.standard_normal((s1 - s0, D), dtype=np.float32)
                    noise = np.where(np.isin(sub, [0, own]), 0.8, 1.0).astype(np.float32) * scale
                    noise = np.where(sub == own, 0.6 * scale, noise).astype(np.float32)
                    v = base[:, None, :] + noise[:, None, None] * noise_rng.standard_normal((s1 - s0, K, D),
                                                                                             dtype=np.float32)
                    o = base
                    if name != "fc":
                        v, o = np.maximum(v, 0), np.maximum(o, 0)
                    rep[s0:s1] = v.reshape((s1 - s0, K) + tail).astype(dtype)
                    org[s0:s1] = o.reshape((s1 - s0,) + tail).astype(dtype)
                    if name == "fc":
                        vds[s0:s1] = v.reshape((s1 - s0, K) + tail).astype(dtype)
                        ods[s0:s1] = o.reshape((s1 - s0,) + tail).astype(dtype)
        os.replace(tmp, path)
        print(path, os.path.getsize(path))


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Independent float64 numpy reference for LayerMem, ΔLayerMem and UnitMem (Wang, Dziedzic, Backes,
Boenisch, "Localizing Memorization in SSL Vision Encoders", NeurIPS 2024) over layout-v1 per-layer dumps
(`/layers/<name>/representations` [N, K, ...], `/layers/<name>/original` [N, ...], group attributes
`order` and `units_axis`; docs/layout.md, "LayerMem and UnitMem"). Whole arrays in float64, explicit
unit vectors, explicit loops; nothing shared with the Swift code.

  layermem_reference.py layers --f F.h5 [--f ...] --g G.h5 [--g ...] [--pairing original|all-pairs]
                               [--distance l2|cosine] [--top 10,50,100] [--extremes 50]
  layermem_reference.py units --f F.h5 [--g G.h5] [--layer NAME ...] [--subsets shared,candidate]
                              [--rest mean|median] [--allow-negative]

Both print JSON with the keys `sslmem layers --json` / `sslmem units --json` print (plus per-point
values under "points" for the tests).
"""
import argparse, json, math
import numpy as np, h5py
from scipy.stats import kendalltau

SUBSETS = ["shared", "candidate", "independent", "extra"]


def read_points(h):
    index = h["points/index"][:].astype(np.int64)
    subset = h["points/subset"][:].astype(np.int64)
    return index, subset


def layer_names(h):
    names = list(h["layers"].keys())
    return sorted(names, key=lambda n: int(h["layers"][n].attrs["order"]))


def alignment(views, original, pairing, distance):
    """a(x) per row: views [N, K, D], original [N, D] (float64)."""
    unit = views / np.linalg.norm(views, axis=2, keepdims=True)
    K = views.shape[1]
    if pairing == "original":
        o = original / np.linalg.norm(original, axis=1, keepdims=True)
        pairs = [(unit[:, k], o) for k in range(K)]
    else:
        pairs = [(unit[:, i], unit[:, j]) for i in range(K) for j in range(i + 1, K)]
    if distance == "l2":
        d = [np.sqrt(((a - b) ** 2).sum(axis=1)) for a, b in pairs]
    else:
        d = [1.0 - (a * b).sum(axis=1) for a, b in pairs]
    return np.mean(d, axis=0)


def file_alignments(path, pairing, distance):
    """index (sorted), subset, {layer: a(x)}, a(x) of /views, layer orders."""
    with h5py.File(path, "r") as h:
        index, subset = read_points(h)
        order = np.argsort(index)
        out = {}
        orders = {}
        for name in layer_names(h):
            g = h["layers"][name]
            v = g["representations"][:].astype(np.float64)
            v = v.reshape(v.shape[0], v.shape[1], -1)
            o = g["original"][:].astype(np.float64).reshape(v.shape[0], -1) if pairing == "original" else None
            out[name] = alignment(v, o, pairing, distance)[order]
            orders[name] = int(g.attrs["order"])
        v = h["views/representations"][:].astype(np.float64)
        v = v.reshape(v.shape[0], v.shape[1], -1)
        o = h["views/original"][:].astype(np.float64).reshape(v.shape[0], -1) if pairing == "original" else None
        views = alignment(v, o, pairing, distance)[order]
    return index[order], subset[order], out, views, orders


def top_set(values, x):
    ranked = sorted(range(len(values)), key=lambda i: (-values[i], i))
    return set(ranked[:x])


def tau(a, b):
    if len(a) < 2:
        return None
    t = kendalltau(a, b).statistic
    return None if math.isnan(t) else float(t)


def layers(fs, gs, pairing, distance, tops, extremes):
    runs_f = [file_alignments(p, pairing, distance) for p in fs]
    runs_g = [file_alignments(p, pairing, distance) for p in gs]
    index, subset, _, _, orders = runs_f[0]
    for r in runs_f + runs_g:
        assert np.array_equal(r[0], index)
    names = sorted(orders, key=lambda n: orders[n])
    cand = subset == 1
    # The final SSLMem score from /views, range-normalized over all points.
    vf = np.mean([r[3] for r in runs_f], axis=0)
    vg = np.mean([r[3] for r in runs_g], axis=0)
    diff = vg - vf
    score = diff / (diff.max() - diff.min())
    cs = score[cand]
    nc = int(cand.sum())
    e = min(extremes, nc)
    by_desc = sorted(range(nc), key=lambda i: (-cs[i], i))[:e]
    by_asc = sorted(range(nc), key=lambda i: (cs[i], i))[:e]
    result, ms = [], {}
    previous = None
    for name in names:
        af = np.mean([r[2][name] for r in runs_f], axis=0)
        ag = np.mean([r[2][name] for r in runs_g], axis=0)
        m = (ag - af)[cand]
        mt = m / (m.max() - m.min())
        lm = float(np.mean(mt))
        delta = lm if previous is None else lm - previous
        previous = lm
        ms[name] = m
        extra = subset == 3
        control = float(np.mean((ag - af)[extra] / (m.max() - m.min()))) if extra.any() else None
        result.append({"name": name, "order": orders[name], "layermem": lm, "delta": delta, "n": nc,
                       "top": float(np.mean(mt[by_desc])), "least": float(np.mean(mt[by_asc])),
                       "control": control})
    pairs = []
    for i in range(len(names)):
        for j in range(i + 1, len(names)):
            a, b = ms[names[i]], ms[names[j]]
            top = []
            for x in tops:
                if x > nc:
                    continue
                common = sorted(top_set(a, x) & top_set(b, x))
                top.append({"x": x, "overlap": len(common) / x,
                            "tau": tau(a[common], b[common]) if len(common) >= 2 else None})
            pairs.append({"a": names[i], "b": names[j], "tau": tau(a, b), "n": nc, "top": top})
    return {"layers": result, "pairs": pairs, "extremes": e,
            "points": {"index": [int(i) for i in index[cand]],
                       "m": {n: [float(v) for v in ms[n]] for n in names}}}


def unit_means(path, names, subsets, allow_negative):
    """μ(x, u) [points, U] over the chosen subsets (sorted by index) per layer."""
    with h5py.File(path, "r") as h:
        index, subset = read_points(h)
        order = np.argsort(index)
        keep = np.isin(subset[order], subsets)
        out = {}
        for name in names:
            g = h["layers"][name]
            axis = int(g.attrs["units_axis"]) if "units_axis" in g.attrs else 0
            v = g["representations"][:].astype(np.float64)  # [N, K, ...]
            trailing = v.ndim - 2
            others = tuple(2 + a for a in range(trailing) if a != axis)
            act = v.mean(axis=others) if others else v  # [N, K, U]
            mu = act.mean(axis=1)[order][keep]  # [P, U]
            if not allow_negative and (mu < 0).any():
                raise ValueError(f"{path}: layer {name}: negative mean activation")
            out[name] = (mu, int(g.attrs["order"]), axis)
        return index[order][keep], out


def unitmem(mu, rest):
    P, U = mu.shape
    if P < 2:
        raise ValueError("UnitMem needs at least two points")
    units, argmax, mmax, mrest = [], [], [], []
    for u in range(U):
        col = mu[:, u]
        best = int(np.argmax(col))  # numpy returns the first (lowest) maximum
        others = np.delete(col, best)
        r = float(np.mean(others)) if rest == "mean" else float(np.median(others))
        top = float(col[best])
        if top + r == 0:
            value = 0.0 if top == 0 else None
        else:
            value = (top - r) / (top + r)
        units.append(value)
        argmax.append(best)
        mmax.append(top)
        mrest.append(r)
    return units, argmax, mmax, mrest


def units(f, g, names, subsets, rest, allow_negative):
    with h5py.File(f, "r") as h:
        all_names = layer_names(h)
    names = names or all_names
    codes = [SUBSETS.index(s) for s in subsets]

    def encoder(path):
        index, means = unit_means(path, names, codes, allow_negative)
        out = []
        for name in sorted(names, key=lambda n: means[n][1]):
            mu, order, axis = means[name]
            u, a, mx, rs = unitmem(mu, rest)
            out.append({"name": name, "order": order, "units_axis": axis, "units": u,
                        "argmax_index": [int(index[i]) for i in a], "mu_max": mx, "mu_rest": rs})
        return out

    result = {"layers": encoder(f)}
    if g:
        result["g"] = encoder(g)
    return result


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("command", choices=["layers", "units"])
    ap.add_argument("--f", action="append", required=True)
    ap.add_argument("--g", action="append", default=[])
    ap.add_argument("--pairing", default="original")
    ap.add_argument("--distance", default="l2")
    ap.add_argument("--top", default="10,50,100")
    ap.add_argument("--extremes", type=int, default=50)
    ap.add_argument("--layer", action="append", default=[])
    ap.add_argument("--subsets", default="shared,candidate")
    ap.add_argument("--rest", default="mean")
    ap.add_argument("--allow-negative", action="store_true")
    args = ap.parse_args()
    if args.command == "layers":
        out = layers(args.f, args.g, args.pairing, args.distance, [int(x) for x in args.top.split(",")],
                     args.extremes)
    else:
        out = units(args.f[0], args.g[0] if args.g else None, args.layer, args.subsets.split(","), args.rest,
                    args.allow_negative)
    print(json.dumps(out))


if __name__ == "__main__":
    main()

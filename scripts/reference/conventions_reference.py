#!/usr/bin/env python3
"""Independent float64 reference (numpy + h5py, no scipy) for the conventions of issue 24:

- the score with the range over the candidates (`--range-over candidate`, the default) and over all points,
  for the paper preset (all pairs of views) and the authors-code preset (each view against the original);
- `select`'s authors-code ranking, as the released remove_samples.py ranks: A_g/max A_g - A_f/max A_f over
  the pool (then / max of that, which keeps the order), top lists with ties to the lower index;
- the bootstrap intervals over points of LayerMem, Delta LayerMem and LayerMem - S_E control, with the
  draws of SplitMix64 reimplemented here (Python integers masked to 64 bits): per resample, |C| candidate
  positions next() % |C|, then |E| extra positions next() % |E|; quantiles by np.quantile (linear).

Writes fixtures/expected/conventions_reference.json; the Swift tests (ConventionsTests) compare with it
and never run Python. Run from the repository root:  python3 scripts/reference/conventions_reference.py
"""
import json
import numpy as np
import h5py

from splitmix64 import SplitMix64  # scripts/reference/splitmix64.py, beside this script




def alignment(views, original, pairing):
    """a(x) per row, L2 between unit vectors: views [N, K, D], original [N, D], float64."""
    unit = views / np.linalg.norm(views, axis=2, keepdims=True)
    K = views.shape[1]
    if pairing == "original":
        o = original / np.linalg.norm(original, axis=1, keepdims=True)
        d = [np.sqrt(((unit[:, k] - o) ** 2).sum(axis=1)) for k in range(K)]
    else:
        d = [np.sqrt(((unit[:, i] - unit[:, j]) ** 2).sum(axis=1)) for i in range(K) for j in range(i + 1, K)]
    return np.mean(d, axis=0)


def read(group, n):
    v = group["representations"][:].astype(np.float64)
    v = v.reshape(v.shape[0], v.shape[1], -1)
    o = group["original"][:].astype(np.float64).reshape(n, -1) if "original" in group else None
    return v, o


def dump(path, pairing):
    """index (ascending), subset, a(x) of /views, {layer: a(x)}, layer names in order."""
    with h5py.File(path, "r") as h:
        index = h["points/index"][:].astype(np.int64)
        subset = h["points/subset"][:].astype(np.int64)
        order = np.argsort(index)
        v, o = read(h["views"], len(index))
        views = alignment(v, o, pairing)[order]
        layers, names = {}, []
        if "layers" in h:
            names = sorted(h["layers"].keys(), key=lambda n: int(h["layers"][n].attrs["order"]))
            for name in names:
                lv, lo = read(h["layers"][name], len(index))
                layers[name] = alignment(lv, lo, pairing)[order]
    return index[order], subset[order], views, layers, names


def scores(f, g, pairing, scope):
    index, subset, af, _, _ = dump(f, pairing)
    _, _, ag, _, _ = dump(g, pairing)
    diff = ag - af
    rows = subset == 1 if scope == "candidate" else np.ones(len(diff), dtype=bool)
    score = diff / (diff[rows].max() - diff[rows].min())
    cand = subset == 1
    return {"pairing": pairing, "range_over": scope, "index": index.tolist(), "score": score.tolist(),
            "align_f": af.tolist(), "align_g": ag.tolist(), "candidate_mean": float(score[cand].mean())}


def authors_code_top(entry, sizes):
    """remove_samples.py's order over the candidate pool: (A_g/max A_g - A_f/max A_f) / max(that), descending."""
    index = np.array(entry["index"])
    af, ag = np.array(entry["align_f"]), np.array(entry["align_g"])
    with h5py.File("fixtures/simclr_f.h5", "r") as h:
        subset = h["points/subset"][:][np.argsort(h["points/index"][:])]
    pool = np.flatnonzero(subset == 1)
    key = ag[pool] / ag[pool].max() - af[pool] / af[pool].max()
    key = key / key.max()
    ranked = sorted(range(len(pool)), key=lambda i: (-key[i], index[pool[i]]))
    by_score = sorted(range(len(pool)), key=lambda i: (-entry["score"][pool[i]], index[pool[i]]))
    return {"sizes": sizes, "top": {str(n): sorted(int(index[pool[i]]) for i in ranked[:n]) for n in sizes},
            "top_by_score": {str(n): sorted(int(index[pool[i]]) for i in by_score[:n]) for n in sizes}}


def layer_intervals(f, g, pairing, resamples, seed, level):
    index, subset, _, lf, names = dump(f, pairing)
    _, _, _, lg, _ = dump(g, pairing)
    cand, extra = subset == 1, subset == 3
    m = {n: (lg[n] - lf[n])[cand] for n in names}
    me = {n: (lg[n] - lf[n])[extra] for n in names}
    r = {n: m[n].max() - m[n].min() for n in names}
    mt = {n: m[n] / r[n] for n in names}
    met = {n: me[n] / r[n] for n in names}
    nc, ne = int(cand.sum()), int(extra.sum())
    gen = SplitMix64(seed)
    L = len(names)
    stats = np.empty((resamples, 3 * L))
    for b in range(resamples):
        dc = np.array([gen.next() % nc for _ in range(nc)])
        de = np.array([gen.next() % ne for _ in range(ne)]) if ne >= 2 else None
        previous = 0.0
        for l, n in enumerate(names):
            lm = mt[n][dc].mean()
            stats[b, l] = lm
            stats[b, L + l] = lm if l == 0 else lm - previous
            previous = lm
            stats[b, 2 * L + l] = lm - met[n][de].mean() if de is not None else np.nan
    lo, hi = (1 - level) / 2, (1 + level) / 2
    out = []
    for l, n in enumerate(names):
        lm = float(mt[n].mean())
        prev = float(mt[names[l - 1]].mean()) if l > 0 else None
        q = lambda c: [float(np.quantile(stats[:, c], lo)), float(np.quantile(stats[:, c], hi))]
        out.append({"name": n, "layermem": lm, "layermem_ci": q(l),
                    "delta": lm if prev is None else lm - prev, "delta_ci": q(L + l),
                    "excess": lm - float(met[n].mean()), "excess_ci": q(2 * L + l)})
    # The first resample's candidate draws, for a direct check of the generator.
    first = SplitMix64(seed)
    return {"f": f, "g": g, "pairing": pairing, "resamples": resamples, "seed": seed, "level": level,
            "candidates": nc, "extra": ne, "first_draws": [first.next() % nc for _ in range(nc)], "layers": out}


def main():
    f, g = "fixtures/simclr_f.h5", "fixtures/simclr_g.h5"
    entries = {
        "paper": scores(f, g, "all-pairs", "candidate"),
        "paper_range_all": scores(f, g, "all-pairs", "all"),
        "authors_code": scores(f, g, "original", "candidate"),
    }
    select = authors_code_top(entries["authors_code"], [10, 50, 100])
    for entry in entries.values():  # the tests compare scores; the alignments only feed the ranking above
        del entry["align_f"], entry["align_g"]
    doc = {
        "scores": entries,
        "select_authors_code": select,
        "layer_intervals": [
            layer_intervals("fixtures/layers/f.h5", "fixtures/layers/g.h5", "all-pairs", 2000, 0, 0.95),
            layer_intervals("fixtures/layers_synthetic/conv_f.h5", "fixtures/layers_synthetic/conv_g.h5", "all-pairs", 500, 12345, 0.9),
        ],
    }
    with open("fixtures/expected/conventions_reference.json", "w") as fh:
        json.dump(doc, fh)
        fh.write("\n")


if __name__ == "__main__":
    main()

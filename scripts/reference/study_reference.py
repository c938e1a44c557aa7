#!/usr/bin/env python3
"""A small synthetic study folder (the layout of COMMON.md's study manifest) and the values `sslmem report
--study` must write for it, from scipy — independent of the Swift code.

Writes fixtures/study/: study.json, removal.csv, runs/<name>/scores.csv (the columns `sslmem score` writes:
index, subset, label, align_f, align_g, diff = align_g − align_f, score = diff / range of diff over the run's
points), and fixtures/study/expected.json with:

- method_tests: Welch's two-sided test over seeds (scipy.stats.ttest_ind(equal_var=False)) between every pair
  of setups, of (a) each run's mean candidate score and (b) each run's unnormalized gap mean diff(candidate) −
  mean diff(independent); and the per-point Welch test between the first runs of setups A and B (scipy, on the
  candidates' scores), which is significant while (a) is not — the pseudo-replication the seed unit avoids;
- removal_tests: per dataset and size, the paired test over seeds (pairs matched on seed) of top vs random,
  scipy.stats.ttest_rel(top, random, alternative='less') (top lowers accuracy more), and of coreset-top vs
  coreset-random with alternative='greater' (the memorized coreset keeps accuracy higher, paper Table 17), with
  the exact sign-flip permutation p of scipy.stats.permutation_test(permutation_type='samples',
  n_resamples=inf) on the mean of the differences;
- accuracy_link: Kendall's τ-b (scipy.stats.kendalltau) between the setups' mean SSLMem (mean over seeds of
  each run's mean candidate score) and mean downstream accuracy, over setups, and over runs; the bootstrap over
  seeds: 10,000 resamples, within each setup its runs drawn with replacement, draws from SplitMix64(seed 0) as
  index = next() mod n (setups in manifest order, runs in order), the τ-b of the resampled setup means (a
  replicate whose τ-b is undefined counts as 0), the 95% interval numpy's linear percentile of the replicates.

Usage (from the repository root): python3 scripts/reference/study_reference.py
"""
import json
import math
import os

import numpy as np
from scipy import stats

from splitmix64 import SplitMix64  # scripts/reference/splitmix64.py, beside this script

OUT = "fixtures/study"
SETUPS = [  # method, mean candidate diff offset, downstream accuracy, seeds
    ("simclr", 0.030, 0.812, [1, 2, 3]),
    ("vicreg", 0.022, 0.826, [1, 2, 3]),
    ("byol", 0.026, 0.803, [1, 2]),
]
ARCH, DATASET = "small-cnn-w32", "fashion-mnist"
N_CAND, N_IND, N_SHARED = 150, 150, 40



# How memorable each candidate is, the same in every run (so runs rank the candidates alike, as real runs do).
MEMORABILITY = np.random.default_rng(2024).normal(0, 1, N_CAND)


def make_run(rng, offset):
    """diff per point: the setup's candidate offset, a seed effect shared by all points of the run, and for
    candidates their memorability."""
    seed_effect = rng.normal(0, 0.012)
    n = N_CAND + N_IND + N_SHARED
    subset = ["candidate"] * N_CAND + ["independent"] * N_IND + ["shared"] * N_SHARED
    diff = np.concatenate([
        offset + seed_effect + 0.015 * MEMORABILITY + rng.normal(0, 0.015, N_CAND),
        0.6 * seed_effect + rng.normal(0, 0.02, N_IND),
        0.8 * seed_effect + rng.normal(0, 0.015, N_SHARED),
    ])
    align_f = rng.uniform(0.15, 0.45, n)
    align_g = align_f + diff
    diff = align_g - align_f
    score = diff / (diff.max() - diff.min())
    labels = rng.integers(0, 10, n)
    return subset, labels, align_f, align_g, diff, score


def attempt(generator_seed):
    rng = np.random.default_rng(generator_seed)
    runs = []
    for method, offset, accuracy, seeds in SETUPS:
        for seed in seeds:
            subset, labels, af, ag, diff, score = make_run(rng, offset)
            acc = round(float(accuracy + rng.normal(0, 0.006)), 4)
            runs.append(dict(method=method, seed=seed, subset=subset, labels=labels, af=af, ag=ag, diff=diff,
                             score=score, accuracy=acc))
    return runs


def candidate(run, column):
    return np.array([v for s, v in zip(run["subset"], run[column]) if s == "candidate"])


def independent(run, column):
    return np.array([v for s, v in zip(run["subset"], run[column]) if s == "independent"])


def statistics(run):
    return {"candidate_mean": float(np.mean(candidate(run, "score"))),
            "candidate_minus_independent": float(np.mean(candidate(run, "diff")) - np.mean(independent(run, "diff")))}


def method_tests(runs):
    out = []
    methods = [s[0] for s in SETUPS]
    for statistic in ("candidate_mean", "candidate_minus_independent"):
        for i in range(len(methods)):
            for j in range(i + 1, len(methods)):
                a = [statistics(r)[statistic] for r in runs if r["method"] == methods[i]]
                b = [statistics(r)[statistic] for r in runs if r["method"] == methods[j]]
                t = stats.ttest_ind(a, b, equal_var=False)
                out.append({"statistic": statistic, "a": setup_name(methods[i]), "b": setup_name(methods[j]),
                            "n_a": len(a), "n_b": len(b), "mean_a": float(np.mean(a)), "mean_b": float(np.mean(b)),
                            "t": float(t.statistic), "df": float(t.df), "p": float(t.pvalue)})
    return out


def setup_name(method):
    return f"{method} · {ARCH} · {DATASET}"


def conditions(runs):
    tests = method_tests(runs)
    first = {m: next(r for r in runs if r["method"] == m) for m in ("simclr", "vicreg")}
    per_point = stats.ttest_ind(candidate(first["simclr"], "score"), candidate(first["vicreg"], "score"), equal_var=False)
    seed_level = [t for t in tests if t["a"].startswith("simclr") and t["b"].startswith("vicreg")]
    return per_point.pvalue < 0.001 and all(t["p"] > 0.2 for t in seed_level)


def removal_rows():
    rng = np.random.default_rng(7)
    rows = []
    for seed in (1, 2, 3, 4):
        base = 0.81 + rng.normal(0, 0.004)
        rows.append((0, "none", seed, base))
        for removed, top_drop, random_drop in ((100, 0.002, 0.002), (500, 0.021, 0.006)):
            rows.append((removed, "top", seed, base - top_drop + rng.normal(0, 0.003)))
            rows.append((removed, "random", seed, base - random_drop + rng.normal(0, 0.003)))
        rows.append((500, "coreset-top", seed, 0.62 + rng.normal(0, 0.01)))
        rows.append((500, "coreset-random", seed, 0.60 + rng.normal(0, 0.01)))
    return [(removed, kind, DATASET, seed, round(float(acc), 4)) for removed, kind, seed, acc in rows]


def removal_tests(rows):
    out = []
    for kind, alternative in (("removal", "less"), ("coreset", "greater")):
        top_kind, random_kind = ("top", "random") if kind == "removal" else ("coreset-top", "coreset-random")
        for removed in sorted({r[0] for r in rows if r[1] == top_kind}):
            top = {r[3]: r[4] for r in rows if r[1] == top_kind and r[0] == removed}
            rnd = {r[3]: r[4] for r in rows if r[1] == random_kind and r[0] == removed}
            seeds = sorted(set(top) & set(rnd))
            x = np.array([top[s] for s in seeds]); y = np.array([rnd[s] for s in seeds])
            t = stats.ttest_rel(x, y, alternative=alternative)
            perm = stats.permutation_test((x, y), lambda a, b: np.mean(a - b), permutation_type="samples",
                                          n_resamples=np.inf, alternative=alternative)
            out.append({"kind": kind, "dataset": DATASET, "removed": removed, "n_seeds": len(seeds),
                        "mean_top": float(np.mean(x)), "mean_random": float(np.mean(y)), "t": float(t.statistic),
                        "df": float(t.df), "p": float(t.pvalue), "p_permutation": float(perm.pvalue),
                        "alternative": alternative})
    return out


def tau_or_zero(x, y):
    tau = stats.kendalltau(x, y).statistic
    return 0.0 if math.isnan(tau) else float(tau)


def accuracy_link(runs, resamples=10_000, seed=0):
    groups = [[r for r in runs if r["method"] == m] for m, *_ in SETUPS]
    mem = [[statistics(r)["candidate_mean"] for r in g] for g in groups]
    acc = [[r["accuracy"] for r in g] for g in groups]
    mean_mem = [float(np.mean(m)) for m in mem]
    mean_acc = [float(np.mean(a)) for a in acc]
    tau = stats.kendalltau(mean_mem, mean_acc)
    generator = SplitMix64(seed)
    replicates = []
    for _ in range(resamples):
        xm, ya = [], []
        for m, a in zip(mem, acc):
            draws = [generator.next() % len(m) for _ in range(len(m))]
            xm.append(sum(m[d] for d in draws) / len(m))
            ya.append(sum(a[d] for d in draws) / len(a))
        replicates.append(tau_or_zero(xm, ya))
    low, high = np.quantile(np.array(replicates), [0.025, 0.975])
    runs_tau = stats.kendalltau([statistics(r)["candidate_mean"] for r in runs], [r["accuracy"] for r in runs])
    return {"n_setups": len(groups), "n_runs": len(runs), "tau": float(tau.statistic), "p": float(tau.pvalue),
            "ci95": [float(low), float(high)], "resamples": resamples, "seed": seed,
            "mean_sslmem": mean_mem, "mean_accuracy": mean_acc,
            "runs_tau": float(runs_tau.statistic), "runs_p": float(runs_tau.pvalue)}


def main():
    generator_seed = next(s for s in range(1000) if conditions(attempt(s)))
    runs = attempt(generator_seed)
    manifest = {"sslmem_format": "study", "sslmem_format_version": 1, "runs": [], "removal": "removal.csv"}
    for run in runs:
        name = f"{run['method']}-small-cnn-seed{run['seed']}"
        run["name"] = name
        folder = f"{OUT}/runs/{name}"
        os.makedirs(folder, exist_ok=True)
        with open(f"{folder}/scores.csv", "w") as out:
            out.write("index,subset,label,align_f,align_g,diff,score\n")
            for i in range(len(run["subset"])):
                out.write(f"{i},{run['subset'][i]},{run['labels'][i]},{float(run['af'][i])!r},{float(run['ag'][i])!r},"
                          f"{float(run['diff'][i])!r},{float(run['score'][i])!r}\n")
        manifest["runs"].append({"name": name, "method": run["method"], "architecture": ARCH, "dataset": DATASET,
                                 "seed": run["seed"], "f": f"runs/{name}/f.h5", "g": f"runs/{name}/g.h5",
                                 "scores": f"runs/{name}/scores.csv", "downstream_accuracy": run["accuracy"],
                                 "downstream_n": 5000})
    with open(f"{OUT}/study.json", "w") as out:
        json.dump(manifest, out, indent=1)
        out.write("\n")
    rows = removal_rows()
    with open(f"{OUT}/removal.csv", "w") as out:
        out.write("removed,kind,dataset,seed,accuracy\n")
        for r in rows:
            out.write(f"{r[0]},{r[1]},{r[2]},{r[3]},{r[4]}\n")
    first = {m: next(r for r in runs if r["method"] == m) for m in ("simclr", "vicreg")}
    per_point = stats.ttest_ind(candidate(first["simclr"], "score"), candidate(first["vicreg"], "score"), equal_var=False)
    expected = {
        "generator_seed": generator_seed,
        "run_statistics": {r["name"]: statistics(r) for r in runs},
        "method_tests": method_tests(runs),
        "per_point_first_runs": {"a": first["simclr"]["name"], "b": first["vicreg"]["name"],
                                 "t": float(per_point.statistic), "df": float(per_point.df),
                                 "p": float(per_point.pvalue)},
        "removal_tests": removal_tests(rows),
        "accuracy_link": accuracy_link(runs),
    }
    with open(f"{OUT}/expected.json", "w") as out:
        json.dump(expected, out, indent=1)
        out.write("\n")


if __name__ == "__main__":
    main()

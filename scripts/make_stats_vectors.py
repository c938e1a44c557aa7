#!/usr/bin/env python3
"""Test vectors for SSLMemStats from scipy (and, for Cohen's d, Hedges' g and Holm,
plain numpy formulas). Writes Tests/SSLMemStatsTests/Vectors/stats_vectors.json; the
Swift tests read it and never run Python. Run from the repository root:

  python3 scripts/make_stats_vectors.py
"""
import json, math
import numpy as np, scipy
from scipy import stats, special

rng = np.random.default_rng(20240507)
ALTERNATIVES = ["two-sided", "greater", "less"]


def num(x):
    x = float(x)
    if math.isnan(x):
        return "nan"
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    return x


def hedges_factor(df):
    return math.exp(special.gammaln(df / 2) - special.gammaln((df - 1) / 2)) / math.sqrt(df / 2)


def ttests():
    out = []
    samples = []
    for n1, n2, s1, s2, shift in [(2, 2, 1, 1, 0.5), (3, 5, 1, 2, 1.0), (5, 4, 0.1, 3, -0.2), (30, 30, 1, 1, 0.3),
                                  (200, 150, 0.11, 0.12, 0.02), (1000, 1000, 1, 4, 0.05), (12, 40, 2, 0.5, 8.0)]:
        a = np.round(rng.normal(shift, s1, n1), 6)
        b = np.round(rng.normal(0, s2, n2), 6)
        samples.append((a, b))
    for a, b in samples:
        for equal_var in (True, False):
            for alt in ALTERNATIVES:
                r = stats.ttest_ind(a, b, equal_var=equal_var, alternative=alt)
                ci = r.confidence_interval(0.95)
                sp = math.sqrt(((len(a) - 1) * a.var(ddof=1) + (len(b) - 1) * b.var(ddof=1)) / (len(a) + len(b) - 2))
                d = (a.mean() - b.mean()) / sp
                out.append(dict(kind="two-sample", variant="student" if equal_var else "welch", alternative=alt,
                                a=a.tolist(), b=b.tolist(), statistic=num(r.statistic), df=num(r.df),
                                pvalue=num(r.pvalue), ci=[num(ci.low), num(ci.high)], cohens_d=num(d),
                                hedges_g=num(d * hedges_factor(len(a) + len(b) - 2))))
        for mu in (0.0, 0.25):
            for alt in ALTERNATIVES:
                r = stats.ttest_1samp(a, mu, alternative=alt)
                ci = r.confidence_interval(0.95)  # of the mean: shifted below to the difference mean - mu
                ci = type("CI", (), dict(low=ci.low - mu, high=ci.high - mu))
                d = (a.mean() - mu) / a.std(ddof=1)
                out.append(dict(kind="one-sample", variant="one-sample", alternative=alt, a=a.tolist(), mu=mu,
                                statistic=num(r.statistic), df=num(r.df), pvalue=num(r.pvalue),
                                ci=[num(ci.low), num(ci.high)], cohens_d=num(d),
                                hedges_g=num(d * hedges_factor(len(a) - 1))))
    # Far tails with many degrees of freedom (t² < ν, p down to 1e-80): where
    # approximations of the t distribution lose digits.
    for n, t_target in ((100, -6.0), (1000, -7.0), (1000, 9.0), (5000, -19.0), (5000, 4.5)):
        a = rng.normal(0, 1, n)
        a = (a - a.mean()) / a.std(ddof=1) + t_target / math.sqrt(n)
        for alt in ALTERNATIVES:
            r = stats.ttest_1samp(a, 0.0, alternative=alt)
            ci = r.confidence_interval(0.95)
            d = a.mean() / a.std(ddof=1)
            out.append(dict(kind="one-sample", variant="one-sample", alternative=alt, a=a.tolist(), mu=0.0,
                            statistic=num(r.statistic), df=num(r.df), pvalue=num(r.pvalue),
                            ci=[num(ci.low), num(ci.high)], cohens_d=num(d), hedges_g=num(d * hedges_factor(n - 1))))
        b = rng.normal(0, 1.3, n // 2)
        for equal_var in (True, False):
            r = stats.ttest_ind(a, b, equal_var=equal_var, alternative="less")
            ci = r.confidence_interval(0.95)
            sp = math.sqrt(((len(a) - 1) * a.var(ddof=1) + (len(b) - 1) * b.var(ddof=1)) / (len(a) + len(b) - 2))
            d = (a.mean() - b.mean()) / sp
            out.append(dict(kind="two-sample", variant="student" if equal_var else "welch", alternative="less",
                            a=a.tolist(), b=b.tolist(), statistic=num(r.statistic), df=num(r.df),
                            pvalue=num(r.pvalue), ci=[num(ci.low), num(ci.high)], cohens_d=num(d),
                            hedges_g=num(d * hedges_factor(len(a) + len(b) - 2))))
    # A very large effect: p far below 1e-300 underflows to 0 in scipy as in GSL.
    a, b = np.linspace(10, 11, 500), np.linspace(0, 1, 500)
    r = stats.ttest_ind(a, b, alternative="greater")
    out.append(dict(kind="two-sample", variant="student", alternative="greater", a=a.tolist(), b=b.tolist(),
                    statistic=num(r.statistic), df=num(r.df), pvalue=num(r.pvalue), ci=None, cohens_d=None,
                    hedges_g=None))
    return out


def kendall():
    out = []
    def add(x, y, label):
        for alt in ALTERNATIVES:
            r = stats.kendalltau(x, y, alternative=alt)
            out.append(dict(label=label, alternative=alt, x=list(map(float, x)), y=list(map(float, y)),
                            tau=num(r.statistic), pvalue=num(r.pvalue)))
    for n in (2, 3, 5, 10, 20, 33):   # no ties, n <= 33: exact
        x = rng.permutation(n).astype(float)
        y = x + rng.normal(0, n / 3, n)
        add(x, y, f"exact n={n}")
    add(np.arange(100.0), np.arange(100.0), "exact: sorted n=100 (c=0 path)")
    y = np.arange(100.0); y[[40, 41]] = y[[41, 40]]
    add(np.arange(100.0), y, "exact: one swap n=100 (c=1 path)")
    add(np.arange(60.0), -np.arange(60.0), "exact: reversed n=60")
    for n in (34, 50, 200, 1000, 5000):   # no ties, asymptotic
        x = rng.normal(size=n); y = 0.2 * x + rng.normal(size=n)
        add(x, y, f"asymptotic n={n}")
    for n, levels in ((8, 3), (40, 5), (300, 4), (2000, 50), (5000, 7)):   # many ties
        x = rng.integers(0, levels, n).astype(float); y = x + rng.integers(0, levels, n)
        add(x, y, f"many ties n={n}")
    for n in (25, 500):   # few ties: the asymptotic path even for small n
        x = np.round(rng.normal(size=n), 1); y = np.round(x + rng.normal(size=n), 2)
        add(x, y, f"few ties n={n}")
    add([1.0, 1.0, 1.0, 1.0], [1.0, 2.0, 3.0, 4.0], "all x tied")
    add([3.0], [1.0], "n=1")
    return out


def adjustments():
    out = []
    for m in (1, 4, 10, 25):
        p = np.sort(rng.uniform(0, 0.2, m)) if m > 1 else np.array([0.03])
        p = rng.permutation(np.concatenate([p[:-1], [p[-1]]]))
        p[0] = p[min(1, m - 1)]  # a tie
        order = np.argsort(p, kind="stable"); holm = np.empty(m); running = 0.0
        for rank, i in enumerate(order):
            running = max(running, min(1.0, (m - rank) * p[i])); holm[i] = running
        out.append(dict(p=p.tolist(), holm=holm.tolist(), bh=stats.false_discovery_control(p).tolist()))
    return out


def descriptive():
    out = []
    for n in (2, 3, 17, 400):
        a = rng.normal(0.1, 0.2, n)
        lo, hi = stats.t.interval(0.95, n - 1, loc=a.mean(), scale=stats.sem(a))
        out.append(dict(values=a.tolist(), mean=a.mean(), std=a.std(ddof=1), ci=[lo, hi]))
    return out


def main():
    data = dict(scipy=scipy.__version__, numpy=np.__version__, ttests=ttests(), kendall=kendall(),
                adjustments=adjustments(), descriptive=descriptive())
    with open("Tests/SSLMemStatsTests/Vectors/stats_vectors.json", "w") as fh:
        json.dump(data, fh)
        fh.write("\n")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""What `sslmem stats --json` and `sslmem compare --json` should print, computed
with scipy from the same scores files: the independent check of those commands.

  scipy_reference.py stats scores.csv [--welch]
  scipy_reference.py compare A.csv B.csv [...] --names a,b [--subset candidate] [--top 10,20]
"""
import argparse, csv, json, math
import numpy as np
from scipy import special, stats

TABLE2 = [("candidate", "shared"), ("candidate", "extra"), ("shared", "independent"), ("extra", "independent")]
TABLE16 = [("candidate", "greater"), ("independent", "less"), ("shared", "two-sided"), ("extra", "greater")]


def read(path):
    with open(path) as fh:
        return [(int(r["index"]), r["subset"], float(r["score"])) for r in csv.DictReader(fh)]


def hedges_factor(df):
    """Hedges' exact small-sample correction J(df) = Γ(df/2) / (sqrt(df/2) Γ((df−1)/2)); g = J · d."""
    return math.exp(special.gammaln(df / 2) - special.gammaln((df - 1) / 2)) / math.sqrt(df / 2)


def clean(x):
    return None if isinstance(x, float) and not math.isfinite(x) else x


def do_stats(a):
    rows = read(a.scores)
    by = {s: np.array([r[2] for r in rows if r[1] == s]) for s in ["shared", "candidate", "independent", "extra"]}
    subsets = {}
    for s, v in by.items():
        if len(v):
            lo, hi = stats.t.interval(0.95, len(v) - 1, loc=v.mean(), scale=stats.sem(v))
            subsets[s] = dict(n=len(v), mean=float(v.mean()), std=float(v.std(ddof=1)), ci95=[float(lo), float(hi)])
    tests = []
    for x, y in TABLE2:
        r = stats.ttest_ind(by[x], by[y], equal_var=not a.welch, alternative="greater")
        sp = math.sqrt(((len(by[x]) - 1) * by[x].var(ddof=1) + (len(by[y]) - 1) * by[y].var(ddof=1))
                       / (len(by[x]) + len(by[y]) - 2))
        tests.append(dict(a=x, b=y, alternative="greater", variant="welch" if a.welch else "student",
                          statistic=float(r.statistic), df=float(r.df), pvalue=float(r.pvalue),
                          cohens_d=(by[x].mean() - by[y].mean()) / sp,
                          hedges_g=(by[x].mean() - by[y].mean()) / sp * hedges_factor(len(by[x]) + len(by[y]) - 2)))
    for x, alt in TABLE16:
        r = stats.ttest_1samp(by[x], 0.0, alternative=alt)
        tests.append(dict(a=x, b=0.0, alternative=alt, variant="one-sample", statistic=float(r.statistic),
                          df=float(r.df), pvalue=float(r.pvalue), cohens_d=by[x].mean() / by[x].std(ddof=1),
                          hedges_g=by[x].mean() / by[x].std(ddof=1) * hedges_factor(len(by[x]) - 1)))
    print(json.dumps(dict(subsets=subsets, tests=tests)))


def do_compare(a):
    runs = [read(p) for p in a.scores]
    names = a.names.split(",")
    tops = [int(x) for x in a.top.split(",")]
    def joined(i, j):
        other = {r[0]: r for r in runs[j]}
        pairs = [(r[2], other[r[0]][2]) for r in runs[i]
                 if r[0] in other and (a.subset == "all" or (r[1] == a.subset and other[r[0]][1] == a.subset))]
        return np.array([p[0] for p in pairs]), np.array([p[1] for p in pairs])
    def top(v, x):
        return set(sorted(range(len(v)), key=lambda k: (-v[k], k))[:x])
    kendall, overlap = [], []
    for i in range(len(runs)):
        row = []
        for j in range(len(runs)):
            x, y = joined(i, j)
            r = stats.kendalltau(x, y)
            row.append(dict(tau=clean(float(r.statistic)), pvalue=clean(float(r.pvalue)), n=len(x)))
            if i < j:
                entries = []
                for t in tops:
                    common = sorted(top(x, t) & top(y, t))
                    rr = stats.kendalltau(x[common], y[common]) if len(common) >= 2 else None
                    n = len(x)  # chance: hypergeometric(n, t marked, t drawn), mean t*t/n
                    entries.append(dict(x=t, overlap=len(common) / t,
                                        tau=clean(float(rr.statistic)) if rr else None,
                                        pvalue=clean(float(rr.pvalue)) if rr else None,
                                        n=n, common=len(common), expected_common=t * t / n, expected_overlap=t / n,
                                        chance_pvalue=float(stats.hypergeom.sf(len(common) - 1, n, t, t))))
                overlap.append(dict(a=names[i], b=names[j], top=entries))
        kendall.append(row)
    print(json.dumps(dict(runs=names, kendall=kendall, overlap=overlap)))


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="command", required=True)
    s = sub.add_parser("stats"); s.add_argument("scores"); s.add_argument("--welch", action="store_true")
    c = sub.add_parser("compare"); c.add_argument("scores", nargs="+"); c.add_argument("--names", required=True)
    c.add_argument("--subset", default="candidate"); c.add_argument("--top", default="10,20,50,75,100,150,200")
    a = ap.parse_args()
    do_stats(a) if a.command == "stats" else do_compare(a)


if __name__ == "__main__":
    main()

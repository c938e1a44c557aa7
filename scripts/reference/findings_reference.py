#!/usr/bin/env python3
"""Reference values for the report findings (Sources/SSLMemAnalysis/Findings.swift) and the top-X chance
baseline, computed independently with scipy and numpy float64.

Writes fixtures/expected/findings_reference.json; FindingsTests compares Swift against it.
Usage: python3 scripts/reference/findings_reference.py  (needs numpy, scipy >= 1.11)
"""
import csv, json, math, os
import numpy as np
from scipy import stats

root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

def load(name):
    rows = list(csv.DictReader(open(os.path.join(root, "fixtures/expected", name))))
    by = {}
    for r in rows:
        by.setdefault(r["subset"], []).append(float(r["score"]))
    return {k: np.array(v, dtype=np.float64) for k, v in by.items()}

def holm(p):
    m = len(p); order = np.argsort(p); out = np.empty(m); running = 0.0
    for rank, i in enumerate(order):
        running = max(running, min(1.0, (m - rank) * p[i])); out[i] = running
    return out.tolist()

def run(name, welch):
    s = load(name)
    claims = [("candidate", "shared"), ("candidate", "extra"), ("shared", "independent"), ("extra", "independent")]
    out, ps = [], []
    for a, b in claims:
        t = stats.ttest_ind(s[a], s[b], equal_var=not welch, alternative="greater")
        two = stats.ttest_ind(s[a], s[b], equal_var=not welch, alternative="two-sided")
        ci = two.confidence_interval(0.95)
        out.append({"p": float(t.pvalue), "effect": float(s[a].mean() - s[b].mean()), "ci95": [float(ci.low), float(ci.high)]})
        ps.append(float(t.pvalue))
    t = stats.ttest_1samp(s["shared"], 0.0)
    ci = t.confidence_interval(0.95)
    out.append({"p": float(t.pvalue), "effect": float(s["shared"].mean()), "ci95": [float(ci.low), float(ci.high)]})
    ps.append(float(t.pvalue))
    for o, a in zip(out, holm(np.array(ps))):
        o["p_adjusted"] = a
    return out

def overlap(n, x, k):
    """Expected overlap of two random top-X lists of n (X²/n) and P(overlap ≥ k), hypergeometric."""
    return {"n": n, "x": x, "k": k, "expected": x * x / n, "p": float(stats.hypergeom.sf(k - 1, n, x, x))}

def delong(name):
    """AUC and DeLong's variance from the pairwise kernel psi (O(m n), no ranks), members candidate vs extra."""
    rows = list(csv.DictReader(open(os.path.join(root, "fixtures/expected", name))))
    out = {}
    for signal in ("-align_f", "score"):
        value = (lambda r: -float(r["align_f"])) if signal == "-align_f" else (lambda r: float(r["score"]))
        x = np.array([value(r) for r in rows if r["subset"] == "candidate"])
        y = np.array([value(r) for r in rows if r["subset"] == "extra"])
        psi = (x[:, None] > y[None, :]).astype(float) + 0.5 * (x[:, None] == y[None, :])
        v10, v01 = psi.mean(axis=1), psi.mean(axis=0)
        auc = psi.mean()
        var = v10.var(ddof=1) / len(x) + v01.var(ddof=1) / len(y)
        z = stats.norm.ppf(0.975)
        out[signal] = {"auc": float(auc), "variance": float(var),
                       "ci95": [max(0.0, auc - z * math.sqrt(var)), min(1.0, auc + z * math.sqrt(var))]}
    return out

result = {
    "delong_simclr": delong("simclr_allpairs_l2_range.csv"),
    "simclr_student": run("simclr_allpairs_l2_range.csv", welch=False),
    "simclr_welch": run("simclr_allpairs_l2_range.csv", welch=True),
    "vicreg_student": run("vicreg_allpairs_cosine_none.csv", welch=False),
    "overlap": [overlap(200, 100, 50), overlap(200, 100, 60), overlap(200, 10, 3), overlap(1000, 50, 10),
                overlap(200, 20, 0), overlap(50, 50, 50)],
}
path = os.path.join(root, "fixtures/expected/findings_reference.json")
with open(path, "w") as f:
    json.dump(result, f, indent=1)
    f.write("\n")
print("wrote", path)

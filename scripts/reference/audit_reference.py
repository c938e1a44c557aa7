#!/usr/bin/env python3
"""Independent membership audit with scikit-learn, for `sslmem audit --json`:
members = candidates, non-members = extra points; signals -align_f and score;
AUC = roc_auc_score; TPR at FPR <= 1% and 0.1% = the highest TPR on
roc_curve(drop_intermediate=False) with FPR within the limit, at the lowest such
threshold (null when only the +inf threshold qualifies).

Usage: audit_reference.py scores.csv
"""
import csv
import json
import math
import sys

import numpy as np
from sklearn.metrics import roc_auc_score, roc_curve


def main():
    with open(sys.argv[1]) as f:
        rows = list(csv.DictReader(f))
    members = [r for r in rows if r["subset"] == "candidate"]
    others = [r for r in rows if r["subset"] == "extra"]
    y = np.array([1] * len(members) + [0] * len(others))
    signals = []
    for name, get in (("-align_f", lambda r: -float(r["align_f"])), ("score", lambda r: float(r["score"]))):
        s = np.array([get(r) for r in members + others])
        fpr, tpr, thresholds = roc_curve(y, s, drop_intermediate=False)
        points = []
        for limit in (0.01, 0.001):
            ok = np.flatnonzero(fpr <= limit)
            best = ok[np.lexsort((-thresholds[ok], tpr[ok]))[-1]]
            t = float(thresholds[best])
            point = {"fpr_max": limit, "tpr": float(tpr[best]), "fpr": float(fpr[best]),
                     "threshold": t if math.isfinite(t) else None}
            if limit * len(others) < 1:  # FPR moves in steps of 1/n_non_members
                point["note"] = "not measurable at n = %d non-members" % len(others)
            points.append(point)
        # DeLong's variance from the pairwise kernel psi (O(m n)), normal 95% interval clipped to [0, 1].
        x, o = s[:len(members)], s[len(members):]
        psi = (x[:, None] > o[None, :]).astype(float) + 0.5 * (x[:, None] == o[None, :])
        auc = float(roc_auc_score(y, s))
        half = 1.959963984540054 * math.sqrt(psi.mean(axis=1).var(ddof=1) / len(x) + psi.mean(axis=0).var(ddof=1) / len(o))
        signals.append({"signal": name, "auc": auc, "auc_ci95": [max(0.0, auc - half), min(1.0, auc + half)],
                        "tpr_at_fpr": points})
    print(json.dumps({"members": "candidate", "non_members": "extra", "n_members": len(members),
                      "n_non_members": len(others), "signals": signals}))


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Expected memorization gaps (Fig. 2b and the sweep figure): for each SimCLR checkpoint of the fixtures
and the final dumps, the candidate − independent and candidate − extra gap of the UNNORMALIZED
diff = A_g − A_f, with the two-sided 95% Welch interval of the difference of means.

Independent of the Swift code: alignments from scripts/reference/reference_scores.py (float64 numpy, all pairs
of views, L2), the gap as a numpy mean difference, the interval and Welch–Satterthwaite df from
scipy.stats.ttest_ind(c, r, equal_var=False) and its confidence_interval(0.95) (scipy >= 1.10).

Usage: gap_reference.py > fixtures/expected/gap_reference.json   (run from the repository root)
"""
import json
import os
import sys

import h5py
import numpy as np
from scipy import stats

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from reference_scores import alignment  # noqa: E402

PAIRS = [(f"fixtures/checkpoints/simclr_f_epoch{e:03d}.h5", f"fixtures/checkpoints/simclr_g_epoch{e:03d}.h5")
         for e in (8, 26, 53)] + [("fixtures/simclr_f.h5", "fixtures/simclr_g.h5")]
SUBSETS = {"candidate": 1, "independent": 2, "extra": 3}


def main():
    out = []
    for f, g in PAIRS:
        index, subset, _, af = alignment(f, "all-pairs", "l2")
        index_g, _, _, ag = alignment(g, "all-pairs", "l2")
        assert np.array_equal(index, index_g)
        diff = ag - af
        with h5py.File(f, "r") as h:
            epoch = int(h.attrs["epoch"])
        c = diff[subset == SUBSETS["candidate"]]
        entry = {"epoch": epoch, "f": f, "g": g, "gaps": {}}
        for reference in ("independent", "extra"):
            r = diff[subset == SUBSETS[reference]]
            test = stats.ttest_ind(c, r, equal_var=False)
            ci = test.confidence_interval(0.95)
            entry["gaps"][reference] = {
                "gap": float(np.mean(c) - np.mean(r)), "ci95_low": float(ci.low), "ci95_high": float(ci.high),
                "df": float(test.df), "n_candidate": int(len(c)), "n_reference": int(len(r)),
            }
        # The per-checkpoint range-normalized means (range over the candidates, sslmem's default convention),
        # to show what the gap replaces.
        cand = diff[subset == SUBSETS["candidate"]]
        score = diff / (cand.max() - cand.min())
        entry["candidate_mean_score"] = float(np.mean(score[subset == SUBSETS["candidate"]]))
        entry["independent_mean_score"] = float(np.mean(score[subset == SUBSETS["independent"]]))
        out.append(entry)
    json.dump(out, sys.stdout, indent=1)
    print()


if __name__ == "__main__":
    main()

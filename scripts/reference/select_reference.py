#!/usr/bin/env python3
"""Independent reference for `sslmem select` (PointSelection), standard library only.

- Top n: the n points of the pool (candidates, or all points) with the highest score, ties by lower index;
  listed in ascending index.
- Random n: the pool's indices in ascending order, shuffled by Fisher-Yates driven by SplitMix64(seed)
  (Steele, Lea & Flood 2014; Vigna's splitmix64.c): for i = m-1 down to 1, j = next() mod (i + 1), swap
  positions i and j; the first n, listed in ascending index.

Also writes fixtures/ties_scores.csv, a small scores file whose scores are heavily tied (and whose
indices are not in score order), so "ties by lower index" is decided by the index.

  python3 scripts/reference/select_reference.py > fixtures/expected/select.json   (from the repository root)
"""
import csv
import json
import sys

from splitmix64 import SplitMix64  # scripts/reference/splitmix64.py, beside this script





def read(path):
    with open(path, newline="") as handle:
        return [(int(r["index"]), r["subset"], float(r["score"])) for r in csv.DictReader(handle)]


def select(rows, pool, sizes, seed):
    members = [r for r in rows if pool == "all" or r[1] == "candidate"]
    ranked = [index for index, _, _ in sorted(members, key=lambda r: (-r[2], r[0]))]
    result = {"pool": pool, "sizes": sizes, "seed": None if seed is None else str(seed),
              "top": {str(n): sorted(ranked[:n]) for n in sizes}}
    if seed is not None:
        order = sorted(index for index, _, _ in members)
        rng = SplitMix64(seed)
        for i in range(len(order) - 1, 0, -1):
            j = rng.next() % (i + 1)
            order[i], order[j] = order[j], order[i]
        result["random"] = {str(n): sorted(order[:n]) for n in sizes}
    return result


def write_ties(path):
    """40 points, 10 per subset; diff in {-1/2, -1/4, 0, 1/4, 1/2} (exact), range 1, so score = diff."""
    levels = [0.5, 0.25, 0.0, -0.25, -0.5]
    subsets = ["shared", "candidate", "independent", "extra"]
    with open(path, "w", newline="") as handle:
        handle.write("index,subset,label,align_f,align_g,diff,score\n")
        for k in range(40):
            index = 1000 - 23 * k  # descending: ties by lower index pick later rows of the file order
            diff = levels[(k * 3) % 5] if k not in (0, 39) else (0.5 if k == 0 else -0.5)
            align_f = 0.75
            align_g = align_f + diff
            handle.write(f"{index},{subsets[k % 4]},{k % 10},{align_f!r},{align_g!r},{diff!r},{diff!r}\n")


def main():
    write_ties("fixtures/ties_scores.csv")
    runs = [("fixtures/expected/simclr_allpairs_l2_range.csv", "candidate", [1, 10, 50, 200], 0),
            ("fixtures/expected/simclr_allpairs_l2_range.csv", "candidate", [3, 199], 42),
            ("fixtures/expected/simclr_allpairs_l2_range.csv", "all", [5, 100, 799, 800], 7),
            ("fixtures/expected/vicreg_allpairs_cosine_none.csv", "candidate", [20], None),
            ("fixtures/ties_scores.csv", "candidate", [1, 2, 3, 5, 7, 10], 3),
            ("fixtures/ties_scores.csv", "all", [1, 4, 9, 13, 27, 40], 18446744073709551615)]
    out = []
    for scores, pool, sizes, seed in runs:
        entry = {"scores": scores}
        entry.update(select(read(scores), pool, sizes, seed))
        out.append(entry)
    json.dump(out, sys.stdout, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()

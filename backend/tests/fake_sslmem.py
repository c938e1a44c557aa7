"""A stand-in for the `sslmem` binary in the study tests (score, select, report --help/--study),
so that they run without a Swift build. score: alignment = mean L2 distance over view pairs,
score = (A_g − A_f) / range (as sslmem score, unnormalized range over all points);
select: top-N candidates by score (ties by lower index), random-N from a seeded numpy shuffle."""
import csv
import os
import sys

import h5py
import numpy as np


def alignment(path):
    with h5py.File(path) as h:
        r = h["views/representations"][()].astype(np.float64)
        index, subset, label = h["points/index"][()], h["points/subset"][()], h["points/label"][()]
    v = r.shape[1]
    d = [np.linalg.norm(r[:, a] - r[:, b], axis=1) for a in range(v) for b in range(a + 1, v)]
    return index, subset, label, np.mean(d, axis=0)


def arg(argv, name):
    return argv[argv.index(name) + 1]


def main(argv):
    cmd = argv[0]
    if cmd == "score":
        index, subset, label, af = alignment(arg(argv, "--f"))
        _, _, _, ag = alignment(arg(argv, "--g"))
        diff = ag - af
        score = diff / (diff.max() - diff.min())
        names = ("shared", "candidate", "independent", "extra")
        with open(arg(argv, "--out"), "w", newline="") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow(["index", "subset", "label", "align_f", "align_g", "diff", "score"])
            for row in sorted(zip(index, subset, label, af, ag, diff, score)):
                w.writerow([int(row[0]), names[int(row[1])], int(row[2]), *map(repr, map(float, row[3:]))])
    elif cmd == "select":
        rows = list(csv.DictReader(open(argv[1])))
        pool = [(int(r["index"]), float(r["score"])) for r in rows if r["subset"] == "candidate"]
        ranked = [i for i, _ in sorted(pool, key=lambda p: (-p[1], p[0]))]
        out = arg(argv, "--out")
        os.makedirs(out, exist_ok=True)
        shuffled = np.random.default_rng(int(arg(argv, "--seed"))).permutation(sorted(i for i, _ in pool))
        for n in map(int, arg(argv, "--top").split(",")):
            for kind, lst in (("top", ranked[:n]), ("random", shuffled[:n])):
                with open(os.path.join(out, f"{kind}-{n}.txt"), "w") as f:
                    f.write("".join(f"{int(i)}\n" for i in sorted(lst)))
    elif cmd == "report":
        if "--help" in argv:
            print("USAGE: sslmem report [--f F] [--g G]" + (" [--study DIR]" if os.environ.get("FAKE_STUDY") else ""))
        else:
            os.makedirs(arg(argv, "--out"), exist_ok=True)
            removal = open(os.path.join(arg(argv, "--study"), "removal.csv")).read()
            open(os.path.join(arg(argv, "--out"), "report.html"), "w").write(removal)
    else:
        print(f"fake sslmem: {cmd} unsupported", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

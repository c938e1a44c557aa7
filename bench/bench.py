#!/usr/bin/env python3
"""`make bench`: sslmem score against the numpy baseline (bench/sslmem_numpy.py)
on the same synthetic layout-v1 pairs, in one run, on this machine.

For each pair: warms the page cache, times `sslmem score` (best of 3) and the
baseline (one run, it is slow), records each tool's peak RSS, checks that both
agree (the baseline computes in float32, so within 1e-5), and prints the
throughput in GB/s of representation bytes (N·K·D·itemsize over both files)
and the speed ratio.

  bench.py --sslmem .build/release/sslmem --data bench-data [--python PY]
"""
import argparse, csv, os, subprocess, sys

PAIRS = [
    ("float32, uncompressed", "f32", ["--points", "20000", "--views", "5", "--dim", "4096"], 4),
    ("float16, gzip+shuffle", "f16gz", ["--points", "20000", "--views", "5", "--dim", "4096",
                                        "--dtype", "float16", "--compression", "gzip"], 2),
]
HERE = os.path.dirname(os.path.abspath(__file__))


def timed(cmd, env=None):
    code = ("import resource,subprocess,sys,time;t=time.perf_counter();"
            "r=subprocess.run(sys.argv[1:],stdout=subprocess.DEVNULL);"
            "print(time.perf_counter()-t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss/1024, r.returncode)")
    out = subprocess.run([sys.executable, "-c", code] + cmd, capture_output=True, text=True, env=env).stdout.split()
    if not out or out[2] != "0":
        sys.exit(f"{' '.join(cmd)} failed")
    return float(out[0]), float(out[1])


def arguments():
    """--sslmem, --data and --python, which every driver here takes."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--sslmem", required=True)
    ap.add_argument("--data", required=True)
    ap.add_argument("--python", default=sys.executable, help="Python with numpy and h5py, for the peers")
    return ap.parse_args()


def pair(folder, names, maker, python):
    """The two files `names` in `folder`, made once by the generator command `maker`
    (a script here and its options), then read through so both tools find them in the
    page cache."""
    f, g = (os.path.join(folder, name) for name in names)
    if not (os.path.exists(f) and os.path.exists(g)):
        print(f"making {folder} …", flush=True)
        subprocess.run([python, os.path.join(HERE, maker[0]), "--out", folder] + maker[1:], check=True,
                       stdout=subprocess.DEVNULL)
    for path in (f, g):
        with open(path, "rb") as fh:
            while fh.read(1 << 24):
                pass
    return f, g


def max_deviation(a, b):
    with open(a) as fa, open(b) as fb:
        ra, rb = list(csv.DictReader(fa)), list(csv.DictReader(fb))
    assert [r["index"] for r in ra] == [r["index"] for r in rb], "points differ"
    return max(abs(float(x["score"]) - float(y["score"])) for x, y in zip(ra, rb))


def main():
    a = arguments()
    baseline_env = {k: v for k, v in os.environ.items() if k not in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")}
    rows = []
    for title, name, options, itemsize in PAIRS:
        folder = os.path.join(a.data, name)
        f, g = pair(folder, ("f.h5", "g.h5"), ["make_synthetic.py"] + options, a.python)
        n, k, d = 20000, 5, 4096
        gigabytes = 2 * n * k * d * itemsize / 1e9
        ours = os.path.join(folder, "sslmem.csv")
        theirs = os.path.join(folder, "numpy.csv")
        runs = [timed([a.sslmem, "score", "--f", f, "--g", g, "--out", ours]) for _ in range(3)]
        t_ours, rss_ours = min(r[0] for r in runs), max(r[1] for r in runs)
        t_base, rss_base = timed([a.python, os.path.join(HERE, "sslmem_numpy.py"), "--f", f, "--g", g,
                                  "--out", theirs], env=baseline_env)
        dev = max_deviation(ours, theirs)
        if dev > 1e-5:
            sys.exit(f"{title}: sslmem and the baseline disagree by {dev:.1e} in the score")
        rows.append((title, gigabytes, t_ours, rss_ours, t_base, rss_base, dev))
        print(f"{title}: sslmem {t_ours:.2f} s, baseline {t_base:.2f} s", flush=True)
    print()
    print(f"{'pair':24} {'GB':>5} {'sslmem s':>9} {'GB/s':>6} {'RSS MB':>7} {'numpy s':>8} {'GB/s':>6} "
          f"{'RSS MB':>7} {'ratio':>6} {'max |Δscore|':>13}")
    for title, gb, to, ro, tb, rb, dev in rows:
        print(f"{title:24} {gb:5.2f} {to:9.2f} {gb / to:6.2f} {ro:7.0f} {tb:8.2f} {gb / tb:6.2f} {rb:7.0f} "
              f"{tb / to:5.1f}× {dev:13.1e}")


if __name__ == "__main__":
    main()

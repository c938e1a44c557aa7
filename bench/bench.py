#!/usr/bin/env python3
"""Helpers of the `make bench` drivers (table.py, kendall.py, large.py): timing a command with its
peak RSS, making a synthetic pair once and warming the page cache, comparing two scores CSVs."""
import argparse, csv, os, subprocess, sys

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

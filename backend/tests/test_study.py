"""`sslmem-backend study`: a study killed mid-way resumes without redoing finished steps; the
manifest and removal.csv are as COMMON's contract says. Runs with a stand-in sslmem
(fake_sslmem.py) so that it needs no Swift build."""
import csv
import json
import os
import stat
import subprocess
import sys

import h5py
import pytest

from sslmem_backend.datasets import FASHION_MNIST_ROOT
from sslmem_backend.study import STOP_AFTER_ENV

TESTS = os.path.dirname(os.path.abspath(__file__))


def fake_sslmem(tmp_path):
    path = tmp_path / "sslmem"
    path.write_text(f"#!/bin/sh\nexec {sys.executable} {TESTS}/fake_sslmem.py \"$@\"\n")
    path.chmod(path.stat().st_mode | stat.S_IEXEC)
    return str(path)


def study(tmp_path, out, env=None, extra=()):
    args = ["study", "--out", str(out), "--seeds", "1", "--sizes", "8", "--epochs", "1", "--width", "4",
            "--batch-size", "32", "--shared", "20", "--candidate", "40", "--independent", "40", "--extra", "10",
            "--views", "2", "--probe-train", "100", "--probe-test", "100", "--jobs", "1",
            "--sslmem", fake_sslmem(tmp_path), *extra]
    return subprocess.run([sys.executable, "-m", "sslmem_backend.cli", *args], capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, timeout=300)


def starts(out):
    return [line.split()[2] for line in open(out / "steps.log") if line.split()[1] == "start"]


@pytest.mark.skipif(not os.path.isdir(FASHION_MNIST_ROOT), reason="Debian's dataset-fashion-mnist is not installed")
def test_a_killed_study_resumes_without_redoing_finished_steps(tmp_path):
    out = tmp_path / "s"
    r = study(tmp_path, out, {STOP_AFTER_ENV: "3"})
    assert r.returncode == -9, r.stdout + r.stderr  # killed after its third finished step
    setup = "simclr-small-cnn-w4-seed1"
    first = sorted(os.listdir(out / "done"))
    assert first == sorted(["split", f"{setup}.train-f", f"{setup}.dump-f", f"{setup}.train-g"])
    assert not (out / "study.json").exists()
    f_weights = os.stat(out / "runs" / setup / "f" / "encoder.pt").st_mtime_ns
    # pretend g's training was killed after its last resume state: it must continue with --resume
    os.unlink(out / "done" / f"{setup}.train-g")
    os.unlink(out / "runs" / setup / "g" / "encoder.pt")

    r = study(tmp_path, out, {"FAKE_STUDY": "1"})
    assert r.returncode == 0, r.stdout + r.stderr
    s = starts(out)
    assert len(s) == len(set(s)) + 1 and s.count(f"{setup}.train-g") == 2  # only g's training ran twice
    assert s.count(f"{setup}.train-f") == 1 and s.count(f"{setup}.dump-f") == 1
    assert "start simclr-small-cnn-w4-seed1.train-g (resume)" in open(out / "steps.log").read()
    assert os.stat(out / "runs" / setup / "f" / "encoder.pt").st_mtime_ns == f_weights

    rows = list(csv.DictReader(open(out / "removal.csv")))
    assert open(out / "removal.csv").readline() == "removed,kind,dataset,seed,accuracy\n"
    assert sorted((r["kind"], r["removed"], r["seed"]) for r in rows) == [
        ("none", "0", "1"), ("random", "8", "1"), ("top", "8", "1")]
    assert all(0 <= float(r["accuracy"]) <= 1 and r["dataset"] == "fashion-mnist" for r in rows)
    m = json.load(open(out / "study.json"))
    assert m["sslmem_format"] == "study" and m["sslmem_format_version"] == 1 and m["removal"] == "removal.csv"
    run = m["runs"][0]
    assert (run["name"], run["method"], run["architecture"], run["seed"]) == (setup, "simclr", "small-cnn-w4", 1)
    for key in ("f", "g", "scores"):
        assert (out / run[key]).exists()
    assert run["downstream_n"] == 100 and 0 <= run["downstream_accuracy"] <= 1
    none = next(r for r in rows if r["kind"] == "none")
    assert float(none["accuracy"]) == run["downstream_accuracy"]
    # the retrained encoders really trained without their lists
    top = json.load(open(out / "runs" / setup / "top-8" / "log.json"))
    assert top["exclude_list"] == "top-8" and top["training_points"] == 52
    with h5py.File(out / "runs" / setup / "f.h5") as h:
        assert int(h.attrs["training_points"]) == 60
    assert (out / "report" / "report.html").exists()
    timing = json.load(open(out / "timing.json"))
    assert timing["steps"] == 8 and set(timing["step_seconds"]) == set(os.listdir(out / "done")) - {"split"}

    # a third start finds everything done and redoes nothing
    r = study(tmp_path, out, {"FAKE_STUDY": "1"})
    assert r.returncode == 0 and starts(out) == s
    # other options on the same folder: refused, not mixed
    r = study(tmp_path, out, extra=("--epochs", "2"))
    assert r.returncode == 1 and "other options (epochs)" in r.stderr


def test_the_plan_of_a_study_with_coresets_and_two_methods():
    from sslmem_backend.study import Study, StudyConfig
    s = Study(StudyConfig(out="/nonexistent", methods="simclr,vicreg", seeds="1,2", sizes="5,10", coreset=True,
                          sslmem="/bin/true"), log=lambda m: None)
    s.plan()
    names = [st.name for st in s.steps]
    assert len(names) == len(set(names))
    # removal runs for the first method only (removal_methods defaults to it)
    kinds = sorted({(e.spec, e.kind) for e in s.encoders})
    assert kinds == [("simclr", "coreset-random"), ("simclr", "coreset-top"), ("simclr", "none"),
                     ("simclr", "random"), ("simclr", "top"), ("vicreg", "none")]
    assert len([e for e in s.encoders if e.spec == "simclr"]) == 2 * (1 + 2 * 4)
    step = {st.name: st for st in s.steps}
    only = step["simclr-small-cnn-w32-seed2.train-coreset-top-10"].argv
    assert only[only.index("--only") + 1].endswith("runs/simclr-small-cnn-w32-seed2/selection/top-10.txt")
    assert only[only.index("--seed") + 1] == "2" and only[only.index("--threads") + 1] == "1"
    sel = step["simclr-small-cnn-w32-seed2.select"].argv
    assert sel[sel.index("--seed") + 1] == "2" and sel[sel.index("--top") + 1] == "5,10" and "--random" in sel
    assert "vicreg-small-cnn-w32-seed1.select" not in step
    # every dependency is a step of the plan, and comes before it
    order = {n: i for i, n in enumerate(names)}
    assert all(order[d] < order[st.name] for st in s.steps for d in st.deps)
    with pytest.raises(ValueError, match="method 'moco'"):
        Study(StudyConfig(methods="simclr,moco"), log=lambda m: None)
    with pytest.raises(ValueError, match="method 'moco'"):
        Study(StudyConfig(methods="simclr,moco:vit-tiny"), log=lambda m: None)


def test_a_study_of_setups_with_their_own_architecture():
    """`METHOD:ARCH` trains that method on ARCH (Table 1 compares method × architecture setups)."""
    from sslmem_backend.study import Study, StudyConfig
    s = Study(StudyConfig(out="/nonexistent", methods="simclr,mae:vit-tiny", seeds="1", sizes="5",
                          sslmem="/bin/true"), log=lambda m: None)
    s.plan()
    step = {st.name: st for st in s.steps}
    mae = step["mae-vit-tiny-seed1.train-f"].argv
    assert mae[mae.index("--method") + 1] == "mae" and mae[mae.index("--arch") + 1] == "vit-tiny"
    cnn = step["simclr-small-cnn-w32-seed1.train-g"].argv
    assert cnn[cnn.index("--arch") + 1] == "small-cnn"
    # the removal experiment runs for the first setup only, by its spec
    assert "simclr-small-cnn-w32-seed1.train-top-5" in step and "mae-vit-tiny-seed1.select" not in step
    s2 = Study(StudyConfig(out="/nonexistent", methods="simclr,mae:vit-tiny", removal_methods="mae:vit-tiny",
                           seeds="1", sizes="5", sslmem="/bin/true"), log=lambda m: None)
    s2.plan()
    assert "mae-vit-tiny-seed1.train-random-5" in {st.name for st in s2.steps}
    with pytest.raises(ValueError, match="removal size 900"):
        Study(StudyConfig(sizes="100,900", candidate=400), log=lambda m: None)

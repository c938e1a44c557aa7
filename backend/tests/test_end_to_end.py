"""The whole loop on real Fashion-MNIST, tiny: one epoch on a few hundred images, dump (views,
layers, Déjà Vu, checkpoints), `sslmem score` and `sslmem report` — under two minutes. And the
README's user script (own Module, own dataset, torchvision transforms) gives files that
`sslmem score` accepts."""
import csv
import json
import os
import re
import subprocess
import sys
import time

import h5py
import pytest
from conftest import REPO, sslmem_path

from sslmem_backend.datasets import FASHION_MNIST_ROOT
from sslmem_backend.experiment import ExperimentConfig, run_experiment


@pytest.mark.skipif(not os.path.isdir(FASHION_MNIST_ROOT), reason="Debian's dataset-fashion-mnist is not installed")
def test_tiny_experiment_to_report(tmp_path, sslmem):
    t = time.time()
    cfg = ExperimentConfig(out=str(tmp_path / "exp"), epochs=1, shared=150, candidate=60, independent=60, extra=30,
                           public=150, views=3, checkpoint_epochs="", checkpoint_points=20, sslmem=sslmem_path())
    run_experiment(cfg, log=lambda m: None)
    seconds = time.time() - t
    out = tmp_path / "exp"
    timing = json.load(open(out / "timing.json"))
    # timing.json records each step (a record for the user, not a limit: tests are not benchmarks)
    assert timing["seconds"]["train_and_dump"] > 0 and seconds >= timing["seconds"]["train_and_dump"], timing
    rows = list(csv.DictReader(open(out / "scores.csv")))
    assert len(rows) == 300
    assert (out / "report" / "report.html").exists() and (out / "report" / "report.pdf").exists()
    with h5py.File(out / "f.h5") as h:
        assert h["layers/conv1/representations"].shape == (300, 3, 32, 14, 14)
        assert h["layers/conv3/representations"].shape == (300, 3, 128, 4, 4)
        assert h["layers/fc/representations"].shape == (300, 3, 128)
        assert [int(h[f"layers/{n}"].attrs["order"]) for n in ("conv1", "conv2", "conv3", "fc")] == [0, 1, 2, 3]
        assert 0 < float(h.attrs["linear_probe_accuracy"]) <= 1 and int(h.attrs["epoch"]) == 1
    assert sorted(os.listdir(out / "checkpoints")) == ["simclr_f_epoch001.h5", "simclr_g_epoch001.h5"]
    log = json.load(open(out / "log_simclr_f.json"))
    assert [e["epoch"] for e in log["log"]] == [1] and log["log"][0]["loss"] > 0
    assert "candidate > extra" in (out / "stats_welch.txt").read_text()
    assert (out / "stats_candidate_vs_independent.txt").read_text().startswith("candidate > independent")
    assert timing["mode"] == "side by side" and set(timing["seconds"]) >= {"train", "dump", "total"}


def readme_python():
    text = open(os.path.join(REPO, "README.md")).read()
    section = text[text.index("## From images to a report: the training backend"):]
    blocks = re.findall(r"```python\n(.*?)```", section, re.S)
    assert blocks, "the README's backend section has no python block"
    return blocks[0]


def test_readme_user_script_gives_files_sslmem_scores(tmp_path, sslmem):
    (tmp_path / "user.py").write_text(readme_python())
    r = subprocess.run([sys.executable, "user.py"], cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    sslmem("score", "--f", str(tmp_path / "f.h5"), "--g", str(tmp_path / "g.h5"), "--out", str(tmp_path / "s.csv"))
    with h5py.File(tmp_path / "f.h5") as f, h5py.File(tmp_path / "g.h5") as g:
        assert f.attrs["split_sha256"] == g.attrs["split_sha256"]

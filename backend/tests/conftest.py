"""Shared helpers: a tiny random dataset and encoder, and the `sslmem` binary (tests that
need it skip cleanly when it is not built; `make test` builds it first)."""
from __future__ import annotations

import os
import subprocess

import numpy as np
import pytest
import torch

from sslmem_backend.datasets import ArrayDataset
from sslmem_backend.models import SmallCNN
from sslmem_backend.split import make_split

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
# One torch thread: the tests' models and batches are too small to gain from intra-op threads, and with
# two threads on a busy 2-core machine every small op waits for the other thread (a ResNet-18 forward on
# three 32-px images: 0.05 s with one thread, 0.5 s with two, measured while other jobs ran). The trainer
# tests set one thread anyway (TrainConfig(threads=1)), which made the count depend on the test order.
torch.set_num_threads(1)


def sslmem_path() -> str:
    return os.environ.get("SSLMEM", os.path.join(REPO, ".build", "release", "sslmem"))


@pytest.fixture
def sslmem():
    path = sslmem_path()
    if not os.access(path, os.X_OK):
        pytest.skip(f"{path} is not built (swift build -c release --product sslmem)")

    def run(*args, check=True):
        r = subprocess.run([path, *args], capture_output=True, text=True)
        if check and r.returncode != 0:
            raise AssertionError(f"sslmem {' '.join(args)} failed: {r.stderr}")
        return r
    return run


def tiny_dataset(n_train=300, n_test=100, size=12, seed=0) -> ArrayDataset:
    rng = np.random.default_rng(seed)
    images = rng.integers(0, 256, size=(n_train + n_test, size, size), dtype=np.uint8)
    labels = rng.integers(0, 4, size=n_train + n_test)
    return ArrayDataset(images, labels, n_train, classes=("a", "b", "c", "d"), name="tiny")


def tiny_encoder(seed=0) -> torch.nn.Module:
    torch.manual_seed(seed)
    return SmallCNN(1, 4, head="pool").eval()


@pytest.fixture
def data():
    return tiny_dataset()


@pytest.fixture
def split(data):
    return make_split(data.n_train, data.n_test, shared=100, candidate=40, independent=40, extra=30, public=50,
                      seed=3)

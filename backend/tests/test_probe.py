"""The downstream probe: hand-computed accuracy and Wilson interval, sets independent of the split."""
import numpy as np
import pytest
import torch

from sslmem_backend.probe import downstream_sets, evaluate, wilson_interval
from sslmem_backend.split import make_split


def test_accuracy_and_wilson_interval_on_a_fixed_tiny_set():
    # 1-D features, symmetric training set: the fitted boundary is x = 0 (b stays 0 by symmetry).
    train_x = torch.tensor([[-2.0], [-1.0], [1.0], [2.0]])
    train_y = torch.tensor([0, 0, 1, 1])
    test_x = torch.tensor([[-3.0], [-0.5], [0.5], [3.0], [1.5]])
    test_y = torch.tensor([0, 0, 1, 1, 0])  # the last is on the class-1 side: wrong by hand
    r = evaluate(train_x, train_y, test_x, test_y)
    assert (r.correct, r.n_test, r.n_train) == (4, 5, 4) and r.accuracy == 4 / 5
    # Wilson, k = 4, n = 5, z = 1.959963984540054: z²/n = 0.768292, centre = (0.8 + 0.384146) / 1.768292
    # = 0.669655, half = z / 1.768292 · sqrt(0.8·0.2/5 + z²/100) = 1.108394 · 0.265358 = 0.294121
    assert r.interval == "wilson"
    assert r.ci95_low == pytest.approx(0.375535, abs=1e-6) and r.ci95_high == pytest.approx(0.963776, abs=1e-6)
    # deterministic: the same features give the same result
    assert evaluate(train_x, train_y, test_x, test_y) == r


def test_wilson_edges():
    lo, hi = wilson_interval(0, 10)
    assert lo == 0 and hi == pytest.approx(0.277533, abs=1e-6)  # z²/(n + z²)
    lo, hi = wilson_interval(10, 10)
    assert hi == pytest.approx(1, abs=1e-12) and lo == pytest.approx(1 - 0.277533, abs=1e-6)
    with pytest.raises(ValueError):
        wilson_interval(0, 0)


def test_downstream_sets_avoid_the_split_and_work_with_shared_zero():
    s = make_split(1000, 300, shared=0, candidate=200, independent=200, extra=50, public=50, seed=1)
    d = downstream_sets(s, n_train=500, n_test=100, seed=0)
    used = np.concatenate([s.shared, s.candidate, s.independent, s.extra, s.public])
    assert len(d.train) == 500 and len(d.test) == 100
    assert not np.isin(d.train, used).any() and not np.isin(d.test, used).any()
    assert (d.train < 1000).all() and (d.test >= 1000).all()
    again = downstream_sets(s, n_train=500, n_test=100, seed=0)
    assert np.array_equal(d.train, again.train) and np.array_equal(d.test, again.test)
    # every training image in the split (the paper's CIFAR-10 setup): halves of the free test images
    full = make_split(1000, 300, shared=600, candidate=200, independent=200, extra=50, public=50, seed=1)
    d = downstream_sets(full, n_train=10000, n_test=10000)
    assert len(d.train) == len(d.test) == 100 and not np.isin(d.train, d.test).any()
    assert "half" in d.train_source
    with pytest.raises(ValueError, match="no test images"):
        downstream_sets(make_split(1000, 0, shared=0, candidate=10, independent=10, seed=0))


import numpy as np
import pytest

from sslmem_backend.split import SUBSETS, Split, file_sha256, make_split


def test_same_arguments_same_split_and_same_bytes(tmp_path):
    a = make_split(1000, 200, shared=500, candidate=100, independent=100, extra=50, public=100, seed=7)
    b = make_split(1000, 200, shared=500, candidate=100, independent=100, extra=50, public=100, seed=7)
    for name in SUBSETS + ("public",):
        assert np.array_equal(a.subset(name), b.subset(name))
    ha, hb = a.save(str(tmp_path / "a.h5")), b.save(str(tmp_path / "b.h5"))
    assert ha == hb == file_sha256(str(tmp_path / "a.h5"))
    c = make_split(1000, 200, shared=500, candidate=100, independent=100, extra=50, public=100, seed=8)
    assert not np.array_equal(a.candidate, c.candidate)
    assert c.save(str(tmp_path / "c.h5")) != ha


def test_disjoint_ranges_and_sizes():
    s = make_split(1000, 200, shared=500, candidate=100, independent=150, extra=50, public=100, seed=1)
    sizes = {n: len(s.subset(n)) for n in SUBSETS + ("public",)}
    assert sizes == {"shared": 500, "candidate": 100, "independent": 150, "extra": 50, "public": 100}
    every = np.concatenate([s.subset(n) for n in SUBSETS + ("public",)])
    assert len(np.unique(every)) == len(every)
    for n in ("shared", "candidate", "independent"):
        assert s.subset(n).min() >= 0 and s.subset(n).max() < 1000
    for n in ("extra", "public"):
        assert s.subset(n).min() >= 1000 and s.subset(n).max() < 1200
    assert np.array_equal(s.training_indices("f"), np.sort(np.concatenate([s.shared, s.candidate])))
    assert np.array_equal(s.training_indices("g"), np.sort(np.concatenate([s.shared, s.independent])))


def test_save_load_round_trip(tmp_path):
    s = make_split(300, 50, shared=100, candidate=20, independent=20, extra=10, public=30, seed=2)
    digest = s.save(str(tmp_path / "s.h5"))
    t = Split.load(str(tmp_path / "s.h5"))
    assert t == s and t.sha256 == digest and (t.n_train, t.n_test, t.seed) == (300, 50, 2)


def test_too_many_points_and_overlapping_file(tmp_path):
    with pytest.raises(ValueError, match="1100 > 1000 training points"):
        make_split(1000, 0, shared=1000, candidate=50, independent=50)
    with pytest.raises(ValueError, match="extra \\+ public"):
        make_split(1000, 10, shared=10, candidate=1, independent=1, extra=5, public=6)
    s = make_split(100, 10, shared=10, candidate=5, independent=5, extra=2, public=2, seed=0)
    bad = Split(100, 10, 0, s.shared, s.candidate, np.concatenate([s.independent[:-1], s.candidate[:1]]),
                s.extra, s.public)
    bad.save(str(tmp_path / "bad.h5"))
    with pytest.raises(ValueError, match=f"index {s.candidate[0]} is in both candidate and independent"):
        Split.load(str(tmp_path / "bad.h5"))

import os

import h5py
import numpy as np
import pytest

from sslmem_backend.convert import from_arrays, from_vissl
from sslmem_backend.split import make_split
from sslmem_backend.writer import DumpError


@pytest.fixture
def arrays():
    rng = np.random.default_rng(0)
    s = make_split(200, 40, shared=60, candidate=20, independent=20, extra=10, public=0, seed=1)
    index = rng.permutation(np.concatenate([s.shared, s.candidate, s.independent, s.extra]))
    views = [rng.normal(size=(len(index), 6, 2)).astype(np.float32) for _ in range(3)]
    return s, index, views


def codes(split, index):
    names = {}
    for c, n in enumerate(("shared", "candidate", "independent", "extra")):
        for i in split.subset(n):
            names[int(i)] = c
    return np.array([names[int(i)] for i in index])


def test_npy_round_trip(tmp_path, arrays):
    s, index, views = arrays
    paths = []
    for k, v in enumerate(views):
        np.save(tmp_path / f"v{k}.npy", v)
        paths.append(str(tmp_path / f"v{k}.npy"))
    np.save(tmp_path / "index.npy", index)
    np.save(tmp_path / "orig.npy", views[0] * 2)
    s = s.with_sha256(s.save(str(tmp_path / "split.h5")))
    out = from_arrays(paths, str(tmp_path / "index.npy"), str(tmp_path / "f.h5"), role="f", split=s,
                      original=str(tmp_path / "orig.npy"), dtype="float32")
    with h5py.File(out) as h:
        assert np.array_equal(h["points/index"][:], index)
        assert np.array_equal(h["points/subset"][:], codes(s, index))
        assert np.array_equal(h["views/representations"][:], np.stack(views, axis=1))
        assert np.array_equal(h["views/original"][:], views[0] * 2)
        assert list(h.attrs["trained_on"]) == ["shared", "candidate"] and h.attrs["split_sha256"] == s.sha256


def test_npz_round_trip_float16(tmp_path, arrays):
    s, index, views = arrays
    np.savez(tmp_path / "g.npz", view0=views[0], view1=views[1], view2=views[2], index=index,
             subset=codes(s, index), label=np.arange(len(index)))
    out = from_arrays([str(tmp_path / "g.npz")], None, str(tmp_path / "g.h5"), role="g")
    with h5py.File(out) as h:
        assert h["views/representations"].dtype == np.float16
        assert np.array_equal(h["views/representations"][:], np.stack(views, axis=1).astype(np.float16))
        assert np.array_equal(h["points/label"][:], np.arange(len(index)))
        assert list(h.attrs["trained_on"]) == ["shared", "independent"]


def test_vissl_shards_round_trip(tmp_path, arrays, sslmem):
    s, index, views = arrays
    for k, v in enumerate(views):
        d = tmp_path / f"view{k}"
        d.mkdir()
        # two shards per view, each in its own order: the converter sorts by index
        for part, rows in enumerate(np.array_split(np.random.default_rng(k).permutation(len(index)), 2)):
            np.save(d / f"rank{part}_chunk0_train_heads_features.npy", v[rows].reshape(len(rows), -1))
            np.save(d / f"rank{part}_chunk0_train_heads_inds.npy", index[rows])
    out = from_vissl([str(tmp_path / f"view{k}") for k in range(3)], str(tmp_path / "f.h5"), role="f", split=s,
                     dtype="float32")
    order = np.argsort(index)
    with h5py.File(out) as h:
        assert np.array_equal(h["points/index"][:], index[order])
        expect = np.stack([v.reshape(len(index), -1)[order] for v in views], axis=1)
        assert np.array_equal(h["views/representations"][:], expect)
    assert "valid layout v1" in sslmem("inspect", out).stdout


def test_bad_input_leaves_nothing(tmp_path, arrays):
    s, index, views = arrays
    np.save(tmp_path / "v0.npy", views[0])
    np.save(tmp_path / "v1.npy", views[1][:-1])
    np.save(tmp_path / "index.npy", index)
    with pytest.raises(DumpError, match="view 1 has 109 rows, the index has 110"):
        from_arrays([str(tmp_path / "v0.npy"), str(tmp_path / "v1.npy")], str(tmp_path / "index.npy"),
                    str(tmp_path / "f.h5"), role="f", split=s)
    bad = views[0].copy()
    bad[7, 0, 0] = np.nan
    np.save(tmp_path / "v1.npy", bad)
    with pytest.raises(DumpError, match=f"point {index[7]} \\(row 7\\): the encoder output has NaN"):
        from_arrays([str(tmp_path / "v0.npy"), str(tmp_path / "v1.npy")], str(tmp_path / "index.npy"),
                    str(tmp_path / "f.h5"), role="f", split=s)
    assert not os.path.exists(tmp_path / "f.h5")
    assert not [f for f in os.listdir(tmp_path) if "tmp" in f]

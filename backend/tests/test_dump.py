import csv
import os
import subprocess
import sys
import tempfile

import h5py
import numpy as np
import pytest
import torch
from conftest import tiny_dataset, tiny_encoder

from sslmem_backend.dump import DumpError, dump_representations
from sslmem_backend.views import Normalize, SimCLRAugment, seeded_view

AUG = SimCLRAugment([0.5], [0.25])
ORIG = Normalize([0.5], [0.25])


def dump(enc, data, split, path, **kw):
    args = dict(role="f", views=3, transform=AUG, original_transform=ORIG)
    args.update(kw)
    return dump_representations(enc, data, split, str(path), **args)


def test_dump_is_valid_layout_v1(tmp_path, data, split, sslmem):
    f = dump(tiny_encoder(), data, split, tmp_path / "f.h5", layers=("conv1", "conv3"), dejavu=True,
             attrs={"method": "simclr", "seed": 3, "epoch": 7, "linear_probe_accuracy": 0.5})
    r = sslmem("inspect", f)
    assert "valid layout v1" in r.stdout and "NOT valid" not in r.stdout
    with h5py.File(f) as h:
        assert list(h.attrs["trained_on"]) == ["shared", "candidate"]
        assert h.attrs["epoch"] == 7 and h.attrs["method"] == "simclr"
        # a split without a digest (make_split's) is recorded with the digest of the file save() writes
        assert split.sha256 is None
        with tempfile.TemporaryDirectory() as d:
            digest = split.save(os.path.join(d, "split.h5"))
        assert h.attrs["split_sha256"] == digest and len(digest) == 64
        assert h["views/representations"].shape == (210, 3, 16)
        assert h["views/representations"].dtype == np.float16
        assert h["views/representations"].chunks[1:] == (3, 16)
        assert h["views/representations"].compression == "gzip" and h["views/representations"].shuffle
        index, subset = h["points/index"][:], h["points/subset"][:]
        assert np.array_equal(np.bincount(subset), [100, 40, 40, 30])
        labels = h["points/label"][:]
        assert all(labels[r] == data.labels[index[r]] for r in range(len(index)))
        # Déjà Vu: a crop of each candidate and independent point, the split's public set
        assert np.array_equal(h["dejavu/crop_index"][:], index[np.isin(subset, (1, 2))])
        assert np.array_equal(h["dejavu/public_index"][:], split.public)
        assert np.array_equal(h["dejavu/public_label"][:], data.labels[split.public])
        assert h["dejavu/crop"].shape == (80, 16) and h["dejavu/public"].shape == (50, 16)
    assert os.listdir(tmp_path) == ["f.h5"]  # no temporary file left


def test_same_view_seed_gives_equal_alignments_for_f_and_g(tmp_path, data, split, sslmem):
    enc = tiny_encoder()
    f = dump(enc, data, split, tmp_path / "f.h5", role="f", view_seed=5, dtype="float32", batch_size=256)
    g = dump(enc, data, split, tmp_path / "g.h5", role="g", view_seed=5, dtype="float32", batch_size=40)
    other = dump(enc, data, split, tmp_path / "g6.h5", role="g", view_seed=6, dtype="float32")
    sslmem("score", "--f", f, "--g", g, "--out", str(tmp_path / "same.csv"), "--normalize", "none")
    sslmem("score", "--f", f, "--g", other, "--out", str(tmp_path / "other.csv"), "--normalize", "none")
    same = list(csv.DictReader(open(tmp_path / "same.csv")))
    diff = list(csv.DictReader(open(tmp_path / "other.csv")))
    assert len(same) == 210
    assert all(r["align_f"] == r["align_g"] and float(r["diff"]) == 0 for r in same)
    assert sum(r["align_f"] != r["align_g"] for r in diff) > 200
    with h5py.File(f) as a, h5py.File(g) as b:
        assert np.array_equal(a["views/representations"][:], b["views/representations"][:])
        assert list(b.attrs["trained_on"]) == ["shared", "independent"]


def test_views_do_not_depend_on_order_or_global_rng():
    img = torch.rand(1, 12, 12)
    torch.manual_seed(1)
    a = seeded_view(AUG, img, 9, 1234, 2)
    after = torch.rand(3)
    torch.manual_seed(99)
    _ = torch.rand(10)
    b = seeded_view(AUG, img, 9, 1234, 2)
    assert torch.equal(a, b)
    assert not torch.equal(a, seeded_view(AUG, img, 9, 1234, 3))
    assert not torch.equal(a, seeded_view(AUG, img, 9, 1235, 2))
    torch.manual_seed(1)
    seeded_view(AUG, img, 9, 1234, 2)
    assert torch.equal(torch.rand(3), after)  # the caller's RNG stream is untouched


class Tokens(torch.nn.Module):
    """[B,1,12,12] → tokens [B,12,12] → mean [B,12]."""

    def __init__(self):
        super().__init__()
        self.embed = torch.nn.Linear(12, 12)
        self.mix = torch.nn.Linear(12, 12)

    def forward(self, x):
        return self.mix(torch.relu(self.embed(x[:, 0]))).mean(1)


def test_layer_shapes_order_and_units_axis(tmp_path, data, split):
    f = dump(tiny_encoder(), data, split, tmp_path / "f.h5", layers=("conv3", "conv1", "conv2"))
    with h5py.File(f) as h:
        expect = {"conv1": ((4, 6, 6), 0), "conv2": ((8, 3, 3), 1), "conv3": ((16, 2, 2), 2)}
        for name, (shape, order) in expect.items():
            g = h[f"layers/{name}"]
            assert g["representations"].shape == (210, 3) + shape
            assert g["original"].shape == (210,) + shape
            assert g["representations"].dtype == np.float16
            assert int(g.attrs["order"]) == order and int(g.attrs["units_axis"]) == 0
        # the pooled conv3 map is the representation: layer and views agree
        pooled = h["layers/conv3/representations"][:].astype(np.float32).mean(axis=(3, 4))
        assert np.allclose(pooled, h["views/representations"][:].astype(np.float32), atol=2e-2)
    t = dump(Tokens(), data, split, tmp_path / "t.h5", layers=("mix", "embed"))
    with h5py.File(t) as h:
        assert h["layers/embed/representations"].shape == (210, 3, 12, 12)
        assert int(h["layers/embed"].attrs["units_axis"]) == 1 and int(h["layers/embed"].attrs["order"]) == 0
        assert int(h["layers/mix"].attrs["order"]) == 1


class NaNAt(torch.nn.Module):
    def __init__(self, bad):
        super().__init__()
        self.bad = bad
        self.lin = torch.nn.Linear(144, 4)

    def forward(self, x):
        out = self.lin(x.flatten(1))
        hit = (x.flatten(1)[:, :1] == self.bad).any(dim=1)
        return torch.where(hit[:, None], torch.full_like(out, float("nan")), out)


def test_bad_inputs_name_point_or_layer_and_leave_nothing(tmp_path, data, split):
    # NaN for one point: the point is named
    target = int(split.candidate[3])
    bad_value = float(ORIG(data[target][0])[0, 0, 0])
    with pytest.raises(DumpError, match=f"point {target} \\(candidate\\)"):
        dump(NaNAt(bad_value), data, split, tmp_path / "nan.h5")
    with pytest.raises(DumpError, match="layer 'conv9': no such module"):
        dump(tiny_encoder(), data, split, tmp_path / "layer.h5", layers=("conv9",))
    short = tiny_dataset(n_train=300, n_test=10)
    with pytest.raises(DumpError, match="the dataset has 310 items but point"):
        dump(tiny_encoder(), short, split, tmp_path / "short.h5")
    with pytest.raises(DumpError, match="role g trains on"):
        dump(tiny_encoder(), data, split, tmp_path / "role.h5", role="g",
             attrs={"trained_on": ["shared", "candidate"]})
    with pytest.raises(DumpError, match="role 'h'"):
        dump(tiny_encoder(), data, split, tmp_path / "role.h5", role="h")
    big = torch.nn.Sequential(torch.nn.Flatten(), torch.nn.Linear(144, 4))
    with torch.no_grad():
        big[1].bias.fill_(1e6)
    with pytest.raises(DumpError, match="overflows float16"):
        dump(big, data, split, tmp_path / "big.h5")
    assert os.listdir(tmp_path) == []


class NaNThenRaise(NaNAt):
    """NaN for one point of the first block; the encoder fails on the next block."""

    def __init__(self, bad):
        super().__init__(bad)
        self.calls = 0

    def forward(self, x):
        self.calls += 1
        if self.calls > 2:  # block 0: views, then originals
            raise RuntimeError("encoder failed on a later block")
        return super().forward(x)


def test_errors_come_in_row_order_with_the_encoder_a_block_ahead(tmp_path, data, split):
    # The encoder runs one block ahead of the writer: the first block's bad row is still the error reported,
    # not the later block's encoder failure that happens while the first block is being written.
    from sslmem_backend.dump import DumpOptions, plan_dump
    plan = plan_dump(data, split, str(tmp_path / "order.h5"), DumpOptions(role="f", views=3, transform=AUG))
    first = int(plan.index[0])
    bad_value = float(ORIG(data[first][0])[0, 0, 0])
    with pytest.raises(DumpError, match=f"point {first} "):
        dump(NaNThenRaise(bad_value), data, split, tmp_path / "order.h5", batch_size=16)
    with pytest.raises(RuntimeError, match="encoder failed on a later block"):
        dump(NaNThenRaise(float("nan")), data, split, tmp_path / "order.h5", batch_size=16)
    assert os.listdir(tmp_path) == []


MEMORY_SCRIPT = """
import resource, sys, torch
sys.path.insert(0, {tests!r})
from conftest import tiny_dataset
from sslmem_backend.dump import dump_representations
from sslmem_backend.split import make_split
n = {n}
torch.manual_seed(0)
class Coarse(torch.nn.Module):  # values on a 1/4 grid: gzip (the writer's filter) is fast on them
    def forward(self, x):
        return torch.round(x * 4) / 4
enc = torch.nn.Sequential(torch.nn.Flatten(), torch.nn.Linear(16, 1024), Coarse())
ds = tiny_dataset(n_train=n, n_test=0, size=4)
s = make_split(n, 0, shared=n // 2, candidate=n // 4, independent=n // 4, seed=0)
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
dump_representations(enc, ds, s, {path!r}, role="f", views=2, dtype="float32", batch_size=512,
                     transform=lambda x: x + 0.01 * torch.randn_like(x))
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before)
"""


def test_memory_stays_flat_with_many_points(tmp_path):
    """The writer holds one chunk per dataset: the peak resident memory a dump of 12,000 points
    adds is within a small margin of what 1,500 points add; holding the views of all 12,000
    points ([N, K, D] float32) would take 98 MB more."""
    def growth_kb(n):
        code = MEMORY_SCRIPT.format(tests=os.path.dirname(__file__), n=n, path=str(tmp_path / f"m{n}.h5"))
        r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
        assert r.returncode == 0, r.stderr
        return int(r.stdout.split()[-1])

    small, large = growth_kb(1500), growth_kb(12000)
    whole_kb = 12000 * 2 * 1024 * 4 // 1024
    assert large < small + whole_kb / 8, (small, large, whole_kb)
    with h5py.File(tmp_path / "m12000.h5") as h:
        assert h["views/representations"].shape == (12000, 2, 1024)


class AutocastProbe(torch.nn.Module):
    """Records whether CPU autocast was on at each call (autocast is per thread)."""

    def __init__(self):
        super().__init__()
        self.lin = torch.nn.Linear(144, 4)
        self.seen = []

    def forward(self, x):
        self.seen.append(torch.is_autocast_cpu_enabled())
        return self.lin(x.flatten(1))


def test_callers_autocast_holds_in_the_encoder_thread(tmp_path, data, split):
    enc = AutocastProbe()
    with torch.autocast("cpu", dtype=torch.bfloat16):
        path = dump(enc, data, split, tmp_path / "amp.h5", dtype="float32")
    assert enc.seen and all(enc.seen)
    with h5py.File(path) as h:  # bfloat16 outputs, widened exactly: every value is a bfloat16
        v = h["views/representations"][...]
        assert np.array_equal(v, torch.from_numpy(v).to(torch.bfloat16).float().numpy())
    enc.seen.clear()
    dump(enc, data, split, tmp_path / "plain.h5")
    assert enc.seen and not any(enc.seen)


def test_a_failed_dump_leaves_no_thread_behind(tmp_path, data, split):
    # The views and encoder threads stop when the dump fails, not when the garbage collector finds the
    # generators: left to it, their clean-up ran in whichever thread allocated next, and one holding the
    # views' RNG lock deadlocked with the views thread it waited for (seen in the backend suite).
    import gc
    import threading

    def ours():
        return [t for t in threading.enumerate() if t.name.startswith("sslmem-backend") and t.is_alive()]

    gc.disable()
    try:
        with pytest.raises(RuntimeError, match="encoder failed on a later block"):
            dump(NaNThenRaise(float("nan")), data, split, tmp_path / "a.h5", batch_size=16)
        assert ours() == []
        with pytest.raises(DumpError, match="the encoder output has NaN"):
            dump(NaNThenRaise(float(ORIG(data[int(split.shared[0])][0])[0, 0, 0])), data, split, tmp_path / "b.h5",
                 batch_size=16, views=2)
        assert ours() == []
    finally:
        gc.enable()
    assert os.listdir(tmp_path) == []


def test_callers_cuda_device_holds_in_the_encoder_thread(tmp_path, data, split, monkeypatch):
    # torch.cuda.set_device is per thread: a caller on device 1 with device="cuda" must not have its encoder
    # thread on device 0. No GPU here, so torch.cuda's current device and its device context are stand-ins.
    import threading
    entered = []

    class FakeDevice:
        def __init__(self, index):
            self.index = index

        def __enter__(self):
            entered.append((self.index, threading.current_thread().name))

        def __exit__(self, *exc):
            return False

    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    monkeypatch.setattr(torch.cuda, "is_initialized", lambda: True)
    monkeypatch.setattr(torch.cuda, "current_device", lambda: 1)
    monkeypatch.setattr(torch.cuda, "device", FakeDevice)
    dump(tiny_encoder(), data, split, tmp_path / "f.h5")
    assert entered == [(1, "sslmem-backend encoder")]

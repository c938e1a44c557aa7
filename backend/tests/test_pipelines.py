"""Issue 29 items 4, 5, 8, 12, 13, 14: the pipelines researchers use (torchvision datasets returning
PIL images, Compose ending in ToTensor), zero views, stable augmentation descriptions, labels and
attributes users get wrong, shards without Déjà Vu targets, and the CLI's agreements."""
import inspect
import os
import subprocess
import sys

import h5py
import numpy as np
import pytest
import torch
import torchvision
import torchvision.transforms as T
from conftest import tiny_encoder
from torchvision.datasets import FakeData

from sslmem_backend import cli
from sslmem_backend.dump import DumpError, describe_transform, dump_representations
from sslmem_backend.shard import shard_of
from sslmem_backend.split import make_split

STANDARD = T.Compose([T.RandomResizedCrop(16, scale=(0.3, 1.0)), T.RandomHorizontalFlip(), T.ToTensor(),
                      T.Normalize([0.5, 0.5, 0.5], [0.25, 0.25, 0.25])])
PLAIN = T.Compose([T.ToTensor(), T.Normalize([0.5, 0.5, 0.5], [0.25, 0.25, 0.25])])


def fake(n=60):
    return FakeData(size=n, image_size=(3, 16, 16), num_classes=4)  # PIL images, int labels, no download


def fsplit(n=60):
    return make_split(40, n - 40, shared=10, candidate=5, independent=5, extra=5, public=10, seed=1)


def rgb_encoder():
    torch.manual_seed(0)
    return torch.nn.Sequential(torch.nn.Conv2d(3, 8, 3, stride=2), torch.nn.ReLU(), torch.nn.Flatten(),
                               torch.nn.Linear(8 * 7 * 7, 16)).eval()


def test_pil_dataset_with_a_totensor_pipeline(tmp_path):
    ds = fake()
    path = dump_representations(rgb_encoder(), ds, fsplit(), str(tmp_path / "f.h5"), role="f", views=3,
                                transform=STANDARD, original_transform=PLAIN, dejavu=True)
    with h5py.File(path) as h:
        assert h["views/representations"].shape == (25, 3, 16)
        labels, index = h["points/label"][:], h["points/index"][:]
        assert all(labels[r] == ds[int(i)][1] for r, i in enumerate(index))
    # and with torchvision's ResNet-18 (in-place ReLUs), no weights download
    torch.manual_seed(0)
    resnet = torchvision.models.resnet18(weights=None, num_classes=16).eval()
    dump_representations(resnet, ds, fsplit(), str(tmp_path / "r.h5"), role="f", views=2, transform=STANDARD,
                         original_transform=PLAIN, layers=("layer1",), points_per_subset=3)


def test_transform_returning_pil_is_one_line_naming_the_point(tmp_path):
    no_totensor = T.Compose([T.RandomResizedCrop(16), T.RandomHorizontalFlip()])
    with pytest.raises(DumpError, match=r"point \d+ \(shared\), view 0: the transform returned a PIL image; end it "
                                        r"with torchvision.transforms.ToTensor\(\)"):
        dump_representations(rgb_encoder(), fake(), fsplit(), str(tmp_path / "f.h5"), role="f", views=2,
                             transform=no_totensor, original_transform=PLAIN)
    with pytest.raises(DumpError, match="the dataset \\(no original_transform\\) returned a PIL image"):
        dump_representations(rgb_encoder(), fake(), fsplit(), str(tmp_path / "f.h5"), role="f", views=2,
                             transform=STANDARD)
    assert os.listdir(tmp_path) == []


class ZeroFor(torch.nn.Module):
    """Representations of point `zero` are exactly 0; those of point `tiny` underflow float16."""

    def __init__(self, data, zero, tiny):
        super().__init__()
        self.lin = torch.nn.Linear(144, 4)
        self.zero, self.tiny = data[zero][0].flatten(), data[tiny][0].flatten()

    def forward(self, x):
        out = self.lin(x.flatten(1))
        flat = x.flatten(1)
        z = (flat == self.zero).all(1)[:, None]
        t = (flat == self.tiny).all(1)[:, None]
        return torch.where(z, torch.zeros_like(out), torch.where(t, torch.full_like(out, 1e-9), out))


def test_zero_views_are_refused_at_the_dump(tmp_path, data, split):
    z, t = int(split.candidate[2]), int(split.shared[5])
    enc = ZeroFor(data, z, t)
    tiny = enc.tiny
    enc.tiny = torch.full_like(tiny, -5)  # matches no image
    with pytest.raises(DumpError, match=f"point {z} \\(candidate\\), view 0: the representation is a zero vector;"):
        dump_representations(enc, data, split, str(tmp_path / "f.h5"), role="f", views=2, transform=lambda x: x)
    enc.zero, enc.tiny = torch.full_like(enc.zero, -5), tiny
    with pytest.raises(DumpError, match=f"point {t} \\(shared\\), view 0: the representation is a zero vector after "
                                        "rounding to float16"):
        dump_representations(enc, data, split, str(tmp_path / "f.h5"), role="f", views=2, transform=lambda x: x)
    dump_representations(enc, data, split, str(tmp_path / "f.h5"), role="f", views=2, transform=lambda x: x,
                         dtype="float32")


def shift(x):
    return x + 0.01


def test_augmentations_attribute_is_stable_and_can_be_given(tmp_path, data, split):
    compose = T.Compose([shift, T.RandomHorizontalFlip()])
    assert "0x" not in describe_transform(compose) and "shift" in describe_transform(compose)
    assert describe_transform(shift) == f"{__name__}.shift"
    f = dump_representations(tiny_encoder(), data, split, str(tmp_path / "f.h5"), role="f", views=2,
                             transform=compose)
    g = dump_representations(tiny_encoder(), data, split, str(tmp_path / "g.h5"), role="g", views=2,
                             transform=compose, augmentations="flip + shift 0.01")
    with h5py.File(f) as a, h5py.File(g) as b:
        assert a.attrs["augmentations"] == describe_transform(compose)
        assert b.attrs["augmentations"] == "flip + shift 0.01"
    # the same description in another process (it held a memory address before)
    code = ("import sys; sys.path.insert(0, {d!r}); import test_pipelines as t, torchvision.transforms as T; "
            "from sslmem_backend.dump import describe_transform; "
            "print(describe_transform(T.Compose([t.shift, T.RandomHorizontalFlip()])))").format(
        d=os.path.dirname(__file__))
    other = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert other == describe_transform(compose).replace(f"{__name__}.", "test_pipelines.")


class Labelled:
    def __init__(self, data, label):
        self.data, self.label = data, label

    def __len__(self):
        return len(self.data)

    def __getitem__(self, i):
        return self.data[i][0], self.label(i)


@pytest.mark.parametrize("label,message", [
    (lambda i: "cat", "the label 'cat' is a str"),
    (lambda i: torch.nn.functional.one_hot(torch.tensor(i % 4), 4), r"the label is a vector \[4\] \(one-hot\?\)"),
    (lambda i: 1.5, "the label 1.5 is not a whole number"),
])
def test_bad_labels_are_one_line_naming_the_point(tmp_path, data, split, label, message):
    with pytest.raises(DumpError, match=r"point \d+ \(shared\): " + message):
        dump_representations(tiny_encoder(), Labelled(data, label), split, str(tmp_path / "f.h5"), role="f", views=2,
                             transform=lambda x: x)


def test_whole_float_and_tensor_labels_are_integers(tmp_path, data, split):
    f = dump_representations(tiny_encoder(), Labelled(data, lambda i: float(i % 3)), split, str(tmp_path / "f.h5"),
                             role="f", views=2, transform=lambda x: x)
    with h5py.File(f) as h:
        assert np.array_equal(h["points/label"][:], h["points/index"][:] % 3)


def test_dict_attribute_is_refused(tmp_path, data, split):
    with pytest.raises(DumpError, match=r"attrs\['config'\] is a dict; an HDF5 attribute takes"):
        dump_representations(tiny_encoder(), data, split, str(tmp_path / "f.h5"), role="f", views=2,
                             transform=lambda x: x, attrs={"config": {"lr": 0.1}})


def test_shard_without_dejavu_targets_is_valid_layout(tmp_path, data, sslmem):
    s = make_split(data.n_train, data.n_test, shared=60, candidate=2, independent=2, extra=10, public=20, seed=5)
    n = 16
    targets = {shard_of(int(i), n) for i in np.concatenate([s.candidate, s.independent])}
    empty = next(k for k in range(n) if k not in targets and any(shard_of(int(i), n) == k for i in s.shared))
    f = dump_representations(tiny_encoder(), data, s, str(tmp_path / "f.h5"), role="f", views=2,
                             transform=lambda x: x + 0.01, dejavu=True, shard=(empty, n))
    with h5py.File(f) as h:
        assert h["dejavu/crop"].shape == (0, 16) and len(h["dejavu/crop_index"]) == 0
    r = sslmem("inspect", f)
    assert "valid layout v1" in r.stdout and "NOT valid" not in r.stdout, r.stdout


def test_cli_split_defaults_are_make_splits_and_views_means_a_count():
    a = cli.parser().parse_args(["split", "--n-train", "10", "--out", "x.h5"])
    sig = inspect.signature(make_split).parameters
    assert all(getattr(a, n) == sig[n].default for n in ("shared", "candidate", "independent", "extra", "public"))
    d = cli.parser().parse_args(["dump", "--encoder", "e.pt", "--role", "f", "--split", "s.h5", "--views", "4",
                                 "--out", "f.h5"])
    assert d.views == 4
    c = cli.parser().parse_args(["convert", "npy", "--view-files", "a.npy", "b.npy", "--role", "f", "--out", "f.h5"])
    assert c.view_files == ["a.npy", "b.npy"]


def test_progress_lines_in_a_batch_job(capsys, monkeypatch):
    monkeypatch.setenv("SLURM_JOB_ID", "1")
    show = cli.progress_printer(None, "dump f.h5")
    for k in range(0, 101, 10):
        show(k, 100)
    err = capsys.readouterr().err.splitlines()
    assert err[0] == "sslmem-backend: dump f.h5: 0/100 points"
    assert err[-1] == "sslmem-backend: dump f.h5: 100/100 points"
    assert cli.progress_printer("none", "x") is None


@pytest.mark.parametrize("workers", [0, 2])
def test_a_failing_transform_names_the_point_and_view(tmp_path, data, split, workers):
    bad = int(split.candidate[4])

    class Fails:
        def __call__(self, x):
            if float(x.flatten()[0]) == float(data[bad][0].flatten()[0]) and np.random.rand() < 2:
                raise ValueError("odd image\nsecond line")
            return x

    with pytest.raises(DumpError, match=rf"point {bad} \(candidate\), view 0: the transform failed: ValueError: "
                                        r"odd image$"):
        dump_representations(tiny_encoder(), data, split, str(tmp_path / "f.h5"), role="f", views=2,
                             transform=Fails(), workers=workers)
    assert os.listdir(tmp_path) == []


def test_experiment_checks_its_sslmem_binary_before_training(tmp_path):
    from sslmem_backend.experiment import ExperimentConfig, run_experiment
    from sslmem_backend.outputs import OutputError
    with pytest.raises(OutputError, match="the sslmem binary is missing"):
        run_experiment(ExperimentConfig(out=str(tmp_path / "exp"), sslmem=str(tmp_path / "no-sslmem")),
                       log=lambda m: None)
    assert not (tmp_path / "exp").exists()  # nothing trained, nothing written

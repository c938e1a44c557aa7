"""Encoders from elsewhere (encoders.py): every format loads to the same outputs as the module it
was saved from; solo-learn and lightly checkpoints built here with those libraries' real key
layouts (solo-learn: solo/methods/base.py; lightly: benchmarks/imagenet/resnet50/*.py and its
examples' nn.Sequential backbone); unpickling needs trust; bad files are one line."""
from __future__ import annotations

import argparse
import copy
import functools
import os
import sys

import numpy as np
import pytest
import torch
import torch.nn as nn
import torchvision

from sslmem_backend import cli
from sslmem_backend.encoders import EncoderError, load_encoder, read_safetensors, write_safetensors
from sslmem_backend.models import SmallCNN
from sslmem_backend.models import resnet18 as sslmem_resnet18
from sslmem_backend.safetensors_file import SafetensorsError
from sslmem_backend.split import Split, make_split
from sslmem_backend.train import load_encoder as train_load_encoder
from sslmem_backend.train import save_encoder

DATA = os.path.join(os.path.dirname(__file__), "data")
sys.path.insert(0, DATA)
from make_safetensors_fixture import reference_tensors  # noqa: E402


def randomize(model: nn.Module, seed: int = 0) -> nn.Module:
    """Non-trivial BatchNorm statistics, so that a wrongly loaded buffer shows in the outputs."""
    g = torch.Generator().manual_seed(seed)
    for m in model.modules():
        if isinstance(m, nn.modules.batchnorm._BatchNorm):
            m.running_mean.copy_(torch.randn(m.running_mean.shape, generator=g) * 0.1)
            m.running_var.copy_(torch.rand(m.running_var.shape, generator=g) + 0.5)
            m.weight.data.copy_(torch.rand(m.weight.shape, generator=g) + 0.5)
            m.bias.data.copy_(torch.randn(m.bias.shape, generator=g) * 0.1)
    return model.eval()


def tv_resnet18(stem: str = "imagenet", in_channels: int = 3, fc: bool = True) -> nn.Module:
    """A torchvision ResNet-18 with random weights and BatchNorm statistics (built once per
    variant: initializing one takes about a second)."""
    return copy.deepcopy(_tv_resnet18(stem, in_channels, fc))


@functools.lru_cache(maxsize=None)
def _tv_resnet18(stem: str, in_channels: int, fc: bool) -> nn.Module:
    torch.manual_seed(1)
    m = torchvision.models.resnet18(num_classes=10)
    if stem != "imagenet":
        m.conv1 = nn.Conv2d(in_channels, 64, 3, 1, 2 if stem == "pad2" else 1, bias=False)
        m.maxpool = nn.Identity()
    if not fc:
        m.fc = nn.Identity()
    return randomize(m)


def outputs(module: nn.Module, channels: int = 3, size: int = 32) -> torch.Tensor:
    x = torch.randn(3, channels, size, size, generator=torch.Generator().manual_seed(7))
    with torch.no_grad():
        return module(x)


def headless(model: nn.Module) -> nn.Module:
    m = copy.deepcopy(model)
    m.fc = nn.Identity()
    return m.eval()


def one_line(e: pytest.ExceptionInfo) -> str:
    text = str(e.value)
    assert "\n" not in text
    return text


# ---------------------------------------------------------------------------- formats round-trip

def test_own_encoder_pt_and_the_train_wrapper(tmp_path):
    torch.manual_seed(0)
    enc = randomize(SmallCNN(1, 8, "fc", 12))
    path = str(tmp_path / "encoder.pt")
    save_encoder(path, enc, dict(arch="small-cnn", width=8, in_channels=1, image_size=12, role="f", mean=[0.5],
                                 std=[0.25], split_sha256="ab"))
    loaded = load_encoder(path)
    assert loaded.format == "sslmem" and loaded.meta["role"] == "f" and "state_dict" not in loaded.meta
    assert loaded.architecture == "small-cnn-w8" and not loaded.module.training
    assert torch.equal(outputs(loaded.module, 1, 12), outputs(enc, 1, 12))
    module, meta = train_load_encoder(path)
    assert torch.equal(outputs(module, 1, 12), outputs(enc, 1, 12)) and meta["split_sha256"] == "ab"
    with pytest.raises(EncoderError, match="holds its own architecture: drop --arch"):
        load_encoder(path, "torchvision:resnet18")


def test_torchvision_state_dict_drops_the_classifier(tmp_path):
    model = tv_resnet18()
    path = str(tmp_path / "resnet18.pth")
    torch.save(model.state_dict(), path)
    loaded = load_encoder(path, "torchvision:resnet18")
    assert loaded.format == "state-dict" and loaded.prefix == "" and loaded.dropped == ["fc.weight", "fc.bias"]
    out = outputs(loaded.module)
    assert out.shape == (3, 512) and torch.equal(out, outputs(headless(model)))


def test_cifar_stem_matches_our_trainers_resnet18_and_takes_its_channels(tmp_path):
    torch.manual_seed(2)
    ours = randomize(sslmem_resnet18(in_channels=1))
    path = str(tmp_path / "ours.pt")
    torch.save(ours.state_dict(), path)
    loaded = load_encoder(path, "torchvision:resnet18-cifar")
    assert loaded.dropped == [] and any("1 input channel" in n for n in loaded.notes)
    assert torch.equal(outputs(loaded.module, 1), outputs(ours, 1))


# the real layouts: solo-learn's BaseMethod / BaseMomentumMethod (a LightningModule)
class SoloLearnSimCLR(nn.Module):
    def __init__(self, momentum: bool = True, old_names: bool = False):
        super().__init__()
        backbone = tv_resnet18("pad2", fc=False)
        setattr(self, "encoder" if old_names else "backbone", backbone)
        self.projector = nn.Sequential(nn.Linear(512, 256), nn.BatchNorm1d(256), nn.ReLU(), nn.Linear(256, 128))
        self.predictor = nn.Sequential(nn.Linear(128, 64), nn.ReLU(), nn.Linear(64, 128))
        self.classifier = nn.Linear(512, 10)
        if momentum:
            self.momentum_backbone = copy.deepcopy(backbone)
            self.momentum_projector = copy.deepcopy(self.projector)
            self.momentum_classifier = nn.Linear(512, 10)
        with torch.no_grad():  # the momentum copy differs from the online backbone
            for p in getattr(self, "momentum_backbone", nn.Identity()).parameters():
                p.add_(0.5)


def lightning_checkpoint(module: nn.Module, **extra) -> dict:
    return {"epoch": 999, "global_step": 19532, "pytorch-lightning_version": "2.0.7",
            "state_dict": module.state_dict(), "loops": {"fit_loop": {"state_dict": {}}},
            "callbacks": {}, "optimizer_states": [{"state": {}, "param_groups": [{"lr": 0.3, "params": [0, 1]}]}],
            "lr_schedulers": [{"last_epoch": 999}], **extra}


def test_solo_learn_checkpoint(tmp_path):
    solo = SoloLearnSimCLR()
    path = str(tmp_path / "simclr-cifar10-abc-ep=999.ckpt")
    torch.save(lightning_checkpoint(solo), path)
    loaded = load_encoder(path, "torchvision:resnet18-cifar-pad2")
    assert loaded.prefix == "backbone." and loaded.notes == []
    assert torch.equal(outputs(loaded.module), outputs(solo.backbone))
    tops = {k.split(".")[0] for k in loaded.dropped}
    assert tops == {"projector", "predictor", "classifier", "momentum_backbone", "momentum_projector",
                    "momentum_classifier"}
    assert len(loaded.dropped) == len(solo.state_dict()) - len(solo.backbone.state_dict())
    assert any("dropped" in s and "momentum_backbone.* (" in s for s in loaded.summary())
    # the padding-1 stem loads the same weights but computes something else: said in a note
    wrong = load_encoder(path, "torchvision:resnet18-cifar")
    assert any("solo-learn pads its CIFAR stem by 2" in n for n in wrong.notes)
    assert not torch.allclose(outputs(wrong.module), outputs(solo.backbone))


def test_solo_learn_checkpoint_before_the_rename_to_backbone(tmp_path):
    solo = SoloLearnSimCLR(momentum=False, old_names=True)
    path = str(tmp_path / "old.ckpt")
    torch.save({"state_dict": solo.state_dict()}, path)
    loaded = load_encoder(path, "torchvision:resnet18-cifar-pad2")
    assert loaded.prefix == "encoder." and torch.equal(outputs(loaded.module), outputs(solo.encoder))


# lightly's examples: backbone = nn.Sequential(*list(resnet.children())[:-1]), MoCo's momentum copies
class LightlyMoCo(nn.Module):
    def __init__(self):
        super().__init__()
        resnet = tv_resnet18()
        self.backbone = nn.Sequential(*list(resnet.children())[:-1])
        self.projection_head = nn.Sequential(nn.Linear(512, 512), nn.ReLU(), nn.Linear(512, 128))
        self.backbone_momentum = copy.deepcopy(self.backbone)
        self.projection_head_momentum = copy.deepcopy(self.projection_head)

    def features(self, x):
        return self.backbone(x).flatten(start_dim=1)


# lightly's benchmarks: resnet.fc = Identity(); teacher copies; OnlineLinearClassifier
class LightlyBYOLBenchmark(nn.Module):
    def __init__(self):
        super().__init__()
        self.backbone = tv_resnet18(fc=False)
        self.projection_head = nn.Sequential(nn.Linear(512, 256), nn.BatchNorm1d(256), nn.ReLU(), nn.Linear(256, 64))
        self.prediction_head = nn.Sequential(nn.Linear(64, 256), nn.ReLU(), nn.Linear(256, 64))
        self.teacher_backbone = copy.deepcopy(self.backbone)
        self.teacher_projection_head = copy.deepcopy(self.projection_head)
        self.online_classifier = nn.Module()
        self.online_classifier.classification_head = nn.Linear(512, 10)


def test_lightly_sequential_backbone_plain_and_under_ddp(tmp_path):
    moco = LightlyMoCo().eval()
    expected = outputs(moco.features)
    path = str(tmp_path / "moco.ckpt")
    torch.save(lightning_checkpoint(moco), path)
    loaded = load_encoder(path, "torchvision:resnet18")
    assert loaded.prefix == "backbone." and torch.equal(outputs(loaded.module), expected)
    assert {k.split(".")[0] for k in loaded.dropped} == {"projection_head", "backbone_momentum",
                                                        "projection_head_momentum"}
    ddp = str(tmp_path / "ddp.pth")
    torch.save({"model": {"module." + k: v for k, v in moco.state_dict().items()}}, ddp)
    loaded = load_encoder(ddp, "torchvision:resnet18")
    assert loaded.prefix == "module.backbone." and torch.equal(outputs(loaded.module), expected)
    assert all(k.startswith("module.") for k in loaded.dropped)


def test_lightly_benchmark_checkpoint(tmp_path):
    byol = LightlyBYOLBenchmark()
    path = str(tmp_path / "byol.ckpt")
    torch.save(lightning_checkpoint(byol, hyper_parameters={"batch_size_per_device": 128, "num_classes": 10}), path)
    loaded = load_encoder(path, "torchvision:resnet18")
    assert torch.equal(outputs(loaded.module), outputs(byol.backbone))
    assert {k.split(".")[0] for k in loaded.dropped} == {"projection_head", "prediction_head", "teacher_backbone",
                                                        "teacher_projection_head", "online_classifier"}


def test_torchscript(tmp_path):
    torch.manual_seed(0)
    enc = randomize(SmallCNN(3, 8, "fc", 32))
    path = str(tmp_path / "encoder.ts")
    torch.jit.save(torch.jit.trace(enc, torch.zeros(1, 3, 32, 32)), path)
    loaded = load_encoder(path)
    assert loaded.format == "torchscript" and not loaded.module.training
    assert torch.equal(outputs(loaded.module), outputs(enc))
    with pytest.raises(EncoderError, match="TorchScript file holds its own architecture"):
        load_encoder(path, "torchvision:resnet18")


def test_safetensors_reader_against_the_real_package():
    got = read_safetensors(os.path.join(DATA, "reference.safetensors"))  # written by safetensors 0.8.0
    ref = reference_tensors()
    assert set(got) == set(ref)
    for k, v in ref.items():
        assert got[k].dtype == v.dtype and got[k].shape == v.shape and torch.equal(got[k], v), k


def test_safetensors_writer_round_trips_and_the_package_reads_it(tmp_path):
    path = str(tmp_path / "x.safetensors")
    write_safetensors(path, reference_tensors(), {"k": "v"})
    got = read_safetensors(path)
    for k, v in reference_tensors().items():
        assert got[k].dtype == v.dtype and torch.equal(got[k], v), k
    st = pytest.importorskip("safetensors.torch")
    other = st.load_file(path)
    for k, v in reference_tensors().items():
        assert torch.equal(other[k], v), k


def test_safetensors_encoder_solo_learn_layout(tmp_path):
    solo = SoloLearnSimCLR(momentum=False)
    path = str(tmp_path / "model.safetensors")
    write_safetensors(path, solo.state_dict())
    loaded = load_encoder(path, "torchvision:resnet18-cifar-pad2")
    assert loaded.format == "safetensors" and torch.equal(outputs(loaded.module), outputs(solo.backbone))


def test_safetensors_bad_offsets_name_the_tensor(tmp_path):
    path = str(tmp_path / "bad.safetensors")
    write_safetensors(path, {"a.weight": torch.ones(4)})
    data = bytearray(open(path, "rb").read())
    with open(path, "wb") as f:
        f.write(data[:-4])  # truncated: the last float is gone
    with pytest.raises(SafetensorsError) as e:
        read_safetensors(path)
    assert "a.weight" in one_line(e) and path in str(e.value)
    with pytest.raises(EncoderError, match="a.weight"):
        load_encoder(path, "torchvision:resnet18")


def test_timm_model(tmp_path):
    timm = pytest.importorskip("timm")
    torch.manual_seed(3)
    model = randomize(timm.create_model("resnet18", pretrained=False, num_classes=10))
    path = str(tmp_path / "timm.pth")
    torch.save({"state_dict": model.state_dict()}, path)
    loaded = load_encoder(path, "timm:resnet18")
    assert loaded.dropped == ["fc.weight", "fc.bias"]
    model.reset_classifier(0)
    assert torch.equal(outputs(loaded.module), outputs(model))


def test_timm_missing_is_one_line(tmp_path, monkeypatch):
    path = str(tmp_path / "w.pth")
    torch.save(tv_resnet18().state_dict(), path)
    monkeypatch.setitem(sys.modules, "timm", None)  # import timm raises ImportError
    with pytest.raises(EncoderError) as e:
        load_encoder(path, "timm:resnet18")
    assert "pip install timm" in one_line(e)


# ---------------------------------------------------------------------------- safety and errors

class Marker:
    """Unpickling this creates a file: what a malicious checkpoint would do."""
    def __init__(self, path):
        self.path = path

    def __reduce__(self):
        return (open, (self.path, "w"))


def test_full_unpickling_needs_trust(tmp_path):
    model = tv_resnet18()
    path = str(tmp_path / "checkpoint.pth.tar")
    torch.save({"state_dict": model.state_dict(), "args": argparse.Namespace(lr=0.03, arch="resnet18")}, path)
    with pytest.raises(EncoderError) as e:
        load_encoder(path, "torchvision:resnet18")
    text = one_line(e)
    assert text.startswith(path) and "argparse.Namespace" in text and "--trust-checkpoint" in text
    loaded = load_encoder(path, "torchvision:resnet18", trust=True)
    assert torch.equal(outputs(loaded.module), outputs(headless(model)))


def test_code_in_a_checkpoint_does_not_run_without_trust(tmp_path):
    marker = tmp_path / "ran"
    path = str(tmp_path / "evil.pt")
    for extra in ({}, {"lr": 0.3}):  # a float: torch 1.13's weights-only reader refuses it, ours is used
        torch.save({"state_dict": tv_resnet18().state_dict(), "x": Marker(str(marker)), **extra}, path)
        with pytest.raises(EncoderError, match=r"needs full unpickling.*(io|builtins)\.open"):
            load_encoder(path, "torchvision:resnet18")
        assert not marker.exists()
    for legacy in (False, True):
        torch.save({"x": Marker(str(marker)), "lr": 0.3}, path, _use_new_zipfile_serialization=not legacy)
        with pytest.raises(EncoderError, match=r"needs full unpickling.*(io|builtins)\.open"):
            load_encoder(path, "torchvision:resnet18")
        assert not marker.exists()


def test_pickled_module_with_trust(tmp_path):
    torch.manual_seed(0)
    enc = randomize(SmallCNN(3, 8, "fc", 32))
    path = str(tmp_path / "whole.pt")
    torch.save(enc, path)
    with pytest.raises(EncoderError, match="needs full unpickling.*SmallCNN"):
        load_encoder(path)
    loaded = load_encoder(path, trust=True)
    assert loaded.format == "pickled-module" and torch.equal(outputs(loaded.module), outputs(enc))


@pytest.mark.parametrize("content", [b"hello, this is a text file\n", b"\x89PNG\r\n\x1a\n" + bytes(64), b"",
                                     b"PK\x03\x04not a zip at all"])
def test_not_a_checkpoint_is_one_line(tmp_path, content):
    path = str(tmp_path / "encoder.pt")
    open(path, "wb").write(content)
    with pytest.raises(EncoderError) as e:
        load_encoder(path, "torchvision:resnet18")
    assert one_line(e).startswith(f"{path}: not an encoder checkpoint")


def test_plain_pickle_is_one_line(tmp_path):
    import pickle
    path = str(tmp_path / "list.pkl")
    pickle.dump([1, 2, 3], open(path, "wb"))
    with pytest.raises(EncoderError) as e:
        load_encoder(path, "torchvision:resnet18")
    assert one_line(e).startswith(path)


def test_shape_mismatch_names_the_key_and_both_shapes(tmp_path):
    path = str(tmp_path / "cifar.pth")
    torch.save(tv_resnet18("cifar").state_dict(), path)
    with pytest.raises(EncoderError) as e:
        load_encoder(path, "torchvision:resnet18")
    text = one_line(e)
    assert text.startswith(path) and "conv1.weight" in text and "[64,3,3,3]" in text and "[64,3,7,7]" in text
    assert "try torchvision:resnet18-cifar, or torchvision:resnet18-cifar-pad2" in text
    torch.save(tv_resnet18().state_dict(), path)
    expected = (r"\[64,3,7,7\] in the checkpoint but \[64,3,3,3\] in "
                r"torchvision:resnet18-cifar \(a 7×7 ImageNet stem: try torchvision:resnet18\)")
    with pytest.raises(EncoderError, match=expected):
        load_encoder(path, "torchvision:resnet18-cifar")


def test_missing_and_unexpected_keys_are_named(tmp_path):
    state = tv_resnet18().state_dict()
    del state["layer4.1.bn2.running_var"]
    path = str(tmp_path / "missing.pth")
    torch.save(state, path)
    with pytest.raises(EncoderError) as e:
        load_encoder(path, "torchvision:resnet18")
    assert "layer4.1.bn2.running_var" in one_line(e) and "[512]" in str(e.value)
    state = tv_resnet18().state_dict()
    state["layer5.weight"] = torch.zeros(2, 2)
    torch.save(state, path)
    with pytest.raises(EncoderError) as e:
        load_encoder(path, "torchvision:resnet18")
    assert "layer5.weight" in one_line(e) and "[2,2]" in str(e.value)


def test_bare_weights_need_an_architecture_and_a_known_one(tmp_path):
    path = str(tmp_path / "w.pth")
    torch.save(tv_resnet18().state_dict(), path)
    with pytest.raises(EncoderError, match="holds weights only: give their architecture"):
        load_encoder(path)
    with pytest.raises(EncoderError, match="has no model 'resnet7'"):
        load_encoder(path, "torchvision:resnet7")
    with pytest.raises(EncoderError, match="expected torchvision:NAME"):
        load_encoder(path, "resnet18")
    torch.save({"teacher": {"a": 1}, "epoch": 3}, path)
    with pytest.raises(EncoderError, match="no state dict in this checkpoint.*teacher, epoch"):
        load_encoder(path, "torchvision:resnet18")


# ---------------------------------------------------------------------------- CLI

def split_file(tmp_path, n=20) -> str:
    path = str(tmp_path / "split.h5")
    make_split(n, 0, shared=10, candidate=5, independent=5, extra=0, seed=0).save(path)
    return path


def test_cli_dump_non_checkpoint_encoder_is_one_line(tmp_path, capsys):
    bad = str(tmp_path / "notes.txt")
    open(bad, "w").write("not a checkpoint\n")
    out = str(tmp_path / "f.h5")
    rc = cli.main(["dump", "--encoder", bad, "--role", "f", "--split", split_file(tmp_path), "--out", out])
    err = capsys.readouterr().err
    assert rc == 1 and err.count("\n") == 1 and "not an encoder checkpoint" in err and "Traceback" not in err
    assert not os.path.exists(out)


def test_cli_dump_refuses_untrusted_and_loads_trusted(tmp_path, capsys):
    from PIL import Image
    rng = np.random.default_rng(0)
    for c in ("a", "b"):
        os.makedirs(tmp_path / "imgs" / c)
        for i in range(10):
            Image.fromarray(rng.integers(0, 256, (32, 32, 3), dtype=np.uint8)).save(tmp_path / "imgs" / c / f"{i}.png")
    solo = SoloLearnSimCLR()
    ckpt = str(tmp_path / "solo.ckpt")
    torch.save(lightning_checkpoint(solo, hyper_parameters={"cfg": argparse.Namespace(method="simclr")}), ckpt)
    args = ["dump", "--encoder", ckpt, "--arch", "torchvision:resnet18-cifar-pad2", "--role", "f",
            "--split", split_file(tmp_path), "--dataset", f"folder:{tmp_path / 'imgs'}", "--views", "2",
            "--dtype", "float32", "--threads", "1", "--out", str(tmp_path / "f.h5")]
    assert cli.main(args) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--trust-checkpoint" in err and not os.path.exists(tmp_path / "f.h5")
    assert cli.main(args + ["--trust-checkpoint"]) == 0
    printed = capsys.readouterr().out
    assert "backbone from backbone.*" in printed and "momentum_backbone.* (" in printed
    import h5py
    with h5py.File(tmp_path / "f.h5", "r") as h:
        assert h.attrs["architecture"] == "torchvision:resnet18-cifar-pad2"


def test_cli_split_exports_training_indices(tmp_path, capsys):
    out, folder = str(tmp_path / "split.h5"), tmp_path / "indices"
    args = ["split", "--n-train", "60", "--shared", "30", "--candidate", "10", "--independent", "10",
            "--extra", "0", "--seed", "4", "--out", out, "--export-indices", str(folder)]
    assert cli.main(args) == 0
    split = Split.load(out)
    for role in ("f", "g"):
        text = (folder / f"{role}_train.txt").read_text()
        assert text == "".join(f"{i}\n" for i in split.training_indices(role))
    assert len((folder / "f_train.txt").read_text().split()) == 40
    assert cli.main(args) == 0  # the same lists again: fine
    (folder / "g_train.txt").write_text("1\n2\n")  # not what this split would write: never replaced
    assert cli.main(args[:-6] + ["--seed", "5", "--out", str(tmp_path / "s5.h5"), "--export-indices",
                                 str(folder)]) == 1
    err = capsys.readouterr().err
    assert "f_train.txt" in err and err.count("\n") == 1 and (folder / "g_train.txt").read_text() == "1\n2\n"


def test_moco_v2_checkpoint_and_old_batchnorm_keys(tmp_path):
    """MoCo v2's main_moco.py: {"arch", "state_dict": {"module.encoder_q.*", "module.encoder_k.*",
    "module.queue", "module.queue_ptr"}, "optimizer"}; its encoder_q.fc is the MLP head."""
    q = tv_resnet18()
    q.fc = nn.Sequential(nn.Linear(512, 512), nn.ReLU(), nn.Linear(512, 128))
    state = {f"module.encoder_q.{k}": v for k, v in q.state_dict().items()}
    state.update({f"module.encoder_k.{k}": v + 1 for k, v in q.state_dict().items()})
    state.update({"module.queue": torch.randn(128, 16), "module.queue_ptr": torch.zeros(1, dtype=torch.long)})
    state = {k: v for k, v in state.items() if not k.endswith("num_batches_tracked")}  # as torch < 0.4.1 saved
    path = str(tmp_path / "checkpoint_0199.pth.tar")
    torch.save({"epoch": 200, "arch": "resnet18", "state_dict": state}, path)
    loaded = load_encoder(path, "torchvision:resnet18")
    assert loaded.prefix == "module.encoder_q."
    assert torch.equal(outputs(loaded.module), outputs(headless(q)))
    assert {k.split(".")[1] for k in loaded.dropped} == {"encoder_k", "queue", "queue_ptr", "encoder_q"}
    assert {k for k in loaded.dropped if "encoder_q" in k} == {f"module.encoder_q.fc.{i}.{p}" for i in (0, 2)
                                                               for p in ("weight", "bias")}
    summary = loaded.summary()[1]
    assert "module.encoder_k.* (" in summary and "module.encoder_q.fc.* (4)" in summary
    assert "module.queue (1)" in summary


@pytest.mark.skipif(torch.cuda.is_available(), reason="CUDA is available here")
def test_cuda_missing_is_one_line(tmp_path):
    path = str(tmp_path / "encoder.ts")
    torch.jit.save(torch.jit.script(nn.Linear(2, 2)), path)
    with pytest.raises(EncoderError) as e:
        load_encoder(path, device="cuda")
    assert "CUDA is not available" in one_line(e)


def test_dino_style_teacher_needs_a_prefix(tmp_path):
    """lightly's DINO example: student_backbone, student_head, teacher_backbone, teacher_head."""
    dino = nn.Module()
    dino.student_backbone = tv_resnet18(fc=False)
    dino.student_head = nn.Linear(512, 64)
    dino.teacher_backbone = tv_resnet18(fc=False)
    with torch.no_grad():
        dino.teacher_backbone.conv1.weight.mul_(2)
    dino.teacher_head = nn.Linear(512, 64)
    path = str(tmp_path / "dino.ckpt")
    torch.save({"state_dict": dino.state_dict()}, path)
    with pytest.raises(EncoderError) as e:
        load_encoder(path, "torchvision:resnet18")
    text = one_line(e)
    assert "no key of torchvision:resnet18" in text and "teacher_backbone.*" in text and "--prefix" in text
    loaded = load_encoder(path, "torchvision:resnet18", prefix="teacher_backbone.")
    assert torch.equal(outputs(loaded.module), outputs(dino.teacher_backbone))
    assert {k.split(".")[0] for k in loaded.dropped} == {"student_backbone", "student_head", "teacher_head"}

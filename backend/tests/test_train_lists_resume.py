"""Training on lists (--exclude/--only), resume after a real kill, checkpoint names."""
import json
import os
import subprocess
import sys
import textwrap

import h5py
import numpy as np
import pytest
import torch
from conftest import tiny_dataset

from sslmem_backend.lists import list_sha256, read_index_list
from sslmem_backend.loader import TrainingViews
from sslmem_backend.methods import METHODS
from sslmem_backend.split import make_split
from sslmem_backend.train import (
    LIST_ATTRS,
    TrainConfig,
    checkpoint_name,
    load_encoder,
    load_resume_config,
    train,
)

TESTS = os.path.dirname(os.path.abspath(__file__))


def small():
    ds = tiny_dataset(n_train=160, n_test=40, size=12)
    s = make_split(160, 40, shared=50, candidate=40, independent=30, extra=10, public=10, seed=0)
    return ds, s


def write_selection(path, lists):
    """A selection.h5 as `sslmem select` writes it (docs/layout.md, "Selection")."""
    with h5py.File(path, "w") as h:
        h.attrs["sslmem_format"] = "selection"  # a scalar UTF-8 string, as SSLMemHDF5 writes it
        h.attrs["pool"] = "candidate"
        for name, values in lists.items():
            h.create_dataset(name, data=np.asarray(values, np.int64))


def test_lists_from_text_and_selection_have_one_digest(tmp_path):
    (tmp_path / "top-3.txt").write_text("5\n17\n42\n")
    write_selection(tmp_path / "selection.h5", {"top/3": [5, 17, 42], "random/3": [1, 2, 3]})
    a = read_index_list(str(tmp_path / "top-3.txt"))
    b = read_index_list(f"{tmp_path}/selection.h5:top/3")
    c = read_index_list(f"{tmp_path}/selection.h5:top-3")
    assert a.name == b.name == c.name == "top-3"
    assert a.sha256 == b.sha256 == c.sha256 == list_sha256([42, 5, 17])
    # the digest is the SHA-256 of the text file select writes
    import hashlib
    assert a.sha256 == hashlib.sha256(b"5\n17\n42\n").hexdigest()
    for bad, msg in (("5\nx\n", "line 2"), ("5\n5\n", "listed twice"), ("", "empty")):
        (tmp_path / "bad.txt").write_text(bad)
        with pytest.raises(ValueError, match=msg):
            read_index_list(str(tmp_path / "bad.txt"))
    with pytest.raises(ValueError, match="no list 'top/9'"):
        read_index_list(f"{tmp_path}/selection.h5:top/9")


def test_the_loader_never_yields_an_excluded_index(tmp_path, monkeypatch):
    ds, s = small()
    excluded = s.candidate[::2]
    (tmp_path / "top-20.txt").write_text("".join(f"{i}\n" for i in excluded))
    seen = []
    original = TrainingViews.__getitem__

    def recording(self, item):
        idx, views = original(self, item)
        seen.append(idx.numpy().copy())
        # the images are those of the yielded indices
        assert torch.equal(self.images[torch.as_tensor(item[1])], ds.batch(idx.numpy()))
        return idx, views
    monkeypatch.setattr(TrainingViews, "__getitem__", recording)
    meta = train(ds, s, TrainConfig(role="f", epochs=2, batch_size=16, threads=1, probe_train=0,
                                    exclude=str(tmp_path / "top-20.txt")), str(tmp_path / "run"), log=lambda m: None)
    yielded = np.concatenate(seen)
    assert not np.isin(yielded, excluded).any()
    expected = np.setdiff1d(s.training_indices("f"), excluded)
    # every remaining point once per epoch, nothing else
    assert sorted(yielded.tolist()) == sorted(np.concatenate([expected, expected]).tolist())
    assert meta["exclude_list"] == "top-20" and meta["exclude_size"] == 20 and meta["training_points"] == 70
    assert meta["exclude_sha256"] == list_sha256(excluded)
    log = json.load(open(tmp_path / "run" / "log.json"))
    assert log["exclude_list"] == "top-20" and log["exclude_sha256"] == list_sha256(excluded)
    _, m = load_encoder(str(tmp_path / "run" / "encoder.pt"))
    assert m["exclude_size"] == 20

    seen.clear()
    write_selection(tmp_path / "selection.h5", {"top/10": s.candidate[:10]})
    meta = train(ds, s, TrainConfig(role="f", epochs=1, batch_size=4, threads=1, probe_train=0,
                                    only=f"{tmp_path}/selection.h5:top/10"), str(tmp_path / "only"),
                 log=lambda m: None)
    assert sorted(np.concatenate(seen).tolist()) == sorted(s.candidate[:10].tolist())
    assert meta["only_list"] == "top-10" and meta["training_points"] == 10
    # a coreset point g never trains on is an error, not a silent no-op
    with pytest.raises(ValueError, match="not in g's training set"):
        train(ds, s, TrainConfig(role="g", epochs=1, threads=1, probe_train=0,
                                 only=f"{tmp_path}/selection.h5:top/10"), str(tmp_path / "g"), log=lambda m: None)


def test_dump_of_an_encoder_trained_on_a_list_carries_it(tmp_path):
    from sslmem_backend import cli
    ds, s = small()
    s = s.with_sha256(s.save(str(tmp_path / "split.h5")))
    (tmp_path / "top-5.txt").write_text("".join(f"{i}\n" for i in s.candidate[:5]))
    train(ds, s, TrainConfig(role="f", epochs=1, batch_size=32, threads=1, width=4, probe_train=40, probe_test=20,
                             exclude=str(tmp_path / "top-5.txt")), str(tmp_path / "run"), log=lambda m: None)
    # cmd_dump reads the dataset by name: hand it the tiny one
    import sslmem_backend.datasets as datasets
    orig = datasets.load_dataset
    datasets.load_dataset = lambda spec, root=None: ds
    try:
        assert cli.main(["dump", "--encoder", str(tmp_path / "run" / "encoder.pt"), "--role", "f", "--split",
                         str(tmp_path / "split.h5"), "--views", "2", "--out", str(tmp_path / "f.h5")]) == 0
    finally:
        datasets.load_dataset = orig
    with h5py.File(tmp_path / "f.h5") as h:
        assert h.attrs["exclude_list"] in ("top-5", b"top-5")
        assert int(h.attrs["exclude_size"]) == 5 and int(h.attrs["training_points"]) == 85
        assert h.attrs["exclude_sha256"] in (list_sha256(s.candidate[:5]), list_sha256(s.candidate[:5]).encode())
        assert 0 <= float(h.attrs["downstream_accuracy"]) <= 1
    assert set(LIST_ATTRS) >= {"exclude_list", "exclude_size", "exclude_sha256", "only_list"}


def test_checkpoint_names_are_wide_enough():
    assert checkpoint_name(7, 100) == "epoch007.pt"
    assert checkpoint_name(7, 999) == "epoch007.pt"
    assert checkpoint_name(7, 1000) == "epoch0007.pt"
    assert checkpoint_name(12345, 20000) == "epoch12345.pt"


RUN = textwrap.dedent("""
    import os, signal, sys
    sys.path.insert(0, {tests!r})
    from conftest import tiny_dataset
    from sslmem_backend.split import make_split
    from sslmem_backend.train import TrainConfig, train
    ds = tiny_dataset(n_train=160, n_test=40, size=12)
    s = make_split(160, 40, shared=50, candidate=40, independent=30, extra=10, public=10, seed=0)
    lst = os.path.join(os.path.dirname({out!r}), "top-5.txt")
    cfg = TrainConfig(method={method!r}, role="f", width=4, epochs=4, batch_size=16, seed=5, threads=1,
                      probe_train=40, probe_test=20, checkpoint_epochs=(2,), exclude=lst,
                      method_options={options!r})
    kill_at = {kill_at}
    def stop(epoch):
        if epoch == kill_at:
            os.kill(os.getpid(), signal.SIGKILL)  # a real kill: no cleanup, no atexit
    train(ds, s, cfg, {out!r}, log=lambda m: None, resume={resume}, on_epoch=stop)
""")


#: heads scaled down to the width-4 encoder (the defaults, e.g. DINO's 4096 prototypes after a 2048-wide MLP,
#: made this test several times slower without testing more: every tensor of the state is compared all the same)
SMALL_HEADS = {"dino": dict(out_dim=64, hidden=32, bottleneck=16),
               "byol": dict(proj_hidden=32, proj_dim=16, pred_hidden=32),
               "simsiam": dict(proj_hidden=32, proj_dim=16, pred_hidden=8)}


def start(method, out, kill_at=0, resume=False):
    script = RUN.format(tests=TESTS, method=method, out=str(out), kill_at=kill_at, resume=resume,
                        options=SMALL_HEADS.get(method, {}))
    return subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)


def finish(proc):
    """(return code, stderr) of a started run."""
    _, err = proc.communicate(timeout=120)
    return proc.returncode, err


# mae needs a ViT, too slow for this test on a CPU; its state_dict resume is tested in test_methods.py
@pytest.mark.parametrize("method", sorted(m for m in METHODS if m != "mae"))
def test_a_run_killed_and_resumed_ends_bit_identical(tmp_path, method):
    full, cut = tmp_path / "full", tmp_path / "cut"
    (tmp_path / "top-5.txt").write_text("".join(f"{i}\n" for i in small()[1].candidate[:5]))
    # the uninterrupted run and the one killed after epoch 2 side by side (one torch thread each)
    runs = start(method, full), start(method, cut, kill_at=2)
    (code_full, err_full), (code_cut, err_cut) = finish(runs[0]), finish(runs[1])
    assert code_full == 0, err_full
    assert code_cut == -9, err_cut  # killed after epoch 2
    assert not (cut / "encoder.pt").exists() and (cut / "resume.pt").exists()
    assert load_resume_config(str(cut)).epochs == 4
    os.rename(tmp_path / "top-5.txt", tmp_path / "moved.txt")  # the resumed run keeps its points and list record
    code, err = finish(start(method, cut, resume=True))
    assert code == 0, err
    a, b = torch.load(full / "resume.pt")["resume"], torch.load(cut / "resume.pt")["resume"]
    assert a["epoch"] == b["epoch"] == 4
    for key, value in a["method"].items():  # encoder, projector/heads, teacher: every tensor, bit for bit
        assert torch.equal(value, b["method"][key]), key
    la, lb = json.load(open(full / "log.json")), json.load(open(cut / "log.json"))
    assert [e["loss"] for e in la["log"]] == [e["loss"] for e in lb["log"]]
    assert la["exclude_sha256"] == lb["exclude_sha256"] and lb["training_points"] == 85
    assert la["downstream"] == lb["downstream"]
    assert torch.equal(torch.load(full / "encoder.pt")["state_dict"]["fc.weight"],
                       torch.load(cut / "encoder.pt")["state_dict"]["fc.weight"])
    # a folder holding a started, unfinished run is not silently restarted (a finished run's folder is
    # cleared and retrained: test_output_safety)
    (cut / "encoder.pt").unlink()
    with pytest.raises(ValueError, match="--resume"):
        ds, s = small()
        train(ds, s, TrainConfig(), str(cut), log=lambda m: None)


@pytest.mark.skipif(not os.path.isdir("/usr/share/datasets/fashion-mnist"), reason="needs Debian's Fashion-MNIST")
def test_train_command_errors_are_one_line_and_leave_nothing(tmp_path, capsys):
    from sslmem_backend import cli
    s = make_split(60000, 10000, shared=20, candidate=20, independent=20, seed=0)
    s.save(str(tmp_path / "split.h5"))
    (tmp_path / "bad.txt").write_text("3\nthree\n")
    for args, msg in (([ "--exclude", str(tmp_path / "missing.txt")], "missing.txt: no such list file"),
                      (["--exclude", str(tmp_path / "bad.txt")], "line 2"),
                      (["--only", str(tmp_path / "bad.txt"), "--exclude", str(tmp_path / "bad.txt")],
                       "exclude each other")):
        code = cli.main(["train", "--role", "f", "--split", str(tmp_path / "split.h5"), "--epochs", "1",
                         "--out", str(tmp_path / "run"), *args])
        err = capsys.readouterr().err
        assert code == 1 and msg in err and len(err.strip().splitlines()) == 1, err
        assert not (tmp_path / "run").exists()
    assert cli.main(["train", "--resume", str(tmp_path / "nothing")]) == 1
    assert "holds no run to resume" in capsys.readouterr().err
    assert cli.main(["train", "--split", str(tmp_path / "split.h5")]) == 1
    assert "train needs --role, --out" in capsys.readouterr().err

"""Issue 29 items 6, 7 and 11: an output never replaces an input or a file the backend did not write;
SIGTERM leaves nothing, stale temporary files of killed runs go; a training folder keeps no stale
checkpoint of an earlier run; runs that would save an untrained encoder are refused."""
import os
import signal
import socket
import subprocess
import sys
import time

import h5py
import numpy as np
import pytest
import torch
from conftest import REPO, tiny_dataset, tiny_encoder

from sslmem_backend import cli
from sslmem_backend.dump import DumpError, dump_representations
from sslmem_backend.outputs import (
    OutputError,
    check_training_run,
    checkpoint_epoch,
    checkpoint_name,
    prepare_train_dir,
    remove_stale_temps,
    temp_path,
)
from sslmem_backend.split import Split
from sslmem_backend.train import TrainConfig, save_encoder, train


def noise(x):
    return x + 0.05 * torch.randn_like(x)


def dump(data, split, path, **kw):
    return dump_representations(tiny_encoder(), data, split, str(path), role="f", views=2, transform=noise, **kw)


def test_dump_never_replaces_its_inputs_or_foreign_files(tmp_path, data, split):
    split.save(str(tmp_path / "split.h5"))
    before = (tmp_path / "split.h5").read_bytes()
    with pytest.raises(DumpError, match="is the input .*split.h5; an output never replaces an input"):
        dump(data, split, tmp_path / "split.h5", inputs=[str(tmp_path / "split.h5")])
    os.symlink(tmp_path / "split.h5", tmp_path / "link.h5")
    with pytest.raises(DumpError, match="an output never replaces an input"):
        dump(data, split, tmp_path / "link.h5", inputs=[str(tmp_path / "split.h5")], overwrite=True)
    assert (tmp_path / "split.h5").read_bytes() == before
    # a file the backend did not write: refused unless overwrite=True
    (tmp_path / "notes.h5").write_text("my notes")
    with pytest.raises(DumpError, match="exists and is not a representations file sslmem-backend wrote"):
        dump(data, split, tmp_path / "notes.h5")
    assert (tmp_path / "notes.h5").read_text() == "my notes"
    dump(data, split, tmp_path / "notes.h5", overwrite=True)
    # an earlier dump is replaced without a word
    dump(data, split, tmp_path / "f.h5")
    dump(data, split, tmp_path / "f.h5", view_seed=3)
    with h5py.File(tmp_path / "f.h5") as h:
        assert int(h.attrs["view_seed"]) == 3 and h.attrs["written_by"] == "sslmem-backend"


def write_encoder(path):
    from sslmem_backend.models import build_encoder
    save_encoder(str(path), build_encoder("small-cnn", 1, 4, 12),
                 dict(arch="small-cnn", width=4, in_channels=1, image_size=12, mean=[0.5], std=[0.25], role="f",
                      method="simclr"))


def test_cli_dump_refuses_to_replace_split_or_encoder(tmp_path, split, capsys, monkeypatch):
    split.save(str(tmp_path / "split.h5"))
    write_encoder(tmp_path / "encoder.pt")
    before = {n: (tmp_path / n).read_bytes() for n in ("split.h5", "encoder.pt")}
    monkeypatch.setattr("sslmem_backend.datasets.load_dataset", lambda spec, root=None: tiny_dataset())
    for out in ("split.h5", "encoder.pt"):
        code = cli.main(["dump", "--encoder", str(tmp_path / "encoder.pt"), "--role", "f", "--split",
                         str(tmp_path / "split.h5"), "--views", "2", "--out", str(tmp_path / out), "--force"])
        err = capsys.readouterr().err
        assert code == 1 and err.count("\n") == 1 and "an output never replaces an input" in err, err
    assert {n: (tmp_path / n).read_bytes() for n in before} == before
    # a file that is not an encoder: one line, no traceback
    (tmp_path / "junk.pt").write_bytes(b"not a pickle at all")
    code = cli.main(["dump", "--encoder", str(tmp_path / "junk.pt"), "--role", "f", "--split",
                     str(tmp_path / "split.h5"), "--out", str(tmp_path / "f.h5")])
    err = capsys.readouterr().err
    assert code == 1 and err.count("\n") == 1 and "junk.pt: not an encoder" in err, err


SIGTERM_SCRIPT = """
import sys, time, torch
sys.path.insert(0, {tests!r})
from conftest import tiny_dataset, tiny_encoder
from sslmem_backend.dump import dump_representations
from sslmem_backend.split import make_split
ds = tiny_dataset(n_train=300, n_test=0)
s = make_split(300, 0, shared=100, candidate=100, independent=100, seed=0)
def slow(x):
    time.sleep(0.01)
    return x + 0.01 * torch.randn_like(x)
dump_representations(tiny_encoder(), ds, s, {path!r}, role="f", views=2, transform=slow, batch_size=12, workers=0)
"""


def test_sigterm_leaves_no_file(tmp_path):
    out = tmp_path / "f.h5"
    code = SIGTERM_SCRIPT.format(tests=os.path.dirname(__file__), path=str(out))
    p = subprocess.Popen([sys.executable, "-c", code])
    deadline = time.time() + 120
    while time.time() < deadline and not any(n.startswith(".f.h5.tmp-") for n in os.listdir(tmp_path)):
        time.sleep(0.05)
    assert any(n.startswith(".f.h5.tmp-") for n in os.listdir(tmp_path)), "the dump did not start"
    p.send_signal(signal.SIGTERM)
    assert p.wait(timeout=60) != 0
    assert os.listdir(tmp_path) == []  # before: .f.h5.tmp-PID stayed, a new name each rerun


def test_stale_temp_files_of_dead_processes_are_removed(tmp_path, data, split):
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    host = os.path.basename(temp_path(str(tmp_path / "f.h5"))).split(".tmp-")[1].rsplit("-", 1)[0]
    stale = tmp_path / f".f.h5.tmp-{host}-{dead.pid}"
    alive = tmp_path / f".f.h5.tmp-{host}-{os.getppid()}"
    other_host = tmp_path / f".f.h5.tmp-elsewhere-{dead.pid}"
    for p in (stale, alive, other_host):
        p.write_bytes(b"x")
    dump(data, split, tmp_path / "f.h5")
    assert sorted(os.listdir(tmp_path)) == sorted(["f.h5", alive.name, other_host.name])
    assert remove_stale_temps(str(tmp_path / "f.h5")) == []
    assert socket.gethostname()  # temp names carry the host: PIDs of other hosts are never judged


def test_gitignore_matches_the_temporary_names():
    ignore = open(os.path.join(REPO, ".gitignore")).read().split()
    name = os.path.basename(temp_path("f.h5"))
    import fnmatch
    assert any(fnmatch.fnmatch(name, pattern) for pattern in ignore), name


def test_train_into_an_earlier_run_leaves_no_stale_checkpoint(tmp_path):
    ds = tiny_dataset(n_train=120, n_test=40, size=12)
    s = Split.load(str(_saved_split(tmp_path)))
    out = tmp_path / "run"
    cfg = dict(method="simclr", role="f", batch_size=32, threads=1)
    train(ds, s, TrainConfig(epochs=3, checkpoint_epochs=(1, 2), **cfg), str(out), log=lambda m: None)
    assert sorted(os.listdir(out / "checkpoints")) == ["epoch001.pt", "epoch002.pt"]
    train(ds, s, TrainConfig(epochs=2, checkpoint_epochs=(1,), **cfg), str(out), log=lambda m: None)
    assert sorted(os.listdir(out / "checkpoints")) == ["epoch001.pt"]  # epoch002.pt of the first run is gone
    # a folder the trainer did not write is refused (nothing in it is touched)
    mine = tmp_path / "mine"
    (mine / "checkpoints").mkdir(parents=True)
    (mine / "checkpoints" / "epoch005.pt").write_bytes(b"mine")
    with pytest.raises(OutputError, match="did not write"):
        train(ds, s, TrainConfig(epochs=1, **cfg), str(mine), log=lambda m: None)
    assert (mine / "checkpoints" / "epoch005.pt").read_bytes() == b"mine"
    assert prepare_train_dir(str(mine), force=True) == [str(mine / "checkpoints" / "epoch005.pt")]


def _saved_split(tmp_path):
    from sslmem_backend.split import make_split
    s = make_split(120, 40, shared=60, candidate=30, independent=30, extra=10, public=30, seed=0)
    s.save(str(tmp_path / "split.h5"))
    return tmp_path / "split.h5"


def test_untrained_runs_refused_and_checkpoint_names_parse(tmp_path):
    with pytest.raises(ValueError, match="--batch-size 1: need at least 2"):
        check_training_run(10, 1, 100)
    with pytest.raises(ValueError, match="--epochs 0: need at least 1"):
        check_training_run(0, 32, 100)
    ds = tiny_dataset(n_train=120, n_test=40, size=12)
    s = Split.load(str(_saved_split(tmp_path)))
    with pytest.raises(ValueError, match="--batch-size 1"):
        train(ds, s, TrainConfig(epochs=1, batch_size=1, threads=1), str(tmp_path / "r"), log=lambda m: None)
    assert checkpoint_name(7) == "epoch007.pt" and checkpoint_name(1200) == "epoch1200.pt"
    assert checkpoint_epoch("epoch1200.pt") == 1200 and checkpoint_epoch("epoch007.pt") == 7
    assert checkpoint_epoch("notes.txt") is None
    assert np.all([checkpoint_epoch(checkpoint_name(e)) == e for e in (1, 99, 999, 1000, 12345)])

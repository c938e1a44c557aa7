"""`train` under DistributedDataParallel on the CPU: 2 gloo processes, each with half of every
global batch, follow the loss curve and end with the weights of 1 process with the whole batch
(DINO on a tiny ViT: a per-image loss, no batch norm); process 0 alone writes the outputs; the
training batches and views do not depend on the process count or the DataLoader workers."""
import json
import os
import socket

import numpy as np
import pytest
import torch
import torch.distributed as dist
import torch.multiprocessing as mp
from conftest import tiny_dataset

from sslmem_backend import train as train_mod
from sslmem_backend.augment import build_augment
from sslmem_backend.loader import EpochBatches, TrainingViews, per_process_batch, training_loader
from sslmem_backend.split import make_split
from sslmem_backend.vit import ViT

CONFIG = dict(method="dino", role="f", epochs=2, batch_size=16, seed=3, threads=1, probe_train=0,
              checkpoint_epochs=(1,), method_options=dict(out_dim=32, hidden=16, bottleneck=8, momentum=0.9))


def tiny_vit(arch, in_channels, width, image_size):
    return ViT(image_size, 4, in_channels, dim=16, depth=1, heads=2)


def setup():
    """64 training points for f (40 shared + 24 candidate): 4 steps of 16 per epoch."""
    ds = tiny_dataset(n_train=100, n_test=20, size=8)
    return ds, make_split(100, 20, shared=40, candidate=24, independent=24, extra=5, public=5, seed=0)


def _worker(rank, world, port, out):
    dist.init_process_group("gloo", init_method=f"tcp://127.0.0.1:{port}", rank=rank, world_size=world)
    torch.set_num_threads(1)
    train_mod.build_encoder = tiny_vit
    save = train_mod.save_encoder

    def recorded(path, *args, **kw):
        with open(os.path.join(os.path.dirname(out), f"saved-by-rank{rank}"), "a") as f:
            f.write(path + "\n")
        return save(path, *args, **kw)
    train_mod.save_encoder = recorded
    try:
        ds, s = setup()
        train_mod.train(ds, s, train_mod.TrainConfig(**CONFIG), out, log=lambda m: None)
    finally:
        dist.destroy_process_group()


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_two_gloo_processes_follow_one_process(tmp_path, monkeypatch):
    monkeypatch.setattr(train_mod, "build_encoder", tiny_vit)
    ds, s = setup()
    one = tmp_path / "one"
    train_mod.train(ds, s, train_mod.TrainConfig(**CONFIG), str(one), log=lambda m: None)
    two = tmp_path / "two" / "run"
    two.parent.mkdir()
    mp.spawn(_worker, args=(2, free_port(), str(two)), nprocs=2, join=True)
    a, b = json.load(open(one / "log.json")), json.load(open(two / "log.json"))
    la, lb = [e["loss"] for e in a["log"]], [e["loss"] for e in b["log"]]
    assert len(lb) == 2 and la[0] != la[1]
    assert np.allclose(la, lb, rtol=1e-5, atol=1e-6), (la, lb)
    sa, sb = torch.load(one / "resume.pt")["resume"], torch.load(two / "resume.pt")["resume"]
    assert sb["world"] == 2 and len(sb["rng"]) == 2
    for key, value in sa["method"].items():  # encoder, head, teacher, DINO's centre
        assert torch.allclose(value.float(), sb["method"][key].float(), atol=1e-5), key
    # process 0 alone wrote: the checkpoint, the resume states and the encoder
    assert not (two.parent / "saved-by-rank1").exists()
    written = (two.parent / "saved-by-rank0").read_text().split()
    assert sorted(set(os.path.basename(p) for p in written)) == ["encoder.pt", "epoch001.pt", "resume.pt"]
    assert sorted(os.listdir(two / "checkpoints")) == ["epoch001.pt"]
    assert not [n for n in os.listdir(two) if n.endswith(".tmp")]


def test_batches_of_two_processes_are_those_of_one():
    n, batch = 50, 10
    one = EpochBatches(n, batch, 0, 1, seed=7)
    two = [EpochBatches(n, per_process_batch(batch, 2), r, 2, seed=7) for r in range(2)]
    orders = []
    for epoch in (1, 2):
        for sampler in [one, *two]:
            sampler.set_epoch(epoch)
        steps = list(one)
        assert len(one) == len(two[0]) == len(two[1]) == 5
        for s, (ep, positions) in enumerate(steps):
            shares = [list(t)[s][1] for t in two]
            assert ep == epoch and sorted(positions) == sorted(shares[0] + shares[1])
        orders.append([p for _, ps in steps for p in ps])
        assert sorted(orders[-1]) == list(range(n))
    assert orders[0] != orders[1]  # a new permutation each epoch, the same on every call
    one.set_epoch(1)
    assert [p for _, ps in one for p in ps] == orders[0]
    with pytest.raises(ValueError, match="does not split evenly over 3 processes"):
        per_process_batch(16, 3)


def test_views_depend_on_the_point_and_epoch_only_and_workers_change_nothing():
    ds = tiny_dataset(n_train=40, n_test=0, size=8)
    ids = np.arange(3, 35)
    for name in ("simclr", "paper"):
        data = TrainingViews(ids, ds.batch(ids), build_augment(name, ds.mean, ds.std), 2, seed=1)
        _, whole = data[(1, list(range(8)))]
        idx, part = data[(1, [5, 2])]
        assert idx.tolist() == [8, 5]
        assert torch.equal(part[0][0], whole[0][5]) and torch.equal(part[1][1], whole[1][2])
        assert not torch.equal(data[(2, [5])][1][0][0], whole[0][5])  # another epoch, other views
        assert not torch.equal(whole[0], whole[1])
    batches = EpochBatches(len(ids), 8, seed=2)
    got = {}
    for workers in (0, 2):
        loader = training_loader(data, batches, workers=workers, seed=2)
        got[workers] = []
        for epoch in (1, 2):
            batches.set_epoch(epoch)
            got[workers] += [(i.clone(), [v.clone() for v in vs]) for i, vs in loader]
    assert len(got[0]) == len(got[2]) == 8
    for (ia, va), (ib, vb) in zip(got[0], got[2]):
        assert torch.equal(ia, ib) and all(torch.equal(x, y) for x, y in zip(va, vb))


@pytest.mark.skipif(not os.path.isdir("/usr/share/datasets/fashion-mnist"), reason="needs Debian's Fashion-MNIST")
def test_train_command_under_torchrun(tmp_path):
    """`torchrun --nproc_per_node 2 -m sslmem_backend.cli train`: the command joins torchrun's group
    (gloo), process 0 alone logs and writes, and resume.pt records both processes."""
    import subprocess
    import sys
    s = make_split(60000, 10000, shared=20, candidate=12, independent=12, seed=0)
    s.save(str(tmp_path / "split.h5"))
    # --tee 1 --redirects 1 (the workers' stdout to the console and a log file): torch 1.13's torchrun cannot
    # parse its defaults ("0") on Python 3.11 (an IntFlag change; fixed in torch 2.0)
    cmd = [sys.executable, "-m", "torch.distributed.run", "--standalone", "--nproc_per_node", "2", "--tee", "1",
           "--redirects", "1", "--log_dir", str(tmp_path / "logs"), "-m",
           "sslmem_backend.cli", "train", "--role", "f", "--split", str(tmp_path / "split.h5"), "--width", "4",
           "--epochs", "1", "--batch-size", "16", "--probe-train", "0", "--threads", "1", "--out",
           str(tmp_path / "run")]
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=300,
                       env={**os.environ, "OMP_NUM_THREADS": "1"})
    assert r.returncode == 0, r.stdout + r.stderr
    assert r.stdout.count("done: 1 epochs") == 1, r.stdout  # process 0 speaks for the group
    assert sorted(os.listdir(tmp_path / "run")) == [".sslmem-backend-train", "checkpoints", "encoder.pt",
                                                     "log.json", "resume.pt"]
    state = torch.load(tmp_path / "run" / "resume.pt")["resume"]
    assert state["world"] == 2 and len(state["rng"]) == 2
    assert json.load(open(tmp_path / "run" / "log.json"))["training_points"] == 32


def test_amp_needs_cuda_and_an_old_resume_state_is_refused(tmp_path):
    ds, s = setup()
    with pytest.raises(ValueError, match="--amp: mixed precision needs a CUDA device"):
        train_mod.train(ds, s, train_mod.TrainConfig(amp=True, threads=1), str(tmp_path / "amp"), log=lambda m: None)
    assert not (tmp_path / "amp").exists()
    cfg = train_mod.TrainConfig(epochs=1, batch_size=16, width=4, threads=1, probe_train=0)
    train_mod.train(ds, s, cfg, str(tmp_path / "run"), log=lambda m: None)
    path = tmp_path / "run" / "resume.pt"
    blob = torch.load(path)
    del blob["resume"]["data_order"]  # as written before the DistributedSampler order
    torch.save(blob, path)
    with pytest.raises(ValueError, match="older sslmem-backend"):
        train_mod.train(ds, s, cfg, str(tmp_path / "run"), log=lambda m: None, resume=True)


def gathered_losses(rank, world):
    """NT-Xent and VICReg of a linear map's outputs on a global batch of 8 (this process's share,
    gathered with `gather_batch`), the map's gradient averaged over the processes (as DDP does), and
    the loss of this process's share alone."""
    from sslmem_backend.distributed import gather_batch, shard
    from sslmem_backend.losses import nt_xent, vicreg
    torch.manual_seed(0)
    lin = torch.nn.Linear(6, 5).double()
    g = torch.Generator().manual_seed(1)
    x1, x2 = torch.randn(8, 6, generator=g).double(), torch.randn(8, 6, generator=g).double()
    out = {}
    for name, loss_fn in (("nt_xent", nt_xent), ("vicreg", vicreg)):
        lin.zero_grad()
        z1, z2 = lin(shard(x1, rank, world)), lin(shard(x2, rank, world))
        loss = loss_fn(gather_batch(z1), gather_batch(z2))
        loss.backward()
        grad = lin.weight.grad.clone()
        if world > 1:
            dist.all_reduce(grad)
            grad /= world
        out[name] = (float(loss), grad, float(loss_fn(z1, z2)))
    return out


def _gather_worker(rank, world, port, out):
    dist.init_process_group("gloo", init_method=f"tcp://127.0.0.1:{port}", rank=rank, world_size=world)
    torch.set_num_threads(1)
    try:
        result = gathered_losses(rank, world)
        if rank == 0:
            torch.save(result, out)
    finally:
        dist.destroy_process_group()


def test_simclr_and_vicreg_losses_span_the_global_batch(tmp_path):
    """Under DDP, SimCLR's negatives and VICReg's variance and covariance are the global batch's
    (methods/simclr.py, vicreg.py gather the projections with gradients): loss and averaged gradient
    of 2 processes equal 1 process's; each process's share alone gives another loss."""
    one = gathered_losses(0, 1)
    mp.spawn(_gather_worker, args=(2, free_port(), str(tmp_path / "two.pt")), nprocs=2, join=True)
    two = torch.load(tmp_path / "two.pt")
    for name in ("nt_xent", "vicreg"):
        (la, ga, _), (lb, gb, local) = one[name], two[name]
        assert abs(la - lb) < 1e-9 * max(1.0, abs(la)), name
        assert torch.allclose(ga, gb, atol=1e-10), name
        assert abs(local - la) > 1e-3, name  # the share alone is not the global batch

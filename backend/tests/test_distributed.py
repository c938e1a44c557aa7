"""DDP on the CPU (gloo, 2 processes, per-process batch B/2) gives the loss curve and the weights of
one process with batch B: DINO (EMA teacher, all-reduced centre) and MAE on a tiny ViT."""
import socket

import pytest
import torch
import torch.distributed as dist
import torch.multiprocessing as mp

from sslmem_backend import distributed
from sslmem_backend.methods import METHODS
from sslmem_backend.vit import ViT

OPTIONS = {"dino": dict(out_dim=32, hidden=16, bottleneck=8, momentum=0.9),
           "mae": dict(mask_ratio=0.5, decoder_dim=16, decoder_depth=1, decoder_heads=2)}
STEPS, BATCH = 4, 8


def build(name):
    torch.manual_seed(0)
    encoder = ViT(8, 4, 1, dim=16, depth=1, heads=2)
    return METHODS[name](encoder, encoder.dim, **OPTIONS[name])


def global_views(step, k):
    g = torch.Generator().manual_seed(100 + step)
    return [torch.rand(BATCH, 1, 8, 8, generator=g) for _ in range(k)]


def run(name, rank, world):
    """STEPS steps; returns the per-step loss averaged over processes and the final state."""
    method = build(name)
    model = distributed.wrap(method)
    opt = torch.optim.SGD([p for p in method.parameters() if p.requires_grad], lr=0.5)
    losses = []
    for s in range(STEPS):
        views = [distributed.shard(v, rank, world) for v in global_views(s, method.views_per_step)]
        if name == "mae":  # the masks: the global batch's draws, each process keeping its rows
            torch.manual_seed(1000 + s)
            rows = torch.rand(BATCH, method.encoder.num_patches)
            mine = distributed.shard(rows, rank, world)
            state = torch.get_rng_state()
            loss = _mae_with_noise(model, method, views, mine)
            torch.set_rng_state(state)
        else:
            loss = model(views)
        opt.zero_grad()
        loss.backward()
        opt.step()
        method.after_step((s + 1) / STEPS)
        value = loss.detach().clone()
        if world > 1:
            dist.all_reduce(value)
            value /= world
        losses.append(float(value))
    return losses, {k: v.clone() for k, v in method.state_dict().items()}


def _mae_with_noise(model, method, views, noise):
    """MAE's forward with the masking noise fixed (torch.rand patched for this call)."""
    real = torch.rand

    def fixed(*shape, **kw):
        return noise.clone() if tuple(shape) == tuple(noise.shape) else real(*shape, **kw)
    torch.rand = fixed
    try:
        return model(views)
    finally:
        torch.rand = real


def _worker(rank, world, port, name, out):
    dist.init_process_group("gloo", init_method=f"tcp://127.0.0.1:{port}", rank=rank, world_size=world)
    torch.set_num_threads(1)
    try:
        losses, state = run(name, rank, world)
        if rank == 0:
            torch.save({"losses": losses, "state": state}, out)
    finally:
        dist.destroy_process_group()


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.parametrize("name", ["dino", "mae"])
def test_two_gloo_processes_match_one_process(tmp_path, name):
    one_losses, one_state = run(name, 0, 1)
    out = str(tmp_path / "ddp.pt")
    mp.spawn(_worker, args=(2, free_port(), name, out), nprocs=2, join=True)
    two = torch.load(out)
    assert len(two["losses"]) == STEPS
    for a, b in zip(one_losses, two["losses"]):
        assert abs(a - b) < 1e-5 * max(1.0, abs(a)), (one_losses, two["losses"])
    for key, value in one_state.items():
        assert torch.allclose(value.float(), two["state"][key].float(), atol=1e-5), key
    assert one_losses[0] != one_losses[-1]


def test_shard_and_no_process_group():
    x = torch.arange(8).view(8, 1)
    assert distributed.shard(x, 1, 2).flatten().tolist() == [4, 5, 6, 7]
    with pytest.raises(ValueError, match="does not split evenly"):
        distributed.shard(x, 0, 3)
    assert distributed.rank_and_world() == (0, 1) and distributed.init() is False
    assert isinstance(distributed.wrap(build("dino")), distributed.TrainingStep)

"""Reference training of f (shared + candidate) or g (shared + independent).

Writes into `out`: `encoder.pt` (final weights and metadata), `checkpoints/epochNNN.pt` at the
requested epochs, and `log.json` = {"log": [{"epoch", "loss", "seconds"}, …], "method", "role",
"epochs", "linear_probe_accuracy"} — the format `sslmem figures --logs` / `report --logs` reads.
Optimizer: Adam (lr 1e-3 × batch/128, weight decay 1e-6) with a cosine schedule over the
epochs; batches are drawn from a permutation seeded by `seed`, views by `SimCLRAugment` with a
generator seeded by `seed`.
"""
from __future__ import annotations

import json
import math
import os
import time
from dataclasses import dataclass, field
from typing import List, Optional, Sequence

import torch

from .losses import LOSSES
from .models import build_encoder, projector
from .outputs import check_training_run, checkpoint_name, prepare_train_dir
from .probe import probe_accuracy
from .split import Split
from .views import Normalize, SimCLRAugment


@dataclass
class TrainConfig:
    method: str = "simclr"
    role: str = "f"
    arch: str = "small-cnn"
    width: int = 32
    epochs: int = 100
    batch_size: int = 128
    lr: float = 1e-3
    #: smallest area fraction of SimCLR's random resized crop (0.08 in SimCLR on ImageNet, 0.2 on CIFAR)
    crop_scale: float = 0.2
    seed: int = 0
    device: str = "cpu"
    checkpoint_epochs: Sequence[int] = field(default_factory=tuple)
    threads: Optional[int] = None


def save_encoder(path: str, encoder, meta: dict) -> None:
    tmp = path + ".tmp"
    torch.save({"state_dict": encoder.state_dict(), **meta}, tmp)
    os.replace(tmp, path)


def load_encoder(path: str, device: str = "cpu"):
    """(encoder, metadata) from a file written by `train`."""
    blob = torch.load(path, map_location=device)
    encoder = build_encoder(blob["arch"], blob["in_channels"], blob["width"], blob.get("image_size", 28))
    encoder.load_state_dict(blob["state_dict"])
    meta = {k: v for k, v in blob.items() if k != "state_dict"}
    return encoder.to(device).eval(), meta


def train(dataset, split: Split, config: TrainConfig, out: str, log=print) -> dict:
    if config.threads:
        torch.set_num_threads(config.threads)
    if config.method not in LOSSES:
        raise ValueError(f"method {config.method!r}: expected one of {', '.join(LOSSES)}")
    check_training_run(config.epochs, config.batch_size, len(split.training_indices(config.role)))
    prepare_train_dir(out)  # an earlier run's encoder.pt, log.json and checkpoints go first
    torch.manual_seed(config.seed)
    dev = torch.device(config.device)
    ids = split.training_indices(config.role)
    x = dataset.batch(ids).to(dev)
    encoder = build_encoder(config.arch, x.shape[1], config.width, x.shape[-1]).to(dev)
    head = projector(config.method, encoder.dim).to(dev)
    params = list(encoder.parameters()) + list(head.parameters())
    base_lr = config.lr * config.batch_size / 128
    opt = torch.optim.Adam(params, lr=base_lr, weight_decay=1e-6)
    augment = SimCLRAugment(dataset.mean, dataset.std, scale=(config.crop_scale, 1.0))
    gen = torch.Generator().manual_seed(config.seed)
    loss_fn = LOSSES[config.method]
    n = x.shape[0]
    steps = max(1, math.ceil(n / config.batch_size))
    meta = dict(arch=config.arch, width=config.width, in_channels=int(x.shape[1]), image_size=int(x.shape[-1]), method=config.method,
                role=config.role, seed=config.seed, dataset=getattr(dataset, "name", "dataset"),
                mean=list(dataset.mean), std=list(dataset.std), crop_scale=config.crop_scale,
                split_sha256=split.sha256)
    history: List[dict] = []
    t_start = time.time()
    for epoch in range(1, config.epochs + 1):
        encoder.train()
        head.train()
        t0 = time.time()
        perm = torch.randperm(n, generator=gen)
        total = 0.0
        for s in range(steps):
            lr = base_lr * 0.5 * (1 + math.cos(math.pi * ((epoch - 1) * steps + s) / (config.epochs * steps)))
            for group in opt.param_groups:
                group["lr"] = lr
            xb = x[perm[s * config.batch_size:(s + 1) * config.batch_size].to(dev)]
            if xb.shape[0] < 2:
                continue
            v1, v2 = augment(xb, gen), augment(xb, gen)
            loss = loss_fn(head(encoder(v1)), head(encoder(v2)))
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            total += float(loss) * xb.shape[0]
        history.append({"epoch": epoch, "loss": total / n, "seconds": time.time() - t0})
        if epoch in set(config.checkpoint_epochs) and epoch < config.epochs:
            save_encoder(os.path.join(out, "checkpoints", checkpoint_name(epoch)), encoder, {**meta, "epoch": epoch})
        if epoch == 1 or epoch % 10 == 0 or epoch == config.epochs:
            log(f"[{config.method}/{config.role}] epoch {epoch}/{config.epochs} loss {total / n:.4f} "
                f"({history[-1]['seconds']:.2f}s)")
    train_seconds = time.time() - t_start
    acc = probe_accuracy(encoder, dataset, split, Normalize(dataset.mean, dataset.std), config.device)
    meta.update(epoch=config.epochs, linear_probe_accuracy=acc, train_seconds=train_seconds)
    save_encoder(os.path.join(out, "encoder.pt"), encoder, meta)
    with open(os.path.join(out, "log.json.tmp"), "w") as f:
        json.dump({"log": history, "method": config.method, "role": config.role, "epochs": config.epochs,
                   "linear_probe_accuracy": acc, "train_seconds": train_seconds}, f, indent=1)
    os.replace(os.path.join(out, "log.json.tmp"), os.path.join(out, "log.json"))
    log(f"[{config.method}/{config.role}] done: {config.epochs} epochs in {train_seconds:.0f}s, "
        f"linear probe {acc if acc is None else round(acc, 4)}")
    return meta

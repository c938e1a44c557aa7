"""Pieces the SSL methods share: the image embedding the heads train on, MLP heads, EMA updates."""
from __future__ import annotations

import copy
import math
from typing import List, Sequence

import torch
import torch.nn as nn


def embed(encoder: nn.Module, x: torch.Tensor) -> torch.Tensor:
    """The per-image vector [B, dim] an SSL head trains on: `encoder.embed(x)` when the encoder
    has one (a ViT: its CLS token, while `encoder(x)` returns all tokens for dumps), else
    `encoder(x)` flattened."""
    fn = getattr(encoder, "embed", None)
    out = fn(x) if callable(fn) else encoder(x)
    return out.flatten(1)


def mlp(sizes: Sequence[int], batch_norm: bool = True, last_bn: bool = False, last_bn_affine: bool = True,
        activation: type = nn.ReLU) -> nn.Sequential:
    """Linear layers between consecutive `sizes`, each hidden one followed by BatchNorm1d (when
    `batch_norm`) and the activation; the output layer gets BatchNorm1d only when `last_bn`."""
    layers: List[nn.Module] = []
    for i in range(len(sizes) - 1):
        last = i == len(sizes) - 2
        layers.append(nn.Linear(sizes[i], sizes[i + 1], bias=not (batch_norm and (not last or last_bn))))
        if not last:
            if batch_norm:
                layers.append(nn.BatchNorm1d(sizes[i + 1]))
            layers.append(activation())
        elif last_bn:
            layers.append(nn.BatchNorm1d(sizes[i + 1], affine=last_bn_affine))
    return nn.Sequential(*layers)


def frozen_copy(module: nn.Module) -> nn.Module:
    """A deep copy with requires_grad False everywhere (an EMA target or teacher: not optimized)."""
    twin = copy.deepcopy(module)
    for p in twin.parameters():
        p.requires_grad_(False)
    return twin


@torch.no_grad()
def ema_update(target: nn.Module, online: nn.Module, momentum: float) -> None:
    """θ_target ← m·θ_target + (1 − m)·θ_online, parameter by parameter (buffers such as batch-norm
    statistics are the target's own)."""
    for t, o in zip(target.parameters(), online.parameters()):
        t.mul_(momentum).add_(o.detach(), alpha=1 - momentum)


def cosine_momentum(base: float, progress: float) -> float:
    """BYOL's and DINO's schedule: 1 − (1 − base)·(cos(π·progress) + 1)/2, from `base` at progress 0
    to 1 at the end of training."""
    return 1 - (1 - base) * (math.cos(math.pi * progress) + 1) / 2

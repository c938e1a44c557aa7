"""Data-parallel training under `torchrun` with PyTorch's DistributedDataParallel (DDP).

The pieces a trainer needs, around a `methods.base.Method`:

- `init()` joins the process group that `torchrun` describes (RANK, WORLD_SIZE, LOCAL_RANK,
  MASTER_ADDR, MASTER_PORT in the environment): NCCL on CUDA, gloo on CPU. Without torchrun it
  does nothing and `rank_and_world()` is (0, 1).
- `wrap(method)` returns a module whose forward is `method.training_loss(views)`, wrapped in DDP
  when the process group has more than one process. DDP all-reduces (averages) the gradients of
  the parameters that require them in backward; the EMA teachers and targets (requires_grad False)
  are not synchronized by DDP, and need not be: they are updated by `after_step` from the student
  parameters, which DDP keeps identical in every process. DINO's centre is all-reduced by DINO.
- `shard(x, rank, world)`: each process takes its contiguous share of the global batch, so that
  N processes with per-process batch B/N step exactly as one process with batch B when the loss
  is a mean over the batch of per-image terms (DINO, BYOL, SimSiam, MAE; not SimCLR's NT-Xent or
  VICReg's covariance, whose batch statistics span the whole batch) and the encoder has no
  batch norm (batch norm sees per-process statistics; `torch.nn.SyncBatchNorm` needs CUDA).
- `autocast(device)`: bfloat16 mixed precision on CUDA, nothing on the CPU.
"""
from __future__ import annotations

import contextlib
import os
from typing import List, Optional, Tuple

import torch
import torch.distributed as dist
import torch.nn as nn

from .methods.base import Method


def rank_and_world() -> Tuple[int, int]:
    if dist.is_available() and dist.is_initialized():
        return dist.get_rank(), dist.get_world_size()
    return 0, 1


def init(backend: Optional[str] = None) -> bool:
    """Joins torchrun's process group (True), or returns False when not launched by torchrun
    (WORLD_SIZE unset or 1)."""
    if int(os.environ.get("WORLD_SIZE", "1")) <= 1:
        return False
    if not dist.is_initialized():
        dist.init_process_group(backend or ("nccl" if torch.cuda.is_available() else "gloo"))
        if torch.cuda.is_available():
            torch.cuda.set_device(int(os.environ.get("LOCAL_RANK", "0")))
    return True


class TrainingStep(nn.Module):
    """forward(views) = method.training_loss(views): DDP prepares its gradient all-reduce in forward,
    so the loss has to be computed through a module's forward."""

    method: Method

    def __init__(self, method: Method) -> None:
        super().__init__()
        self.method = method

    def forward(self, views: List[torch.Tensor]) -> torch.Tensor:
        return self.method.training_loss(views)


def wrap(method: Method, device: Optional[torch.device] = None) -> nn.Module:
    step = TrainingStep(method)
    _, world = rank_and_world()
    if world <= 1:
        return step
    ids = [device.index] if device is not None and device.type == "cuda" else None
    return nn.parallel.DistributedDataParallel(step, device_ids=ids)


def shard(x: torch.Tensor, rank: int, world: int) -> torch.Tensor:
    """Rows [rank·B/N, (rank+1)·B/N) of a global batch of B rows (B divisible by N)."""
    b = x.shape[0]
    if b % world:
        raise ValueError(f"global batch of {b} does not split evenly over {world} processes")
    n = b // world
    return x[rank * n:(rank + 1) * n]


def autocast(device: torch.device):
    if device.type == "cuda":
        return torch.autocast(device_type="cuda", dtype=torch.bfloat16)
    return contextlib.nullcontext()

"""Data-parallel training under `torchrun` with PyTorch's DistributedDataParallel (DDP).

The pieces a trainer needs, around a `methods.base.Method`:

- `init()` joins the process group that `torchrun` describes (RANK, WORLD_SIZE, LOCAL_RANK,
  MASTER_ADDR, MASTER_PORT in the environment): NCCL on CUDA, gloo on CPU. Without torchrun it
  does nothing and `rank_and_world()` is (0, 1).
- `wrap(method)` returns a module whose forward is `method.training_loss(views)`, wrapped in DDP
  when the process group has more than one process. DDP all-reduces (averages) the gradients of
  the parameters that require them in backward; the EMA teachers and targets (requires_grad False)
  are not synchronized by DDP, and need not be: they are updated by `after_step` from the student
  parameters, which DDP keeps identical in every process. DINO's centre is all-reduced by DINO;
  SimCLR and VICReg compute their loss on the global batch's projections (`gather_batch`).
- `shard(x, rank, world)`: each process takes its contiguous share of the global batch, so that
  N processes with per-process batch B/N step exactly as one process with batch B when the loss
  is a mean over the batch of per-image terms (DINO, BYOL, SimSiam, MAE) or is computed on the
  gathered batch (`gather_batch`: SimCLR's NT-Xent, VICReg's variance and covariance), and the
  model has no batch norm (batch norm sees per-process statistics; `torch.nn.SyncBatchNorm`
  needs CUDA).
- `gather_batch(x)`: every process's rows of x, differentiable (all_gather; all_reduce of the
  gradients in backward).
- `autocast(device, enabled)` and `grad_scaler(device, enabled)`: float16 mixed precision on CUDA
  (`torch.autocast` and a `GradScaler`, which scales the loss so that float16 gradients do not
  underflow, and skips a step whose gradients overflowed), nothing on the CPU.
- `on_rank0(fn)`, `broadcast`, `gather`, `all_reduce_sum`, `barrier`: what the trainer needs so that
  process 0 alone writes files and logs while the others learn of its errors and results.

`train.train` uses all of these when it runs in a process group (README, "Several GPUs").
"""
from __future__ import annotations

import contextlib
import os
from typing import TYPE_CHECKING, Any, Callable, ContextManager, List, Optional, Sequence, Tuple, TypeVar

import torch
import torch.distributed as dist
import torch.nn as nn

if TYPE_CHECKING:  # methods import gather_batch from here
    from .methods.base import Method

T = TypeVar("T")


def rank_and_world() -> Tuple[int, int]:
    """(this process's rank, the number of processes) of the process group; (0, 1) without one."""
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
        """The method's training loss on the views."""
        return self.method.training_loss(views)


def wrap(method: Method, device: Optional[torch.device] = None) -> nn.Module:
    """`TrainingStep(method)`, in DistributedDataParallel when the process group has more than one
    process (on CUDA with this process's GPU as its device)."""
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


def autocast(device: torch.device, enabled: bool = True,
             dtype: torch.dtype = torch.float16) -> ContextManager[Any]:
    """`torch.autocast` on CUDA when `enabled` (float16 by default), else a context that does nothing."""
    if enabled and device.type == "cuda":
        return torch.autocast(device_type="cuda", dtype=dtype)
    return contextlib.nullcontext()


def grad_scaler(device: torch.device, enabled: bool = True) -> Any:
    """A GradScaler for float16 training on CUDA (`torch.amp.GradScaler`, or `torch.cuda.amp`'s on
    older torch), or None when `enabled` is False or the device is not CUDA."""
    if not enabled or device.type != "cuda":
        return None
    amp = getattr(torch, "amp", None)
    if amp is not None and hasattr(amp, "GradScaler"):
        return amp.GradScaler("cuda")
    return torch.cuda.amp.GradScaler()


def barrier() -> None:
    """Waits for every process of the group (nothing without one)."""
    if rank_and_world()[1] > 1:
        dist.barrier()


def broadcast(value: T) -> T:
    """Process 0's `value`, in every process (picklable objects; the value itself without a group)."""
    if rank_and_world()[1] <= 1:
        return value
    box: List[Any] = [value]
    dist.broadcast_object_list(box, src=0)
    return box[0]


def gather(value: T) -> List[T]:
    """Every process's `value`, in rank order, in every process (picklable objects)."""
    world = rank_and_world()[1]
    if world <= 1:
        return [value]
    out: List[Any] = [None] * world
    dist.all_gather_object(out, value)
    return out


def all_reduce_sum(values: Sequence[float], device: Optional[torch.device] = None) -> List[float]:
    """The element-wise sums of `values` over the processes (float64; on `device`, which NCCL needs)."""
    if rank_and_world()[1] <= 1:
        return [float(v) for v in values]
    t = torch.tensor([float(v) for v in values], dtype=torch.float64, device=device)
    dist.all_reduce(t)
    return [float(v) for v in t.cpu()]


class _GatherWithGradient(torch.autograd.Function):
    """all_gather whose backward hands each process the sum over processes of the gradients of its
    rows (all_reduce, which gloo and NCCL both have; as facebookresearch/vicreg's FullGatherLayer)."""

    @staticmethod
    def forward(ctx: Any, x: torch.Tensor) -> Tuple[torch.Tensor, ...]:
        out = [torch.zeros_like(x) for _ in range(dist.get_world_size())]
        dist.all_gather(out, x.contiguous())
        return tuple(out)

    @staticmethod
    def backward(ctx: Any, *grads: torch.Tensor) -> torch.Tensor:
        stacked = torch.stack(grads)
        dist.all_reduce(stacked)
        return stacked[dist.get_rank()]


def gather_batch(x: torch.Tensor) -> torch.Tensor:
    """The rows of every process's `x` [B, …], in rank order ([N·B, …]), differentiable: a loss over
    the global batch computed the same in every process gets, after DDP's gradient average, the
    gradient one process with the whole batch would (each process's rows receive the sum of the
    processes' gradients, N times the loss's, which the average divides by N). `x` itself without
    a process group. Every process must pass the same B."""
    if rank_and_world()[1] <= 1:
        return x
    return torch.cat(_GatherWithGradient.apply(x), dim=0)


def on_rank0(fn: Callable[[], T]) -> T:
    """`fn()` in process 0 only, its result broadcast to every process; an exception in process 0 is
    raised in every process (as a ValueError with its message elsewhere), so that no process waits for
    one that has stopped."""
    rank, world = rank_and_world()
    if world <= 1:
        return fn()
    result: Any = None
    error: Optional[BaseException] = None
    if rank == 0:
        try:
            result = fn()
        except Exception as e:  # noqa: BLE001 - handed to every process, then raised
            error = e
    box: List[Any] = [(result, None if error is None else str(error))]
    dist.broadcast_object_list(box, src=0)
    if error is not None:
        raise error
    value, message = box[0]
    if message is not None:
        raise ValueError(message)
    return value

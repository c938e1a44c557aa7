"""The interface every SSL method of the reference trainer implements.

A `Method` is a `torch.nn.Module` that owns the encoder (as the submodule `encoder`) and everything else
the method trains or keeps (projector, predictor, EMA teacher, DINO's centre, MAE's decoder), so that
`method.state_dict()` is the whole model state a checkpoint needs to resume bit-identically, and
`method.encoder` is what gets dumped. The trainer:

1. builds it with `METHODS[name](encoder, dim, **options)` (`dim`: the encoder's representation size);
2. optimizes `[p for p in method.parameters() if p.requires_grad]` (an EMA teacher's parameters have
   requires_grad False and are not optimized);
3. per step: `loss = method.training_loss(views)` with `views` a list of `method.views_per_step`
   augmented batches [B, C, H, W] of the same B images (view k of image b is `views[k][b]`), then
   `loss.backward()`, `optimizer.step()`, and `method.after_step(progress)` with progress = fraction of
   all training steps done, in (0, 1] (EMA momentum schedules, teacher temperature warm-up).
"""
from __future__ import annotations

from typing import ClassVar, List

import torch


class Method(torch.nn.Module):
    """Base class of the SSL methods (see the module docstring for the contract)."""

    #: The name used by `--method` and recorded in dumps and logs.
    name: ClassVar[str] = ""
    #: How many augmented views of each image one training step needs.
    views_per_step: ClassVar[int] = 2

    def __init__(self, encoder: torch.nn.Module, dim: int) -> None:
        super().__init__()
        self.encoder = encoder
        self.dim = dim

    def training_loss(self, views: List[torch.Tensor]) -> torch.Tensor:
        """The method's loss on one batch of `views_per_step` augmented views (a scalar tensor)."""
        raise NotImplementedError

    def after_step(self, progress: float) -> None:
        """Called after each optimizer step; progress in (0, 1]. Default: nothing."""

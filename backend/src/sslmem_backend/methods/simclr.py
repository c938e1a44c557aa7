"""SimCLR (Chen et al., ICML 2020): a 2-layer MLP projector to 128 dimensions and the NT-Xent
loss (`losses.nt_xent`, Eq. 1, temperature 0.2) on the projections of two views."""
from __future__ import annotations

from typing import List

import torch
import torch.nn as nn

from ..distributed import gather_batch
from ..losses import nt_xent
from .base import Method
from .common import embed


class SimCLR(Method):
    name = "simclr"
    views_per_step = 2

    def __init__(self, encoder: nn.Module, dim: int, temperature: float = 0.2, projection_dim: int = 128) -> None:
        super().__init__(encoder, dim)
        self.temperature = temperature
        self.projector = nn.Sequential(nn.Linear(dim, 2 * dim), nn.BatchNorm1d(2 * dim), nn.ReLU(),
                                       nn.Linear(2 * dim, projection_dim))

    def training_loss(self, views: List[torch.Tensor]) -> torch.Tensor:
        """NT-Xent of the two views' projections."""
        z1, z2 = (self.projector(embed(self.encoder, v)) for v in views[:2])
        # under DDP the negatives are the whole global batch's (every process's projections)
        return nt_xent(gather_batch(z1), gather_batch(z2), self.temperature)

"""VICReg (Bardes et al., ICLR 2022): a 3-layer expander of 4·dim (the paper uses 8192 for a
ResNet-50; 4·dim keeps the CPU model small) and the variance-invariance-covariance loss
(`losses.vicreg`, Eq. 6, λ = μ = 25, ν = 1) on the expansions of two views."""
from __future__ import annotations

from typing import List

import torch
import torch.nn as nn

from ..losses import vicreg
from .base import Method
from .common import embed


class VICReg(Method):
    name = "vicreg"
    views_per_step = 2

    def __init__(self, encoder: nn.Module, dim: int, expansion: int = 4) -> None:
        super().__init__(encoder, dim)
        e = expansion * dim
        self.projector = nn.Sequential(nn.Linear(dim, e), nn.BatchNorm1d(e), nn.ReLU(), nn.Linear(e, e),
                                       nn.BatchNorm1d(e), nn.ReLU(), nn.Linear(e, e))

    def training_loss(self, views: List[torch.Tensor]) -> torch.Tensor:
        z1, z2 = (self.projector(embed(self.encoder, v)) for v in views[:2])
        return vicreg(z1, z2)

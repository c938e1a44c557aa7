"""SimSiam: simple Siamese representation learning (Chen & He, CVPR 2021).

Encoder and `projector` f, `predictor` h; with D(p, z) = −cos(p, stopgrad(z)) (SimSiam's Eq. 1
with the stop-gradient of Eq. 3), the loss is the symmetrized

    L = ½·D(p₁, z₂) + ½·D(p₂, z₁),   p_i = h(f(x_i)), z_i = f(x_i),

averaged over the batch: between −1 (perfectly aligned) and 1. No EMA, no negatives.
Projector: 3 layers, BatchNorm on each (the output's without affine parameters), ReLU between
(hidden `proj_hidden`, default the encoder's width; output `proj_dim` = 2048); predictor: a
bottleneck MLP proj_dim → `pred_hidden` (512) → proj_dim with BatchNorm and ReLU on its hidden
layer (SimSiam §4 and the official code).
"""
from __future__ import annotations

from typing import List, Optional

import torch
import torch.nn as nn
import torch.nn.functional as F

from .base import Method
from .common import embed, mlp


def simsiam_loss(p1: torch.Tensor, p2: torch.Tensor, z1: torch.Tensor, z2: torch.Tensor) -> torch.Tensor:
    """½·mean_b(−cos(p1, z2)) + ½·mean_b(−cos(p2, z1)), z detached."""
    d = lambda p, z: -F.cosine_similarity(p.float(), z.detach().float(), dim=-1).mean()
    return 0.5 * d(p1, z2) + 0.5 * d(p2, z1)


class SimSiam(Method):
    name = "simsiam"
    views_per_step = 2

    def __init__(self, encoder: nn.Module, dim: int, proj_hidden: Optional[int] = None, proj_dim: int = 2048,
                 pred_hidden: int = 512) -> None:
        super().__init__(encoder, dim)
        h = proj_hidden or dim
        self.projector = mlp([dim, h, h, proj_dim], last_bn=True, last_bn_affine=False)
        self.predictor = mlp([proj_dim, pred_hidden, proj_dim])

    def training_loss(self, views: List[torch.Tensor]) -> torch.Tensor:
        """SimSiam's symmetrized loss (module docstring) on two views."""
        z1 = self.projector(embed(self.encoder, views[0]))
        z2 = self.projector(embed(self.encoder, views[1]))
        return simsiam_loss(self.predictor(z1), self.predictor(z2), z1, z2)

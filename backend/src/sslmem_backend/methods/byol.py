"""BYOL: bootstrap your own latent (Grill et al., NeurIPS 2020).

An online network (the encoder, `projector`, `predictor`) predicts the projection of the other
view made by a target network (`target_encoder`, `target_projector`: an exponential moving
average of the online encoder and projector, not optimized; stop-gradient). With ℓ2-normalized
vectors the loss of one direction is the mean over the batch of

    ‖p̄ − z̄′‖² = 2 − 2·⟨p, z′⟩ / (‖p‖·‖z′‖)            (BYOL's Eq. 2)

and the loss is symmetrized: L = ℓ(q(v₁), z′(v₂)) + ℓ(q(v₂), z′(v₁)) (Eq. 3's L + L̃). The target's
momentum rises from `momentum` (0.996) to 1 on a cosine schedule (`after_step`, BYOL §3.2).
Projector and predictor: Linear → BatchNorm → ReLU → Linear, hidden 4096, output 256 (BYOL App. C;
`proj_hidden`, `proj_dim`, `pred_hidden` scale them down for small CPU models).
"""
from __future__ import annotations

from typing import List

import torch
import torch.nn as nn
import torch.nn.functional as F

from .base import Method
from .common import cosine_momentum, ema_update, embed, frozen_copy, mlp


def byol_loss(p: torch.Tensor, z: torch.Tensor) -> torch.Tensor:
    """mean_b (2 − 2·cos(p_b, z_b)), z detached (one direction of BYOL's symmetric loss)."""
    return (2 - 2 * F.cosine_similarity(p.float(), z.detach().float(), dim=-1)).mean()


class BYOL(Method):
    name = "byol"
    views_per_step = 2

    def __init__(self, encoder: nn.Module, dim: int, proj_hidden: int = 4096, proj_dim: int = 256,
                 pred_hidden: int = 4096, momentum: float = 0.996) -> None:
        super().__init__(encoder, dim)
        self.projector = mlp([dim, proj_hidden, proj_dim])
        self.predictor = mlp([proj_dim, pred_hidden, proj_dim])
        self.target_encoder = frozen_copy(encoder)
        self.target_projector = frozen_copy(self.projector)
        self.momentum = momentum

    def training_loss(self, views: List[torch.Tensor]) -> torch.Tensor:
        """BYOL's symmetrized loss (module docstring) on two views."""
        v1, v2 = views[0], views[1]
        p1 = self.predictor(self.projector(embed(self.encoder, v1)))
        p2 = self.predictor(self.projector(embed(self.encoder, v2)))
        with torch.no_grad():
            z1 = self.target_projector(embed(self.target_encoder, v1))
            z2 = self.target_projector(embed(self.target_encoder, v2))
        return byol_loss(p1, z2) + byol_loss(p2, z1)

    def after_step(self, progress: float) -> None:
        """Moves the target towards the online network (EMA with the cosine momentum schedule)."""
        m = cosine_momentum(self.momentum, progress)
        ema_update(self.target_encoder, self.encoder, m)
        ema_update(self.target_projector, self.projector, m)

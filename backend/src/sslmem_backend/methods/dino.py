"""DINO: self-distillation with no labels (Caron et al., ICCV 2021).

A student (the encoder and `head`) and a teacher (`teacher_encoder`, `teacher_head`: an EMA of
the student, not optimized) see the views; the loss is the cross-entropy between the teacher's
centred, sharpened distribution and the student's, over every (teacher view, other student view)
pair (DINO's Eq. 1 and Alg. 1):

    P_t(x) = softmax((g_t(x) − c) / τ_t),   P_s(x) = softmax(g_s(x) / τ_s)
    L = (1 / #pairs) · Σ_{i ∈ global} Σ_{v ≠ i} mean_batch( −Σ_k P_t(x_i)_k · log P_s(x_v)_k )

with the centre c ← m_c·c + (1 − m_c)·mean over the batch of the teacher's outputs (all global
views; averaged over processes under torch.distributed), updated after the loss as in the
official code; τ_s = 0.1, τ_t = 0.04 (optionally warmed up linearly from `warmup_teacher_temp`
over the first `warmup_fraction` of training), m_c = 0.9, and the teacher's momentum from 0.996
to 1 on a cosine schedule (`after_step`).

Head (DINO's `DINOHead`): a 3-layer GELU MLP (hidden 2048) to a 256-dimensional bottleneck,
ℓ2-normalized, then a weight-normalized linear layer with unit norms (norm_last_layer=True) to
`out_dim` dimensions (65536 in the paper; 4096 here by default, which a CPU can train; set
`out_dim=65536` on a GPU).

Multi-crop (optional, `local_crops` > 0): besides the trainer's two global views, `local_crops`
random resized crops (area fraction in `local_scale`, 0.05–0.4 as in DINO) of the global views,
resized to `local_size` px (default: the input size; a ViT takes smaller ones, e.g. 12 for
28-px inputs, with interpolated position embeddings), go through the student only. Their draws
use torch's global RNG (which the trainer seeds).
"""
from __future__ import annotations

import math
from typing import List, Optional, Sequence, Tuple

import torch
import torch.nn as nn
import torch.nn.functional as F

from .base import Method
from .common import cosine_momentum, ema_update, embed, frozen_copy, mlp


def dino_loss(student: Sequence[torch.Tensor], teacher: Sequence[torch.Tensor], center: torch.Tensor,
              student_temp: float = 0.1, teacher_temp: float = 0.04) -> torch.Tensor:
    """DINO's cross-entropy. student: head outputs [B, K] of every view, the global views first in
    the teacher's order; teacher: head outputs [B, K] of the global views; center [1, K] or [K].
    The teacher's distributions are detached (stop-gradient)."""
    targets = [F.softmax((t.float() - center) / teacher_temp, dim=-1).detach() for t in teacher]
    logs = [F.log_softmax(s.float() / student_temp, dim=-1) for s in student]
    total: Optional[torch.Tensor] = None
    terms = 0
    for i, q in enumerate(targets):
        for v, log_p in enumerate(logs):
            if v == i:
                continue
            term = torch.sum(-q * log_p, dim=-1).mean()
            total = term if total is None else total + term
            terms += 1
    if total is None:
        raise ValueError("DINO's loss needs at least two views")
    return total / terms


class DINOHead(nn.Module):
    """MLP (dim → hidden → hidden → bottleneck, GELU), ℓ2-normalize, then x·(v_k/‖v_k‖) for each of
    the `out_dim` prototypes v_k (the weight-normalized last layer with its norms fixed to 1)."""

    def __init__(self, dim: int, out_dim: int = 4096, hidden: int = 2048, bottleneck: int = 256):
        super().__init__()
        self.mlp = mlp([dim, hidden, hidden, bottleneck], batch_norm=False, activation=nn.GELU)
        for m in self.mlp:
            if isinstance(m, nn.Linear):
                nn.init.trunc_normal_(m.weight, std=0.02)
                nn.init.zeros_(m.bias)
        self.prototypes = nn.Parameter(torch.empty(out_dim, bottleneck))
        nn.init.trunc_normal_(self.prototypes, std=0.02)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """The prototype scores [B, out_dim] of the representations x [B, dim]."""
        x = F.normalize(self.mlp(x), dim=-1)
        return x @ F.normalize(self.prototypes, dim=-1).t()


class DINO(Method):
    name = "dino"
    views_per_step = 2
    # buffers (register_buffer in __init__)
    center: torch.Tensor
    progress: torch.Tensor

    def __init__(self, encoder: nn.Module, dim: int, out_dim: int = 4096, hidden: int = 2048,
                 bottleneck: int = 256, student_temp: float = 0.1, teacher_temp: float = 0.04,
                 warmup_teacher_temp: Optional[float] = None, warmup_fraction: float = 0.0,
                 momentum: float = 0.996, center_momentum: float = 0.9, local_crops: int = 0,
                 local_scale: Tuple[float, float] = (0.05, 0.4), local_size: Optional[int] = None) -> None:
        super().__init__(encoder, dim)
        self.head = DINOHead(dim, out_dim, hidden, bottleneck)
        self.teacher_encoder = frozen_copy(encoder)
        self.teacher_head = frozen_copy(self.head)
        self.student_temp, self.teacher_temp = student_temp, teacher_temp
        self.warmup_teacher_temp = teacher_temp if warmup_teacher_temp is None else warmup_teacher_temp
        self.warmup_fraction = warmup_fraction
        self.momentum, self.center_momentum = momentum, center_momentum
        self.local_crops, self.local_scale, self.local_size = local_crops, tuple(local_scale), local_size
        self.register_buffer("center", torch.zeros(1, out_dim))
        #: fraction of training done (for the teacher temperature); saved with the state
        self.register_buffer("progress", torch.zeros((), dtype=torch.float64))

    def current_teacher_temp(self) -> float:
        """τ_t now (after the warm-up, `teacher_temp`)."""
        p = float(self.progress)
        if self.warmup_fraction > 0 and p < self.warmup_fraction:
            return self.warmup_teacher_temp + (self.teacher_temp - self.warmup_teacher_temp) * p / self.warmup_fraction
        return self.teacher_temp

    def local_views(self, views: List[torch.Tensor]) -> List[torch.Tensor]:
        """`local_crops` random resized crops of the global views (crop j of view j mod 2)."""
        out = []
        for j in range(self.local_crops):
            x = views[j % len(views)]
            b, _, h, w = x.shape
            size = self.local_size or h
            u = torch.rand(b, 4, dtype=torch.float64)
            lo, hi = self.local_scale
            theta = []
            for r in u.tolist():
                area = lo + (hi - lo) * r[0]
                ratio = math.exp(math.log(3 / 4) + (math.log(4 / 3) - math.log(3 / 4)) * r[1])
                sw, sh = min(1.0, math.sqrt(area * ratio)), min(1.0, math.sqrt(area / ratio))
                theta.append([[sw, 0.0, (1 - sw) * (2 * r[2] - 1)], [0.0, sh, (1 - sh) * (2 * r[3] - 1)]])
            grid = F.affine_grid(torch.tensor(theta, dtype=x.dtype, device=x.device),
                                 [b, x.shape[1], size, round(size * w / h)], align_corners=False)
            out.append(F.grid_sample(x, grid, mode="bilinear", padding_mode="border", align_corners=False))
        return out

    def training_loss(self, views: List[torch.Tensor]) -> torch.Tensor:
        """DINO's loss (module docstring) on the global views (plus local crops); updates the centre."""
        crops = list(views) + self.local_views(views)
        student = [self.head(embed(self.encoder, v)) for v in crops]
        with torch.no_grad():
            teacher = [self.teacher_head(embed(self.teacher_encoder, v)) for v in views]
        loss = dino_loss(student, teacher, self.center, self.student_temp, self.current_teacher_temp())
        self.update_center(torch.cat(teacher))
        return loss

    @torch.no_grad()
    def update_center(self, teacher_output: torch.Tensor) -> None:
        """c ← m_c·c + (1 − m_c)·(batch mean of the teacher's outputs, over every process)."""
        batch_center = teacher_output.float().sum(dim=0, keepdim=True)
        count = torch.tensor(float(teacher_output.shape[0]), device=batch_center.device)
        if torch.distributed.is_available() and torch.distributed.is_initialized():
            torch.distributed.all_reduce(batch_center)
            torch.distributed.all_reduce(count)
        self.center.mul_(self.center_momentum).add_(batch_center / count, alpha=1 - self.center_momentum)

    def after_step(self, progress: float) -> None:
        """Moves the teacher towards the student (EMA) and records the progress."""
        m = cosine_momentum(self.momentum, progress)
        ema_update(self.teacher_encoder, self.encoder, m)
        ema_update(self.teacher_head, self.head, m)
        self.progress.fill_(progress)

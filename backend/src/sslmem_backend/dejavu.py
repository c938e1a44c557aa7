"""Déjà Vu inputs (Meehan et al. 2023; docs/layout.md, "/dejavu"): a periphery crop of each
target point, and a labelled public set that neither encoder trained on.

The default crop (`corner_crop`) is the top-left corner patch of round(fraction·H) × round(fraction·W)
pixels of the (un-augmented, normalized) input, resized back to the input size with bilinear
interpolation: it shows the background corner, rarely the object.
"""
from __future__ import annotations

from typing import Callable, Union

import torch
import torch.nn.functional as F

Crop = Callable[[torch.Tensor], torch.Tensor]


def corner_crop(x: torch.Tensor, fraction: float = 0.5) -> torch.Tensor:
    """Top-left patch of round(fraction·H) × round(fraction·W) pixels of x ([C,H,W] or [B,C,H,W]),
    resized bilinearly (align_corners=False) to H × W."""
    single = x.dim() == 3
    if single:
        x = x.unsqueeze(0)
    h, w = x.shape[-2:]
    ph, pw = max(1, round(h * fraction)), max(1, round(w * fraction))
    y = F.interpolate(x[..., :ph, :pw], size=(h, w), mode="bilinear", align_corners=False)
    return y[0] if single else y


def resolve_crop(dejavu: Union[bool, Crop]) -> Crop:
    """`dejavu=True` → corner_crop; a callable → that crop."""
    if dejavu is True:
        return corner_crop
    if callable(dejavu):
        return dejavu
    raise ValueError("dejavu: pass True (corner crop) or a crop function tensor -> tensor")

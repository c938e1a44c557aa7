"""Augmented views that are the same for every encoder.

View k of point x is `transform(image)` with torch's global RNG (and Python's `random`, which a
few torchvision transforms use) seeded from (view_seed, x's dataset index, k) just before the
call, and restored after. The views therefore do not depend on the batch size, the device, the
worker count or the order of the points: an f and a g dumped with the same view_seed see
bit-identical augmented inputs (on the same device type).
"""
from __future__ import annotations

import math
import random
from typing import Callable, Optional, Sequence

import torch
import torch.nn.functional as F

from .shard import splitmix64

Transform = Callable[[torch.Tensor], torch.Tensor]


def view_rng_seed(view_seed: int, index: int, view: int) -> int:
    """The RNG seed of view `view` of dataset index `index`: SplitMix64 chained over the three
    numbers, kept to 63 bits (torch.manual_seed takes a signed 64-bit seed). `view` = -1 is
    used for un-augmented views that still draw randomness."""
    m = (1 << 64) - 1
    z = splitmix64(view_seed & m)
    z = splitmix64(z ^ (index & m))
    z = splitmix64(z ^ (view & m))
    return z >> 1


def seeded_view(transform: Transform, image, view_seed: int, index: int, view: int):
    """`transform(image)` under the seed of (view_seed, index, view); the global RNG states are
    restored afterwards, so training code around it is unaffected."""
    seed = view_rng_seed(view_seed, index, view)
    torch_state = torch.get_rng_state()
    py_state = random.getstate()
    try:
        if torch.cuda.is_available() and torch.cuda.is_initialized():
            torch.manual_seed(seed)  # also seeds the CUDA generators a GPU transform would use
        else:
            torch.default_generator.manual_seed(seed)  # same CPU stream, without torch.cuda's lazy-seed bookkeeping
        random.seed(seed)
        return transform(image)
    finally:
        torch.set_rng_state(torch_state)
        random.setstate(py_state)


class Normalize(torch.nn.Module):
    """(x − mean)/std per channel; the un-augmented `original_transform` of the reference models."""

    def __init__(self, mean: Sequence[float], std: Sequence[float]):
        super().__init__()
        self.mean, self.std = list(mean), list(std)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        shape = (-1, 1, 1)
        m = torch.tensor(self.mean, dtype=x.dtype, device=x.device).view(shape)
        s = torch.tensor(self.std, dtype=x.dtype, device=x.device).view(shape)
        return (x - m) / s

    def extra_repr(self) -> str:
        return f"mean={self.mean}, std={self.std}"


class SimCLRAugment(torch.nn.Module):
    """SimCLR's augmentations (Chen et al. 2020, App. A) on float images in [0, 1], [C,H,W] or a
    batch [B,C,H,W], each image with its own draws: random resized crop (area scale in `scale`,
    log-uniform aspect ratio in [3/4, 4/3], bilinear) back to the input size, horizontal flip
    with p = 0.5, and with p = `jitter_p` brightness and contrast jitter by factors in
    [1 − jitter, 1 + jitter]; then per-channel normalization. Randomness comes from `generator`
    when given (training), else torch's global RNG (dumps: see `seeded_view`)."""

    def __init__(self, mean: Sequence[float], std: Sequence[float], scale=(0.2, 1.0), jitter: float = 0.4,
                 jitter_p: float = 0.8):
        super().__init__()
        self.scale, self.jitter, self.jitter_p = tuple(scale), jitter, jitter_p
        self.normalize = Normalize(mean, std)

    def forward(self, x: torch.Tensor, generator: Optional[torch.Generator] = None) -> torch.Tensor:
        single = x.dim() == 3
        if single:
            x = x.unsqueeze(0)
        b, dev = x.shape[0], x.device
        # All draws on the CPU, so the same seed gives the same views on any device.
        u = torch.rand(b, 8, generator=generator, dtype=torch.float64)
        lo, hi = self.scale
        log_lo, log_hi = math.log(3 / 4), math.log(4 / 3)
        theta, gains = [], []
        for r in u.tolist():
            area = lo + (hi - lo) * r[0]
            ratio = math.exp(log_lo + (log_hi - log_lo) * r[1])
            w = min(1.0, math.sqrt(area * ratio))
            h = min(1.0, math.sqrt(area / ratio))
            flip = -1.0 if r[4] < 0.5 else 1.0
            theta.append([[w * flip, 0.0, (1 - w) * (2 * r[2] - 1)], [0.0, h, (1 - h) * (2 * r[3] - 1)]])
            if r[5] < self.jitter_p:
                gains.append([1 - self.jitter + 2 * self.jitter * r[6], 1 - self.jitter + 2 * self.jitter * r[7]])
            else:
                gains.append([1.0, 1.0])
        grid = F.affine_grid(torch.tensor(theta, dtype=x.dtype, device=dev), list(x.shape), align_corners=False)
        y = F.grid_sample(x, grid, mode="bilinear", padding_mode="border", align_corners=False)
        g = torch.tensor(gains, dtype=x.dtype, device=dev)
        bright, contrast = g[:, 0].view(b, 1, 1, 1), g[:, 1].view(b, 1, 1, 1)
        # brightness (scale), then contrast around the image mean; no-op rows have gains 1 (clamp aside)
        yb = y * bright
        m = yb.mean(dim=(1, 2, 3), keepdim=True)
        jittered = (g != 1.0).any(dim=1).view(b, 1, 1, 1)
        y = torch.where(jittered, ((yb - m) * contrast + m).clamp(0, 1), y)
        y = self.normalize(y)
        return y[0] if single else y

    def extra_repr(self) -> str:
        return (f"random resized crop (scale {self.scale}, ratio 3/4-4/3), horizontal flip p=0.5, "
                f"brightness/contrast jitter {self.jitter} p={self.jitter_p}")

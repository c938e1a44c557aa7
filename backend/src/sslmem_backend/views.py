"""Augmented views that are the same for every encoder.

View k of point x is `transform(item)` with every global RNG a transform may draw from seeded from
(view_seed, x's dataset index, k) just before the call, and restored after: torch's CPU generator
(and the CUDA generators when CUDA is initialized), Python's `random` (a few torchvision transforms)
and numpy's global RNG (albumentations-style transforms). The views therefore do not depend on the
batch size, the device, the worker count, the thread or the order of the points: an f and a g dumped
with the same view_seed see bit-identical augmented inputs (on the same device type).

The global RNGs are process-wide, so seeded calls are serialized by a lock: two dumps in two
threads of one process each get their own views (and a forked DataLoader worker gets a fresh lock).
"""
from __future__ import annotations

import math
import os
import random
import threading
from typing import Any, Callable, List, Optional, Sequence

import numpy as np
import torch
import torch.nn.functional as F

from .shard import splitmix64

Transform = Callable[[Any], Any]

_SEED_LOCK = threading.RLock()


def _fresh_lock_after_fork() -> None:
    global _SEED_LOCK
    _SEED_LOCK = threading.RLock()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_fresh_lock_after_fork)


def rng_lock() -> "threading.RLock":
    """The lock that serializes use of the global RNGs by seeded views (hold it while loading items
    of a dataset that touches them itself, as torchvision's FakeData does)."""
    return _SEED_LOCK


def view_rng_seed(view_seed: int, index: int, view: int) -> int:
    """The RNG seed of view `view` of dataset index `index`: SplitMix64 chained over the three
    numbers, kept to 63 bits (torch.manual_seed takes a signed 64-bit seed). `view` = -1 is
    used for un-augmented views that still draw randomness."""
    m = (1 << 64) - 1
    z = splitmix64(view_seed & m)
    z = splitmix64(z ^ (index & m))
    z = splitmix64(z ^ (view & m))
    return z >> 1


def _splitmix64_np(x: np.ndarray) -> np.ndarray:
    """`shard.splitmix64` on a uint64 array (wrapping arithmetic, as the Python one masks to 64 bits)."""
    with np.errstate(over="ignore"):
        z = x + np.uint64(0x9E3779B97F4A7C15)
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        return z ^ (z >> np.uint64(31))


def view_rng_seeds(view_seed: int, indices: Sequence[int], views: Sequence[int]) -> List[int]:
    """`[view_rng_seed(view_seed, i, v) for i, v in zip(indices, views)]`, vectorized (the same
    integers)."""
    m = (1 << 64) - 1
    idx = np.array([int(i) & m for i in indices], dtype=np.uint64)
    vw = np.array([int(v) & m for v in views], dtype=np.uint64)
    z = _splitmix64_np(np.full(len(idx), splitmix64(view_seed & m), dtype=np.uint64) ^ idx)
    z = _splitmix64_np(z ^ vw)
    return [int(s) for s in (z >> np.uint64(1))]


def seeded_view(transform: Transform, image: Any, view_seed: int, index: int, view: int) -> Any:
    """`transform(image)` under the seed of (view_seed, index, view) (torch CPU and CUDA, Python's
    `random`, numpy's global RNG); every global RNG state is restored afterwards, so training code
    around it is unaffected. Thread-safe: concurrent calls are serialized."""
    seed = view_rng_seed(view_seed, index, view)
    with _SEED_LOCK:
        torch_state = torch.get_rng_state()
        cuda = torch.cuda.is_available() and torch.cuda.is_initialized()
        cuda_states = torch.cuda.get_rng_state_all() if cuda else None
        py_state = random.getstate()
        np_state = np.random.get_state()
        try:
            if cuda:
                torch.manual_seed(seed)  # also seeds the CUDA generators a GPU transform would use
            else:
                torch.default_generator.manual_seed(seed)  # same CPU stream, without torch.cuda's lazy seeding
            random.seed(seed)
            np.random.seed([seed & 0xFFFFFFFF, seed >> 32])  # all 63 bits (numpy takes 32-bit words)
            return transform(image)
        finally:
            torch.set_rng_state(torch_state)
            if cuda_states is not None:
                torch.cuda.set_rng_state_all(cuda_states)
            random.setstate(py_state)
            np.random.set_state(np_state)


def seeded_calls(transform: Transform, items: Sequence[Any], view_seed: int, calls: Sequence[tuple],
                 before: Optional[Callable[[int, int, int], None]] = None) -> List[Any]:
    """`[seeded_view(transform, items[j], view_seed, index, view) for j, index, view in calls]`, with the
    global RNG states saved and restored once around all the calls instead of once per call.
    `before(j, index, view)`, if given, is called before each call (to name the point in errors)."""
    with _SEED_LOCK:
        saved = _save_rngs()
        try:
            out = []
            for j, index, view in calls:
                if before is not None:
                    before(j, index, view)
                _seed_rngs(view_rng_seed(view_seed, index, view), saved[1] is not None)
                out.append(transform(items[j]))
            return out
        finally:
            _restore_rngs(saved)


def _save_rngs() -> tuple:
    cuda = torch.cuda.is_available() and torch.cuda.is_initialized()
    return (torch.get_rng_state(), torch.cuda.get_rng_state_all() if cuda else None, random.getstate(),
            np.random.get_state())


def _seed_rngs(seed: int, cuda: bool) -> None:
    if cuda:
        torch.manual_seed(seed)
    else:
        torch.default_generator.manual_seed(seed)
    random.seed(seed)
    np.random.seed([seed & 0xFFFFFFFF, seed >> 32])


def _restore_rngs(saved: tuple) -> None:
    torch.set_rng_state(saved[0])
    if saved[1] is not None:
        torch.cuda.set_rng_state_all(saved[1])
    random.setstate(saved[2])
    np.random.set_state(saved[3])


def batch_seeded(transform: Transform) -> Optional[Callable[[torch.Tensor, Sequence[int]], torch.Tensor]]:
    """The transform's batched seeded form, if it has one: `transform.seeded_batch(images [B,…], seeds)`
    returns [B,…] whose row b equals `transform(images[b])` with the global RNGs seeded by seeds[b]
    (what `seeded_view` computes), bit for bit. The dump uses it to make views a batch at a time."""
    f = getattr(transform, "seeded_batch", None)
    return f if callable(f) else None


class Normalize(torch.nn.Module):
    """(x − mean)/std per channel; the un-augmented `original_transform` of the reference models."""

    def __init__(self, mean: Sequence[float], std: Sequence[float]):
        super().__init__()
        self.mean, self.std = list(mean), list(std)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """(x − mean)/std per channel of x [C, H, W] or [B, C, H, W]."""
        shape = (-1, 1, 1)
        m = torch.tensor(self.mean, dtype=x.dtype, device=x.device).view(shape)
        s = torch.tensor(self.std, dtype=x.dtype, device=x.device).view(shape)
        return (x - m) / s

    def seeded_batch(self, x: torch.Tensor, seeds: Sequence[int]) -> torch.Tensor:
        """No randomness: the batch normalized at once (same values as one image at a time)."""
        return self(x)

    def extra_repr(self) -> str:
        """The mean and standard deviation."""
        return f"mean={self.mean}, std={self.std}"


class SimCLRAugment(torch.nn.Module):
    """SimCLR's augmentations (Chen et al. 2020, App. A) on float images in [0, 1], [C,H,W] or a
    batch [B,C,H,W], each image with its own draws: random resized crop (area scale in `scale`,
    log-uniform aspect ratio in [3/4, 4/3], bilinear) back to the input size, horizontal flip
    with p = 0.5, and with p = `jitter_p` brightness and contrast jitter by factors in
    [1 − jitter, 1 + jitter]; then per-channel normalization. Randomness comes from `generator`
    when given (training), else torch's global RNG (dumps: see `seeded_view`)."""

    def __init__(self, mean: Sequence[float], std: Sequence[float], scale: Sequence[float] = (0.2, 1.0),
                 jitter: float = 0.4, jitter_p: float = 0.8) -> None:
        super().__init__()
        self.scale, self.jitter, self.jitter_p = tuple(scale), jitter, jitter_p
        self.normalize = Normalize(mean, std)

    def forward(self, x: torch.Tensor, generator: Optional[torch.Generator] = None) -> torch.Tensor:
        """The views of an image [C, H, W] or a batch [B, C, H, W] (draws from `generator`, else the
        global RNG)."""
        single = x.dim() == 3
        if single:
            x = x.unsqueeze(0)
        # All draws on the CPU, so the same seed gives the same views on any device.
        y = self._augment(x, torch.rand(x.shape[0], 8, generator=generator, dtype=torch.float64))
        return y[0] if single else y

    def seeded_batch(self, x: torch.Tensor, seeds: Sequence[int]) -> torch.Tensor:
        """Row b = `self(x[b])` with torch's RNG seeded by seeds[b] (`seeded_view`), for the whole batch
        at once: each image's eight uniforms come from its own seed, the warps run batched."""
        g = torch.Generator()
        u = torch.empty(len(seeds), 8, dtype=torch.float64)
        for r, seed in enumerate(seeds):
            g.manual_seed(seed)
            u[r] = torch.rand(8, generator=g, dtype=torch.float64)
        return self._augment(x, u)

    def _draws(self, u: torch.Tensor) -> "tuple[torch.Tensor, torch.Tensor]":
        """Affine matrices [B,2,3] and (brightness, contrast) gains [B,2], float64, from the uniforms
        u [B,8]: crop area lo + (hi − lo)·u0, aspect ratio exp(log 3/4 + (log 4/3 − log 3/4)·u1), crop
        width and height min(1, √(area·ratio)) and min(1, √(area/ratio)), offsets from u2 and u3, flip
        when u4 < 0.5, jitter when u5 < jitter_p with gains 1 − j + 2j·u6 and 1 − j + 2j·u7. IEEE
        operations in the same order as one image at a time, and Python's math.exp, so every value is
        the same bit for bit."""
        lo, hi = self.scale
        log_lo, log_hi = math.log(3 / 4), math.log(4 / 3)
        u = u.to(torch.float64)
        area = lo + (hi - lo) * u[:, 0]
        ratio = torch.tensor([math.exp(a) for a in (log_lo + (log_hi - log_lo) * u[:, 1]).tolist()],
                             dtype=torch.float64)
        w = torch.sqrt(area * ratio).clamp(max=1.0)
        h = torch.sqrt(area / ratio).clamp(max=1.0)
        flip = 1.0 - 2.0 * (u[:, 4] < 0.5).to(torch.float64)
        theta = torch.zeros(len(u), 2, 3, dtype=torch.float64)
        theta[:, 0, 0] = w * flip
        theta[:, 0, 2] = (1 - w) * (2 * u[:, 2] - 1)
        theta[:, 1, 1] = h
        theta[:, 1, 2] = (1 - h) * (2 * u[:, 3] - 1)
        j = self.jitter
        on = u[:, 5] < self.jitter_p
        gains = torch.ones(len(u), 2, dtype=torch.float64)
        gains[on] = (1 - j + 2 * j * u[:, 6:8])[on]
        return theta, gains

    def _augment(self, x: torch.Tensor, u: torch.Tensor) -> torch.Tensor:
        b, dev = x.shape[0], x.device
        theta, gains = self._draws(u)
        grid = F.affine_grid(theta.to(device=dev, dtype=x.dtype), list(x.shape), align_corners=False)
        y = F.grid_sample(x, grid, mode="bilinear", padding_mode="border", align_corners=False)
        g = gains.to(device=dev, dtype=x.dtype)
        bright, contrast = g[:, 0].view(b, 1, 1, 1), g[:, 1].view(b, 1, 1, 1)
        # brightness (scale), then contrast around the image mean; no-op rows have gains 1 (clamp aside)
        yb = y * bright
        m = yb.mean(dim=(1, 2, 3), keepdim=True)
        jittered = (g != 1.0).any(dim=1).view(b, 1, 1, 1)
        y = torch.where(jittered, ((yb - m) * contrast + m).clamp(0, 1), y)
        return self.normalize(y)

    def extra_repr(self) -> str:
        """The augmentations and their strengths."""
        return (f"random resized crop (scale {self.scale}, ratio 3/4-4/3), horizontal flip p=0.5, "
                f"brightness/contrast jitter {self.jitter} p={self.jitter_p}")

"""Augmentations by name: `simclr` (today's `views.SimCLRAugment`) and `paper` (the SSLMem authors').

`paper` is the pipeline the authors' code draws the augmented views with when it measures
memorization (sprintml/MemorizationSSL, `memorization_scores.py`, commit d0d4b0f, `data_transforms`):

    RandomResizedCrop(size)                 area fraction U(0.08, 1), aspect ratio log-U(3/4, 4/3), bilinear
    RandomHorizontalFlip()                  p = 0.5
    RandomApply([ColorJitter(0.8, 0.8, 0.8, 0.2)], p=0.8)
                                            brightness, contrast, saturation factors U(0.2, 1.8), hue shift
                                            U(−0.2, 0.2), in a random order
    RandomGrayscale(p=0.2)

— the same torchvision transforms, here on float tensors [C, H, W] in [0, 1] (torchvision's
tensor code paths), followed by the per-channel normalization of the dataset. Their training
augmentations are the same family (SimCLR's, with ColorJitter(0.4, 0.4, 0.4, 0.1) in the SimCLR
training code's `utils.train_transform`, DINO's multi-crop in `models/DINO/model_dino.py`); the
issue asks for one `paper` pipeline for both, so training with `paper` uses the measurement
strengths above. One difference from their script, on purpose: it applies these transforms to
images already normalized to [−1, 1] (`Normalize(0.5, 0.5)` in the dataset's transform), so every
jittered view is clamped to [0, 1] by torchvision's colour ops and loses its dark half; here the
transforms see [0, 1] pixels and the normalization comes last.

Colour on 1-channel images (Fashion-MNIST): brightness and contrast act as on RGB; saturation and
hue are identities and grayscale keeps the single channel (torchvision's rules), so the pipeline
runs unchanged on 1- and 3-channel data; on CIFAR and folder data all four colour operations and
the grayscale act.

Randomness: torch's global RNG (`views.seeded_view` seeds it per view, so dumps are reproducible
and the same for f and g); `forward(x, generator)` (training) draws one seed from `generator` per
call and runs under it with the global RNG state saved and restored. A batch [B, C, H, W] gets
independent draws per image.
"""
from __future__ import annotations

from typing import Dict, Optional, Sequence, Tuple

import torch
import torch.nn as nn

from .views import Normalize, SimCLRAugment

#: the names `--augment` accepts
AUGMENTS = ("simclr", "paper")


class PaperAugment(nn.Module):
    """The SSLMem authors' augmentations (module docstring), then per-channel normalization."""

    def __init__(self, mean: Sequence[float], std: Sequence[float], size: Optional[Tuple[int, int]] = None,
                 scale: Tuple[float, float] = (0.08, 1.0),
                 jitter: Tuple[float, float, float, float] = (0.8, 0.8, 0.8, 0.2),
                 jitter_p: float = 0.8, grayscale_p: float = 0.2, flip_p: float = 0.5):
        super().__init__()
        import torchvision.transforms as T
        self.size, self.scale, self.jitter = size, tuple(scale), tuple(jitter)
        self.jitter_p, self.grayscale_p, self.flip_p = jitter_p, grayscale_p, flip_p
        self.tail = T.Compose([T.RandomHorizontalFlip(flip_p), T.RandomApply([T.ColorJitter(*jitter)], p=jitter_p),
                               T.RandomGrayscale(p=grayscale_p)])
        self.normalize = Normalize(mean, std)
        self._crops: Dict[Tuple[int, ...], nn.Module] = {}

    def _crop(self, hw: Tuple[int, int]) -> nn.Module:
        size = tuple(self.size) if self.size else hw
        if size not in self._crops:
            import torchvision.transforms as T
            self._crops[size] = T.RandomResizedCrop(size, scale=self.scale, ratio=(3 / 4, 4 / 3),
                                                          antialias=True)
        return self._crops[size]

    def _one(self, img: torch.Tensor) -> torch.Tensor:
        if img.dim() != 3 or img.shape[0] not in (1, 3):
            raise ValueError(f"paper augmentation: expected an image [C, H, W] with 1 or 3 channels, got "
                             f"{list(img.shape)}")
        if not img.is_floating_point():
            raise ValueError(f"paper augmentation: expected float pixels in [0, 1], got {img.dtype}")
        y = self.tail(self._crop((img.shape[-2], img.shape[-1]))(img))
        return self.normalize(y)

    def _augment(self, x: torch.Tensor) -> torch.Tensor:
        if x.dim() == 3:
            return self._one(x)
        return torch.stack([self._one(img) for img in x])

    def forward(self, x: torch.Tensor, generator: Optional[torch.Generator] = None) -> torch.Tensor:
        """The views of an image [C, H, W] or a batch [B, C, H, W]: under one seed drawn from `generator` when
        given (training), else from torch's global RNG (dumps: `views.seeded_view`)."""
        if generator is None:
            return self._augment(x)
        seed = int(torch.randint(0, 2 ** 62, (1,), generator=generator))
        state = torch.get_rng_state()
        try:
            torch.default_generator.manual_seed(seed)
            return self._augment(x)
        finally:
            torch.set_rng_state(state)

    def extra_repr(self) -> str:
        """The pipeline, as `augmentations` records it."""
        return (f"SSLMem authors' views (sprintml/MemorizationSSL memorization_scores.py): RandomResizedCrop(scale="
                f"{self.scale}, ratio=(3/4, 4/3)), RandomHorizontalFlip(p={self.flip_p}), RandomApply(ColorJitter"
                f"{self.jitter}, p={self.jitter_p}), RandomGrayscale(p={self.grayscale_p}), then normalize")


def build_augment(name: str, mean: Sequence[float], std: Sequence[float],
                  crop_scale: Optional[float] = None) -> nn.Module:
    """The augmentation `name` (one of AUGMENTS). crop_scale: smallest crop area fraction (default:
    0.2 for simclr, the authors' 0.08 for paper)."""
    if name == "simclr":
        return SimCLRAugment(mean, std, scale=(0.2 if crop_scale is None else crop_scale, 1.0))
    if name == "paper":
        return PaperAugment(mean, std, scale=(0.08 if crop_scale is None else crop_scale, 1.0))
    raise ValueError(f"augment {name!r}: expected one of {', '.join(AUGMENTS)}")

"""Reference encoders: a small CPU CNN and a CIFAR-style ResNet-18.

`small-cnn`: three 3×3 convolutions of stride 2 (width w, 2w, 4w channels), each followed by
batch norm and ReLU, then a linear layer `fc` from the flattened last map to 4w dimensions (the
representation; `head="pool"` uses global average pooling instead, which memorized nothing
measurable in 100 CPU epochs). On 28×28 inputs the layer outputs are [w,14,14], [2w,7,7] and
[4w,4,4] — modest, so per-layer dumps stay small. Module names for `layers=`: "conv1", "conv2",
"conv3", "fc".

`resnet18`: torchvision's ResNet-18 with a 3×3 stride-1 stem and no max-pool (the usual
CIFAR variant), fc removed: a 512-dimensional representation. Layer names: "layer1" … "layer4".

`resnet50`: torchvision's ResNet-50 (weights=None: nothing is downloaded), fc removed: 2048
dimensions; on images of at most 64 px with the same CIFAR stem as `resnet18` (the SSLMem
authors' SimCLR ResNet-50 on CIFAR-10 does the same), above with torchvision's ImageNet stem.

`vit-tiny`, `vit-small`, `vit-base` (optionally `-pN`, the patch size): see `vit.py`; they return
all tokens [T, C] (dumped as their concatenation, the authors' ViT representation).
"""
from __future__ import annotations

from typing import Tuple

import torch
import torch.nn as nn


def _block(cin: int, cout: int) -> nn.Sequential:
    return nn.Sequential(nn.Conv2d(cin, cout, 3, stride=2, padding=1, bias=False), nn.BatchNorm2d(cout),
                         nn.ReLU(inplace=False))


class SmallCNN(nn.Module):
    def __init__(self, in_channels: int = 1, width: int = 32, head: str = "fc", image_size: int = 28):
        super().__init__()
        self.conv1 = _block(in_channels, width)
        self.conv2 = _block(width, 2 * width)
        self.conv3 = _block(2 * width, 4 * width)
        self.head = head
        if head == "fc":
            side = image_size
            for _ in range(3):
                side = (side + 1) // 2
            self.fc = nn.Linear(4 * width * side * side, 4 * width)
        self.dim = 4 * width

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """The representation [B, 4·width] of images [B, C, H, W]."""
        h = self.conv3(self.conv2(self.conv1(x)))
        return self.fc(h.flatten(1)) if self.head == "fc" else h.mean(dim=(2, 3))


def resnet18(in_channels: int = 3) -> nn.Module:
    """torchvision's ResNet-18 with the CIFAR stem (3×3 conv, no max-pool) and no classifier."""
    import torchvision
    m = torchvision.models.resnet18(num_classes=10)
    m.conv1 = nn.Conv2d(in_channels, 64, 3, 1, 1, bias=False)
    m.maxpool = nn.Identity()
    m.fc = nn.Identity()
    m.dim = 512
    return m


def resnet50(in_channels: int = 3, image_size: int = 32) -> nn.Module:
    """torchvision's ResNet-50 without the classifier (the CIFAR stem on images of at most 64 px)."""
    import torchvision
    m = torchvision.models.resnet50(weights=None)
    if image_size <= 64:
        m.conv1 = nn.Conv2d(in_channels, 64, 3, 1, 1, bias=False)
        m.maxpool = nn.Identity()
    elif in_channels != 3:
        m.conv1 = nn.Conv2d(in_channels, 64, 7, 2, 3, bias=False)
    m.fc = nn.Identity()
    m.dim = 2048
    return m


ARCHS = ("small-cnn", "resnet18", "resnet50", "vit-tiny", "vit-small", "vit-base")
# what `make experiment` dumps under /layers (a ResNet-18's layer1 is 64×28×28 per view: too large by default)
DEFAULT_LAYERS = {"small-cnn": ("conv1", "conv2", "conv3", "fc"), "resnet18": ("layer4",), "resnet50": ("layer4",),
                  "vit-tiny": ("blocks.11",), "vit-small": ("blocks.11",), "vit-base": ("blocks.11",)}


def default_layers(arch: str) -> Tuple[str, ...]:
    """DEFAULT_LAYERS of an architecture name, ViT patch suffixes ("vit-tiny-p2") included."""
    from .vit import is_vit_name
    if is_vit_name(arch):
        arch = "-".join(arch.split("-")[:2])
    return DEFAULT_LAYERS[arch]


def build_encoder(arch: str, in_channels: int, width: int = 32, image_size: int = 28) -> nn.Module:
    """The encoder of an architecture name (`ARCHS`; ViTs optionally -pN), untrained."""
    if arch == "small-cnn":
        return SmallCNN(in_channels, width, "fc", image_size)
    if arch == "resnet18":
        return resnet18(in_channels)
    if arch == "resnet50":
        return resnet50(in_channels, image_size)
    from .vit import build_vit, is_vit_name
    if is_vit_name(arch):
        return build_vit(arch, in_channels, image_size)
    raise ValueError(f"arch {arch!r}: expected one of {', '.join(ARCHS)} (ViTs optionally -pN)")


def projector(method: str, dim: int) -> nn.Module:
    """SimCLR: 2-layer MLP to 128 (Chen et al. 2020); VICReg: 3-layer expander of 4·dim
    (Bardes et al. 2022 use 8192 for ResNet-50; 4·dim keeps the CPU model small)."""
    if method == "simclr":
        return nn.Sequential(nn.Linear(dim, 2 * dim), nn.BatchNorm1d(2 * dim), nn.ReLU(), nn.Linear(2 * dim, 128))
    if method == "vicreg":
        e = 4 * dim
        return nn.Sequential(nn.Linear(dim, e), nn.BatchNorm1d(e), nn.ReLU(), nn.Linear(e, e), nn.BatchNorm1d(e),
                             nn.ReLU(), nn.Linear(e, e))
    raise ValueError(f"method {method!r}: expected simclr or vicreg")

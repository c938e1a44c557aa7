"""Vision Transformers (Dosovitskiy et al., ICLR 2021) for the reference trainer: ViT-Tiny, -Small, -Base.

`ViT(image_size, patch_size, in_channels, dim, depth, heads)`: a `patch_size`×`patch_size`
convolution of stride `patch_size` (`patch_embed`), a learned CLS token, learned position
embeddings, `depth` pre-norm blocks (`blocks.0` … `blocks.{depth-1}`: multi-head self-attention
and a GELU MLP of 4·dim, each added to its input) and a final LayerNorm (`norm`).

What it returns, and why:

- `forward(x)` → [B, T, C], T = 1 + (H/p)·(W/p): the final LayerNorm's output of every token,
  CLS first. A dump flattens it to the **concatenation of all tokens** (D = T·C), which is what
  the SSLMem authors measured on ViTs: their `memorization_scores.py` (sprintml/MemorizationSSL)
  flattens the MAE ViT-Tiny encoder's full token output (`reshape(192*257,)`: 256 patches + CLS,
  192 channels) before the alignment distance, and a ViT-Base on 224-px ImageNet gives
  197 × 768 = 151,296 floats per view (docs/cluster.md). The CLS token alone would ignore what
  the patch tokens keep of the image (MAE trains no CLS objective at all).
- `embed(x)` → [B, C]: the CLS token, the image embedding the SSL heads train on (DINO and the
  contrastive methods put their heads on it; `methods.common.embed` calls it).
- `forward_masked(x, keep)` → [B, 1 + K, C]: MAE's encoder path (He et al., CVPR 2022), the
  CLS token and only the K visible patches whose indices (in raster order) are in `keep` [B, K].
- Per-layer dumps: each `blocks.i` returns [B, T, C], dumped with units_axis 1 (layers.py).

Names: "vit-tiny" (C 192, 12 blocks, 3 heads), "vit-small" (384, 12, 6), "vit-base" (768, 12,
12); an optional "-pN" suffix sets the patch size, e.g. "vit-tiny-p2" (the SSLMem authors' MAE
on 32-px CIFAR-10). The default patch is 4 for images of at most 64 px (7×7 patches on 28 px,
8×8 on 32 px) and 16 above (ImageNet's 224 px). Inputs of another size than `image_size` (DINO's
local crops) get bicubically interpolated position embeddings.
"""
from __future__ import annotations

import re
from typing import Optional, Tuple

import torch
import torch.nn as nn
import torch.nn.functional as F

#: name → (embedding width C, depth, heads)
VIT_SIZES = {"tiny": (192, 12, 3), "small": (384, 12, 6), "base": (768, 12, 12)}
_NAME = re.compile(r"^vit-(tiny|small|base)(?:-p([1-9][0-9]*))?$")


class Attention(nn.Module):
    """Multi-head self-attention: softmax(Q Kᵀ / sqrt(C/heads)) V per head, then a linear map."""

    def __init__(self, dim: int, heads: int):
        super().__init__()
        if dim % heads:
            raise ValueError(f"ViT width {dim} is not divisible by {heads} heads")
        self.heads = heads
        self.qkv = nn.Linear(dim, 3 * dim)
        self.proj = nn.Linear(dim, dim)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Multi-head self-attention over the tokens x [B, T, C]."""
        b, t, c = x.shape
        q, k, v = self.qkv(x).reshape(b, t, 3, self.heads, c // self.heads).permute(2, 0, 3, 1, 4)
        att = (q @ k.transpose(-2, -1)) * (c // self.heads) ** -0.5
        out = att.softmax(dim=-1) @ v
        return self.proj(out.transpose(1, 2).reshape(b, t, c))


class Block(nn.Module):
    """x + attn(norm1(x)), then + mlp(norm2(·)); output [B, T, C]."""

    #: Units of a block's output [T, C] are its channels (layers.units_axis_for reads this).
    units_axis = 1

    def __init__(self, dim: int, heads: int, mlp_ratio: float = 4.0):
        super().__init__()
        self.norm1 = nn.LayerNorm(dim, eps=1e-6)
        self.attn = Attention(dim, heads)
        self.norm2 = nn.LayerNorm(dim, eps=1e-6)
        hidden = int(dim * mlp_ratio)
        self.mlp = nn.Sequential(nn.Linear(dim, hidden), nn.GELU(), nn.Linear(hidden, dim))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """x + attention(norm(x)), then + MLP(norm(·)) (a pre-norm block)."""
        x = x + self.attn(self.norm1(x))
        return x + self.mlp(self.norm2(x))


class ViT(nn.Module):
    def __init__(self, image_size: int = 32, patch_size: int = 4, in_channels: int = 3, dim: int = 192,
                 depth: int = 12, heads: int = 3, mlp_ratio: float = 4.0):
        super().__init__()
        if image_size % patch_size:
            raise ValueError(f"ViT patch size {patch_size} does not divide the image size {image_size}")
        self.image_size, self.patch_size, self.in_channels = image_size, patch_size, in_channels
        self.grid = image_size // patch_size
        self.patch_embed = nn.Conv2d(in_channels, dim, patch_size, stride=patch_size)
        self.cls_token = nn.Parameter(torch.zeros(1, 1, dim))
        self.pos_embed = nn.Parameter(torch.zeros(1, 1 + self.grid * self.grid, dim))
        self.blocks = nn.ModuleList([Block(dim, heads, mlp_ratio) for _ in range(depth)])
        self.norm = nn.LayerNorm(dim, eps=1e-6)
        self.dim = dim
        nn.init.trunc_normal_(self.pos_embed, std=0.02)
        nn.init.trunc_normal_(self.cls_token, std=0.02)
        self.apply(_init)

    @property
    def num_patches(self) -> int:
        """Patches per image (grid × grid)."""
        return self.grid * self.grid

    def _pos(self, gh: int, gw: int) -> torch.Tensor:
        if (gh, gw) == (self.grid, self.grid):
            return self.pos_embed
        cls, grid = self.pos_embed[:, :1], self.pos_embed[:, 1:]
        grid = grid.reshape(1, self.grid, self.grid, -1).permute(0, 3, 1, 2)
        grid = F.interpolate(grid, size=(gh, gw), mode="bicubic", align_corners=False)
        return torch.cat([cls, grid.permute(0, 2, 3, 1).reshape(1, gh * gw, -1)], dim=1)

    def patch_tokens(self, x: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor]:
        """(patch tokens with position embeddings [B, N, C], the CLS token with its own [1, 1, C])."""
        if x.dim() != 4 or x.shape[1] != self.in_channels:
            raise ValueError(f"ViT expects images [B, {self.in_channels}, H, W], got {list(x.shape)}")
        if x.shape[-1] % self.patch_size or x.shape[-2] % self.patch_size:
            raise ValueError(f"ViT patch size {self.patch_size} does not divide the input {list(x.shape[-2:])}")
        p = self.patch_embed(x)
        pos = self._pos(p.shape[-2], p.shape[-1])
        return p.flatten(2).transpose(1, 2) + pos[:, 1:], self.cls_token + pos[:, :1]

    def _encode(self, cls: torch.Tensor, patches: torch.Tensor) -> torch.Tensor:
        x = torch.cat([cls.expand(patches.shape[0], -1, -1), patches], dim=1)
        for block in self.blocks:
            x = block(x)
        return self.norm(x)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """All tokens [B, 1 + N, C] after the final LayerNorm (CLS first): the dumped representation."""
        patches, cls = self.patch_tokens(x)
        return self._encode(cls, patches)

    def embed(self, x: torch.Tensor) -> torch.Tensor:
        """The CLS token [B, C] (what the SSL heads train on)."""
        return self.forward(x)[:, 0]

    def forward_masked(self, x: torch.Tensor, keep: torch.Tensor) -> torch.Tensor:
        """The CLS token and the kept patches `keep` [B, K] only, after the final LayerNorm (MAE's encoder)."""
        patches, cls = self.patch_tokens(x)
        idx = keep.unsqueeze(-1).expand(-1, -1, patches.shape[-1])
        return self._encode(cls, torch.gather(patches, 1, idx))


def _init(m: nn.Module) -> None:
    if isinstance(m, nn.Linear):
        nn.init.trunc_normal_(m.weight, std=0.02)
        if m.bias is not None:
            nn.init.zeros_(m.bias)
    elif isinstance(m, nn.LayerNorm):
        nn.init.ones_(m.weight)
        nn.init.zeros_(m.bias)


def is_vit_name(arch: str) -> bool:
    """Whether `arch` names a ViT (vit-tiny, vit-small, vit-base, optionally -pN)."""
    return _NAME.match(arch) is not None


def parse_vit_name(arch: str, image_size: int) -> Tuple[str, int]:
    """(size, patch size) of a name like "vit-tiny" or "vit-small-p8" for images of `image_size` px."""
    m = _NAME.match(arch)
    if m is None:
        raise ValueError(f"arch {arch!r}: expected vit-tiny, vit-small or vit-base, optionally with -pN")
    patch = int(m.group(2)) if m.group(2) else (4 if image_size <= 64 else 16)
    return m.group(1), patch


def build_vit(arch: str, in_channels: int, image_size: int, patch_size: Optional[int] = None) -> ViT:
    """The ViT of a name (`parse_vit_name`) for images of `image_size` px with `in_channels` channels."""
    size, patch = parse_vit_name(arch, image_size)
    dim, depth, heads = VIT_SIZES[size]
    return ViT(image_size, patch_size or patch, in_channels, dim, depth, heads)


def block_names(vit: ViT) -> Tuple[str, ...]:
    """The `layers=` names of the transformer blocks, input side first."""
    return tuple(f"blocks.{i}" for i in range(len(vit.blocks)))


def patchify(x: torch.Tensor, patch_size: int) -> torch.Tensor:
    """[B, C, H, W] → [B, N, p·p·C], patches in raster order (the order of `ViT.patch_tokens`),
    each flattened row by row with the channels innermost."""
    b, c, h, w = x.shape
    p = patch_size
    x = x.reshape(b, c, h // p, p, w // p, p)
    return x.permute(0, 2, 4, 3, 5, 1).reshape(b, (h // p) * (w // p), p * p * c)


def num_tokens(image_size: int, patch_size: int) -> int:
    """Tokens of a ViT's output: 1 (CLS) + (image_size / patch_size)²."""
    return 1 + (image_size // patch_size) ** 2


__all__ = ["ViT", "Block", "Attention", "VIT_SIZES", "build_vit", "is_vit_name", "parse_vit_name",
           "block_names", "patchify", "num_tokens"]

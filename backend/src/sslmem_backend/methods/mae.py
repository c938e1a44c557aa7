"""MAE: masked autoencoders (He et al., CVPR 2022), on a `vit.ViT` encoder.

Per image, a random `mask_ratio` of the N patches is hidden: K = int(N·(1 − mask_ratio)) patches
stay visible (the first K of a uniformly random permutation, as in the official code). The
encoder sees the CLS token and the visible patches only (`ViT.forward_masked`); a light decoder
(`decoder_*`: a linear map to the decoder width, a learned mask token in each hidden position,
position embeddings, `decoder_depth` transformer blocks, a LayerNorm and a linear map to the
p·p·C pixels of a patch) reconstructs every patch. The loss is the per-patch mean squared error
over the patch's pixels, averaged over the **masked** patches only:

    L = Σ_n m_n · mean_j (x̂_{n,j} − x_{n,j})² / Σ_n m_n,   m_n = 1 when patch n was hidden,

with the target x the input pixels (as the trainer normalized them), or with `norm_pix` each
target patch standardized by its own mean and variance (+1e-6), MAE's best setting. The SSLMem
authors' code (sprintml/MemorizationSSL `MAE_train.py`, `models/MAE/model.py`) trains ViT-Tiny
with patch 2 on CIFAR-10, mask ratio 0.75, no pixel normalization, a 4-block decoder of the
encoder's width with 3 heads — the defaults here — and normalizes by the mask ratio rather than
the masked count (the same up to the rounding of K). Paper Table 7 varies the mask ratio
(`mask_ratio=`). One view per step: MAE needs no second view.
"""
from __future__ import annotations

from typing import List, Optional, Tuple, Union

import torch
import torch.nn as nn

from ..vit import Block, ViT, patchify
from .base import Method


def mae_loss(pred: torch.Tensor, target: torch.Tensor, mask: torch.Tensor, norm_pix: bool = False) -> torch.Tensor:
    """pred, target [B, N, P]; mask [B, N] with 1 for hidden patches: the mean over hidden patches of
    each patch's mean squared error (target patches standardized first when `norm_pix`)."""
    target = target.float()
    if norm_pix:
        mean, var = target.mean(dim=-1, keepdim=True), target.var(dim=-1, keepdim=True)
        target = (target - mean) / (var + 1e-6) ** 0.5
    per_patch = ((pred.float() - target) ** 2).mean(dim=-1)
    return (per_patch * mask).sum() / mask.sum()


def random_masking(batch: int, patches: int, mask_ratio: float, device: Union[torch.device, str, None] = None
                   ) -> Tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """(keep [B, K], mask [B, N], restore [B, N]): K = int(N·(1 − mask_ratio)) visible patch indices per
    image (the first K of a random permutation, torch's global RNG, drawn on the CPU so that a seed
    gives the same masks on any device), the 0/1 mask in raster order, and the inverse permutation."""
    keep_n = int(patches * (1 - mask_ratio))
    if not 0 < keep_n < patches:
        raise ValueError(f"mask ratio {mask_ratio}: keeps {keep_n} of {patches} patches (need 1 … {patches - 1})")
    shuffle = torch.argsort(torch.rand(batch, patches), dim=1).to(device)
    restore = torch.argsort(shuffle, dim=1)
    mask = torch.ones(batch, patches, device=device)
    mask[:, :keep_n] = 0
    return shuffle[:, :keep_n], torch.gather(mask, 1, restore), restore


class MAE(Method):
    name = "mae"
    views_per_step = 1
    #: checked in __init__: MAE masks the patches of a ViT
    encoder: ViT

    def __init__(self, encoder: nn.Module, dim: int, mask_ratio: float = 0.75, decoder_dim: Optional[int] = None,
                 decoder_depth: int = 4, decoder_heads: int = 3, norm_pix: bool = False) -> None:
        if not isinstance(encoder, ViT):
            raise ValueError(f"method mae needs a ViT encoder (--arch vit-tiny, …), not {type(encoder).__name__}")
        super().__init__(encoder, dim)
        d = decoder_dim or dim
        n = encoder.num_patches
        self.mask_ratio, self.norm_pix = mask_ratio, norm_pix
        self.decoder_embed = nn.Linear(dim, d)
        self.mask_token = nn.Parameter(torch.zeros(1, 1, d))
        self.decoder_pos = nn.Parameter(torch.zeros(1, 1 + n, d))
        self.decoder_blocks = nn.ModuleList([Block(d, decoder_heads) for _ in range(decoder_depth)])
        self.decoder_norm = nn.LayerNorm(d, eps=1e-6)
        self.decoder_pred = nn.Linear(d, encoder.patch_size ** 2 * encoder.in_channels)
        nn.init.trunc_normal_(self.mask_token, std=0.02)
        nn.init.trunc_normal_(self.decoder_pos, std=0.02)

    def reconstruct(self, x: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor]:
        """(predicted patches [B, N, p·p·C], mask [B, N]) for a batch of images."""
        b, n = x.shape[0], self.encoder.num_patches
        keep, mask, restore = random_masking(b, n, self.mask_ratio, x.device)
        latent = self.decoder_embed(self.encoder.forward_masked(x, keep))
        hidden = self.mask_token.expand(b, n - keep.shape[1], -1)
        tokens = torch.cat([latent[:, 1:], hidden], dim=1)
        tokens = torch.gather(tokens, 1, restore.unsqueeze(-1).expand(-1, -1, tokens.shape[-1]))
        y = torch.cat([latent[:, :1], tokens], dim=1) + self.decoder_pos
        for block in self.decoder_blocks:
            y = block(y)
        return self.decoder_pred(self.decoder_norm(y))[:, 1:], mask

    def training_loss(self, views: List[torch.Tensor]) -> torch.Tensor:
        """MAE's loss (module docstring) on one view."""
        x = views[0]
        pred, mask = self.reconstruct(x)
        return mae_loss(pred, patchify(x, self.encoder.patch_size), mask, self.norm_pix)

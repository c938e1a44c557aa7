"""Self-supervised losses.

NT-Xent (SimCLR; Chen et al., ICML 2020, Eq. 1): for 2B projections z (two views per image),
sim = cosine similarity / τ; loss = mean over the 2B anchors of −log softmax over the other
2B − 1 rows at the anchor's positive (the other view of the same image).

VICReg (Bardes et al., ICLR 2022, Eq. 6): λ·MSE(z1, z2) + μ·[v(z1) + v(z2)] + ν·[c(z1) + c(z2)],
v(z) = mean_j max(0, 1 − sqrt(Var(z_j) + ε)), c(z) = sum of squared off-diagonal covariances / d;
λ = μ = 25, ν = 1, ε = 1e-4. The variance terms of the two branches are summed as in Eq. 6 (the
official code halves them: μ = 12.5 here; see `methods/vicreg.py`).
"""
from __future__ import annotations

import torch
import torch.nn.functional as F


def nt_xent(z1: torch.Tensor, z2: torch.Tensor, temperature: float = 0.2) -> torch.Tensor:
    """SimCLR's NT-Xent (module docstring) of the projections z1, z2 [B, D] of two views of B images."""
    z = F.normalize(torch.cat([z1, z2]).float(), dim=1)
    n = z1.shape[0]
    sim = z @ z.t() / temperature
    sim.fill_diagonal_(float("-inf"))
    target = torch.cat([torch.arange(n, 2 * n), torch.arange(0, n)]).to(z.device)
    return F.cross_entropy(sim, target)


def vicreg(z1: torch.Tensor, z2: torch.Tensor, lam: float = 25.0, mu: float = 25.0, nu: float = 1.0,
           eps: float = 1e-4) -> torch.Tensor:
    """VICReg's loss (Eq. 6, module docstring) of the expansions z1, z2 [B, D] of two views of B images."""
    z1, z2 = z1.float(), z2.float()
    invariance = F.mse_loss(z1, z2)

    def variance(z: torch.Tensor) -> torch.Tensor:
        return F.relu(1 - torch.sqrt(z.var(dim=0) + eps)).mean()

    def covariance(z: torch.Tensor) -> torch.Tensor:
        n, d = z.shape
        z = z - z.mean(0)
        c = (z.t() @ z) / (n - 1)
        off = c - torch.diag(torch.diag(c))
        return off.pow(2).sum() / d

    return lam * invariance + mu * (variance(z1) + variance(z2)) + nu * (covariance(z1) + covariance(z2))


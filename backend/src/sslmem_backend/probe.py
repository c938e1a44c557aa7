"""Linear-probe accuracy: a linear classifier on frozen representations of the un-augmented
images, trained on the shared points (features standardized with the training mean and
standard deviation; softmax regression, full-batch Adam, 300 steps, lr 0.01, L2 1e-4) and
evaluated on the split's public set. Returns the fraction classified correctly."""
from __future__ import annotations

from typing import Callable, Sequence

import numpy as np
import torch
import torch.nn.functional as F


@torch.no_grad()
def features(encoder, dataset, indices: Sequence[int], transform: Callable, device: str = "cpu",
             batch_size: int = 512) -> torch.Tensor:
    encoder.eval()
    out = []
    for s in range(0, len(indices), batch_size):
        batch = torch.stack([transform(dataset[int(i)][0]) for i in indices[s:s + batch_size]]).to(device)
        out.append(encoder(batch).float().flatten(1))
    return torch.cat(out)


def linear_probe(train_x: torch.Tensor, train_y: torch.Tensor, test_x: torch.Tensor, test_y: torch.Tensor,
                 steps: int = 300, seed: int = 0) -> float:
    classes = int(max(train_y.max(), test_y.max())) + 1
    mu, sd = train_x.mean(0), train_x.std(0) + 1e-6
    xtr, xte = (train_x - mu) / sd, (test_x - mu) / sd
    w = torch.zeros(xtr.shape[1], classes, device=xtr.device, requires_grad=True)
    b = torch.zeros(classes, device=xtr.device, requires_grad=True)
    opt = torch.optim.Adam([w, b], lr=1e-2)
    with torch.enable_grad():
        for _ in range(steps):
            loss = F.cross_entropy(xtr @ w + b, train_y) + 1e-4 * w.pow(2).sum()
            opt.zero_grad()
            loss.backward()
            opt.step()
    with torch.no_grad():
        return float(((xte @ w + b).argmax(1) == test_y).float().mean())


def probe_accuracy(encoder, dataset, split, transform: Callable, device: str = "cpu"):
    """Shared → public accuracy, or None when the split has no public set."""
    if len(split.public) == 0 or len(split.shared) == 0:
        return None
    label = lambda ids: torch.tensor([int(dataset[int(i)][1]) for i in ids], device=device)
    return linear_probe(features(encoder, dataset, split.shared, transform, device), label(split.shared),
                        features(encoder, dataset, split.public, transform, device), label(split.public))

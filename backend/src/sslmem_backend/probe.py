"""Downstream evaluation of an encoder, independent of the SSL split (it works with shared = 0,
the paper's setup): a linear probe on frozen representations of the un-augmented images.

Downstream sets (`downstream_sets`), drawn with a seeded permutation (numpy's
default_rng(seed)), the same for every encoder trained on one split, so that accuracies pair:
- test: up to `n_test` test images outside the split's extra and public sets;
- train: up to `n_train` training images outside the split's shared, candidate and independent
  sets (images neither f nor g trained on). When the split uses every training image (the
  paper's CIFAR-10 setup), the eligible test images are halved instead: the first half of
  their permutation is the test pool, the second half the training pool.

Probe (`linear_probe`, float32): features standardized with the probe-training mean and standard
deviation; softmax regression from zero weights, full-batch Adam (lr 0.01, 300 steps, L2 1e-4
on the weights): no random draws, so the result is a function of the features.

Result (`ProbeResult`): top-1 accuracy k/n on the test set and its 95% Wilson score interval
(Wilson 1927): (p̂ + z²/2n ± z·sqrt(p̂(1−p̂)/n + z²/4n²)) / (1 + z²/n), z = Φ⁻¹(0.975); it
treats the n test images as Bernoulli trials (it covers the sampling of the test set, not the
training seed — seeds are the unit in `sslmem report --study`).
"""
from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Any, Callable, Optional, Sequence, Tuple, Union

import numpy as np
import torch
import torch.nn.functional as F

from .split import Split

#: Φ⁻¹(0.975), the two-sided 95% normal quantile.
Z95 = 1.959963984540054


@torch.no_grad()
def features(encoder: torch.nn.Module, dataset: Any, indices: Union[Sequence[int], np.ndarray], transform: Callable,
             device: str = "cpu", batch_size: int = 512) -> torch.Tensor:
    """Representations [len(indices), D] of the un-augmented images (encoder in eval mode)."""
    encoder.eval()
    out = []
    for s in range(0, len(indices), batch_size):
        batch = torch.stack([transform(dataset[int(i)][0]) for i in indices[s:s + batch_size]]).to(device)
        out.append(encoder(batch).float().flatten(1).cpu())
    return torch.cat(out)


def wilson_interval(correct: int, n: int, z: float = Z95) -> Tuple[float, float]:
    """The Wilson score interval of a binomial proportion correct/n (two-sided, 95% by default)."""
    if n <= 0:
        raise ValueError("the Wilson interval needs n >= 1")
    p = correct / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z / denom * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return max(0.0, centre - half), min(1.0, centre + half)


def linear_probe_predictions(train_x: torch.Tensor, train_y: torch.Tensor, test_x: torch.Tensor,
                             classes: int, steps: int = 300, lr: float = 1e-2, l2: float = 1e-4) -> torch.Tensor:
    """Predicted classes of test_x by softmax regression fitted on (train_x, train_y) (module docstring)."""
    train_x, test_x = train_x.float(), test_x.float()
    mu, sd = train_x.mean(0), train_x.std(0) + 1e-6
    xtr, xte = (train_x - mu) / sd, (test_x - mu) / sd
    w = torch.zeros(xtr.shape[1], classes, requires_grad=True)
    b = torch.zeros(classes, requires_grad=True)
    opt = torch.optim.Adam([w, b], lr=lr)
    with torch.enable_grad():
        for _ in range(steps):
            loss = F.cross_entropy(xtr @ w + b, train_y) + l2 * w.pow(2).sum()
            opt.zero_grad()
            loss.backward()
            opt.step()
    with torch.no_grad():
        return (xte @ w + b).argmax(1)


def linear_probe(train_x: torch.Tensor, train_y: torch.Tensor, test_x: torch.Tensor, test_y: torch.Tensor,
                 steps: int = 300, seed: int = 0) -> float:
    """Top-1 accuracy of the probe (kept for callers of the earlier API; `seed` is unused: no draws)."""
    classes = int(max(train_y.max(), test_y.max())) + 1
    return float((linear_probe_predictions(train_x, train_y, test_x, classes, steps) == test_y).double().mean())


@dataclass(frozen=True)
class DownstreamSets:
    train: np.ndarray
    test: np.ndarray
    train_source: str
    test_source: str
    seed: int


def downstream_sets(split: Split, n_train: int = 5000, n_test: int = 5000, seed: int = 0) -> DownstreamSets:
    """The probe's training and test images for `split` (module docstring); ValueError when none."""
    in_split = np.concatenate([split.shared, split.candidate, split.independent]).astype(np.int64)
    pool_train = np.setdiff1d(np.arange(split.n_train, dtype=np.int64), in_split)
    held = np.concatenate([split.extra, split.public]).astype(np.int64)
    pool_test = np.setdiff1d(np.arange(split.n_train, split.n_train + split.n_test, dtype=np.int64), held)
    rng = np.random.default_rng(seed)
    if len(pool_test) == 0:
        raise ValueError("downstream probe: no test images outside extra and public (the dataset has no test set "
                         "or the split uses all of it)")
    if len(pool_train):
        train = np.sort(rng.permutation(pool_train)[:n_train])
        test = np.sort(rng.permutation(pool_test)[:n_test])
        src = "training images outside shared, candidate and independent"
        test_src = "test images outside extra and public"
    else:
        p = rng.permutation(pool_test)
        half = len(p) // 2
        test, train = np.sort(p[:half][:n_test]), np.sort(p[half:][:n_train])
        src = "second half of the test images outside extra and public (the split uses every training image)"
        test_src = "first half of the test images outside extra and public"
    if len(train) == 0 or len(test) == 0:
        raise ValueError(f"downstream probe: {len(train)} training and {len(test)} test images "
                         "(need at least one each)")
    return DownstreamSets(train, test, src, test_src, seed)


@dataclass(frozen=True)
class ProbeResult:
    accuracy: float
    correct: int
    n_test: int
    n_train: int
    ci95_low: float
    ci95_high: float
    interval: str
    train_source: str
    test_source: str
    seed: int

    def to_dict(self) -> dict:
        """The result as a JSON-ready dict (`log.json`'s `downstream`)."""
        return asdict(self)


def evaluate(train_x: torch.Tensor, train_y: torch.Tensor, test_x: torch.Tensor, test_y: torch.Tensor,
             classes: Optional[int] = None, sets: Optional[DownstreamSets] = None) -> ProbeResult:
    """Probe accuracy on (test_x, test_y) with its Wilson 95% interval."""
    classes = classes or int(max(train_y.max(), test_y.max())) + 1
    pred = linear_probe_predictions(train_x, train_y, test_x, classes)
    correct, n = int((pred == test_y).sum()), int(len(test_y))
    lo, hi = wilson_interval(correct, n)
    return ProbeResult(correct / n, correct, n, int(len(train_y)), lo, hi, "wilson",
                       sets.train_source if sets else "given", sets.test_source if sets else "given",
                       sets.seed if sets else 0)


def downstream_accuracy(encoder: torch.nn.Module, dataset: Any, split: Split,
                        transform: Callable, device: str = "cpu", n_train: int = 5000,
                        n_test: int = 5000, seed: int = 0) -> ProbeResult:
    """The encoder's downstream linear-probe result on `downstream_sets(split, n_train, n_test, seed)`."""
    sets = downstream_sets(split, n_train, n_test, seed)
    label = lambda ids: torch.tensor([int(dataset[int(i)][1]) for i in ids], dtype=torch.int64)
    train_y, test_y = label(sets.train), label(sets.test)
    classes = max(len(getattr(dataset, "classes", ())), int(max(train_y.max(), test_y.max())) + 1)
    return evaluate(features(encoder, dataset, sets.train, transform, device), train_y,
                    features(encoder, dataset, sets.test, transform, device), test_y, classes, sets)

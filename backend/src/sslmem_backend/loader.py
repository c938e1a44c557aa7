"""The training batches: which points each optimizer step sees, and their augmented views.

**Order.** Each epoch is a permutation of the training points drawn by
`torch.utils.data.distributed.DistributedSampler` (shuffle, `seed`; `set_epoch(e)` makes epoch e's
permutation `torch.randperm(n)` under the seed `seed + e`, the same in every process). Process r
of N takes the positions r, r + N, r + 2N, … of that permutation (padded to a multiple of N with
its first points, as DistributedSampler does) and cuts them into batches of batch/N. Step s of N
processes together therefore trains on the same points as step s of one process with the whole
batch (exactly, when N divides the number of points; else a few points are seen twice in an
epoch). One process (N = 1) is the plain shuffled order.

**Views.** View k of training point i in epoch e is the augmentation run under the seeds of
`views.view_rng_seed(epoch_view_seed(seed, e), i, k)` (every global RNG seeded and restored, as
the dump seeds its views): it depends on (seed, e, i, k) only, not on the batch, the process, the
DataLoader worker or the step. So a run draws the same views with any `--workers` (bit for bit
where the images stay on one device type: with workers the views are made on the CPU, without on
the training device), N processes see the views one process would, and a resumed run continues
the exact sequence. Transforms with
a batched seeded form (`SimCLRAugment.seeded_batch`) run a batch at a time, others image by image.

**Workers.** `training_loader` is a `torch.utils.data.DataLoader` whose items are whole batches
(the sampler yields (epoch, positions)), made by `workers` processes (0: in this process, on the
device the images are on). The views need no worker seed, but a dataset or transform with RNG
use of its own would: the loader's generator is seeded by `seed` and each worker's torch, Python
and numpy RNGs by (seed, worker id) (`seed_worker`), so such draws are reproducible too.
"""
from __future__ import annotations

import math
import random
from typing import Iterator, List, Sequence, Tuple, cast

import numpy as np
import torch
from torch.utils.data import DataLoader, Dataset, Sampler
from torch.utils.data.distributed import DistributedSampler

from .views import Transform, batch_seeded, seeded_calls, view_rng_seed, view_rng_seeds

#: The `view` argument of `view_rng_seed` that derives the training views' per-epoch seed (the dump
#: uses views 0, 1, … and −1 with the dump's own view seed; this stream is distinct from those).
TRAINING_STREAM = -2
#: The stream of the per-worker seeds (`seed_worker`).
WORKER_STREAM = -3
#: The stream of the per-process torch seed of processes 1 … N−1 (masks, local crops: `train`).
PROCESS_STREAM = -4

#: One item of the loader: the dataset indices of a batch [B] and its views, each [B, C, H, W].
Batch = Tuple[torch.Tensor, List[torch.Tensor]]


def epoch_view_seed(seed: int, epoch: int) -> int:
    """The view seed of epoch `epoch` of a run seeded by `seed` (module docstring, "Views")."""
    return view_rng_seed(seed, epoch, TRAINING_STREAM)


class TrainingViews(Dataset[Batch]):
    """Batches of views of the training points: item (epoch, positions) → (dataset indices of those
    positions, `views` augmented views of their images), with `indices[p]` the dataset index of
    position p and `images[p]` its image [C, H, W] (float, in [0, 1])."""

    def __init__(self, indices: np.ndarray, images: torch.Tensor, augment: Transform, views: int, seed: int) -> None:
        if len(indices) != len(images):
            raise ValueError(f"{len(indices)} indices for {len(images)} images")
        self.indices, self.images, self.augment = np.asarray(indices, dtype=np.int64), images, augment
        self.views, self.seed = views, seed

    def __len__(self) -> int:
        return len(self.indices)

    def __getitem__(self, item: Tuple[int, Sequence[int]]) -> Batch:
        epoch, positions = item
        pos = np.asarray(positions, dtype=np.int64)
        idx = self.indices[pos]
        x = self.images[torch.from_numpy(pos).to(self.images.device)]
        seed = epoch_view_seed(self.seed, epoch)
        return torch.from_numpy(idx), [self.view(x, idx, seed, k) for k in range(self.views)]

    def view(self, x: torch.Tensor, idx: np.ndarray, seed: int, k: int) -> torch.Tensor:
        """View k of the images x [B, C, H, W] of the dataset indices idx under the epoch's view seed."""
        batched = batch_seeded(self.augment)
        if batched is not None:
            return batched(x, view_rng_seeds(seed, idx.tolist(), [k] * len(idx)))
        calls = [(j, int(i), k) for j, i in enumerate(idx)]
        return torch.stack(seeded_calls(self.augment, list(x), seed, calls))


class EpochBatches(Sampler[Tuple[int, List[int]]]):
    """The batches of this process in one epoch, each as (epoch, positions) (module docstring, "Order").
    `set_epoch(e)` before each epoch; `len()` is the number of steps per epoch (the same in every
    process)."""

    def __init__(self, n: int, batch_size: int, rank: int = 0, world: int = 1, seed: int = 0) -> None:
        if batch_size < 1:
            raise ValueError(f"batch of {batch_size} per process: need at least 1")
        self.batch_size, self.epoch = batch_size, 0
        self.order: DistributedSampler[int] = DistributedSampler(
            cast(Dataset, range(n)), num_replicas=world, rank=rank, shuffle=True, seed=seed, drop_last=False)

    def set_epoch(self, epoch: int) -> None:
        """Makes the next iteration yield epoch `epoch`'s batches."""
        self.epoch = epoch
        self.order.set_epoch(epoch)

    def __len__(self) -> int:
        return max(1, math.ceil(len(self.order) / self.batch_size))

    def __iter__(self) -> Iterator[Tuple[int, List[int]]]:
        positions = list(self.order)
        for s in range(0, len(positions), self.batch_size):
            yield self.epoch, positions[s:s + self.batch_size]


def per_process_batch(batch_size: int, world: int) -> int:
    """The batch of each of `world` processes for a global batch of `batch_size` (which they must split)."""
    if batch_size % world:
        raise ValueError(f"--batch-size {batch_size} does not split evenly over {world} processes "
                         f"(a multiple of {world} keeps the global batch)")
    return batch_size // world


def seed_worker(worker_id: int, seed: int = 0) -> None:
    """Seeds a DataLoader worker's torch, Python and numpy RNGs from (seed, worker_id)."""
    s = view_rng_seed(seed, worker_id, WORKER_STREAM)
    torch.manual_seed(s)
    random.seed(s)
    np.random.seed([s & 0xFFFFFFFF, s >> 32])


class _SeedWorker:
    """A picklable `worker_init_fn` (`seed_worker` with the run's seed)."""

    def __init__(self, seed: int) -> None:
        self.seed = seed

    def __call__(self, worker_id: int) -> None:
        seed_worker(worker_id, self.seed)


def training_loader(data: TrainingViews, batches: EpochBatches, workers: int = 0, seed: int = 0,
                    pin_memory: bool = False) -> DataLoader[Batch]:
    """The DataLoader over `batches` of `data` (module docstring, "Workers"); iterate it once per epoch
    after `batches.set_epoch(epoch)`."""
    if workers < 0:
        raise ValueError(f"--workers {workers}: need 0 or more")
    if workers and data.images.device.type != "cpu":
        raise ValueError("DataLoader workers need the images in CPU memory")
    generator = torch.Generator()
    generator.manual_seed(seed)
    return DataLoader(data, sampler=batches, batch_size=None, num_workers=workers, generator=generator,
                      worker_init_fn=_SeedWorker(seed) if workers else None, pin_memory=pin_memory,
                      persistent_workers=workers > 0)


__all__ = ["Batch", "EpochBatches", "TrainingViews", "epoch_view_seed", "per_process_batch", "seed_worker",
           "training_loader", "TRAINING_STREAM", "WORKER_STREAM", "PROCESS_STREAM"]

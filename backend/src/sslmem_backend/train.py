"""Reference training of f (shared + candidate) or g (shared + independent), for any SSL method
of `methods.METHODS` (the `methods.base.Method` interface: the trainer knows no method).

Training set: the role's subsets of the split; with `exclude` (a LIST, `lists.py`) without the
listed points (removal, paper Fig. 3), with `only` just the listed points of the role's training
set (coreset, Table 17). The list's name, size and SHA-256 go into `log.json`, the encoder's
metadata and, through `dump`, the dump's root attributes (`LIST_ATTRS`).

Optimizer: Adam (lr 1e-3 × batch/128, weight decay 1e-6) over the method's trainable
parameters, with a cosine schedule over all steps; the initial weights from torch's global RNG
seeded by `seed`. Batches and views: `loader.py` — each epoch a permutation of the training points
(DistributedSampler, seeded by `seed` and the epoch), view k of point i in epoch e augmented under
a seed of (seed, e, i, k) alone, made by `workers` DataLoader processes (0: this one).

Several processes (`torchrun`, README "Several GPUs"): when a `torch.distributed` process group
is up (`distributed.init`), each of the N processes trains on its share (batch/N) of every global
batch of `batch_size`, and DistributedDataParallel averages the gradients, so the weights stay the
same in every process; with a loss that is a mean of per-image terms and no batch norm (DINO or
MAE on a ViT) N processes follow one process's loss curve (tested on the CPU with gloo). SimCLR's
negatives and VICReg's batch statistics span the global batch (`distributed.gather_batch`), and
batch norm, on CUDA, is synchronized (`SyncBatchNorm`). Process 0 alone writes files and logs and runs the probe;
an error there stops every process. `amp`: float16 mixed precision on CUDA (`torch.autocast` and
a GradScaler, whose state is resumed).

Writes into `out`:
- `encoder.pt`: final encoder weights and metadata (`load_encoder`);
- `checkpoints/epochNNN.pt` at the requested epochs (at least 3 digits, more when epochs >= 1000),
  each also a full resume state;
- `resume.pt`: the resume state after the latest finished epoch (every `save_every` epochs):
  the method's state_dict (encoder, heads, teacher), the optimizer (and GradScaler), the step and
  epoch, the loss history, and each process's torch CPU (and CUDA when used), numpy and Python RNG
  states. `train(..., resume=True)` (`train --resume DIR`) continues from it and ends with the
  same weights, bit for bit, as a run that was never stopped (same device, thread count and
  number of processes; tested on a CPU — on a GPU it also needs deterministic kernels, e.g.
  `torch.use_deterministic_algorithms(True)`, which the trainer does not force);
- `log.json` = {"log": [{"epoch", "loss", "seconds"}, …], "method", "role", "epochs",
  "linear_probe_accuracy", "downstream", …} — the format `sslmem figures --logs` / `report --logs`
  reads; `linear_probe_accuracy` is the downstream probe's accuracy (`probe.py`). An epoch's loss
  is the mean over its images of the step losses (over all processes).
"""
from __future__ import annotations

import json
import math
import os
import random
import time
from dataclasses import asdict, dataclass, field, fields
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple, cast

import numpy as np
import torch

from . import distributed
from .augment import build_augment
from .blas import set_threads
from .lists import IndexList, read_index_list
from .loader import PROCESS_STREAM, EpochBatches, TrainingViews, per_process_batch, training_loader
from .methods import METHODS
from .models import build_encoder
from .outputs import check_training_run, checkpoint_name, prepare_train_dir
from .probe import downstream_accuracy
from .split import Split
from .views import Normalize, view_rng_seed

#: Encoder metadata that `dump` copies into the dump's root attributes (when present).
LIST_ATTRS = ("exclude_list", "exclude_size", "exclude_sha256", "only_list", "only_size", "only_sha256",
              "training_points", "downstream_accuracy", "downstream_n", "downstream_ci95_low",
              "downstream_ci95_high")
RESUME_FILE = "resume.pt"
#: The order and views of the training batches (`loader.py`); a resume state of another order is refused.
DATA_ORDER = 2


@dataclass
class TrainConfig:
    method: str = "simclr"
    role: str = "f"
    arch: str = "small-cnn"
    width: int = 32
    epochs: int = 100
    batch_size: int = 128
    lr: float = 1e-3
    #: smallest area fraction of SimCLR's random resized crop (0.08 in SimCLR on ImageNet, 0.2 on CIFAR)
    crop_scale: float = 0.2
    #: view augmentations, `augment.AUGMENTS`: simclr (SimCLRAugment) or paper (the authors' PaperAugment)
    augment: str = "simclr"
    #: method options (`METHODS[method](encoder, dim, **method_options)`), e.g. {"mask_ratio": 0.75}
    method_options: Dict[str, object] = field(default_factory=dict)
    seed: int = 0
    device: str = "cpu"
    #: float16 mixed precision (torch.autocast and a GradScaler); CUDA only
    amp: bool = False
    #: DataLoader worker processes making the views (0: this process)
    workers: int = 0
    checkpoint_epochs: Sequence[int] = field(default_factory=tuple)
    threads: Optional[int] = None
    #: train without the points of this LIST (`lists.read_index_list`)
    exclude: Optional[str] = None
    #: train only on the points of this LIST that are in the role's training set
    only: Optional[str] = None
    #: downstream probe: training and test images, seed of their draw (`probe.downstream_sets`); 0 skips it
    probe_train: int = 5000
    probe_test: int = 5000
    probe_seed: int = 0
    #: write the resume state every this many epochs (and at the last)
    save_every: int = 1
    #: where the data came from (recorded so that `train --resume DIR` needs no other argument)
    dataset_spec: Optional[str] = None
    data_root: Optional[str] = None
    split_path: Optional[str] = None


#: Fields that do not change the trained weights (a resumed run may differ in them).
_PROVENANCE = ("threads", "workers", "dataset_spec", "data_root", "split_path", "checkpoint_epochs", "save_every")


def save_encoder(path: str, encoder: torch.nn.Module, meta: Dict[str, Any], resume: Optional[Dict[str, Any]] = None
                 ) -> None:
    """Writes {"state_dict", **meta, "resume"?} to `path` through a temporary name (`encoder.pt`,
    `resume.pt`, checkpoints)."""
    tmp = path + ".tmp"
    blob = {"state_dict": encoder.state_dict(), **meta}
    if resume is not None:
        blob["resume"] = resume
    torch.save(blob, tmp)
    os.replace(tmp, path)


def load_encoder(path: str, device: str = "cpu") -> Tuple[torch.nn.Module, Dict[str, Any]]:
    """(encoder, metadata) from a file written by `train` (encoders.load_encoder reads it)."""
    from .encoders import load_encoder as load
    loaded = load(path, device=device)
    return loaded.module, loaded.meta


def load_resume_config(out: str) -> TrainConfig:
    """The configuration of the run in `out` (from its resume state), for `train --resume DIR`."""
    path = os.path.join(out, RESUME_FILE)
    if not os.path.exists(path):
        raise FileNotFoundError(f"{path}: missing; {out} holds no run to resume (started without checkpoints?)")
    state = torch.load(path, map_location="cpu")["resume"]
    return TrainConfig(**{k: v for k, v in state["config"].items() if k in {f.name for f in fields(TrainConfig)}})


def training_points(split: Split, config: TrainConfig) -> Tuple[np.ndarray, Dict[str, object]]:
    """The dataset indices the run trains on, ascending, and the list metadata (`LIST_ATTRS`)."""
    ids = split.training_indices(config.role)
    meta: Dict[str, object] = {}
    if config.exclude and config.only:
        raise ValueError("--exclude and --only exclude each other")
    spec = config.exclude or config.only
    if spec:
        lst: IndexList = read_index_list(spec)
        kind = "exclude" if config.exclude else "only"
        inside = np.isin(lst.indices, ids)
        if kind == "exclude":
            ids = ids[~np.isin(ids, lst.indices)]
        else:
            if not inside.all():
                bad = int(lst.indices[~inside][0])
                raise ValueError(f"{spec}: index {bad} is not in {config.role}'s training set "
                                 f"(shared + {'candidate' if config.role == 'f' else 'independent'})")
            ids = lst.indices.copy()
        meta.update({f"{kind}_list": lst.name, f"{kind}_size": int(len(lst)), f"{kind}_sha256": lst.sha256,
                     f"{kind}_path": os.path.abspath(lst.source.rpartition(":")[0] if ".h5:" in lst.source
                                                     else lst.source),
                     f"{kind}_in_training_set": int(inside.sum())})
    if len(ids) < 2:
        raise ValueError(f"{spec or 'split'}: {len(ids)} training points left for {config.role} (need at least 2)")
    meta["training_points"] = int(len(ids))
    return np.sort(ids).astype(np.int64), meta


def _rng_state(device: torch.device) -> Dict[str, Any]:
    """This process's global RNG states (torch CPU and CUDA, numpy, Python)."""
    legacy = np.random.get_state(legacy=True)
    if not isinstance(legacy, tuple):  # only MT19937 has the legacy tuple form
        raise ValueError("numpy's global random generator is not MT19937: its state cannot be saved for --resume")
    kind, keys, pos, has_gauss, gauss = legacy
    state: Dict[str, Any] = {"torch": torch.get_rng_state(),
                             "numpy": {"kind": kind, "keys": torch.from_numpy(keys.astype(np.int64)), "pos": int(pos),
                                       "has_gauss": int(has_gauss), "gauss": float(gauss)},
                             "python": random.getstate()}
    if device.type == "cuda":
        state["cuda"] = torch.cuda.get_rng_state_all()
    return state


def _set_rng_state(state: Dict[str, Any], device: torch.device) -> None:
    torch.set_rng_state(state["torch"])
    n = state["numpy"]
    np.random.set_state((n["kind"], n["keys"].numpy().astype(np.uint32), n["pos"], n["has_gauss"], n["gauss"]))
    random.setstate(tuple(state["python"][:1]) + (tuple(state["python"][1]),) + tuple(state["python"][2:]))
    if device.type == "cuda" and "cuda" in state:
        torch.cuda.set_rng_state_all(state["cuda"])


def _training_config(c: TrainConfig) -> dict:
    return {k: v for k, v in asdict(c).items() if k not in _PROVENANCE}


def _device(config: TrainConfig, world: int) -> torch.device:
    """The training device; under several processes on CUDA, this process's GPU (LOCAL_RANK)."""
    dev = torch.device(config.device)
    if dev.type == "cuda" and dev.index is None and world > 1:
        dev = torch.device("cuda", int(os.environ.get("LOCAL_RANK", "0")))
    if config.amp and dev.type != "cuda":
        raise ValueError(f"--amp: mixed precision needs a CUDA device, not {config.device}")
    return dev


def train(dataset: Any, split: Split, config: TrainConfig, out: str, log: Callable[[str], None] = print,
          resume: bool = False, on_epoch: Optional[Callable[[int], None]] = None) -> Dict[str, Any]:
    """Trains (or, with `resume`, continues) one encoder into `out` (module docstring); returns its metadata.
    `on_epoch(epoch)` is called after each epoch's resume state is written. In a process group every
    process calls it with the same arguments (`distributed.init`)."""
    rank, world = distributed.rank_and_world()
    if rank:
        log = _quiet
    if config.threads:
        set_threads(config.threads)
    if config.method not in METHODS:
        raise ValueError(f"method {config.method!r}: expected one of {', '.join(sorted(METHODS))}")
    dev = _device(config, world)
    per_process = per_process_batch(config.batch_size, world)
    resume_path = os.path.join(out, RESUME_FILE)
    state = None
    if resume:
        if not os.path.exists(resume_path):
            raise FileNotFoundError(f"{resume_path}: missing; {out} holds no run to resume")
        state = torch.load(resume_path, map_location="cpu")["resume"]
        if state.get("data_order") != DATA_ORDER:
            raise ValueError(f"{resume_path}: written by an older sslmem-backend (another batch order); "
                             "it cannot be continued bit for bit: train it again")
        if state["config"] and _training_config(TrainConfig(**{k: v for k, v in state["config"].items()
                                                               if k in {f.name for f in fields(TrainConfig)}})) \
                != _training_config(config):
            raise ValueError(f"{resume_path}: the run was started with other training options than these")
        if state["split_sha256"] != split.sha256:
            raise ValueError(f"{resume_path}: the run was trained on another split (split_sha256 differs)")
        if state.get("world", 1) != world:
            raise ValueError(f"{resume_path}: the run was trained by {state.get('world', 1)} process(es), not "
                             f"{world}; continue it with as many (torchrun --nproc_per_node)")
    elif os.path.exists(resume_path) and not os.path.exists(os.path.join(out, "encoder.pt")):
        raise ValueError(f"{out}: holds a started run ({RESUME_FILE}); continue it with --resume {out} "
                         "or choose a new folder")
    if state is not None:  # the points chosen at the start (the list file need not be there any more)
        ids, list_meta = state["ids"].numpy().astype(np.int64), dict(state["list_meta"])
    else:
        ids, list_meta = training_points(split, config)
    check_training_run(config.epochs, config.batch_size, len(ids))
    # a finished earlier run's encoder.pt, log.json, resume state and checkpoints go first (process 0)
    distributed.on_rank0(lambda: prepare_train_dir(out, resume=state is not None))
    torch.manual_seed(config.seed)
    images = dataset.batch(ids)
    encoder = build_encoder(config.arch, images.shape[1], config.width, images.shape[-1]).to(dev)
    dim = cast(int, encoder.dim)  # every built-in encoder sets an int `dim`
    method = METHODS[config.method](encoder, dim, **config.method_options).to(dev)
    if world > 1 and dev.type == "cuda":  # in place: the method's (and encoder's) batch norms become synchronized
        torch.nn.SyncBatchNorm.convert_sync_batchnorm(method)
    if rank:  # other draws from torch's RNG (MAE's masks, DINO's local crops) than process 0's
        torch.manual_seed(view_rng_seed(config.seed, rank, PROCESS_STREAM))
    base_lr = config.lr * config.batch_size / 128
    opt = torch.optim.Adam([p for p in method.parameters() if p.requires_grad], lr=base_lr, weight_decay=1e-6)
    scaler = distributed.grad_scaler(dev, config.amp)
    augment = build_augment(config.augment, dataset.mean, dataset.std, config.crop_scale)
    data = TrainingViews(ids, images if config.workers else images.to(dev), augment, method.views_per_step,
                         config.seed)
    batches = EpochBatches(len(ids), per_process, rank, world, config.seed)
    loader = training_loader(data, batches, config.workers, config.seed,
                             pin_memory=dev.type == "cuda" and config.workers > 0)
    steps = len(batches)
    total_steps = config.epochs * steps
    meta: Dict[str, Any] = dict(
        arch=config.arch, width=config.width, in_channels=int(images.shape[1]), image_size=int(images.shape[-1]),
        method=config.method, role=config.role, seed=config.seed, dataset=getattr(dataset, "name", "dataset"),
        mean=list(dataset.mean), std=list(dataset.std), crop_scale=config.crop_scale, augment=config.augment,
        method_options=dict(config.method_options), split_sha256=split.sha256, **list_meta)
    history: List[dict] = []
    start, seconds_before = 1, 0.0
    if state is not None:
        method.load_state_dict(state["method"])
        opt.load_state_dict(state["optimizer"])
        if scaler is not None and state.get("scaler"):
            scaler.load_state_dict(state["scaler"])
        _set_rng_state(state["rng"][rank], dev)
        history, start, seconds_before = list(state["history"]), state["epoch"] + 1, state["seconds"]
        log(f"[{config.method}/{config.role}] resuming after epoch {state['epoch']}/{config.epochs}")
    model = distributed.wrap(method, dev)
    checkpoint_epochs = set(config.checkpoint_epochs)
    t_start = time.time()

    def resume_state(epoch: int) -> Dict[str, Any]:
        rngs = distributed.gather(_rng_state(dev))
        return {"method": method.state_dict(), "optimizer": opt.state_dict(),
                "scaler": scaler.state_dict() if scaler is not None else None, "epoch": epoch,
                "step": epoch * steps, "rng": rngs, "world": world, "data_order": DATA_ORDER, "history": history,
                "config": asdict(config), "ids": torch.from_numpy(ids), "list_meta": list_meta,
                "split_sha256": split.sha256, "seconds": seconds_before + time.time() - t_start}

    for epoch in range(start, config.epochs + 1):
        model.train()
        t0 = time.time()
        total, count = 0.0, 0
        batches.set_epoch(epoch)
        for s, (_, views) in enumerate(loader):
            step = (epoch - 1) * steps + s
            lr = base_lr * 0.5 * (1 + math.cos(math.pi * step / total_steps))
            for group in opt.param_groups:
                group["lr"] = lr
            if views[0].shape[0] < 2:  # the same in every process (equal shares)
                continue
            views = [v.to(dev, non_blocking=True) for v in views]
            with distributed.autocast(dev, config.amp):
                loss = model(views)
            opt.zero_grad(set_to_none=True)
            if scaler is not None:
                scaler.scale(loss).backward()
                scaler.step(opt)
                scaler.update()
            else:
                loss.backward()
                opt.step()
            method.after_step((step + 1) / total_steps)
            total += float(loss) * views[0].shape[0]
            count += views[0].shape[0]
        total, count_all = distributed.all_reduce_sum([total, count], dev if dev.type == "cuda" else None)
        history.append({"epoch": epoch, "loss": total / max(1.0, count_all), "seconds": time.time() - t0})
        snapshot = epoch in checkpoint_epochs and epoch < config.epochs
        if snapshot or epoch % max(1, config.save_every) == 0 or epoch == config.epochs:
            rs = resume_state(epoch)

            def write(rs: Dict[str, Any] = rs, epoch: int = epoch, snapshot: bool = snapshot) -> None:
                if snapshot:
                    save_encoder(os.path.join(out, "checkpoints", checkpoint_name(epoch, config.epochs)), encoder,
                                 {**meta, "epoch": epoch}, rs)
                save_encoder(resume_path, encoder, {**meta, "epoch": epoch}, rs)
            distributed.on_rank0(write)
        if epoch == 1 or epoch % 10 == 0 or epoch == config.epochs:
            log(f"[{config.method}/{config.role}] epoch {epoch}/{config.epochs} loss {history[-1]['loss']:.4f} "
                f"({history[-1]['seconds']:.2f}s)")
        if on_epoch is not None:
            on_epoch(epoch)
    train_seconds = seconds_before + time.time() - t_start
    meta = distributed.on_rank0(lambda: _finish(encoder, dataset, split, config, out, meta, history, list_meta,
                                                len(ids), train_seconds, log))
    distributed.barrier()
    return meta


def _quiet(message: str) -> None:
    """The log of processes 1 … N−1: process 0 speaks for the group."""


def _finish(encoder: torch.nn.Module, dataset: Any, split: Split, config: TrainConfig, out: str,
            meta: Dict[str, Any], history: List[dict], list_meta: Dict[str, object], n_points: int,
            train_seconds: float, log: Callable[[str], None]) -> Dict[str, Any]:
    """The downstream probe, `encoder.pt` and `log.json` (process 0)."""
    downstream = None
    if config.probe_train > 0 and config.probe_test > 0:
        try:
            downstream = downstream_accuracy(encoder, dataset, split, Normalize(dataset.mean, dataset.std),
                                             str(next(encoder.parameters()).device), config.probe_train,
                                             config.probe_test, config.probe_seed).to_dict()
        except ValueError as e:
            log(f"[{config.method}/{config.role}] no downstream probe: {e}")
    acc = downstream["accuracy"] if downstream else None
    meta = dict(meta)
    meta.update(epoch=config.epochs, linear_probe_accuracy=acc, train_seconds=train_seconds)
    if downstream:
        meta.update(downstream_accuracy=acc, downstream_n=downstream["n_test"],
                    downstream_ci95_low=downstream["ci95_low"], downstream_ci95_high=downstream["ci95_high"])
    save_encoder(os.path.join(out, "encoder.pt"), encoder, meta)
    record = {"log": history, "method": config.method, "role": config.role, "epochs": config.epochs,
              "linear_probe_accuracy": acc, "downstream": downstream, "train_seconds": train_seconds,
              "seed": config.seed, "training_points": n_points,
              **{k: v for k, v in list_meta.items() if k != "training_points"},
              "config": asdict(config)}
    with open(os.path.join(out, "log.json.tmp"), "w") as f:
        json.dump(record, f, indent=1, default=list)
    os.replace(os.path.join(out, "log.json.tmp"), os.path.join(out, "log.json"))
    log(f"[{config.method}/{config.role}] done: {config.epochs} epochs in {train_seconds:.0f}s, "
        f"downstream probe {acc if acc is None else round(acc, 4)}")
    return meta

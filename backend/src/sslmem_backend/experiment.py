"""`make experiment`: the whole loop from images to a report.

1. split (`split.h5`);
2. train f and g (`train_f/`, `train_g/`): on a CPU side by side, one torch thread each (the
   small CNN does not use two threads well); on a GPU one after the other;
3. dump the final encoders (views, original, layers, Déjà Vu: `f.h5`, `g.h5`) and every
   checkpoint (`checkpoints/<method>_<role>_epochNNN.h5`, the first `checkpoint_points` points
   of each subset, the folder `sslmem report --checkpoints` reads), the loss logs
   (`log_<method>_<role>.json`) and the images file;
4. `sslmem score`, `sslmem stats --welch` and `sslmem report` (into `report/`).
Each phase's wall time goes to `timing.json`.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from typing import Any, Callable, Dict, Optional


@dataclass
class ExperimentConfig:
    out: str = "experiment"
    dataset: str = "fashion-mnist"
    data_root: Optional[str] = None
    method: str = "simclr"
    arch: str = "small-cnn"
    width: int = 32
    epochs: int = 150
    crop_scale: float = 0.35
    augment: str = "simclr"
    batch_size: int = 128
    shared: int = 300
    candidate: int = 300
    independent: int = 300
    extra: int = 300
    public: int = 1000
    views: int = 8
    view_seed: int = 0
    split_seed: int = 0
    checkpoint_epochs: str = "15,50,100"
    checkpoint_points: int = 150
    layers: str = ""
    device: str = "cpu"
    parallel: bool = True
    sslmem: str = ".build/release/sslmem"


def add_arguments(p: argparse.ArgumentParser) -> None:
    """The options of `sslmem-backend experiment` (one per ExperimentConfig field)."""
    d = ExperimentConfig()
    for name, value in asdict(d).items():
        flag = "--" + name.replace("_", "-")
        if isinstance(value, bool):
            p.add_argument(flag, type=lambda s: s.lower() in ("1", "true", "yes"), default=value)
        else:
            p.add_argument(flag, type=type(value) if value is not None else str, default=value)


def _dump_args(c: ExperimentConfig) -> dict:
    return dict(views=c.views, view_seed=c.view_seed, device=c.device)


def run_role(c: ExperimentConfig, role: str, threads: int) -> dict:
    """Trains one encoder and dumps it, in this process: the final file with layers and Déjà Vu,
    and every checkpoint's (and the final's) first `checkpoint_points` points per subset."""
    from .augment import build_augment
    from .blas import set_threads
    from .datasets import load_dataset
    from .dump import dump_representations
    from .models import default_layers
    from .outputs import checkpoint_epoch
    from .split import Split
    from .train import LIST_ATTRS, TrainConfig, checkpoint_name, load_encoder, train
    from .views import Normalize
    set_threads(threads)
    out = c.out
    ds = load_dataset(c.dataset, c.data_root)
    split = Split.load(os.path.join(out, "split.h5"))
    tdir = os.path.join(out, f"train_{role}")
    t = time.time()
    cfg = TrainConfig(method=c.method, role=role, arch=c.arch, width=c.width, epochs=c.epochs,
                      batch_size=c.batch_size, seed={"f": 1, "g": 2}[role], device=c.device,
                      checkpoint_epochs=[int(e) for e in c.checkpoint_epochs.split(",") if e], threads=threads,
                      crop_scale=c.crop_scale, augment=c.augment)
    train(ds, split, cfg, tdir, log=lambda m: print(m, flush=True))
    timing = {"train": time.time() - t}
    t = time.time()
    # default: the architecture's layers; "none": no /layers (large runs: a ResNet's layer1 is 64×32×32 per view)
    layers = [] if c.layers == "none" else (c.layers.split(",") if c.layers else list(default_layers(c.arch)))
    ckdir = os.path.join(out, "checkpoints")
    os.makedirs(ckdir, exist_ok=True)
    jobs = [(os.path.join(tdir, "encoder.pt"), os.path.join(out, f"{role}.h5"), True)]
    saved: Dict[str, int] = {}  # checkpoint file name -> its epoch
    for name in os.listdir(os.path.join(tdir, "checkpoints")):
        number = checkpoint_epoch(name)
        if number is not None:
            saved[name] = number
    sources = [(os.path.join(tdir, "checkpoints", name), e) for name, e in sorted(saved.items(), key=lambda kv: kv[1])]
    for src, epoch in sources + [(os.path.join(tdir, "encoder.pt"), c.epochs)]:
        jobs.append((src, os.path.join(ckdir, f"{c.method}_{role}_{checkpoint_name(epoch, c.epochs)[:-3]}.h5"), False))
    for src, dst, full in jobs:
        encoder, meta = load_encoder(src, c.device)
        attrs = {k: meta[k] for k in ("method", "dataset", "seed", "epoch", "linear_probe_accuracy") + LIST_ATTRS
                 if meta.get(k) is not None}
        attrs["architecture"] = meta["arch"] + (f"-w{meta['width']}" if meta["arch"] == "small-cnn" else "")
        augment = build_augment(meta.get("augment", "simclr"), meta["mean"], meta["std"], meta.get("crop_scale", 0.2))
        dump_representations(encoder, ds, split, dst, role=role, transform=augment,
                             original_transform=Normalize(meta["mean"], meta["std"]),
                             layers=layers if full else (), dejavu=True if full else None,
                             points_per_subset=None if full else c.checkpoint_points, attrs=attrs,
                             **_dump_args(c))
        print(f"{dst}: written", flush=True)
    timing["dump"] = time.time() - t
    shutil.copyfile(os.path.join(tdir, "log.json"), os.path.join(out, f"log_{c.method}_{role}.json"))
    with open(os.path.join(out, f"timing_{role}.json"), "w") as fh:
        json.dump(timing, fh)
    return timing


def candidate_vs_independent(sslmem: str, scores: str, out: str) -> str:
    """One-sided Welch test candidate > independent, by `sslmem stats --a candidate --b independent --welch`.
    Writes and returns the line."""
    res = json.loads(subprocess.run([sslmem, "stats", scores, "--a", "candidate", "--b", "independent", "--welch",
                                     "--json"], check=True, capture_output=True, text=True).stdout)
    test = res["tests"][0]
    line = (f"candidate > independent (one-sided Welch, sslmem stats --a candidate --b independent): "
            f"t = {test['statistic']:.3f}, "
            f"df = {test['df']:.1f}, p = {test['pvalue']:.3g}, Cohen's d = {test['cohens_d']:.3f}")
    with open(out, "w") as fh:
        fh.write(line + "\n")
    return line


def run_experiment(c: ExperimentConfig, log: Callable[[str], None] = print) -> Dict[str, Any]:
    """`make experiment` (module docstring) into `c.out`; returns the seconds each stage took."""
    from .datasets import load_dataset
    from .images import write_images
    from .outputs import available_cpus, check_sslmem_binary
    from .split import make_split
    check_sslmem_binary(c.sslmem)  # before hours of training, not after
    out = c.out
    os.makedirs(out, exist_ok=True)
    cores = available_cpus()
    cpu_parallel = c.parallel and c.device == "cpu" and cores >= 2
    threads = max(1, cores // 2) if cpu_parallel else cores
    timing = {}
    t_all = time.time()
    ds = load_dataset(c.dataset, c.data_root)
    split = make_split(ds.n_train, ds.n_test, shared=c.shared, candidate=c.candidate, independent=c.independent,
                       extra=c.extra, public=c.public, seed=c.split_seed)
    split.save(os.path.join(out, "split.h5"))
    write_images(ds, split, os.path.join(out, "images.h5"))
    with open(os.path.join(out, "config.json"), "w") as fh:
        json.dump(asdict(c), fh, indent=1)
    mode = f"side by side, {threads} thread(s) each" if cpu_parallel else "one after the other"
    log(f"training and dumping f and g ({mode})")
    cmds = [[sys.executable, "-m", "sslmem_backend.experiment", os.path.join(out, "config.json"), role, str(threads)]
            for role in ("f", "g")]
    if cpu_parallel:
        procs = [subprocess.Popen(cmd) for cmd in cmds]
        codes = [p.wait() for p in procs]
    else:
        codes = [subprocess.call(cmd) for cmd in cmds]
    if any(codes):
        raise RuntimeError(f"training or dumping failed (exit codes f {codes[0]}, g {codes[1]})")
    roles = {r: json.load(open(os.path.join(out, f"timing_{r}.json"))) for r in ("f", "g")}
    timing["train"] = max(roles[r]["train"] for r in roles)
    timing["dump"] = max(roles[r]["dump"] for r in roles)
    timing["train_and_dump"] = time.time() - t_all

    t = time.time()
    f, g = os.path.join(out, "f.h5"), os.path.join(out, "g.h5")
    scores = os.path.join(out, "scores.csv")
    subprocess.run([c.sslmem, "score", "--f", f, "--g", g, "--out", scores], check=True)
    stats = subprocess.run([c.sslmem, "stats", scores, "--welch"], check=True, capture_output=True, text=True).stdout
    with open(os.path.join(out, "stats_welch.txt"), "w") as fh:
        fh.write(stats)
    log(stats)
    log(candidate_vs_independent(c.sslmem, scores, os.path.join(out, "stats_candidate_vs_independent.txt")))
    subprocess.run([c.sslmem, "report", "--f", f, "--g", g, "--images", os.path.join(out, "images.h5"),
                    "--checkpoints", os.path.join(out, "checkpoints"), "--logs",
                    ",".join(os.path.join(out, f"log_{c.method}_{r}.json") for r in ("f", "g")),
                    "--title", f"{c.method} {c.arch} on {c.dataset} (sslmem-backend experiment)",
                    "--out", os.path.join(out, "report")], check=True)
    timing["score_and_report"] = time.time() - t
    timing["total"] = time.time() - t_all
    with open(os.path.join(out, "timing.json"), "w") as fh:
        json.dump({"config": asdict(c), "seconds": timing, "cores": cores,
                   "mode": "side by side" if cpu_parallel else "sequential", "threads_per_encoder": threads}, fh,
                  indent=1)
    log(f"experiment done in {timing['total']:.0f}s: " + ", ".join(f"{k} {v:.0f}s" for k, v in timing.items()))
    return timing


if __name__ == "__main__":
    _config = ExperimentConfig(**json.load(open(sys.argv[1])))
    run_role(_config, sys.argv[2], int(sys.argv[3]))

"""`sslmem-backend`: split, train, dump, images, convert, experiment, study. The commands only parse
arguments and print; the work is in the modules. Errors: one line on stderr, exit status 1
(Ctrl-C 130, SIGTERM 143); outputs follow `outputs.py` (never an input, `--force` to replace a
file the backend did not write)."""
from __future__ import annotations

import argparse
import os
import pickle
import sys
import time
from typing import Callable, List, Optional


def _threads(n: Optional[int]) -> None:
    from .blas import set_threads
    from .outputs import available_cpus
    set_threads(n or available_cpus())


def progress_printer(mode: Optional[str], what: str) -> Optional[Callable[[int, int], None]]:
    """Progress of a long step on stderr, as `sslmem --progress`: `tty` rewrites one status line,
    `plain` writes a line per 10% (and at most one per 5 s), `none` nothing. Default: tty on a
    terminal, plain in a Slurm/PBS/LSF job, else none."""
    if mode is None:
        if sys.stderr.isatty():
            mode = "tty"
        elif any(k in os.environ for k in ("SLURM_JOB_ID", "PBS_JOBID", "LSB_JOBID")):
            mode = "plain"
        else:
            mode = "none"
    if mode == "none":
        return None
    state = {"tenth": -1, "time": 0.0}

    def show(done: int, total: int) -> None:
        if mode == "tty":
            end = "\n" if done >= total else ""
            sys.stderr.write(f"\r\x1b[2Ksslmem-backend: {what}: {done}/{total} points{end}")
            sys.stderr.flush()
            return
        tenth = 10 * done // max(1, total)
        now = time.monotonic()
        if done >= total or (tenth > state["tenth"] and now - state["time"] >= 5):
            state["tenth"], state["time"] = tenth, now
            print(f"sslmem-backend: {what}: {done}/{total} points", file=sys.stderr, flush=True)
    return show


def _ints(text: str) -> List[int]:
    return [int(t) for t in text.split(",") if t.strip()] if text else []


def _names(text: str) -> List[str]:
    return [t.strip() for t in text.split(",") if t.strip()] if text else []


def cmd_split(a: argparse.Namespace) -> None:
    """`sslmem-backend split`: draw a split and write it (and, with --export-indices, f's and g's training indices)."""
    from .split import make_split
    n_train, n_test = a.n_train, a.n_test
    if a.dataset:
        from .datasets import load_dataset
        ds = load_dataset(a.dataset, a.data_root)
        n_train, n_test = ds.n_train, ds.n_test
    if n_train is None:
        raise ValueError("give --dataset or --n-train")
    from .outputs import check_output
    s = make_split(n_train, n_test or 0, shared=a.shared, candidate=a.candidate, independent=a.independent,
                   extra=a.extra, public=a.public, seed=a.seed)
    check_output(a.out, "split", overwrite=a.force)
    digest = s.save(a.out)
    print(f"{a.out}: shared {len(s.shared)}, candidate {len(s.candidate)}, independent {len(s.independent)}, "
          f"extra {len(s.extra)}, public {len(s.public)}; sha256 {digest}")
    if a.export_indices:  # for a trainer of one's own: f and g's training indices, one per line
        from .split import export_training_indices
        written = export_training_indices(s, a.export_indices)
        print("\n".join(f"{p}: {r}'s training indices" for r, p in written.items()))


def cmd_train(a: argparse.Namespace) -> None:
    """`sslmem-backend train`: train f or g (or continue a stopped run); under torchrun, in every process."""
    from . import distributed
    from .datasets import load_dataset
    from .split import Split
    from .train import TrainConfig, load_resume_config, train
    _threads(a.threads)
    device = a.device
    if a.resume:
        cfg = load_resume_config(a.resume)
        cfg.threads = a.threads or cfg.threads
        cfg.workers = a.workers if a.workers is not None else cfg.workers
        device = cfg.device
    # under torchrun: join its process group (NCCL for CUDA, gloo for the CPU); alone: nothing
    distributed.init("nccl" if device.startswith("cuda") else "gloo")
    if a.resume:
        split_path, spec, root = a.split or cfg.split_path, a.dataset or cfg.dataset_spec, a.data_root or cfg.data_root
        if not split_path or not spec:
            raise ValueError(f"{a.resume}: the run does not record its split and dataset; give --split and --dataset")
        train(load_dataset(spec, root), Split.load(split_path), cfg, a.resume, log=lambda m: print(m, flush=True),
              resume=True)
        return
    missing = [n for n in ("role", "split", "out") if getattr(a, n) is None]
    if missing:
        raise ValueError("train needs " + ", ".join("--" + n for n in missing) + " (or --resume DIR)")
    spec = a.dataset or "fashion-mnist"
    cfg = TrainConfig(method=a.method, role=a.role, arch=a.arch, width=a.width, epochs=a.epochs,
                      batch_size=a.batch_size, lr=a.lr, seed=a.seed, device=a.device, amp=a.amp,
                      workers=a.workers or 0, augment=a.augment,
                      crop_scale=a.crop_scale if a.crop_scale is not None else (0.08 if a.augment == "paper" else 0.2),
                      method_options={k: v for k, v in (("mask_ratio", a.mask_ratio), ("local_crops", a.local_crops))
                                      if v is not None},
                      checkpoint_epochs=_ints(a.checkpoint_epochs), threads=a.threads, exclude=a.exclude,
                      only=a.only, probe_train=a.probe_train, probe_test=a.probe_test, probe_seed=a.probe_seed,
                      save_every=a.save_every, dataset_spec=spec, data_root=a.data_root,
                      split_path=os.path.abspath(a.split))
    train(load_dataset(spec, a.data_root), Split.load(a.split), cfg, a.out, log=lambda m: print(m, flush=True))


def cmd_dump(a: argparse.Namespace) -> None:
    """`sslmem-backend dump`: the representations file of a trained encoder."""
    from .augment import build_augment
    from .datasets import load_dataset
    from .dump import DumpError, dump_representations
    from .encoders import load_encoder
    from .shard import parse_shard
    from .split import Split
    from .train import LIST_ATTRS
    from .views import Normalize
    _threads(a.threads)
    split = Split.load(a.split)
    loaded = load_encoder(a.encoder, a.arch, trust=a.trust_checkpoint, device=a.device, prefix=a.prefix)
    if loaded.format != "sslmem":  # what was loaded from elsewhere, and which keys were dropped
        print("\n".join(loaded.summary()), flush=True)
    encoder, meta = loaded.module, loaded.meta
    if meta.get("role") and meta["role"] != a.role:
        raise DumpError(f"{a.encoder}: this encoder was trained as {meta['role']}, not {a.role} (--role)")
    if meta.get("split_sha256") and split.sha256 and meta["split_sha256"] != split.sha256:
        raise DumpError(f"{a.encoder}: trained on a different split than {a.split} (split_sha256 differs)")
    ds = load_dataset(a.dataset, a.data_root)
    meta = {"mean": list(ds.mean), "std": list(ds.std), **meta}  # from elsewhere: the dataset's mean/std
    attrs = {k: meta[k] for k in ("method", "dataset", "seed", "epoch", "linear_probe_accuracy") + LIST_ATTRS
             if meta.get(k) is not None}
    attrs["architecture"] = loaded.architecture
    dump_representations(encoder, ds, split, a.out, role=a.role, views=a.views,
                         transform=build_augment(meta.get("augment", "simclr"), meta["mean"], meta["std"],
                                                 meta.get("crop_scale", 0.2)),
                         original_transform=Normalize(meta["mean"], meta["std"]), layers=_names(a.layers),
                         dtype=a.dtype, batch_size=a.batch_size, device=a.device, view_seed=a.view_seed,
                         points_per_subset=a.points_per_subset, attrs=attrs, dejavu=True if a.dejavu else None,
                         shard=parse_shard(a.shard) if a.shard else None, workers=a.workers,
                         overwrite=a.force, inputs=[a.split, a.encoder],
                         progress=progress_printer(a.progress, f"dump {a.out}"))
    print(f"{a.out}: written")


def cmd_images(a: argparse.Namespace) -> None:
    """`sslmem-backend images`: the images file the reports show."""
    from .datasets import load_dataset
    from .images import write_images
    from .split import Split
    write_images(load_dataset(a.dataset, a.data_root), Split.load(a.split), a.out, a.points_per_subset,
                 overwrite=a.force, inputs=[a.split])
    print(f"{a.out}: written")


def cmd_convert(a: argparse.Namespace) -> None:
    """`sslmem-backend convert`: a layout-v1 file from arrays or a VISSL dump."""
    from .convert import from_arrays, from_vissl
    from .outputs import check_output
    from .split import Split
    split = Split.load(a.split) if a.split else None
    inputs = list(a.view_files) + [a.index, a.subset, a.label, a.original, a.split]
    check_output(a.out, "representations", [i for i in inputs if i], a.force)
    if a.kind == "npy":
        from_arrays(a.view_files, a.index, a.out, role=a.role, split=split, subset=a.subset, label=a.label,
                    original=a.original, dtype=a.dtype)
    else:
        from_vissl(a.view_files, a.out, role=a.role, split=split, dtype=a.dtype)
    print(f"{a.out}: written")


def cmd_experiment(a: argparse.Namespace) -> None:
    """`sslmem-backend experiment`: `make experiment`."""
    from .experiment import ExperimentConfig, run_experiment
    cfg = ExperimentConfig(**{k: getattr(a, k) for k in ExperimentConfig.__dataclass_fields__ if hasattr(a, k)})
    run_experiment(cfg, log=lambda m: print(m, flush=True))


def cmd_study(a: argparse.Namespace) -> None:
    """`sslmem-backend study`: `make study`."""
    from .study import StudyConfig, run_study
    cfg = StudyConfig(**{k: getattr(a, k) for k in StudyConfig.__dataclass_fields__ if hasattr(a, k)})
    run_study(cfg, log=lambda m: print(m, flush=True))


def parser() -> argparse.ArgumentParser:
    """The command line of `sslmem-backend` (one subparser per command)."""
    p = argparse.ArgumentParser(prog="sslmem-backend", description=__doc__.split("\n")[0])
    sub = p.add_subparsers(dest="command", required=True)

    def data(q: argparse.ArgumentParser) -> None:
        q.add_argument("--dataset", default="fashion-mnist", help="fashion-mnist | cifar10:PATH | folder:PATH")
        q.add_argument("--data-root", help="folder of the dataset's files (fashion-mnist: Debian's by default)")

    s = sub.add_parser("split", help="draw the shared/candidate/independent/extra/public split")
    s.add_argument("--dataset", help="take n_train/n_test from this dataset")
    s.add_argument("--data-root")
    s.add_argument("--n-train", type=int)
    s.add_argument("--n-test", type=int, default=0)
    for name, default in _split_defaults().items():
        s.add_argument(f"--{name}", type=int, default=default, help=f"default {default} (as make_split)")
    s.add_argument("--seed", type=int, default=0)
    s.add_argument("--force", action="store_true", help="replace an existing file that is not a split")
    s.add_argument("--out", required=True)
    s.add_argument("--export-indices", metavar="DIR",
                   help="also write DIR/f_train.txt and DIR/g_train.txt (one dataset index per line)")
    s.set_defaults(run=cmd_split)

    from .augment import AUGMENTS
    from .methods import METHODS
    from .models import ARCHS
    t = sub.add_parser("train", help="train f or g (reference SSL training); --resume DIR continues a stopped run")
    t.add_argument("--method", choices=sorted(METHODS), default="simclr")
    t.add_argument("--role", choices=("f", "g"))
    t.add_argument("--split")
    t.add_argument("--dataset", help="fashion-mnist (default) | cifar10:PATH | folder:PATH")
    t.add_argument("--data-root", help="folder of the dataset's files (fashion-mnist: Debian's by default)")
    t.add_argument("--arch", default="small-cnn",
                   help=f"{' | '.join(ARCHS)} (ViTs: -pN sets the patch, e.g. vit-tiny-p2)")
    t.add_argument("--augment", choices=AUGMENTS, default="simclr",
                   help="views: simclr, or paper (the SSLMem authors': crops 0.08-1, ColorJitter 0.8, grayscale)")
    t.add_argument("--mask-ratio", type=float, help="mae: fraction of patches hidden (default 0.75)")
    t.add_argument("--local-crops", type=int, help="dino: number of local crops (multi-crop; default 0)")
    t.add_argument("--width", type=int, default=32)
    t.add_argument("--epochs", type=int, default=100)
    t.add_argument("--batch-size", type=int, default=128)
    t.add_argument("--lr", type=float, default=1e-3)
    t.add_argument("--crop-scale", type=float, help="smallest area fraction of the random crop (default 0.2; "
                   "0.08 with --augment paper)")
    t.add_argument("--seed", type=int, default=0)
    t.add_argument("--exclude", metavar="LIST",
                   help="train without these points: a list from `sslmem select` (top-500.txt or selection.h5:top/500)")
    t.add_argument("--only", metavar="LIST", help="train only on these points of the role's training set (coreset)")
    t.add_argument("--probe-train", type=int, default=5000,
                   help="downstream probe: training images outside the split's training subsets (0: no probe)")
    t.add_argument("--probe-test", type=int, default=5000, help="downstream probe: test images outside extra/public")
    t.add_argument("--probe-seed", type=int, default=0, help="seed of the downstream sets' draw")
    t.add_argument("--checkpoint-epochs", default="", help="e.g. 10,50")
    t.add_argument("--save-every", type=int, default=1, help="write the resume state every N epochs")
    t.add_argument("--resume", metavar="DIR", help="continue the stopped run in DIR (its options are recorded there)")
    t.add_argument("--device", default="cpu", help="cpu | cuda (under torchrun: each process its LOCAL_RANK GPU)")
    t.add_argument("--amp", action="store_true", help="float16 mixed precision (autocast + GradScaler; CUDA only)")
    t.add_argument("--workers", type=int, help="DataLoader processes making the training views (default 0: this "
                   "process; on the CPU the views are the same with any number)")
    t.add_argument("--threads", type=int, help="torch threads (default: the cores given to this process)")
    t.add_argument("--out")
    t.set_defaults(run=cmd_train)

    d = sub.add_parser("dump", help="write a layout-v1 representations file from a trained encoder")
    d.add_argument("--encoder", required=True, help="encoder.pt or checkpoints/epochNNN.pt from train; or a state "
                   "dict, solo-learn/lightly checkpoint or safetensors file (with --arch), or a TorchScript file")
    d.add_argument("--arch", help="architecture of bare weights: torchvision:NAME, torchvision:NAME-cifar (3x3 "
                   "stride-1 stem, no max-pool), torchvision:NAME-cifar-pad2 (solo-learn's CIFAR stem), timm:NAME")
    d.add_argument("--trust-checkpoint", action="store_true",
                   help="allow full unpickling of --encoder, which runs code from the file")
    d.add_argument("--prefix", help="take the backbone from the keys that start with this (e.g. teacher_backbone.); "
                   "default: whichever of none, backbone., encoder., encoder_q., base_encoder. fits --arch best")
    d.add_argument("--role", choices=("f", "g"), required=True)
    d.add_argument("--split", required=True)
    data(d)
    d.add_argument("--views", type=int, default=5)
    d.add_argument("--view-seed", type=int, default=0)
    d.add_argument("--layers", default="", help="module names, e.g. conv1,conv2,conv3")
    d.add_argument("--dejavu", action="store_true", help="write /dejavu (corner crops and the public set)")
    d.add_argument("--points-per-subset", type=int)
    d.add_argument("--shard", help="i/N: only the points of `sslmem score --shard i/N`")
    d.add_argument("--dtype", default="float16", choices=("float16", "float32"))
    d.add_argument("--batch-size", type=int, default=256)
    d.add_argument("--device", default="cpu")
    d.add_argument("--threads", type=int)
    d.add_argument("--workers", type=int, help="DataLoader processes making the views (default: up to 4; "
                   "0: in this process); the views do not depend on it")
    d.add_argument("--progress", choices=("plain", "tty", "none"),
                   help="progress on stderr (default: tty on a terminal, plain in a Slurm/PBS/LSF job, else none)")
    d.add_argument("--force", action="store_true",
                   help="replace an existing file that is not an earlier dump (never an input)")
    d.add_argument("--out", required=True)
    d.set_defaults(run=cmd_dump)

    i = sub.add_parser("images", help="write the images file (pixels, labels, class names) of the split's points")
    i.add_argument("--split", required=True)
    data(i)
    i.add_argument("--points-per-subset", type=int)
    i.add_argument("--force", action="store_true", help="replace an existing file that is not an images file")
    i.add_argument("--out", required=True)
    i.set_defaults(run=cmd_images)

    c = sub.add_parser("convert", help="per-view .npy/.npz arrays or VISSL feature shards to layout v1")
    c.add_argument("kind", choices=("npy", "vissl"))
    c.add_argument("--view-files", nargs="+", required=True,
                   help="npy: one [N,D…] .npy per view (or one .npz with view0, view1, …); vissl: one folder per view "
                        "(--views is a count in dump and experiment)")
    c.add_argument("--index", help="npy: [N] dataset indices (.npy)")
    c.add_argument("--subset", help="npy: [N] subset codes (.npy), instead of --split")
    c.add_argument("--label", help="npy: [N] labels (.npy)")
    c.add_argument("--original", help="npy: [N,D…] un-augmented representations (.npy)")
    c.add_argument("--split", help="split file: subsets of the indices")
    c.add_argument("--role", choices=("f", "g"), required=True)
    c.add_argument("--dtype", default="float16", choices=("float16", "float32"))
    c.add_argument("--force", action="store_true",
                   help="replace an existing file that is not an earlier backend dump (never an input)")
    c.add_argument("--out", required=True)
    c.set_defaults(run=cmd_convert)

    e = sub.add_parser("experiment", help="split, train f and g, dump everything, sslmem report")
    from .experiment import add_arguments
    add_arguments(e)
    e.set_defaults(run=cmd_experiment)

    st = sub.add_parser("study", help="methods × seeds, and removal of the most memorized vs random points "
                                      "(train, dump, score, select, retrain, probe; resumable)")
    from .study import add_arguments as study_arguments
    study_arguments(st)
    st.set_defaults(run=cmd_study)
    return p


def _split_defaults() -> dict:
    """`split`'s defaults are make_split's (one place: its signature)."""
    import inspect

    from .split import make_split
    sig = inspect.signature(make_split).parameters
    return {n: sig[n].default for n in ("shared", "candidate", "independent", "extra", "public")}


def main(argv: Optional[List[str]] = None) -> int:
    """Runs one subcommand; a user's error is one line on stderr and exit status 1 (130 on Ctrl-C,
    143 on SIGTERM, after removing the temporary output)."""
    from .outputs import Terminated
    a = parser().parse_args(argv)
    try:
        a.run(a)
    except Terminated:
        print("sslmem-backend: terminated (SIGTERM); no output written", file=sys.stderr)
        return 143
    except KeyboardInterrupt:
        print("sslmem-backend: interrupted; no output written", file=sys.stderr)
        return 130
    except (ValueError, OSError, RuntimeError, pickle.UnpicklingError, EOFError, KeyError) as e:
        msg = str(e).splitlines()[0] if str(e) else type(e).__name__
        print(f"sslmem-backend: error: {msg}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

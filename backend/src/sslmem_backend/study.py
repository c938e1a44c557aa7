"""`sslmem-backend study` (`make study OUT=DIR`): replicated runs and the paper's central
experiment — does removing the most memorized points lower downstream accuracy more than removing
as many random points (Wang et al., ICLR 2024, Fig. 3, Table 14; coreset: Table 17)?

For every method × seed (`methods`: `METHOD` or `METHOD:ARCH`, e.g. `simclr,mae:vit-tiny`; one
split, `split_seed`, shared by all runs):
1. train f (shared + candidate) and g (shared + independent) with that training seed;
2. dump both (`views` augmented views per point), `sslmem score`;
3. `sslmem select` the top-N and random-N candidates (random lists seeded by the seed) for each
   removal size N;
4. retrain f without each list (`train --exclude`; kinds `top`, `random`) and, with `coreset`,
   only on it (`train --only`; kinds `coreset-top`, `coreset-random`), with the same seed;
5. every encoder's downstream probe (`probe.py`: the same probe sets for all of them).

Outputs in DIR (paths in study.json are relative to DIR):
- `removal.csv`: `removed,kind,dataset,seed,accuracy`, one row per trained f and seed (kind `none`:
  the full f, removed 0; for the coreset kinds `removed` is the list size N, the coreset's size),
  plus a trailing `method` column when several methods run the removal experiment;
- `study.json`: the manifest `sslmem report --study DIR` reads (`sslmem_format = "study"`);
- `runs/<method>-<architecture>-seed<s>/`: `f/`, `g/`, `top-N/`, … (encoder.pt, log.json),
  `f.h5`, `g.h5`, `scores.csv`, `selection/`; `logs/<task>.log` (each step's output), `split.h5`,
  `config.json`, `timing.json`; `report/` when the given sslmem has `report --study`.

Runs in parallel: `jobs` steps at once (default: the cores given to this process on a CPU, one
torch thread each; 1 on a GPU). Resumable: each finished step leaves `done/<step>`; a study started
again with the same options skips finished steps and continues a killed training from its
`resume.pt` (`train --resume`). The outputs of an unfinished step are its own and are replaced.
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from typing import Callable, Dict, List, Optional, Tuple

#: Test hook: SIGKILL the study itself after this many finished steps (a real kill mid-way).
STOP_AFTER_ENV = "SSLMEM_STUDY_STOP_AFTER"


@dataclass
class StudyConfig:
    out: str = "study"
    dataset: str = "fashion-mnist"
    data_root: Optional[str] = None
    #: methods (comma-separated); each gets f, g, scores and a probe per seed
    methods: str = "simclr"
    #: methods that also run the removal experiment (default: the first of `methods`)
    removal_methods: str = ""
    seeds: str = "1,2,3"
    #: removal sizes N (comma-separated)
    sizes: str = "100,200"
    coreset: bool = False
    arch: str = "small-cnn"
    width: int = 32
    epochs: int = 150
    batch_size: int = 128
    crop_scale: float = 0.35
    augment: str = "simclr"
    shared: int = 200
    candidate: int = 400
    independent: int = 400
    extra: int = 200
    public: int = 0
    split_seed: int = 0
    views: int = 8
    view_seed: int = 0
    probe_train: int = 5000
    probe_test: int = 5000
    probe_seed: int = 0
    #: also dump every retrained encoder (f and g are always dumped)
    dump_all: bool = False
    #: steps at once (0: the cores given to this process on a CPU, 1 on a GPU)
    jobs: int = 0
    device: str = "cpu"
    sslmem: str = ".build/release/sslmem"


def add_arguments(p: argparse.ArgumentParser) -> None:
    """The options of `sslmem-backend study` (one per StudyConfig field)."""
    d = StudyConfig()
    helps = {"methods": "comma-separated METHOD or METHOD:ARCH, e.g. simclr,vicreg,mae:vit-tiny",
             "seeds": "training seeds, e.g. 1,2,3",
             "sizes": "removal sizes N, e.g. 100,200", "coreset": "also train only on each list (true/false)",
             "jobs": "steps at once (0: all cores on a CPU, 1 on a GPU)", "sslmem": "the sslmem binary"}
    for name, value in asdict(d).items():
        flag = "--" + name.replace("_", "-")
        if isinstance(value, bool):
            p.add_argument(flag, type=lambda s: s.lower() in ("1", "true", "yes"), default=value,
                           help=helps.get(name))
        else:
            p.add_argument(flag, type=type(value) if value is not None else str, default=value, help=helps.get(name))


def _ints(text: str) -> List[int]:
    return [int(t) for t in text.split(",") if t.strip()]


def _names(text: str) -> List[str]:
    return [t.strip() for t in text.split(",") if t.strip()]


def architecture(c: StudyConfig, arch: Optional[str] = None) -> str:
    """The architecture name dumps carry (`small-cnn-w32`, `resnet18`) for `arch` (default `c.arch`)."""
    arch = arch or c.arch
    return arch + (f"-w{c.width}" if arch == "small-cnn" else "")


def parse_method(spec: str, default_arch: str) -> Tuple[str, str]:
    """`METHOD` or `METHOD:ARCH` (an entry of `--methods`, e.g. `mae:vit-tiny`) → (method, arch).

    Table 1 of the paper compares setups (method × architecture); one study can hold several, e.g.
    `--methods simclr,vicreg,mae:vit-tiny` trains MAE on a ViT and the others on `--arch`.
    """
    method, _, arch = spec.partition(":")
    return method.strip(), (arch.strip() or default_arch)


@dataclass
class Step:
    name: str
    argv: List[str]
    deps: List[str] = field(default_factory=list)
    #: outputs (relative to DIR) removed before an unfinished step runs again
    outputs: List[str] = field(default_factory=list)
    #: a training folder: continue it with --resume when it holds a resume state
    train_dir: Optional[str] = None


@dataclass
class Encoder:
    setup: str
    #: the `--methods` entry it was trained for: `METHOD` or `METHOD:ARCH` (`Study.method_of` gives the method)
    spec: str
    seed: int
    kind: str
    removed: int
    folder: str


class Study:
    def __init__(self, c: StudyConfig, log: Callable[[str], None] = print) -> None:
        self.c, self.log = c, log
        self.dir = c.out
        self.methods = _names(c.methods)
        self.removal = _names(c.removal_methods) or self.methods[:1]
        self.seeds, self.sizes = _ints(c.seeds), _ints(c.sizes)
        if not self.methods or not self.seeds:
            raise ValueError("study: give at least one method and one seed")
        if not set(self.removal) <= set(self.methods):
            raise ValueError(f"study: removal methods {self.removal} are not all in --methods {self.methods}")
        from .methods import METHODS
        unknown = [m for m in (self.method_of(s) for s in self.methods) if m not in METHODS]
        if unknown:
            raise ValueError(f"study: method {unknown[0]!r}: expected one of {', '.join(sorted(METHODS))}")
        bad = [n for n in self.sizes if not 1 <= n <= c.candidate]
        if bad:
            raise ValueError(f"study: removal size {bad[0]} is not within 1..{c.candidate} (the candidate pool)")
        self.steps: List[Step] = []
        self.encoders: List[Encoder] = []

    def path(self, *parts: str) -> str:
        """A path inside the study folder."""
        return os.path.join(self.dir, *parts)

    def method_of(self, spec: str) -> str:
        """The method of a `METHOD` or `METHOD:ARCH` spec."""
        return parse_method(spec, self.c.arch)[0]

    def arch_of(self, spec: str) -> str:
        """The architecture of a spec (`--arch` unless the spec names one)."""
        return parse_method(spec, self.c.arch)[1]

    def setup_name(self, spec: str, seed: int) -> str:
        """The folder name of one method spec and seed: method-arch-seedN."""
        return f"{self.method_of(spec)}-{architecture(self.c, self.arch_of(spec))}-seed{seed}"

    def backend(self, *args: str) -> List[str]:
        """The command line of an `sslmem-backend` subcommand in this Python."""
        return [sys.executable, "-m", "sslmem_backend.cli", *args]

    def train_argv(self, spec: str, role: str, seed: int, out: str, extra: List[str]) -> List[str]:
        """The `sslmem-backend train` command of one encoder."""
        c = self.c
        args = ["train", "--method", self.method_of(spec), "--role", role, "--split", self.path("split.h5"),
                "--dataset", c.dataset, "--arch", self.arch_of(spec), "--width", str(c.width), "--epochs",
                str(c.epochs), "--batch-size", str(c.batch_size), "--crop-scale", str(c.crop_scale), "--augment",
                c.augment, "--seed", str(seed),
                "--probe-train", str(c.probe_train), "--probe-test", str(c.probe_test),
                "--probe-seed", str(c.probe_seed),
                "--save-every", "5", "--device", c.device, "--out", self.path(out), *extra]
        if c.data_root:
            args += ["--data-root", c.data_root]
        if c.device == "cpu":
            args += ["--threads", "1"]
        return self.backend(*args)

    def dump_argv(self, role: str, encoder: str, out: str) -> List[str]:
        """The `sslmem-backend dump` command of one encoder."""
        c = self.c
        args = ["dump", "--encoder", self.path(encoder, "encoder.pt"), "--role", role, "--split",
                self.path("split.h5"), "--dataset", c.dataset, "--views", str(c.views), "--view-seed",
                str(c.view_seed), "--device", c.device, "--out", self.path(out)]
        if c.data_root:
            args += ["--data-root", c.data_root]
        if c.device == "cpu":
            args += ["--threads", "1"]
        return self.backend(*args)

    def plan(self) -> None:
        """The steps, in the order they start when ready (one seed's chain before the next)."""
        c = self.c
        for seed in self.seeds:
            for method in self.methods:
                setup = self.setup_name(method, seed)
                r = f"runs/{setup}"
                for role in ("f", "g"):
                    folder = f"{r}/{role}"
                    self.steps.append(Step(f"{setup}.train-{role}", self.train_argv(method, role, seed, folder, []),
                                           outputs=[folder], train_dir=folder))
                    self.steps.append(Step(f"{setup}.dump-{role}", self.dump_argv(role, folder, f"{folder}.h5"),
                                           [f"{setup}.train-{role}"], [f"{folder}.h5"]))
                self.encoders.append(Encoder(setup, method, seed, "none", 0, f"{r}/f"))
                self.steps.append(Step(f"{setup}.score", [c.sslmem, "score", "--f", self.path(r, "f.h5"), "--g",
                                                          self.path(r, "g.h5"), "--out", self.path(r, "scores.csv")],
                                       [f"{setup}.dump-f", f"{setup}.dump-g"], [f"{r}/scores.csv"]))
                if method not in self.removal or not self.sizes:
                    continue
                self.steps.append(Step(f"{setup}.select",
                                       [c.sslmem, "select", self.path(r, "scores.csv"), "--top",
                                        ",".join(map(str, self.sizes)), "--random", "--seed", str(seed), "--out",
                                        self.path(r, "selection")], [f"{setup}.score"], [f"{r}/selection"]))
                variants = [(k, "--exclude", k) for k in ("top", "random")]
                if c.coreset:
                    variants += [(f"coreset-{k}", "--only", k) for k in ("top", "random")]
                for n in self.sizes:
                    for kind, flag, lst in variants:
                        folder = f"{r}/{kind}-{n}"
                        self.encoders.append(Encoder(setup, method, seed, kind, n, folder))
                        listed = [flag, self.path(r, "selection", f"{lst}-{n}.txt")]
                        self.steps.append(Step(f"{setup}.train-{kind}-{n}",
                                               self.train_argv(method, "f", seed, folder, listed),
                                               [f"{setup}.select"], [folder], folder))
                        if c.dump_all:
                            self.steps.append(Step(f"{setup}.dump-{kind}-{n}",
                                                   self.dump_argv("f", folder, f"{folder}.h5"),
                                                   [f"{setup}.train-{kind}-{n}"], [f"{folder}.h5"]))

    # -- running -----------------------------------------------------------------------------------

    def done(self, step: str) -> bool:
        """Whether the step finished (its marker under done/)."""
        return os.path.exists(self.path("done", step))

    def _start(self, step: Step, env: Dict[str, str]) -> subprocess.Popen:
        argv = list(step.argv)
        resume_dir = step.train_dir if step.train_dir and os.path.exists(self.path(step.train_dir, "resume.pt")) \
            else None
        resuming = resume_dir is not None
        if resume_dir is not None:
            argv = self.backend("train", "--resume", self.path(resume_dir))
            if self.c.device == "cpu":
                argv += ["--threads", "1"]
        else:
            for out in step.outputs:  # an unfinished step's own outputs (this study wrote them)
                p = self.path(out)
                if os.path.isdir(p):
                    shutil.rmtree(p)
                elif os.path.exists(p):
                    os.unlink(p)
        with open(self.path("steps.log"), "a") as f:
            f.write(f"{time.strftime('%Y-%m-%dT%H:%M:%S')} start {step.name}{' (resume)' if resuming else ''}\n")
        logf = open(self.path("logs", step.name + ".log"), "a")
        logf.write("$ " + " ".join(argv) + "\n")
        logf.flush()
        proc = subprocess.Popen(argv, stdout=logf, stderr=subprocess.STDOUT, env=env)
        logf.close()
        return proc

    def run_steps(self, jobs: int) -> None:
        """Runs the planned steps that are not done, `jobs` at a time."""
        env = dict(os.environ)
        if self.c.device == "cpu":
            env.update(OMP_NUM_THREADS="1", MKL_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1")
        stop_after = int(os.environ.get(STOP_AFTER_ENV, "0") or 0)
        pending = [s for s in self.steps if not self.done(s.name)]
        skipped = len(self.steps) - len(pending)
        if skipped:
            self.log(f"study: {skipped} of {len(self.steps)} steps already done (skipped)")
        running: Dict[str, subprocess.Popen] = {}
        try:
            self._loop(pending, running, jobs, env, stop_after, skipped)
        except KeyboardInterrupt:
            for proc in running.values():
                proc.terminate()
            for proc in running.values():
                proc.wait()
            raise RuntimeError(f"study: interrupted; run the same command again to resume {self.dir}") from None

    def _loop(self, pending: List[Step], running: Dict[str, subprocess.Popen], jobs: int, env: Dict[str, str],
              stop_after: int, skipped: int) -> None:
        finished = 0
        started: Dict[str, float] = {}
        failed: Optional[str] = None
        while pending or running:
            while failed is None and len(running) < jobs:
                ready = next((s for s in pending if all(self.done(d) for d in s.deps)), None)
                if ready is None:
                    break
                pending.remove(ready)
                running[ready.name] = self._start(ready, env)
                started[ready.name] = time.time()
                self.log(f"study: started {ready.name}")
            if not running:
                if failed is None and pending:
                    raise RuntimeError(f"study: steps {pending[0].name} … cannot start (a dependency is missing)")
                break
            time.sleep(0.2)
            for name, proc in list(running.items()):
                code = proc.poll()
                if code is None:
                    continue
                del running[name]
                if code != 0:
                    failed = failed or f"{name} (exit {code}; see {self.path('logs', name + '.log')})"
                    continue
                open(self.path("done", name), "w").close()
                with open(self.path("steps.log"), "a") as f:
                    f.write(f"{time.strftime('%Y-%m-%dT%H:%M:%S')} done {name} {time.time() - started[name]:.1f}s\n")
                finished += 1
                self.log(f"study: done {name} ({finished + skipped}/{len(self.steps)})")
                if stop_after and finished >= stop_after:
                    os.kill(os.getpid(), signal.SIGKILL)
            if failed is not None and not running:
                break
        if failed is not None:
            raise RuntimeError(f"study: step {failed} failed")

    # -- results -----------------------------------------------------------------------------------

    def collect(self) -> dict:
        """Reads the finished runs' logs, writes removal.csv and study.json, and returns what study.json holds."""
        c = self.c
        several = len(self.removal) > 1
        rows = []
        accuracy: Dict[str, dict] = {}
        for e in self.encoders:
            log = json.load(open(self.path(e.folder, "log.json")))
            d = log.get("downstream")
            if d is None:
                raise RuntimeError(f"{self.path(e.folder, 'log.json')}: no downstream accuracy (the probe sets are "
                                   "empty: use a dataset with test images)")
            accuracy[e.folder] = d
            if e.spec in self.removal and self.sizes:
                row = [e.removed, e.kind, c.dataset, e.seed, repr(float(d["accuracy"]))]
                rows.append(row + ([self.method_of(e.spec)] if several else []))
        with open(self.path("removal.csv.tmp"), "w", newline="") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow(["removed", "kind", "dataset", "seed", "accuracy"] + (["method"] if several else []))
            w.writerows(rows)
        os.replace(self.path("removal.csv.tmp"), self.path("removal.csv"))
        runs = []
        for seed in self.seeds:
            for method in self.methods:
                setup = self.setup_name(method, seed)
                r = f"runs/{setup}"
                f_acc, g_log = accuracy[f"{r}/f"], json.load(open(self.path(r, "g", "log.json")))
                runs.append({"name": setup, "method": self.method_of(method),
                             "architecture": architecture(c, self.arch_of(method)), "dataset": c.dataset,
                             "seed": seed, "f": f"{r}/f.h5", "g": f"{r}/g.h5", "scores": f"{r}/scores.csv",
                             "downstream_accuracy": f_acc["accuracy"], "downstream_n": f_acc["n_test"],
                             "downstream_ci95": [f_acc["ci95_low"], f_acc["ci95_high"]],
                             "g_downstream_accuracy": (g_log.get("downstream") or {}).get("accuracy"),
                             "logs": {"f": f"{r}/f/log.json", "g": f"{r}/g/log.json"},
                             "encoders": [{"kind": e.kind, "removed": e.removed, "folder": e.folder,
                                           "log": f"{e.folder}/log.json",
                                           "dump": f"{e.folder}.h5" if e.kind != "none" and c.dump_all else None,
                                           "accuracy": accuracy[e.folder]["accuracy"]}
                                          for e in self.encoders if e.setup == setup]})
        first = accuracy[self.encoders[0].folder]
        manifest = {"sslmem_format": "study", "sslmem_format_version": 1, "runs": runs,
                    "removal": "removal.csv" if self.sizes else None,
                    "removal_methods": self.removal, "sizes": self.sizes,
                    "f_training_points": c.shared + c.candidate,
                    "downstream": {"probe": "linear (softmax regression, probe.py)", "interval": "wilson",
                                   "n_train": first["n_train"], "n_test": first["n_test"],
                                   "train_source": first["train_source"], "test_source": first["test_source"],
                                   "seed": c.probe_seed},
                    "config": asdict(c)}
        with open(self.path("study.json.tmp"), "w") as f:
            json.dump(manifest, f, indent=1)
        os.replace(self.path("study.json.tmp"), self.path("study.json"))
        return manifest


def _check_options(c: StudyConfig) -> None:
    if os.path.exists(os.path.join(c.out, "config.json")):
        old = json.load(open(os.path.join(c.out, "config.json")))
        keep = ("jobs", "out", "sslmem")
        diff = sorted(k for k, v in asdict(c).items() if k not in keep and old.get(k) != v)
        if diff:
            raise ValueError(f"{c.out}: holds a study with other options ({', '.join(diff)}); "
                             "use a new folder or the same options to resume it")
    elif os.path.isdir(c.out) and os.listdir(c.out):
        raise ValueError(f"{c.out}: exists and is not a study folder (no config.json); choose a new or empty folder")


def _report_supports_study(sslmem: str) -> bool:
    r = subprocess.run([sslmem, "report", "--help"], capture_output=True, text=True)
    return "--study" in (r.stdout + r.stderr)


def run_study(c: StudyConfig, log: Callable[[str], None] = print) -> dict:
    """Runs (or resumes) the study in `c.out` and returns its manifest (module docstring)."""
    from .split import make_split
    if not os.access(c.sslmem, os.X_OK):
        raise FileNotFoundError(f"{c.sslmem}: sslmem is not built (make build) or not executable; --sslmem PATH")
    c.sslmem = os.path.abspath(c.sslmem)
    _check_options(c)
    study = Study(c, log)
    for sub in ("", "done", "logs", "runs"):
        os.makedirs(study.path(sub), exist_ok=True)
    with open(study.path("config.json"), "w") as f:
        json.dump(asdict(c), f, indent=1)
    t0 = time.time()
    if not study.done("split"):
        from .datasets import load_dataset
        ds = load_dataset(c.dataset, c.data_root)
        s = make_split(ds.n_train, ds.n_test, shared=c.shared, candidate=c.candidate, independent=c.independent,
                       extra=c.extra, public=c.public, seed=c.split_seed)
        s.save(study.path("split.h5"))
        open(study.path("done", "split"), "w").close()
    cores = len(os.sched_getaffinity(0))
    jobs = c.jobs or (cores if c.device == "cpu" else 1)
    study.plan()
    log(f"study: {len(study.steps)} steps, {jobs} at once ({cores} cores), into {c.out}")
    study.run_steps(jobs)
    manifest = study.collect()
    seconds = time.time() - t0
    report = None
    if _report_supports_study(c.sslmem):
        r = subprocess.run([c.sslmem, "report", "--study", study.path(), "--out", study.path("report")],
                           capture_output=True, text=True)
        if r.returncode != 0:
            raise RuntimeError(f"sslmem report --study {c.out} failed: {(r.stderr.strip() or '?').splitlines()[-1]}")
        report = "report"
    else:
        log(f"study: {c.sslmem} has no `report --study` (an older sslmem): no report written; "
            f"run `sslmem report --study {c.out} --out {os.path.join(c.out, 'report')}` with a newer one")
    previous = []
    if os.path.exists(study.path("timing.json")):
        previous = json.load(open(study.path("timing.json"))).get("invocations", [])
    step_seconds = {}
    for line in open(study.path("steps.log")):
        parts = line.split()
        if len(parts) == 4 and parts[1] == "done":
            step_seconds[parts[2]] = float(parts[3].rstrip("s"))
    invocations = previous + [{"seconds": seconds, "seconds_with_report": time.time() - t0, "cores": cores,
                               "jobs": jobs, "started": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t0))}]
    with open(study.path("timing.json"), "w") as f:
        json.dump({"seconds": sum(i["seconds"] for i in invocations), "invocations": invocations,
                   "steps": len(study.steps), "step_seconds": step_seconds, "report": report}, f, indent=1)
    log(f"study done in {seconds:.0f}s ({len(study.steps)} steps): {study.path('study.json')}, "
        f"{study.path('removal.csv')}")
    return manifest

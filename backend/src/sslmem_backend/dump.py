"""`dump_representations`: one encoder's layout-v1 representations file (docs/layout.md).

For each point of the split (subsets in code order, each ascending): `views` augmented views
(`views.seeded_view`, identical for every encoder with the same view_seed), the un-augmented point,
optionally the outputs of named layers, and for candidates and independent points the Déjà Vu crop;
then the labelled public set. Three steps:

1. `plan_dump` checks everything that can be checked before any work (role, views, the output
   path against the inputs, subsets, indices, attributes) and fixes the points: a `DumpPlan`.
2. `encode_blocks` makes the views of a block of points (in DataLoader worker processes when
   `workers` > 0, else in a thread of this process one block ahead; per-item seeding makes them the
   same whatever the worker count or batch size) and runs the encoder on them in eval mode:
   `EncodedBlock`s.
3. `write_dump` streams the blocks through `writer.RepresentationsWriter` (temporary name, renamed
   when complete) and writes the points, labels and attributes.

`dump_representations(encoder, dataset, split, path, role=…, transform=…, …)` runs the three; the
keyword arguments are the fields of `DumpOptions`. The encoder runs in a thread one block ahead of
the writer, so that the checks, the float16 cast and the writes of a block (for per-layer dumps as
much CPU work as the forward pass) overlap the next block's forward pass on another core; errors
still come in row order (a block's write error before a later block's encoder error), and the
caller's per-thread torch state (`torch.autocast` regions, the current CUDA device) holds in the
encoder's thread too.
"""
from __future__ import annotations

import contextlib
import dataclasses
import os
import queue
import re
import tempfile
import threading
import types
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, Generator, Iterable, Iterator, List, Mapping, Optional, Sequence, Tuple, Union

import numpy as np
import torch

from .blas import blas_threads
from .datasets import label_of
from .dejavu import Crop, corner_crop, resolve_crop
from .inference import EncoderMode, EncoderModeError
from .layers import LayerTaps, UnknownLayer, units_axis_for
from .outputs import OutputError, available_cpus, check_output
from .shard import Shard, check_shard, shard_mask
from .split import Split
from .subsets import OWN_SUBSET, SUBSETS, TRAINED_ON, Role, Subset
from .views import Transform, batch_seeded, rng_lock, seeded_calls, view_rng_seeds
from .writer import DumpError, RepresentationsWriter, checked_rows

__all__ = ["DumpOptions", "DumpPlan", "EncodedBlock", "DumpError", "TRAINED_ON", "plan_dump", "encode_blocks",
           "write_dump", "dump_representations", "describe_transform"]

#: Points per block when the batch size gives fewer (blocks of one point would waste the forward pass).
_MIN_BLOCK = 1


def _identity(x: Any) -> Any:
    return x


@dataclass(frozen=True)
class DumpOptions:
    """What to dump and how (the keyword arguments of `dump_representations`).

    role: "f" (trained on shared + candidate) or "g" (shared + independent): sets `trained_on`.
    transform: the augmentation, applied to `dataset[i][0]` exactly as the dataset returns it (a PIL
        image, an array or a tensor); it must return a tensor (end a PIL pipeline with `ToTensor()`).
    views: augmented views per point (≥ 2).
    original_transform: makes `/views/original` from the item (default: the item as is, which must
        then be a tensor).
    layers: module names (`named_modules()`) also dumped under /layers/<name> (a module called more
        than once per forward pass: one layer per call, `<name>#1`, `<name>#2`, …).
    units_axis: {layer: axis} where `layers.units_axis_for` cannot tell the units axis.
    dejavu: True (corner crop) or a crop function: /dejavu for candidates, independent points and the
        split's public set.
    points_per_subset: only the first n points (ascending index) of each subset.
    shard: (i, N): only the points that `sslmem score --shard i/N` scores.
    dtype: float16 (default), float32 or float64.
    batch_size: encoder inputs per forward pass (a block of batch_size // (views + 1) points).
    device: where the encoder runs; the modules behind the encoder are moved there and back.
    view_seed: seeds the views (same seed → same views for f and g).
    workers: DataLoader worker processes that make the views (None: up to 4 when the dump is large
        enough and the machine has more than one CPU; 0: in this process). Views do not depend on it.
    attrs: extra root attributes (numbers, strings, lists of them).
    augmentations: the root attribute `augmentations` (default: `describe_transform(transform)`).
    model: the module(s) behind a callable encoder, when `inference.modules_of` cannot find them.
    layer_compression: gzip level of /layers (0: uncompressed; gzip on conv maps costs more CPU than
        the forward pass).
    overwrite: replace an existing file that is not an earlier dump (never an input).
    inputs: files the caller read (split, encoder, dataset files): the output never replaces them.
    progress: called with (points done, points) after each block.
    """

    role: Role
    transform: Transform
    views: int = 5
    original_transform: Optional[Transform] = None
    layers: Sequence[str] = ()
    units_axis: Optional[Mapping[str, int]] = None
    dejavu: Union[None, bool, Crop] = None
    points_per_subset: Optional[int] = None
    shard: Optional[Shard] = None
    dtype: str = "float16"
    batch_size: int = 256
    device: str = "cpu"
    view_seed: int = 0
    workers: Optional[int] = None
    attrs: Optional[Mapping[str, object]] = None
    augmentations: Optional[str] = None
    model: Union[torch.nn.Module, Iterable[torch.nn.Module], None] = None
    layer_compression: int = 0
    overwrite: bool = False
    inputs: Sequence[str] = ()
    progress: Optional[Callable[[int, int], None]] = None


@dataclass(frozen=True)
class DumpPlan:
    """The points of one dump, fixed before any work: `index` [n] dataset indices and `subset` [n]
    codes (subsets in code order, each ascending), `crop_rows` [n] (points with a Déjà Vu crop),
    `public` (the Déjà Vu public set), the resolved crop and root attributes."""

    path: str
    options: DumpOptions
    index: np.ndarray
    subset: np.ndarray
    crop_rows: np.ndarray
    public: np.ndarray
    crop: Optional[Crop]
    root_attrs: Dict[str, object]

    @property
    def points(self) -> int:
        """The number of points the dump holds."""
        return len(self.index)

    @property
    def block(self) -> int:
        """Points per forward pass: the views of a block fill at most batch_size inputs."""
        return max(_MIN_BLOCK, self.options.batch_size // (self.options.views + 1))

    def what(self, row: int) -> str:
        """"point 1234 (candidate)": how errors name the point of a row."""
        return f"point {int(self.index[row])} ({SUBSETS[int(self.subset[row])]})"


@dataclass
class EncodedBlock:
    """The encoder's outputs for a block of rows `start:start + len(labels)` (or public points)."""

    start: int
    labels: np.ndarray
    views: torch.Tensor                 # [b·K, D…]
    original: torch.Tensor              # [b, D…]
    layer_views: Dict[str, torch.Tensor] = field(default_factory=dict)
    layer_original: Dict[str, torch.Tensor] = field(default_factory=dict)
    crops: Optional[torch.Tensor] = None  # [c, D…] for the block's crop rows
    public: bool = False                # a block of the public set (only `original`)


# --- plan ----------------------------------------------------------------------------------------

_ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+")


def describe_transform(transform: object) -> str:
    """A description of a transform that is the same in every process: a function's qualified name,
    else its repr without memory addresses (`<function f at 0x7f…>` → `<function f>`)."""
    if isinstance(transform, (types.FunctionType, types.BuiltinFunctionType)):
        return f"{transform.__module__}.{transform.__qualname__}"
    return _ADDRESS.sub("", repr(transform))


def _check_attr(key: str, value: object, path: str) -> object:
    if value is None:
        return None
    if isinstance(value, bool) or isinstance(value, np.bool_):
        return np.bool_(value)
    if isinstance(value, (int, np.integer)):
        return np.int64(value)
    if isinstance(value, (float, np.floating, str, bytes)):
        return value
    if isinstance(value, np.ndarray) and value.dtype.kind in "biuf":
        return value
    if isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value):
        return list(value)
    if isinstance(value, (list, tuple)) and all(isinstance(v, (int, float, np.integer, np.floating))
                                                and not isinstance(v, bool) for v in value):
        return np.asarray(value)
    raise DumpError(f"{path}: attrs[{key!r}] is a {type(value).__name__}; an HDF5 attribute takes a number, a string "
                    "or a list of them (store a dict as a string, e.g. json.dumps)")


def plan_dump(dataset: Any, split: Split, path: str, options: DumpOptions) -> DumpPlan:
    """Every check that needs no encoder output, and the points to dump (raises DumpError)."""
    o = options
    if o.role not in TRAINED_ON:
        raise DumpError(f"{path}: role {o.role!r}: expected 'f' or 'g'")
    if not isinstance(o.views, (int, np.integer)) or o.views < 2:
        raise DumpError(f"{path}: views = {o.views}: need at least 2 augmented views")
    if o.batch_size < 1:
        raise DumpError(f"{path}: batch_size = {o.batch_size}: need at least 1")
    if o.transform is None or not callable(o.transform):
        raise DumpError(f"{path}: transform: pass the augmentation (a callable, e.g. a torchvision Compose)")
    try:
        check_output(path, "representations", o.inputs, o.overwrite)
    except OutputError as e:
        raise DumpError(str(e)) from None
    attrs = dict(o.attrs or {})
    if "trained_on" in attrs and list(attrs["trained_on"]) != TRAINED_ON[o.role]:  # type: ignore[call-overload]
        raise DumpError(f"{path}: role {o.role} trains on {TRAINED_ON[o.role]} but attrs say trained_on = "
                        f"{list(attrs['trained_on'])}")  # type: ignore[call-overload]
    own = OWN_SUBSET[o.role].label
    if len(split.subset(own)) == 0:
        raise DumpError(f"{path}: role {o.role} trains on the {own} points but the split has none")
    if o.shard is not None:
        check_shard(o.shard)
    crop = resolve_crop(o.dejavu) if o.dejavu not in (None, False) else None
    if crop is not None and len(split.public) == 0:
        raise DumpError(f"{path}: dejavu needs a public set; the split has none (make_split(public=…))")

    idx, code = [], []
    for s in Subset:
        ids = np.asarray(split.subset(s.label), np.int64)
        if o.points_per_subset is not None:
            ids = ids[:o.points_per_subset]
        idx.append(ids)
        code.append(np.full(len(ids), int(s), np.uint8))
    index, subset = np.concatenate(idx), np.concatenate(code)
    keep = shard_mask(index, o.shard)
    index, subset = index[keep], subset[keep]
    if len(index) == 0:
        raise DumpError(f"{path}: no points to dump" + (f" in shard {o.shard[0]}/{o.shard[1]}" if o.shard else ""))
    public = np.asarray(split.public, np.int64) if crop is not None else np.zeros(0, np.int64)
    length = len(dataset)
    for ids, what in ((index, "point"), (public, "public point")):
        if len(ids) and ids.max() >= length:
            bad = int(ids[ids >= length][0])
            raise DumpError(f"{path}: the dataset has {length} items but {what} {bad} of the split needs index {bad}")
    if split.sha256 is None:  # the digest of the file `save` writes (splits are immutable: a copy records it)
        with tempfile.TemporaryDirectory() as d:
            split = split.with_sha256(split.save(os.path.join(d, "split.h5")))
    crop_rows = (np.isin(subset, (int(Subset.CANDIDATE), int(Subset.INDEPENDENT))) if crop is not None
                 else np.zeros(len(index), bool))

    root: Dict[str, object] = {"sslmem_format": "representations", "sslmem_format_version": np.int64(1),
                               "trained_on": TRAINED_ON[o.role], "encoder": o.role, "view_seed": np.int64(o.view_seed),
                               "views": np.int64(o.views), "split_sha256": split.sha256,
                               "augmentations": o.augmentations or describe_transform(o.transform)}
    if o.shard is not None:
        root["shard"], root["shards"] = np.int64(o.shard[0]), np.int64(o.shard[1])
    for k, v in attrs.items():
        checked = _check_attr(k, v, path)
        if checked is not None:
            root[k] = checked
    return DumpPlan(path, o, index, subset, crop_rows, public, crop, root)


# --- encode: views (in DataLoader workers) and the forward pass ---------------------------------

class _Failure:
    """An error raised in a worker, carried back as a value so that it stays one line."""

    def __init__(self, message: str) -> None:
        self.message = message


def _as_input(x: Any, what: str, name: str) -> torch.Tensor:
    if isinstance(x, torch.Tensor):
        return x
    if isinstance(x, np.ndarray):
        return torch.from_numpy(np.ascontiguousarray(x))
    kind = type(x).__module__.split(".")[0]
    if kind == "PIL":
        raise DumpError(f"{what}: the {name} returned a PIL image; end it with torchvision.transforms.ToTensor() "
                        "(and Normalize) so that the encoder gets a tensor")
    raise DumpError(f"{what}: the {name} returned a {type(x).__name__}, not a tensor")


def _stack(xs: List[torch.Tensor], whats: List[str], name: str) -> torch.Tensor:
    shape = xs[0].shape
    for x, w in zip(xs, whats):
        if x.shape != shape:
            raise DumpError(f"{w}: the {name} returned shape {list(x.shape)}, the first input {list(shape)} "
                            "(every input must have the same shape; add a Resize/CenterCrop)")
    return torch.stack(xs)


class _Blocks(torch.utils.data.Dataset):
    """Block b: the inputs of rows b·block … (b+1)·block − 1 — the K views of each point, its
    original and its Déjà Vu crop — then blocks of the public set. Made in DataLoader worker
    processes or a thread of this process; the views depend only on (view_seed, index, view)."""

    def __init__(self, dataset: Any, plan: DumpPlan) -> None:
        self.dataset, self.plan = dataset, plan
        self.block = plan.block
        self.point_blocks = -(-plan.points // self.block)
        self.public_block = max(1, plan.options.batch_size)
        self.public_blocks = -(-len(plan.public) // self.public_block)

    def __len__(self) -> int:
        return self.point_blocks + self.public_blocks

    def __getitem__(self, b: int) -> Any:
        try:
            with rng_lock():  # a dataset may use the global RNGs too (FakeData): one thread at a time
                if b < self.point_blocks:
                    return self._points(b)
                return self._public(b - self.point_blocks)
        except DumpError as e:
            return _Failure(str(e).splitlines()[0] if str(e) else type(e).__name__)
        except Exception as e:  # the user's dataset or transform
            return _Failure(f"{self.plan.path}: {self._current}: {type(e).__name__}: "
                            f"{str(e).splitlines()[0] if str(e) else ''}")

    _current = "a dataset item"

    def _naming(self, whats: List[str], name: str, views: bool) -> Callable[[int, int, int], None]:
        def before(j: int, index: int, view: int) -> None:
            self._current = f"{whats[j]}{f', view {view}' if views else ''}: the {name} failed"
        return before

    def _item(self, i: int, what: str) -> Tuple[Any, int]:
        self._current = f"{what}: dataset[{int(i)}] failed"
        item = self.dataset[int(i)]
        if not isinstance(item, (tuple, list)) or len(item) < 2:
            raise DumpError(f"{self.plan.path}: {what}: dataset[{int(i)}] is a {type(item).__name__}; expected "
                            "(image, label) (use label None when there is none)")
        try:
            return item[0], label_of(item[1], f"{self.plan.path}: {what}")
        except ValueError as e:
            raise DumpError(str(e)) from None

    def _original(self, images: List[Any], ids: Sequence[int], whats: List[str]) -> torch.Tensor:
        o = self.plan.options
        t = o.original_transform or _identity
        seed = o.view_seed
        fast = batch_seeded(t)
        if fast is not None and _same_shape_tensors(images):
            return fast(torch.stack(images), view_rng_seeds(seed, ids, [-1] * len(ids)))
        name = "original_transform" if o.original_transform is not None else "dataset (no original_transform)"
        short = [w.split(": ", 1)[1] for w in whats]
        outs = seeded_calls(t, images, seed, [(j, int(i), -1) for j, i in enumerate(ids)],
                            self._naming(short, "original_transform", False))
        return _stack([_as_input(x, w, name) for x, w in zip(outs, whats)], whats, name)

    def _points(self, b: int) -> dict:
        plan, o = self.plan, self.plan.options
        rows = range(b * self.block, min(plan.points, (b + 1) * self.block))
        ids = [int(plan.index[r]) for r in rows]
        whats = [f"{plan.path}: {plan.what(r)}" for r in rows]
        images: List[Any] = []
        labels = np.empty(len(ids), np.int64)
        for j, (i, r) in enumerate(zip(ids, rows)):
            image, labels[j] = self._item(i, plan.what(r))
            images.append(image)
        self._current = f"{plan.what(rows.start)}: the transform failed"
        k = o.views
        fast = batch_seeded(o.transform)
        if fast is not None and _same_shape_tensors(images):
            x = torch.stack(images).repeat_interleave(k, dim=0)
            views = fast(x, view_rng_seeds(o.view_seed, [i for i in ids for _ in range(k)], list(range(k)) * len(ids)))
        else:
            calls = [(j, i, v) for j, i in enumerate(ids) for v in range(k)]
            outs = seeded_calls(o.transform, images, o.view_seed, calls,
                                self._naming([plan.what(r) for r in rows], "transform", True))
            vw = [f"{w}, view {v}" for w in whats for v in range(k)]
            views = _stack([_as_input(x, w, "transform") for x, w in zip(outs, vw)], vw, "transform")
        original = self._original(images, ids, whats)
        crops = None
        sel = [j for j, r in enumerate(rows) if plan.crop_rows[r]]
        if plan.crop is not None and sel:
            if plan.crop is corner_crop:
                crops = corner_crop(original[sel])
            else:
                cw = [f"{whats[j]}, Déjà Vu crop" for j in sel]
                crops = _stack([_as_input(plan.crop(original[j]), w, "crop") for j, w in zip(sel, cw)], cw, "crop")
        return {"start": rows.start, "labels": labels, "views": views, "original": original, "crops": crops}

    def _public(self, b: int) -> dict:
        plan = self.plan
        ids = [int(i) for i in plan.public[b * self.public_block:(b + 1) * self.public_block]]
        whats = [f"{plan.path}: public point {i}" for i in ids]
        images, labels = [], np.empty(len(ids), np.int64)
        for j, i in enumerate(ids):
            image, labels[j] = self._item(i, f"public point {i}")
            images.append(image)
        self._current = "a public point: the original_transform failed"
        return {"start": b * self.public_block, "labels": labels, "original": self._original(images, ids, whats),
                "public": True}


def _default_workers(plan: DumpPlan, blocks: int) -> int:
    """Worker processes for the views when `workers` is None: none for a small dump (starting them
    costs more than they save), none for transforms with a batched seeded form (they make a block's
    views in a fraction of its forward pass, and a hand-off between processes costs more on a busy
    machine: bench/dump_bench.py), else up to 4, leaving a CPU to the forward pass."""
    cpus = available_cpus()
    o = plan.options
    batched = batch_seeded(o.transform) is not None and batch_seeded(o.original_transform or _identity) is not None
    if cpus < 2 or blocks < 4 or plan.points < 512 or batched:
        return 0
    return min(4, cpus - 1)


_END = object()


def _prefetched(items: Iterator[Any], depth: int = 2, name: str = "sslmem-backend views"
                ) -> Generator[Any, None, None]:
    """`items`, produced by a background thread up to `depth` ahead: with the DataLoader in this
    process (workers = 0), the next block's views are made while the encoder runs on this one (torch
    kernels release the GIL); and the encoder's outputs while the writer checks and writes the last.
    An exception in the producer is raised here after the items produced before it; closing the
    generator stops the producer.

    Every generator is closed explicitly, in the thread that runs it (`items` by the producer when it
    stops, this one by its consumer): left to the garbage collector, a generator's `finally` (which
    waits for its producer thread) could run in whatever thread allocates next, for instance one
    holding the views' RNG lock that the producer it waits for needs — a deadlock that the exception
    tracebacks kept by `_Raised` (reference cycles) made likely."""
    q: "queue.Queue[Any]" = queue.Queue(depth)
    stop = threading.Event()

    def produce() -> None:
        try:
            for item in items:
                while not stop.is_set():
                    try:
                        q.put(item, timeout=0.1)
                        break
                    except queue.Full:
                        continue
                if stop.is_set():
                    return
            q.put(_END)
        except BaseException as e:  # handed to the consumer
            q.put(_Raised(e))
        finally:
            _close(items)

    thread = threading.Thread(target=produce, name=name, daemon=True)
    thread.start()
    try:
        while True:
            item = q.get()
            if item is _END:
                return
            if isinstance(item, _Raised):
                raise item.error
            yield item
    finally:
        stop.set()
        while thread.is_alive():
            try:
                q.get(timeout=0.1)
            except queue.Empty:
                pass


def _close(items: Iterator[Any]) -> None:
    """Closes `items` if it is a generator (runs its `finally` now, in this thread); a DataLoader
    iterator has nothing to close."""
    close = getattr(items, "close", None)
    if close is not None:
        close()


@dataclass(frozen=True)
class _ThreadState:
    """What torch keeps per thread and the encoder thread must share with the caller: the enabled autocast
    regions (device type and dtype) and the current CUDA device (`torch.cuda.set_device`, which a plain
    `device="cuda"` means; None when CUDA is not initialized, where every thread starts on device 0)."""
    autocast: Tuple[Tuple[str, torch.dtype], ...]
    cuda_device: Optional[int]

    @staticmethod
    def of_caller() -> "_ThreadState":
        found = []
        for device, enabled, dtype in (("cpu", torch.is_autocast_cpu_enabled, torch.get_autocast_cpu_dtype),
                                       ("cuda", torch.is_autocast_enabled, torch.get_autocast_gpu_dtype)):
            try:  # torch ≥ 2.4 takes the device type (the no-argument forms are deprecated there)
                on, kind = torch.is_autocast_enabled(device), torch.get_autocast_dtype(device)  # type: ignore[call-arg,attr-defined]
            except (TypeError, AttributeError):
                on, kind = enabled(), dtype()
            if on:
                found.append((device, kind))
        cuda = torch.cuda.current_device() if torch.cuda.is_available() and torch.cuda.is_initialized() else None
        return _ThreadState(tuple(found), cuda)


def _under(state: _ThreadState, items: Iterator[Any]) -> Iterator[Any]:
    """`items` produced with the caller's per-thread `state` entered in the thread that iterates."""
    with contextlib.ExitStack() as stack:
        if state.cuda_device is not None:
            stack.enter_context(torch.cuda.device(state.cuda_device))
        for device, dtype in state.autocast:
            stack.enter_context(torch.autocast(device_type=device, dtype=dtype))
        yield from items


class _Raised:
    def __init__(self, error: BaseException) -> None:
        self.error = error


def _encode(encoder: Callable, batch: torch.Tensor, where: str) -> torch.Tensor:
    out = encoder(batch)
    if isinstance(out, (tuple, list)) and out:
        out = out[0]
    if isinstance(out, dict):
        raise DumpError(f"{where}: the encoder returned a dict; wrap it to return the representation tensor "
                        "(and pass model= if the wrapper hides the module)")
    if not isinstance(out, torch.Tensor):
        raise DumpError(f"{where}: the encoder returned {type(out).__name__}, not a tensor")
    return out


def encode_blocks(encoder: Callable, dataset: Any, plan: DumpPlan, taps: Optional[LayerTaps] = None
                  ) -> Iterator[EncodedBlock]:
    """The encoder's outputs block by block (points, then the public set), in row order. The encoder
    must already be in eval mode on `plan.options.device` (`dump_representations` does it)."""
    o = plan.options
    blocks = _Blocks(dataset, plan)
    workers = o.workers if o.workers is not None else _default_workers(plan, len(blocks))
    prefetch: Dict[str, Any] = {"prefetch_factor": 4} if workers else {}
    loader = torch.utils.data.DataLoader(blocks, batch_size=None, shuffle=False, num_workers=workers, **prefetch)
    source = iter(loader) if workers else _prefetched(iter(loader))
    try:
        yield from _encoded(encoder, source, plan, taps)
    finally:
        _close(source)  # the views thread stops here, not in the garbage collector


def _encoded(encoder: Callable, source: Iterator[Any], plan: DumpPlan, taps: Optional[LayerTaps]
             ) -> Iterator[EncodedBlock]:
    device = torch.device(plan.options.device)
    with torch.no_grad():
        for item in source:
            if isinstance(item, _Failure):
                raise DumpError(item.message)
            start = item["start"]
            if item.get("public"):
                what = f"{plan.path}: public point {int(plan.public[start])}"
                out = _encode(encoder, item["original"].to(device), what)
                if taps is not None:
                    taps.take()
                yield EncodedBlock(start, item["labels"], out[:0], out, public=True)
                continue
            what = f"{plan.path}: {plan.what(start)}"
            out = _encode(encoder, item["views"].to(device), what)
            layer_views = taps.take() if taps is not None else {}
            orig = _encode(encoder, item["original"].to(device), what)
            layer_original = taps.take() if taps is not None else {}
            crops = None
            if item["crops"] is not None:
                crops = _encode(encoder, item["crops"].to(device), what)
                if taps is not None:
                    taps.take()
            yield EncodedBlock(start, item["labels"], out, orig, layer_views, layer_original, crops)


# --- write ---------------------------------------------------------------------------------------

def _rows(t: torch.Tensor, b: int, views: Optional[int], plan: DumpPlan, whats: List[str], name: str,
          nonzero: bool = False) -> np.ndarray:
    """[b·K, …] → [b, K, …] (views given) or [b, …], checked (finite, no float16 overflow and, for
    /views, no zero vector after the cast) and cast to the file's dtype (numpy)."""
    t = t.detach().cpu()
    rows = b * views if views is not None else b
    if t.shape[0] != rows:
        raise DumpError(f"{plan.path}: {whats[0]}: the encoder returned {t.shape[0]} rows for {rows} inputs")
    if not t.is_floating_point():
        t = t.float()
    flat_what = [f"{w}, view {v}" for w in whats for v in range(views)] if views is not None else whats
    cast = checked_rows(t, np.dtype(plan.options.dtype), f"{plan.path}: /{name}", flat_what)
    if nonzero:
        flat = cast.reshape(rows, -1)
        zero = ~(flat != 0).any(axis=1)
        if zero.any():
            r = int(np.argmax(zero))
            rounding = "" if not (t.reshape(rows, -1)[r] != 0).any() else f" after rounding to {plan.options.dtype}"
            raise DumpError(f"{plan.path}: /{name}: {flat_what[r]}: the representation is a zero vector{rounding}; "
                            "the alignment needs non-zero views" + (" (use dtype float32)" if rounding else ""))
    return cast.reshape((b, views) + tuple(t.shape[1:])) if views is not None else cast


def write_dump(plan: DumpPlan, blocks: Iterator[EncodedBlock], writer: RepresentationsWriter,
               taps: Optional[LayerTaps] = None) -> None:
    """Streams the blocks into `writer` and writes points, labels and attributes (does not close it)."""
    import h5py
    o = plan.options
    n, k = plan.points, o.views
    writer.announce("views/representations", n)
    writer.announce("views/original", n)
    if plan.crop is not None:
        writer.announce("dejavu/crop", int(plan.crop_rows.sum()))
        writer.announce("dejavu/public", len(plan.public))
    labels = np.full(n, -1, np.int64)
    public_labels = np.full(len(plan.public), -1, np.int64)
    layer_shapes: Dict[str, Tuple[int, ...]] = {}
    done = 0
    for blk in blocks:
        b = len(blk.labels)
        if blk.public:
            public_labels[blk.start:blk.start + b] = blk.labels
            whats = [f"public point {int(i)}" for i in plan.public[blk.start:blk.start + b]]
            writer.append("dejavu/public", _rows(blk.original, b, None, plan, whats, "dejavu/public"), whats,
                          checked=True)
            continue
        rows = range(blk.start, blk.start + b)
        labels[blk.start:blk.start + b] = blk.labels
        whats = [plan.what(r) for r in rows]
        if not layer_shapes and taps is not None:
            for name in blk.layer_views:
                writer.announce(f"layers/{name}/representations", n)
                writer.announce(f"layers/{name}/original", n)
        writer.append("views/representations", _rows(blk.views, b, k, plan, whats, "views/representations", True),
                      whats, checked=True)
        for name, t in blk.layer_views.items():
            layer_shapes[name] = tuple(t.shape[1:])
            lw = [f"{w}, layer {name}" for w in whats]
            writer.append(f"layers/{name}/representations",
                          _rows(t, b, k, plan, lw, f"layers/{name}/representations"), lw, checked=True)
        writer.append("views/original", _rows(blk.original, b, None, plan,
                                              [f"{w}, original" for w in whats], "views/original", True),
                      whats, checked=True)
        for name, t in blk.layer_original.items():
            lw = [f"{w}, original, layer {name}" for w in whats]
            writer.append(f"layers/{name}/original", _rows(t, b, None, plan, lw, f"layers/{name}/original"), lw,
                          checked=True)
        if blk.crops is not None:
            cw = [f"{plan.what(r)}, Déjà Vu crop" for r in rows if plan.crop_rows[r]]
            writer.append("dejavu/crop", _rows(blk.crops, len(cw), None, plan, cw, "dejavu/crop"), cw, checked=True)
        done += b
        if o.progress:
            o.progress(done, n)

    writer.small("points/index", plan.index)
    writer.small("points/subset", plan.subset, names=np.array(SUBSETS, dtype=h5py.string_dtype()))
    writer.small("points/label", labels)
    if taps is not None:
        for order, name in enumerate(taps.names()):  # names() lists the layers in firing order
            base = name.rpartition("#")[0] if "#" in name and name not in taps.modules else name
            axis = (o.units_axis or {}).get(name)
            if axis is None:
                axis = (o.units_axis or {}).get(base)
            if axis is None:
                try:
                    axis = units_axis_for(name, taps.modules.get(base), layer_shapes[name])
                except UnknownLayer as e:
                    raise DumpError(f"{plan.path}: {e}") from None
            if not 0 <= int(axis) < max(1, len(layer_shapes[name])):
                raise DumpError(f"{plan.path}: layer {name!r}: units_axis {axis} outside "
                                f"0..{len(layer_shapes[name]) - 1}")
            writer.group_attrs(f"layers/{name}", order=np.int64(order), units_axis=np.int64(axis))
    if plan.crop is not None:
        writer.empty("dejavu/crop", tuple(writer.streams["views/original"].tail))
        writer.small("dejavu/crop_index", plan.index[plan.crop_rows])
        writer.small("dejavu/public_label", public_labels)
        writer.small("dejavu/public_index", plan.public)
        writer.group_attrs("dejavu", crop=getattr(plan.crop, "__name__", None) or describe_transform(plan.crop))
    writer.root_attrs(plan.root_attrs)


def dump_representations(encoder: Callable, dataset: Any, split: Split, path: str, *,
                         options: Optional[DumpOptions] = None, **kwargs: Any) -> str:
    """Writes the layout-v1 representations file `path` of `encoder` and returns `path`.

    encoder: a torch.nn.Module, or any callable from a batch [B, …] to representations [B, D…] (a
        function wrapping a model: its modules are found and put in eval mode; pass `model=` when
        they cannot be found).
    dataset: `dataset[i] -> (image, label)` for dataset index i (training images first, then test
        images); the image as the dataset returns it (PIL, array or tensor) goes to `transform`;
        labels are integers (or None).
    split: the split (`make_split` / `Split.load`); its SHA-256 goes into the file.
    Keyword arguments: the fields of `DumpOptions` (role and transform are required), or
    `options=DumpOptions(…)`.

    Guarantees: views seeded per (view_seed, index, view) in every global RNG (same for f and g,
    any batch size, worker count or thread); layer outputs copied when their module returns; the
    encoder's modules in eval mode and on `device` during the dump, restored after; an output never
    replaces an input or a file the backend did not write (`overwrite=True` for the latter); errors
    are one line (DumpError) naming the point, view or layer, and leave no file.
    """
    if options is None:
        try:
            options = DumpOptions(**kwargs)
        except TypeError as e:
            raise TypeError(f"dump_representations: {e}") from None
    elif kwargs:
        options = dataclasses.replace(options, **kwargs)
    plan = plan_dump(dataset, split, path, options)
    try:
        mode = EncoderMode(encoder, options.device, options.model)
    except EncoderModeError as e:
        raise DumpError(f"{path}: {e}") from None
    taps: Optional[LayerTaps] = None
    # layer names are those of the encoder module, or of the one module behind a callable (or model=)
    tapped = encoder
    if not isinstance(encoder, torch.nn.Module):
        if isinstance(options.model, torch.nn.Module):
            tapped = options.model
        elif len(mode.modules) == 1:
            tapped = mode.modules[0]
    try:
        taps = LayerTaps(tapped, options.layers) if options.layers else None
    except UnknownLayer as e:
        raise DumpError(f"{path}: {e}") from None
    writer = RepresentationsWriter(path, dtype=options.dtype, layer_level=options.layer_compression)
    try:
        # OpenBLAS (torch's Linear on Debian) held to torch's threads: its idle pool spins on a core otherwise
        with mode, blas_threads(torch.get_num_threads()):
            # depth 1: at most three blocks of outputs in memory (being written, waiting, being encoded)
            blocks = _under(_ThreadState.of_caller(), encode_blocks(encoder, dataset, plan, taps))
            encoded = _prefetched(blocks, depth=1, name="sslmem-backend encoder")
            try:
                write_dump(plan, encoded, writer, taps)
            finally:
                encoded.close()  # stops the encoder thread before the modes are restored
        writer.close()
    except (UnknownLayer, EncoderModeError) as e:
        writer.abort()
        raise DumpError(f"{path}: {e}") from None
    except BaseException:
        writer.abort()
        raise
    finally:
        if taps is not None:
            taps.close()
    return path


def _same_shape_tensors(images: Sequence[object]) -> bool:
    """Whether `images` are tensors of one shape (then a batched seeded transform can stack them)."""
    return all(isinstance(x, torch.Tensor) for x in images) and len({x.shape for x in images}) == 1  # type: ignore[attr-defined]

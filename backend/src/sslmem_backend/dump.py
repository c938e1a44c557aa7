"""`dump_representations`: one encoder's layout-v1 representations file (docs/layout.md).

For each point of the split (subsets in code order, each ascending): `views` augmented views
(`views.seeded_view`, identical for every encoder with the same view_seed), the un-augmented
point, optionally the outputs of named layers, and for candidates and independent points the
Déjà Vu crop; then the labelled public set. Everything streams through
`writer.RepresentationsWriter`.
"""
from __future__ import annotations

import os
import tempfile
from typing import Callable, Dict, Iterable, List, Optional, Sequence

import numpy as np
import torch

from .dejavu import resolve_crop
from .layers import LayerTaps, UnknownLayer, units_axis_of
from .shard import Shard, check_shard, shard_mask
from .split import SUBSETS, Split
from .views import seeded_view
from .writer import DumpError, RepresentationsWriter, checked_rows

TRAINED_ON = {"f": ["shared", "candidate"], "g": ["shared", "independent"]}


def _identity(x):
    return x


def _as_tensor(image) -> torch.Tensor:
    if isinstance(image, torch.Tensor):
        return image
    return torch.as_tensor(np.asarray(image))


def _encode(encoder, batch: torch.Tensor) -> torch.Tensor:
    out = encoder(batch)
    if isinstance(out, (tuple, list)):
        out = out[0]
    if isinstance(out, dict):
        raise DumpError("the encoder returned a dict; wrap it to return the representation tensor")
    return out


def dump_representations(encoder, dataset, split: Split, path: str, *, role: str, views: int = 5,
                         transform: Callable, original_transform: Optional[Callable] = None,
                         layers: Sequence[str] = (), dtype: str = "float16", batch_size: int = 256,
                         device: str = "cpu", view_seed: int = 0, points_per_subset: Optional[int] = None,
                         attrs: Optional[Dict[str, object]] = None, dejavu=None, shard: Optional[Shard] = None,
                         units_axis: Optional[Dict[str, int]] = None, layer_compression: int = 0,
                         progress: Optional[Callable[[int, int], None]] = None) -> str:
    """Writes `path` and returns it.

    encoder: a torch.nn.Module (or callable) from a batch [B, …] to representations [B, D…].
    dataset[i] -> (image, label) for dataset index i; images are tensors (or arrays) that
    `transform` and `original_transform` take one at a time.
    role: "f" (trained on shared + candidate) or "g" (shared + independent): sets `trained_on`.
    layers: module names (named_modules()) also dumped as /layers/<name>/{representations,original}
    with group attributes `order` (0 = closest to the input) and `units_axis` (default: 0 for
    [C,H,W] and [C], 1 for [T,C]; override per layer with `units_axis`).
    dejavu: True (corner crop) or a crop function: writes /dejavu/crop for candidates and
    independent points and the split's public set (/dejavu/public, public_label, public_index).
    points_per_subset: only the first n points (ascending index) of each subset.
    shard: (i, N): only the points that `sslmem score --shard i/N` scores.
    layer_compression: gzip level (with shuffle) of /layers; 0 (default) stores them uncompressed,
    since gzip on conv maps costs more CPU than the forward pass (bench/dump_bench.py --layers).
    """
    if role not in TRAINED_ON:
        raise DumpError(f"{path}: role {role!r}: expected 'f' or 'g'")
    if views < 2:
        raise DumpError(f"{path}: views = {views}: need at least 2 augmented views")
    attrs = dict(attrs or {})
    if "trained_on" in attrs and list(attrs["trained_on"]) != TRAINED_ON[role]:
        raise DumpError(f"{path}: role {role} trains on {TRAINED_ON[role]} but attrs say trained_on = "
                        f"{list(attrs['trained_on'])}")
    own = "candidate" if role == "f" else "independent"
    if len(split.subset(own)) == 0:
        raise DumpError(f"{path}: role {role} trains on the {own} points but the split has none")
    if shard is not None:
        check_shard(shard)
    original_transform = original_transform or _identity
    crop = resolve_crop(dejavu) if dejavu not in (None, False) else None
    if crop is not None and len(split.public) == 0:
        raise DumpError(f"{path}: dejavu needs a public set; the split has none (make_split(public=…))")

    # Points: subsets in code order, the first points_per_subset of each, then the shard.
    idx, code = [], []
    for c, name in enumerate(SUBSETS):
        ids = np.asarray(split.subset(name), np.int64)
        if points_per_subset is not None:
            ids = ids[:points_per_subset]
        idx.append(ids)
        code.append(np.full(len(ids), c, np.uint8))
    index = np.concatenate(idx)
    subset = np.concatenate(code)
    keep = shard_mask(index, shard)
    index, subset = index[keep], subset[keep]
    n = len(index)
    if n == 0:
        raise DumpError(f"{path}: no points to dump" + (f" in shard {shard[0]}/{shard[1]}" if shard else ""))
    public = np.asarray(split.public, np.int64) if crop is not None else np.zeros(0, np.int64)
    length = len(dataset)
    for ids, what in ((index, "point"), (public, "public point")):
        if len(ids) and ids.max() >= length:
            bad = int(ids[ids >= length][0])
            raise DumpError(f"{path}: the dataset has {length} items but {what} {bad} of the split needs index {bad}")

    if split.sha256 is None:
        with tempfile.TemporaryDirectory() as d:
            split.save(os.path.join(d, "split.h5"))

    is_module = isinstance(encoder, torch.nn.Module)
    if is_module:
        was_training = encoder.training
        encoder.eval()
    try:
        taps = LayerTaps(encoder, layers)
    except UnknownLayer as e:
        raise DumpError(f"{path}: {e}") from None
    writer = RepresentationsWriter(path, dtype=dtype, layer_level=layer_compression)
    try:
        crop_rows = np.isin(subset, (1, 2)) if crop is not None else np.zeros(n, bool)
        writer.announce("views/representations", n)
        writer.announce("views/original", n)
        for name in layers:
            writer.announce(f"layers/{name}/representations", n)
            writer.announce(f"layers/{name}/original", n)
        if crop is not None:
            writer.announce("dejavu/crop", int(crop_rows.sum()))
            writer.announce("dejavu/public", len(public))
        labels = np.full(n, -1, np.int64)
        step = max(1, batch_size // (views + 1))
        names = [SUBSETS[c] for c in subset]
        layer_shapes: Dict[str, tuple] = {}
        with torch.no_grad():
            for start in range(0, n, step):
                rows = range(start, min(n, start + step))
                what = [f"point {index[r]} ({names[r]})" for r in rows]
                augmented, plain, crops, crop_what = [], [], [], []
                for r in rows:
                    image, label = dataset[int(index[r])]
                    labels[r] = -1 if label is None else int(label)
                    image = _as_tensor(image)
                    for k in range(views):
                        augmented.append(seeded_view(transform, image, view_seed, int(index[r]), k))
                    o = seeded_view(original_transform, image, view_seed, int(index[r]), -1)
                    plain.append(o)
                    if crop_rows[r]:
                        crops.append(crop(o))
                        crop_what.append(f"point {index[r]} ({names[r]}), Déjà Vu crop")
                b = len(rows)
                out = _encode(encoder, torch.stack(augmented).to(device))
                got = taps.take() if layers else {}
                writer.append("views/representations", _rows(out, b, views, path, what, dtype, "views/representations"),
                              what, checked=True)
                for name, t in got.items():
                    layer_shapes[name] = tuple(t.shape[1:])
                    lw = [f"{w}, layer {name}" for w in what]
                    writer.append(f"layers/{name}/representations",
                                  _rows(t, b, views, path, lw, dtype, f"layers/{name}/representations"), lw, checked=True)
                out = _encode(encoder, torch.stack(plain).to(device))
                got = taps.take() if layers else {}
                writer.append("views/original", _rows(out, b, None, path, what, dtype, "views/original"), what, checked=True)
                for name, t in got.items():
                    lw = [f"{w}, original, layer {name}" for w in what]
                    writer.append(f"layers/{name}/original", _rows(t, b, None, path, lw, dtype, f"layers/{name}/original"),
                                  lw, checked=True)
                if crops:
                    out = _encode(encoder, torch.stack(crops).to(device))
                    if layers:
                        taps.take()
                    writer.append("dejavu/crop", _rows(out, len(crops), None, path, crop_what, dtype, "dejavu/crop"),
                                  crop_what, checked=True)
                if progress:
                    progress(rows.stop, n)
            public_labels = np.full(len(public), -1, np.int64)
            for start in range(0, len(public), batch_size):
                ids = public[start:start + batch_size]
                batch = []
                for j, i in enumerate(ids):
                    image, label = dataset[int(i)]
                    public_labels[start + j] = -1 if label is None else int(label)
                    batch.append(seeded_view(original_transform, _as_tensor(image), view_seed, int(i), -1))
                out = _encode(encoder, torch.stack(batch).to(device))
                if layers:
                    taps.take()
                what = [f"public point {i}" for i in ids]
                writer.append("dejavu/public", _rows(out, len(ids), None, path, what, dtype, "dejavu/public"), what,
                              checked=True)

        import h5py
        writer.small("points/index", index)
        writer.small("points/subset", subset, names=np.array(SUBSETS, dtype=h5py.string_dtype()))
        writer.small("points/label", labels)
        for name in layers:
            axis = (units_axis or {}).get(name, units_axis_of(layer_shapes[name]))
            writer.group_attrs(f"layers/{name}", order=np.int64(taps.order(name)), units_axis=np.int64(axis))
        if crop is not None:
            writer.small("dejavu/crop_index", index[crop_rows])
            writer.small("dejavu/public_label", public_labels)
            writer.small("dejavu/public_index", public)
            writer.group_attrs("dejavu", crop=getattr(crop, "__name__", None) or repr(crop))
        root = {"sslmem_format": "representations", "sslmem_format_version": np.int64(1),
                "trained_on": TRAINED_ON[role], "encoder": role, "view_seed": np.int64(view_seed),
                "views": np.int64(views), "split_sha256": split.sha256,
                "augmentations": repr(transform)}
        if shard is not None:
            root["shard"], root["shards"] = np.int64(shard[0]), np.int64(shard[1])
        for k, v in attrs.items():
            root[k] = np.int64(v) if isinstance(v, (int, np.integer)) and not isinstance(v, bool) else v
        writer.root_attrs(root)
        writer.close()
    except BaseException:
        writer.abort()
        raise
    finally:
        taps.close()
        if is_module:
            encoder.train(was_training)
    return path


def _rows(t: torch.Tensor, b: int, views: Optional[int], path: str, what: List[str], dtype: str,
          name: str) -> np.ndarray:
    """[b·K, …] → [b, K, …] (views given) or [b, …], checked and cast to `dtype` (numpy)."""
    if not isinstance(t, torch.Tensor):
        raise DumpError(f"{path}: {what[0]}: the encoder returned {type(t).__name__}, not a tensor")
    t = t.detach().cpu()
    rows = b * views if views is not None else b
    if t.shape[0] != rows:
        raise DumpError(f"{path}: {what[0]}: the encoder returned {t.shape[0]} rows for {rows} inputs")
    if not t.is_floating_point():
        t = t.float()
    t = t.reshape((b, views) + tuple(t.shape[1:])) if views is not None else t
    return checked_rows(t, np.dtype(dtype), f"{path}: /{name}", what)

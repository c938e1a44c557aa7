"""Converters from what users already have to layout v1 (docs/layout.md).

- `from_arrays`: one [N, D…] array per view (a list of .npy files, or one .npz with arrays
  named view0, view1, … and optionally index, subset, label, original), rows aligned with an
  [N] index array; subsets from a split file (each index's subset) or an [N] code array.
- `from_vissl`: VISSL's `extract_features` output, one folder per view, each holding shards
  `<prefix>_features.npy` [n, D] and `<prefix>_inds.npy` [n] (the dataset index of each row);
  the shards of a view are joined, rows sorted by index, and every view must hold the same
  indices.
Both write through the streaming writer (temporary name, rename), float16 by default.
"""
from __future__ import annotations

import glob
import os
from typing import List, Optional, Sequence

import numpy as np

from .split import Split
from .subsets import SUBSETS, TRAINED_ON
from .writer import DumpError, RepresentationsWriter


def _subsets_from_split(index: np.ndarray, split: Split, where: str) -> np.ndarray:
    code = {}
    for c, name in enumerate(SUBSETS):
        for i in split.subset(name):
            code[int(i)] = c
    out = np.empty(len(index), np.uint8)
    for r, i in enumerate(index):
        if int(i) not in code:
            raise DumpError(f"{where}: index {int(i)} (row {r}) is in none of the split's subsets")
        out[r] = code[int(i)]
    return out


def write_layout(path: str, views: Sequence[np.ndarray], index: np.ndarray, subset: np.ndarray, role: str,
                 label: Optional[np.ndarray] = None, original: Optional[np.ndarray] = None, dtype: str = "float16",
                 attrs: Optional[dict] = None, block: int = 256) -> str:
    """views[k] is [N, D…]; writes /views/representations [N, K, D…] block by block."""
    import h5py
    n, k = len(index), len(views)
    if k < 2:
        raise DumpError(f"{path}: {k} view(s): need at least 2")
    for v, a in enumerate(views):
        if a.shape[0] != n:
            raise DumpError(f"{path}: view {v} has {a.shape[0]} rows, the index has {n}")
        if a.shape[1:] != views[0].shape[1:]:
            raise DumpError(f"{path}: view {v} has rows of shape {a.shape[1:]}, view 0 {views[0].shape[1:]}")
    if len(np.unique(index)) != n:
        raise DumpError(f"{path}: the index has repeated values")
    if original is not None and original.shape != views[0].shape:
        raise DumpError(f"{path}: original has shape {original.shape}, the views {views[0].shape}")
    w = RepresentationsWriter(path, dtype=dtype)
    try:
        w.announce("views/representations", n)
        if original is not None:
            w.announce("views/original", n)
        for s in range(0, n, block):
            rows = np.stack([np.asarray(v[s:s + block], np.float32) for v in views], axis=1)
            what = [f"point {int(i)} (row {s + r})" for r, i in enumerate(index[s:s + block])]
            w.append("views/representations", rows, what)
            if original is not None:
                w.append("views/original", np.asarray(original[s:s + block], np.float32), what)
        w.small("points/index", np.asarray(index, np.int64))
        w.small("points/subset", np.asarray(subset, np.uint8), names=np.array(SUBSETS, dtype=h5py.string_dtype()))
        w.small("points/label", np.asarray(label if label is not None else np.full(n, -1), np.int64))
        w.root_attrs({"sslmem_format": "representations", "sslmem_format_version": np.int64(1),
                      "trained_on": TRAINED_ON[role], "encoder": role, **(attrs or {})})
        w.close()
    except BaseException:
        w.abort()
        raise
    return path


def _load(path: str) -> np.ndarray:
    return np.load(path, mmap_mode="r")


def from_arrays(view_files: Sequence[str], index_file: Optional[str], out: str, *, role: str,
                split: Optional[Split] = None, subset: Optional[str] = None, label: Optional[str] = None,
                original: Optional[str] = None, dtype: str = "float16") -> str:
    """Writes `out` (layout v1, encoder `role`) from per-view arrays (module docstring); the points'
    subsets from `split` or the `subset` codes, labels from `label`, /views/original from `original`.
    Returns `out`."""
    if len(view_files) == 1 and view_files[0].endswith(".npz"):
        z = np.load(view_files[0])
        names = sorted((n for n in z.files if n.startswith("view")), key=lambda n: int(n[4:]))
        views = [z[n] for n in names]
        index = z["index"] if "index" in z.files else None
        sub = z["subset"] if "subset" in z.files else None
        lab = z["label"] if "label" in z.files else None
        orig = z["original"] if "original" in z.files else None
    else:
        views = [_load(f) for f in view_files]
        index = sub = lab = orig = None
    if index_file:
        index = np.load(index_file)
    if index is None:
        raise DumpError(f"{out}: no index: pass --index (or an npz with 'index')")
    if subset:
        sub = np.load(subset)
    if label:
        lab = np.load(label)
    if original:
        orig = _load(original)
    if sub is None:
        if split is None:
            raise DumpError(f"{out}: no subsets: pass --split or --subset")
        sub = _subsets_from_split(index, split, out)
    attrs = {"split_sha256": split.sha256} if split is not None and split.sha256 else {}
    return write_layout(out, views, np.asarray(index), sub, role, lab, orig, dtype, attrs)


def read_vissl_view(folder: str) -> tuple:
    """(index [n], features [n, D]) of one view's shards, rows sorted by index."""
    feats = sorted(glob.glob(os.path.join(folder, "*_features.npy")))
    if not feats:
        raise DumpError(f"{folder}: no *_features.npy shards")
    xs, ids = [], []
    for f in feats:
        inds = f[:-len("_features.npy")] + "_inds.npy"
        if not os.path.exists(inds):
            raise DumpError(f"{f}: its index shard {os.path.basename(inds)} is missing")
        x, i = np.load(f), np.load(inds).reshape(-1)
        if len(x) != len(i):
            raise DumpError(f"{f}: {len(x)} rows but {len(i)} indices")
        xs.append(x.reshape(len(x), -1))
        ids.append(i.astype(np.int64))
    index = np.concatenate(ids)
    order = np.argsort(index, kind="stable")
    return index[order], np.concatenate(xs)[order]


def from_vissl(folders: Sequence[str], out: str, *, role: str, split: Optional[Split] = None,
               dtype: str = "float16") -> str:
    """Writes `out` (layout v1, encoder `role`) from VISSL feature folders, one per view (module
    docstring); subsets from `split`. Returns `out`."""
    views: List[np.ndarray] = []
    index = None
    for folder in folders:
        i, x = read_vissl_view(folder)
        if index is None:
            index = i
        elif not np.array_equal(i, index):
            raise DumpError(f"{folder}: this view holds other indices than {folders[0]}")
        views.append(x)
    if split is None:
        raise DumpError(f"{out}: VISSL shards have no subsets: pass --split")
    if index is None:
        raise DumpError(f"{out}: no VISSL feature folder given")
    return write_layout(out, views, index, _subsets_from_split(index, split, out), role, dtype=dtype,
                        attrs={"split_sha256": split.sha256} if split.sha256 else {})

"""Streaming writer of a layout-v1 representations file (docs/layout.md).

Rows are buffered until a whole chunk of rows is full and then written, so memory holds at most
one chunk per dataset, whatever the number of points. Chunks hold whole rows ((rows, K, D…)),
filtered by shuffle + gzip. The file is written under a temporary name next to the target
(`outputs.temp_path`) and renamed only when every dataset is complete; on any error, Ctrl-C or
SIGTERM the temporary file is removed, so a failed dump leaves nothing. Every file carries the root
attribute `written_by = "sslmem-backend"` (what lets a later run replace it: `outputs.check_output`).
"""
from __future__ import annotations

import math
import os
from typing import TYPE_CHECKING, Any, ContextManager, Dict, Optional, Sequence, Tuple

import numpy as np

from .outputs import WRITTEN_BY, sigterm_raises, temp_path

if TYPE_CHECKING:  # the writer itself needs no torch
    import torch

#: Target bytes of one chunk; rows per chunk are at most 64 and at least 1.
CHUNK_BYTES = 4 << 20


class DumpError(ValueError):
    """A one-line, user-facing error naming the file, the point and/or the layer."""


class _Stream:
    def __init__(self, h5: Any, name: str, rows: int, tail: Tuple[int, ...], dtype: np.dtype,
                 level: Optional[int]) -> None:
        self.name, self.rows, self.tail, self.dtype = name, rows, tail, dtype
        row_bytes = max(1, int(np.prod(tail, dtype=np.int64)) * dtype.itemsize)
        self.chunk_rows = max(1, min(64, rows, CHUNK_BYTES // row_bytes))
        kw = dict(compression="gzip", compression_opts=level, shuffle=True) if level else {}
        self.ds = h5.create_dataset(name, shape=(rows,) + tail, dtype=dtype,
                                    chunks=(self.chunk_rows,) + tail if rows else None, track_times=False, **kw)
        self.buffer = np.empty((self.chunk_rows,) + tail, dtype=dtype)
        self.filled = 0
        self.written = 0

    def append(self, block: np.ndarray) -> None:
        start = 0
        while start < len(block):
            take = min(self.chunk_rows - self.filled, len(block) - start)
            self.buffer[self.filled:self.filled + take] = block[start:start + take]
            self.filled += take
            start += take
            if self.filled == self.chunk_rows:
                self.flush()

    def flush(self) -> None:
        if self.filled:
            if self.written + self.filled > self.rows:
                raise DumpError(f"/{self.name}: more rows than the {self.rows} announced")
            self.ds[self.written:self.written + self.filled] = self.buffer[:self.filled]
            self.written += self.filled
            self.filled = 0


class RepresentationsWriter:
    """`append(name, rows, indices)` streams float rows into dataset `name` (created on first
    use with the row shape of `rows`); each block is checked for NaN/Inf before and after the
    cast to the file's dtype (float16 overflows above 65504). `close()` checks that every
    dataset is complete and renames the temporary file; `abort()` removes it."""

    def __init__(self, path: str, dtype: str = "float16", level: int = 4, layer_level: int = 0):
        """level: gzip level (with shuffle) of /views and /dejavu, 0 = none; layer_level: of /layers,
        whose maps are far larger than the representation (default 0: compressing a conv map with
        gzip costs more CPU than the forward pass that made it)."""
        import h5py
        if dtype not in ("float16", "float32", "float64"):
            raise DumpError(f"{path}: dtype {dtype!r}: expected float16, float32 or float64")
        self.path = path
        self.dtype = np.dtype(dtype)
        self.level, self.layer_level = level, layer_level
        directory = os.path.dirname(os.path.abspath(path))
        if not os.path.isdir(directory):
            raise DumpError(f"{path}: folder {directory} does not exist")
        self.tmp = temp_path(path)
        self._sigterm: Optional[ContextManager[None]] = sigterm_raises()
        self._sigterm.__enter__()
        try:
            self.h5 = h5py.File(self.tmp, "w")
            self.h5.attrs["written_by"] = WRITTEN_BY
        except BaseException:
            self._sigterm.__exit__(None, None, None)
            raise
        self.streams: Dict[str, _Stream] = {}
        self.sizes: Dict[str, int] = {}

    def announce(self, name: str, rows: int) -> None:
        """Declares that dataset `name` will get exactly `rows` rows."""
        self.sizes[name] = rows

    def empty(self, name: str, tail: Tuple[int, ...]) -> None:
        """Creates dataset `name` with 0 rows of shape `tail` if no row was appended (a shard with no
        candidate or independent point still has /dejavu/crop [0, D])."""
        if name not in self.streams:
            self.streams[name] = _Stream(self.h5, name, 0, tuple(tail), self.dtype, None)

    def append(self, name: str, rows: np.ndarray, what: Sequence[str], checked: bool = False) -> None:
        """`what[r]` names row r in errors, e.g. "point 1234 (candidate)". checked=True: the caller
        has already checked the rows (finite, in the file's dtype; `checked_rows` does it in torch)."""
        if name not in self.streams:
            level = self.layer_level if name.startswith("layers/") else self.level
            self.streams[name] = _Stream(self.h5, name, self.sizes[name], tuple(rows.shape[1:]), self.dtype, level)
        stream = self.streams[name]
        if tuple(rows.shape[1:]) != stream.tail:
            raise DumpError(f"{self.path}: /{name}: {what[0]} has shape {tuple(rows.shape[1:])}, "
                            f"earlier rows {stream.tail}")
        if checked:
            stream.append(rows)
            return
        bad = ~np.isfinite(rows.reshape(len(rows), -1)).all(axis=1)
        if bad.any():
            raise DumpError(f"{self.path}: /{name}: {what[int(np.argmax(bad))]}: the encoder output has NaN or Inf")
        with np.errstate(over="ignore"):
            cast = rows.astype(self.dtype, copy=False)
        if self.dtype != rows.dtype:
            bad = ~np.isfinite(cast.reshape(len(cast), -1)).all(axis=1)
            if bad.any():
                raise DumpError(f"{self.path}: /{name}: {what[int(np.argmax(bad))]}: a value overflows {self.dtype} "
                                f"(largest {np.abs(rows).max():.3g}); use dtype float32")
        stream.append(cast)

    def small(self, name: str, data: np.ndarray, **attrs: object) -> None:
        """A small dataset written at once (indices, labels)."""
        ds = self.h5.create_dataset(name, data=data, track_times=False)
        for k, v in attrs.items():
            ds.attrs[k] = v

    def group_attrs(self, group: str, **attrs: object) -> None:
        """Sets attributes on a group (created when missing)."""
        g = self.h5.require_group(group)
        for k, v in attrs.items():
            g.attrs[k] = v

    def root_attrs(self, attrs: Dict[str, object]) -> None:
        """Sets the root attributes (None skipped; lists of strings as HDF5 string arrays)."""
        import h5py
        for k, v in attrs.items():
            if v is None:
                continue
            if isinstance(v, (list, tuple)) and all(isinstance(s, str) for s in v):
                v = np.array(v, dtype=h5py.string_dtype())
            self.h5.attrs[k] = v

    def close(self) -> None:
        """Flushes the streams, checks that every dataset got all its rows, closes the file and renames
        it from its temporary name to the output's."""
        for stream in self.streams.values():
            stream.flush()
        for name, rows in self.sizes.items():
            done = self.streams[name].written if name in self.streams else 0
            if done != rows:
                raise DumpError(f"{self.path}: /{name}: {done} of {rows} rows written")
        self.h5.close()
        os.replace(self.tmp, self.path)
        self._release()

    def _release(self) -> None:
        if self._sigterm is not None:
            sig, self._sigterm = self._sigterm, None
            sig.__exit__(None, None, None)

    def abort(self) -> None:
        """Closes the file without finishing it and removes its temporary file (the output is never written)."""
        try:
            self.h5.close()
        except Exception:
            pass
        try:
            if os.path.exists(self.tmp):
                os.unlink(self.tmp)
        finally:
            self._release()


#: The smallest magnitude each file dtype rounds to infinity (round to nearest even): float16's largest finite
#: value is 65504 = (2 − 2⁻¹⁰)·2¹⁵, so |x| ≥ 65504 + 16 overflows; float32's is (2 − 2⁻²³)·2¹²⁷, so
#: |x| ≥ 2¹²⁸ − 2¹⁰³ overflows; nothing finite overflows float64.
OVERFLOW = {np.dtype("float16"): 65520.0, np.dtype("float32"): 2.0 ** 128 - 2.0 ** 103,
            np.dtype("float64"): float("inf")}


def checked_rows(t: torch.Tensor, dtype: np.dtype, where: str, what: Sequence[str]) -> np.ndarray:
    """A torch tensor [rows, …] as a numpy array of `dtype`, after checking that every row is
    finite and that no value overflows `dtype` (`OVERFLOW`); errors name the first bad row with
    `what[r]`. One vectorized pass when the block is good: its minimum and maximum (a NaN makes
    both NaN, an infinity shows in one of them), compared with the overflow bound; only a bad
    block is searched row by row. float16 and bfloat16 outputs are widened to float32 first
    (exactly; torch has no CPU min/max kernel for them)."""
    import torch
    flat = t.flatten(1) if t.dim() > 1 else t.reshape(t.shape[0], 1)  # flatten also takes 0 rows
    if flat.dtype in (torch.float16, torch.bfloat16):
        flat = flat.float()
    stored = np.dtype(dtype)
    target = {np.dtype("float16"): torch.float16, np.dtype("float32"): torch.float32,
              np.dtype("float64"): torch.float64}[stored]
    if flat.numel():
        lo, hi = (float(v) for v in torch.aminmax(flat))
        if not (math.isfinite(lo) and math.isfinite(hi)):
            r = int((~torch.isfinite(flat)).any(dim=1).nonzero()[0])
            raise DumpError(f"{where}: {what[r]}: the encoder output has NaN or Inf")
        bound = OVERFLOW[stored]
        if hi >= bound or lo <= -bound:
            r = int((flat.abs() >= bound).any(dim=1).nonzero()[0])
            wider = "float32" if stored == np.dtype("float16") else "float64"
            raise DumpError(f"{where}: {what[r]}: a value overflows {stored} (largest "
                            f"{float(flat.abs().max()):.3g}); use dtype {wider}")
    return flat.to(target).numpy().reshape(tuple(t.shape))

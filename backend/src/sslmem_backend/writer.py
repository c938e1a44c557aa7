"""Streaming writer of a layout-v1 representations file (docs/layout.md).

Rows are buffered until a whole chunk of rows is full and then written, so memory holds at most
one chunk per dataset, whatever the number of points. Chunks hold whole rows ((rows, K, D…)),
filtered by shuffle + gzip. The file is written under a temporary name next to the target and
renamed only when every dataset is complete; on any error the temporary file is removed, so a
failed dump leaves nothing.
"""
from __future__ import annotations

import os
from typing import Dict, Optional, Sequence, Tuple

import numpy as np

#: Target bytes of one chunk; rows per chunk are at most 64 and at least 1.
CHUNK_BYTES = 4 << 20


class DumpError(ValueError):
    """A one-line, user-facing error naming the file, the point and/or the layer."""


class _Stream:
    def __init__(self, h5, name: str, rows: int, tail: Tuple[int, ...], dtype: np.dtype, compress: bool):
        self.name, self.rows, self.tail, self.dtype = name, rows, tail, dtype
        row_bytes = max(1, int(np.prod(tail, dtype=np.int64)) * dtype.itemsize)
        self.chunk_rows = max(1, min(64, rows, CHUNK_BYTES // row_bytes))
        kw = dict(compression="gzip", compression_opts=4, shuffle=True) if compress else {}
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

    def __init__(self, path: str, dtype: str = "float16", compress: Optional[bool] = None):
        import h5py
        if dtype not in ("float16", "float32", "float64"):
            raise DumpError(f"{path}: dtype {dtype!r}: expected float16, float32 or float64")
        self.path = path
        self.dtype = np.dtype(dtype)
        self.compress = True if compress is None else compress
        directory = os.path.dirname(os.path.abspath(path))
        if not os.path.isdir(directory):
            raise DumpError(f"{path}: folder {directory} does not exist")
        self.tmp = os.path.join(directory, f".{os.path.basename(path)}.tmp-{os.getpid()}")
        self.h5 = h5py.File(self.tmp, "w")
        self.streams: Dict[str, _Stream] = {}
        self.sizes: Dict[str, int] = {}

    def announce(self, name: str, rows: int) -> None:
        """Declares that dataset `name` will get exactly `rows` rows."""
        self.sizes[name] = rows

    def append(self, name: str, rows: np.ndarray, what: Sequence[str]) -> None:
        """`what[r]` names row r in errors, e.g. "point 1234 (candidate)"."""
        if name not in self.streams:
            self.streams[name] = _Stream(self.h5, name, self.sizes[name], tuple(rows.shape[1:]), self.dtype,
                                         self.compress)
        stream = self.streams[name]
        if tuple(rows.shape[1:]) != stream.tail:
            raise DumpError(f"{self.path}: /{name}: {what[0]} has shape {tuple(rows.shape[1:])}, "
                            f"earlier rows {stream.tail}")
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

    def small(self, name: str, data: np.ndarray, **attrs) -> None:
        """A small dataset written at once (indices, labels)."""
        ds = self.h5.create_dataset(name, data=data, track_times=False)
        for k, v in attrs.items():
            ds.attrs[k] = v

    def group_attrs(self, group: str, **attrs) -> None:
        g = self.h5.require_group(group)
        for k, v in attrs.items():
            g.attrs[k] = v

    def root_attrs(self, attrs: Dict[str, object]) -> None:
        import h5py
        for k, v in attrs.items():
            if v is None:
                continue
            if isinstance(v, (list, tuple)) and all(isinstance(s, str) for s in v):
                v = np.array(v, dtype=h5py.string_dtype())
            self.h5.attrs[k] = v

    def close(self) -> None:
        for name, stream in self.streams.items():
            stream.flush()
        for name, rows in self.sizes.items():
            done = self.streams[name].written if name in self.streams else 0
            if done != rows:
                raise DumpError(f"{self.path}: /{name}: {done} of {rows} rows written")
        self.h5.close()
        os.replace(self.tmp, self.path)

    def abort(self) -> None:
        try:
            self.h5.close()
        except Exception:
            pass
        if os.path.exists(self.tmp):
            os.unlink(self.tmp)

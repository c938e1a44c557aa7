"""Index lists for training on fewer points: `train --exclude LIST` (removal, paper Fig. 3 and
Table 14) and `train --only LIST` (coreset, Table 17), as `sslmem select` writes them.

A LIST is
- a text file with one dataset index per line (`top-500.txt`, `random-500.txt`; blank lines and
  `#` comments are skipped), or
- `selection.h5:NAME`, a list inside `sslmem select`'s selection file (docs/layout.md,
  "Selection"): NAME is the dataset path `top/500` or the text file's stem `top-500`.

Indices must be whole numbers >= 0 without repeats. The list's digest is the SHA-256 of its
canonical text — the indices in ascending order, one per line, each line ending in "\\n" — which
is the byte content of the `.txt` file select writes, so `top-500.txt` and
`selection.h5:top/500` give the same digest.
"""
from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from typing import Sequence, Union

import numpy as np


@dataclass(frozen=True, eq=False)
class IndexList:
    #: The list's name: the text file's stem (`top-500`) or the selection's `top-500` for `top/500`.
    name: str
    #: Where it was read from, as given.
    source: str
    #: The indices, ascending.
    indices: np.ndarray

    @property
    def sha256(self) -> str:
        """`list_sha256` of the indices (the digest recorded with a training run)."""
        return list_sha256(self.indices)

    def __len__(self) -> int:
        return len(self.indices)


def list_sha256(indices: Union[Sequence[int], np.ndarray]) -> str:
    """SHA-256 of the canonical text of a list (ascending, one index per line, "\\n" after each)."""
    text = "".join(f"{int(i)}\n" for i in np.sort(np.asarray(indices, np.int64)))
    return hashlib.sha256(text.encode()).hexdigest()


def _checked(values: Union[Sequence[int], np.ndarray], where: str) -> np.ndarray:
    a = np.asarray(values, np.int64)
    if a.size == 0:
        raise ValueError(f"{where}: the list is empty")
    if (a < 0).any():
        raise ValueError(f"{where}: index {int(a[a < 0][0])} is negative")
    s = np.sort(a)
    dup = s[1:][s[1:] == s[:-1]]
    if dup.size:
        raise ValueError(f"{where}: index {int(dup[0])} is listed twice")
    return s


def read_index_list(spec: str) -> IndexList:
    """The list named by `spec` (a text file, or `selection.h5:NAME`); one-line ValueError on bad input."""
    path, sep, name = spec.rpartition(":") if re.search(r"\.(h5|hdf5):[^:/\\][^:]*$", spec) else (spec, "", "")
    if sep:
        return _from_selection(path, name, spec)
    if not os.path.isfile(path):
        raise FileNotFoundError(f"{path}: no such list file")
    values = []
    with open(path, encoding="utf-8") as f:
        for line_no, line in enumerate(f, 1):
            text = line.split("#", 1)[0].strip()
            if not text:
                continue
            if not re.fullmatch(r"\d+", text):
                raise ValueError(f"{path}: line {line_no}: {text!r} is not a dataset index (a whole number >= 0)")
            values.append(int(text))
    stem = os.path.basename(path)
    stem = stem[:-4] if stem.endswith(".txt") else stem
    return IndexList(stem, spec, _checked(values, path))


def _from_selection(path: str, name: str, spec: str) -> IndexList:
    import h5py
    if not os.path.isfile(path):
        raise FileNotFoundError(f"{path}: no such selection file")
    key = name.strip("/")
    m = re.fullmatch(r"([A-Za-z_]+)-(\d+)", key)
    if m:
        key = f"{m.group(1)}/{m.group(2)}"
    try:
        h = h5py.File(path, "r")
    except OSError as e:
        raise ValueError(f"{path}: cannot open the selection file ({e})") from None
    with h:
        if _text(h.attrs.get("sslmem_format")) != "selection":
            raise ValueError(f"{path}: not a selection file (root attribute sslmem_format != 'selection')")
        if key not in h or not isinstance(h[key], h5py.Dataset):
            names = []
            h.visititems(lambda n, o: names.append(n) if isinstance(o, h5py.Dataset) else None)
            raise ValueError(f"{path}: no list {name!r} (lists: {', '.join(sorted(names)) or 'none'})")
        values = h[key][()]
    return IndexList(key.replace("/", "-"), spec, _checked(np.asarray(values).reshape(-1), f"{path}:{key}"))


def _text(value: object) -> str:
    """An HDF5 string attribute (scalar or one-element array, bytes or str) as str."""
    if isinstance(value, np.ndarray):
        if value.size != 1:
            return ""
        value = value.reshape(-1)[0]
    if isinstance(value, (bytes, np.bytes_)):
        return bytes(value).decode("utf-8", "replace")
    return str(value) if value is not None else ""

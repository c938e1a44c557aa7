"""BLAS threads held to torch's thread count.

torch built on a system OpenBLAS (Debian's python3-torch; conda builds on OpenBLAS) runs its
matrix products (`nn.Linear`, `matmul`) in OpenBLAS's own thread pool. That pool is sized by
OPENBLAS_NUM_THREADS or the core count, not by `torch.set_num_threads`; OpenBLAS splits a product
large enough over it, and after each such product its idle threads spin-wait for the next one. So
a process told to use one thread keeps a second core busy: the dump's forward passes (blocks of
2,304 inputs through the small CNN's fc layer) did, and the dump's writer thread competed with the
spinning BLAS thread (on the bench's 2-core machine the dump with four layers went from 70% to
85–96% of a bare forward when the pool was held to one). Training the small CNN with batches of
256 was not affected (its products stay on one thread; measured: CPU time = wall time).

`set_threads(n)` sets torch's intra-op threads and every loaded OpenBLAS's pool to n;
`blas_threads(n)` does the latter for a `with` block and restores the previous counts. Both find
the OpenBLAS libraries loaded in this process (Linux: /proc/self/maps; elsewhere none are found and
nothing changes) by their exported `openblas_set_num_threads` (also the `64_` and `scipy_` names
of ILP64 and scipy-openblas builds). MKL and oneDNN follow torch's thread count already.
"""
from __future__ import annotations

import contextlib
import ctypes
import os
import threading
from typing import Iterator, List, Tuple

#: (setter, getter) names exported by OpenBLAS builds: plain, ILP64 with suffix, scipy-openblas.
_NAMES = (("openblas_set_num_threads", "openblas_get_num_threads"),
          ("openblas_set_num_threads64_", "openblas_get_num_threads64_"),
          ("scipy_openblas_set_num_threads64_", "scipy_openblas_get_num_threads64_"))


class OpenBLAS:
    """One loaded OpenBLAS library: `path`, and its pool size through `threads` (get and set)."""

    def __init__(self, path: str, setter: "ctypes._NamedFuncPointer", getter: "ctypes._NamedFuncPointer") -> None:
        self.path = path
        self._set, self._get = setter, getter
        self._set.argtypes, self._set.restype = [ctypes.c_int], None
        self._get.argtypes, self._get.restype = [], ctypes.c_int

    @property
    def threads(self) -> int:
        return int(self._get())

    @threads.setter
    def threads(self, n: int) -> None:
        self._set(max(1, int(n)))


def loaded_openblas() -> List[OpenBLAS]:
    """The OpenBLAS libraries mapped into this process, one per file (Debian's libblas.so.3 and
    libopenblas are distinct copies with a pool each)."""
    try:
        with open("/proc/self/maps") as fh:
            paths = sorted({line.split(None, 5)[5].strip() for line in fh
                            if len(line.split(None, 5)) == 6 and "blas" in line.lower()})
    except OSError:
        return []
    found: List[OpenBLAS] = []
    seen = set()
    for path in paths:
        real = os.path.realpath(path)
        if real in seen or not os.path.isfile(real):
            continue
        seen.add(real)
        try:
            lib = ctypes.CDLL(path)  # already loaded: the same handle, no second copy
        except OSError:
            continue
        for set_name, get_name in _NAMES:
            if hasattr(lib, set_name) and hasattr(lib, get_name):
                found.append(OpenBLAS(path, getattr(lib, set_name), getattr(lib, get_name)))
                break
    return found


def set_threads(n: int) -> None:
    """torch's intra-op threads and every loaded OpenBLAS pool set to `n` (at least 1)."""
    import torch
    n = max(1, int(n))
    torch.set_num_threads(n)
    for lib in loaded_openblas():
        lib.threads = n


_lock = threading.Lock()
_depth = 0
_saved: List[Tuple[OpenBLAS, int]] = []


@contextlib.contextmanager
def blas_threads(n: int) -> Iterator[None]:
    """Every loaded OpenBLAS pool at `n` threads inside the block, restored to its count after. The pools are
    process-wide: blocks that overlap (dumps in threads of one process) share them, the latest entry's `n`
    holds, and the counts from before the first block are restored when the last one ends."""
    global _depth, _saved
    with _lock:
        if _depth == 0:
            _saved = [(lib, lib.threads) for lib in loaded_openblas()]
        _depth += 1
        for lib, _ in _saved:
            lib.threads = n
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0:
                for lib, count in _saved:
                    lib.threads = count


__all__ = ["OpenBLAS", "loaded_openblas", "set_threads", "blas_threads"]

"""The backend's rules for the files it writes: the project's "Your files are safe" (README).

- An output never replaces an input, by path or through a link (same inode): always refused.
- An existing output file is replaced only when it is an earlier sslmem-backend output of the same
  kind (an HDF5 file whose root attributes say `sslmem_format = <kind>` and
  `written_by = "sslmem-backend"`); anything else needs `overwrite=True` (`--force`).
- Files are written under a temporary name next to the target, `.<name>.tmp-<host>-<pid>`, and
  renamed at the end; an error, Ctrl-C or SIGTERM (Slurm's time limit) removes it
  (`TempOutput`). A process killed with SIGKILL cannot clean up: the next run of the same output
  removes the temporary files of that output whose process (on this host) is gone.
- `train --out` is a folder carrying the marker `.sslmem-backend-train`; a new run into it first
  removes what an earlier run wrote there (`encoder.pt`, `log.json`, `checkpoints/epochN.pt`), so
  no stale checkpoint of an earlier run stays beside the new ones. A non-empty folder without the
  marker is refused unless forced.
"""
from __future__ import annotations

import contextlib
import glob
import os
import re
import signal
import socket
import threading
from types import FrameType
from typing import Any, Callable, Iterator, List, Optional, Sequence, Union

#: Root attribute `written_by` of every HDF5 file the backend writes.
WRITTEN_BY = "sslmem-backend"
#: The marker file of a `train --out` folder.
TRAIN_MARKER = ".sslmem-backend-train"

_TEMP = re.compile(r"^\.(?P<name>.+)\.tmp-(?P<host>[^-]*)-(?P<pid>\d+)$")
_CHECKPOINT = re.compile(r"^epoch(\d+)\.pt$")


class OutputError(ValueError):
    """A one-line refusal to write an output (names the output and the reason)."""


def temp_path(path: str) -> str:
    """The temporary name of `path` for this process: `.<name>.tmp-<host>-<pid>` in its folder."""
    directory, name = os.path.split(os.path.abspath(path))
    return os.path.join(directory, f".{name}.tmp-{_host()}-{os.getpid()}")


def _host() -> str:
    return re.sub(r"[^A-Za-z0-9_.]", "_", socket.gethostname().split(".")[0])


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_stale_temps(path: str) -> List[str]:
    """Removes the temporary files of `path` left by processes of this host that are gone (a run
    killed with SIGKILL); returns their paths. Files of live processes and of other hosts stay."""
    directory, name = os.path.split(os.path.abspath(path))
    removed = []
    for candidate in glob.glob(os.path.join(glob.escape(directory), f".{glob.escape(name)}.tmp-*")):
        m = _TEMP.match(os.path.basename(candidate))
        if not m or m.group("name") != name or m.group("host") != _host():
            continue
        pid = int(m.group("pid"))
        if pid != os.getpid() and not _alive(pid):
            with contextlib.suppress(FileNotFoundError):
                os.unlink(candidate)
            removed.append(candidate)
    return removed


def _same_file(a: str, b: str) -> bool:
    if os.path.realpath(a) == os.path.realpath(b):
        return True
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def is_backend_output(path: str, kind: str) -> bool:
    """Whether `path` is an HDF5 file the backend wrote with `sslmem_format = kind`."""
    try:
        import h5py
        with h5py.File(path, "r") as h:
            fmt, by = h.attrs.get("sslmem_format"), h.attrs.get("written_by")
    except Exception:
        return False
    decode = (lambda v: v.decode() if isinstance(v, bytes) else v)
    if decode(fmt) != kind:
        return False
    return kind == "split" or decode(by) == WRITTEN_BY  # only the backend writes split files


def check_output(path: str, kind: str, inputs: Sequence[Optional[str]] = (), overwrite: bool = False) -> None:
    """Raises OutputError unless `path` may be written as an output of `kind` ("representations",
    "split", "images"): never one of `inputs` (path or inode), never a folder, and an existing file
    only when it is an earlier backend output of that kind or `overwrite` is true. Also removes
    stale temporary files of `path` (see `remove_stale_temps`)."""
    for inp in inputs:
        if inp and os.path.exists(inp) and _same_file(path, inp):
            raise OutputError(f"{path}: is the input {inp}; an output never replaces an input (choose another --out)")
    if os.path.isdir(path):
        raise OutputError(f"{path}: is a folder; --out names the {kind} file to write")
    directory = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(directory):
        raise OutputError(f"{path}: folder {directory} does not exist")
    if os.path.lexists(path) and not overwrite and not is_backend_output(path, kind):
        raise OutputError(f"{path}: exists and is not a {kind} file sslmem-backend wrote; "
                          "pass --force (overwrite=True) to replace it")
    remove_stale_temps(path)


# --- temporary outputs and SIGTERM ---------------------------------------------------------------

class Terminated(SystemExit):
    """Raised in the main thread by SIGTERM while an output is being written, so that its temporary
    file is removed as on Ctrl-C; exits with status 143 (128 + SIGTERM) when not caught."""

    def __init__(self) -> None:
        super().__init__(128 + signal.SIGTERM)


_sigterm_depth = 0
_sigterm_lock = threading.Lock()
#: What `signal.signal` accepts and returns (None: a handler not installed from Python).
_Handler = Union[Callable[[int, Optional[FrameType]], Any], int, signal.Handlers, None]
_previous_handler: _Handler = None


def _raise_terminated(signum: int, frame: Any) -> None:  # noqa: ARG001
    raise Terminated()


@contextlib.contextmanager
def sigterm_raises() -> Iterator[None]:
    """While active (main thread only; elsewhere a no-op), SIGTERM raises `Terminated` instead of
    killing the process at once, so `finally`/`except` blocks remove temporary files. A handler the
    program installed itself (not the default) is left alone."""
    global _sigterm_depth, _previous_handler
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    with _sigterm_lock:
        install = _sigterm_depth == 0 and signal.getsignal(signal.SIGTERM) in (signal.SIG_DFL, None)
        if install:
            _previous_handler = signal.signal(signal.SIGTERM, _raise_terminated)
        if install or _sigterm_depth:
            _sigterm_depth += 1
        active = install or _sigterm_depth > 0
    try:
        yield
    finally:
        if active:
            with _sigterm_lock:
                _sigterm_depth -= 1
                if _sigterm_depth == 0:
                    signal.signal(signal.SIGTERM, _previous_handler or signal.SIG_DFL)


class TempOutput:
    """`with TempOutput(path) as tmp:` write `tmp`; on success it is renamed to `path` (call
    `commit()` inside the block, or it is renamed at a clean exit); on any error, Ctrl-C or SIGTERM it
    is removed."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.tmp = temp_path(path)
        self._sigterm = sigterm_raises()

    def __enter__(self) -> str:
        self._sigterm.__enter__()
        return self.tmp

    def commit(self) -> None:
        """Renames the temporary file to the output's name."""
        os.replace(self.tmp, self.path)

    def discard(self) -> None:
        """Removes the temporary file (if any)."""
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self.tmp)

    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> None:
        try:
            if exc_type is None and os.path.exists(self.tmp):
                self.commit()
            else:
                self.discard()
        finally:
            self._sigterm.__exit__(exc_type, exc, tb)


# --- train --out folders -------------------------------------------------------------------------

def checkpoint_name(epoch: int, epochs: int = 0) -> str:
    """`epochNNN.pt`: the epoch with at least three digits, and as many as the run's `epochs` has, so that
    names sort in epoch order (epoch 12 of 1500 → epoch0012.pt; epoch 1200 → epoch1200.pt)."""
    return f"epoch{int(epoch):0{max(3, len(str(int(epochs))))}d}.pt"


def checkpoint_epoch(name: str) -> Optional[int]:
    """The epoch of a checkpoint file name `epochN.pt` (any number of digits), else None."""
    m = _CHECKPOINT.match(os.path.basename(name))
    return int(m.group(1)) if m else None


def _train_files(out: str) -> List[str]:
    """What a training run writes into `out` (and its temporary names), where present."""
    files = [os.path.join(out, n) for n in ("encoder.pt", "log.json", "resume.pt", "encoder.pt.tmp", "log.json.tmp",
                                           "resume.pt.tmp")]
    ck = os.path.join(out, "checkpoints")
    if os.path.isdir(ck):
        files += [os.path.join(ck, n) for n in os.listdir(ck)
                  if checkpoint_epoch(n[:-4] if n.endswith(".tmp") else n) is not None]
    return [f for f in files if os.path.lexists(f)]


def prepare_train_dir(out: str, *, inputs: Sequence[Optional[str]] = (), force: bool = False,
                      resume: bool = False) -> List[str]:
    """Makes `out` ready for a training run and returns the files of an earlier run it removed.

    A new or empty folder gets the marker; a folder with the marker loses what an earlier run wrote
    there (encoder.pt, log.json, checkpoints/epochN.pt), unless `resume` (the run continues from
    them); a non-empty folder without the marker is refused unless `force` (then, too, only files
    with those names are removed). A folder that holds an input (the split, the dataset) is
    always refused."""
    for inp in inputs:
        if inp and os.path.exists(inp):
            real = os.path.realpath(inp)
            if os.path.isdir(out) and os.path.commonpath([real, os.path.realpath(out)]) == os.path.realpath(out):
                raise OutputError(f"{out}: holds the input {inp}; train into a folder of its own")
    if os.path.exists(out) and not os.path.isdir(out):
        raise OutputError(f"{out}: exists and is not a folder")
    os.makedirs(os.path.join(out, "checkpoints"), exist_ok=True)
    marker = os.path.join(out, TRAIN_MARKER)
    entries = [e for e in os.listdir(out) if e not in (TRAIN_MARKER, "checkpoints")]
    entries += [os.path.join("checkpoints", e) for e in os.listdir(os.path.join(out, "checkpoints"))]
    if entries and not os.path.exists(marker) and not force:
        raise OutputError(f"{out}: a non-empty folder that sslmem-backend train did not write (no {TRAIN_MARKER}); "
                          "choose a new folder or pass --force")
    removed: List[str] = []
    if not resume:
        for f in _train_files(out):
            os.unlink(f)
            removed.append(f)
    with open(marker, "w") as fh:
        fh.write("sslmem-backend train output: encoder.pt, log.json, checkpoints/epochN.pt\n")
    return removed


def check_training_run(epochs: int, batch_size: int, n_train: int) -> None:
    """Raises ValueError for a training run that would save an untrained encoder: epochs < 1, a batch
    size < 2 (a contrastive or variance loss needs two images per batch), or fewer than 2 training
    points."""
    if epochs < 1:
        raise ValueError(f"--epochs {epochs}: need at least 1 (0 would save an untrained encoder)")
    if batch_size < 2:
        raise ValueError(f"--batch-size {batch_size}: need at least 2 (the SSL losses compare images within a batch)")
    if n_train < 2:
        raise ValueError(f"{n_train} training point(s): need at least 2")


def available_cpus() -> int:
    """CPUs this process may run on (os.sched_getaffinity where the platform has it, else
    os.cpu_count())."""
    if hasattr(os, "sched_getaffinity"):
        try:
            return max(1, len(os.sched_getaffinity(0)))
        except OSError:
            pass
    return max(1, os.cpu_count() or 1)


def check_sslmem_binary(path: str) -> None:
    """Raises OutputError unless `path` is an executable file (checked before a long training run)."""
    if not (os.path.isfile(path) and os.access(path, os.X_OK)):
        raise OutputError(f"{path}: the sslmem binary is missing or not executable; build it "
                          "(swift build -c release --product sslmem) or pass --sslmem PATH")


__all__ = ["OutputError", "WRITTEN_BY", "TRAIN_MARKER", "temp_path", "remove_stale_temps", "is_backend_output",
           "check_output", "Terminated", "sigterm_raises", "TempOutput", "checkpoint_name", "checkpoint_epoch",
           "prepare_train_dir", "check_training_run", "available_cpus", "check_sslmem_binary"]

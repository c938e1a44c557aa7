"""The split of a dataset into the subsets of SSLMem (Wang et al., ICLR 2024, Sec. 3).

Dataset indices 0..n_train-1 are training points, n_train..n_train+n_test-1 test points.
From the training points: S_S shared (both encoders train on them), S_C candidates (only f),
S_I independent (only g). From the test points: S_E extra (neither) and the labelled public set
of the Déjà Vu attack (neither). The subsets are disjoint; the draw is a seeded permutation, so
(n_train, n_test, sizes, seed) fix the split. Each subset is stored in ascending index order.
"""
from __future__ import annotations

import dataclasses
import hashlib
import os
from dataclasses import dataclass, field
from typing import Dict, Optional

import numpy as np

from .subsets import SUBSETS  # `/points/subset` codes of layout v1 (the Subset enum)

SPLIT_FORMAT = "split"


@dataclass(frozen=True, eq=False)
class Split:
    """The subsets of a split (ascending dataset indices) and where it came from. Immutable: `save`
    returns the file's digest and `Split.load` (or `with_sha256`) gives the split that records it."""

    n_train: int
    n_test: int
    seed: int
    shared: np.ndarray
    candidate: np.ndarray
    independent: np.ndarray
    extra: np.ndarray
    public: np.ndarray
    #: SHA-256 (hex) of the file it was loaded from or saved to; recorded in every dump.
    sha256: Optional[str] = field(default=None, compare=False)

    def __eq__(self, other: object) -> bool:
        """Same sizes, seed and subsets (the recorded sha256 is not compared)."""
        if not isinstance(other, Split):
            return NotImplemented
        return ((self.n_train, self.n_test, self.seed) == (other.n_train, other.n_test, other.seed)
                and all(np.array_equal(self.subset(n), other.subset(n)) for n in SUBSETS + ("public",)))

    def subset(self, name: str) -> np.ndarray:
        """The ascending dataset indices of subset `name` (one of SUBSETS, or "public")."""
        if name not in SUBSETS and name != "public":
            raise ValueError(f"unknown subset {name!r}")
        return getattr(self, name)

    def training_indices(self, role: str) -> np.ndarray:
        """What an encoder of `role` trains on: f on shared + candidate, g on shared + independent."""
        own = {"f": self.candidate, "g": self.independent}
        if role not in own:
            raise ValueError(f"role {role!r}: expected 'f' or 'g'")
        return np.sort(np.concatenate([self.shared, own[role]]))

    def points(self) -> Dict[str, np.ndarray]:
        """Indices and subset codes of all dumped points, subsets in code order."""
        index = np.concatenate([self.subset(s) for s in SUBSETS]).astype(np.int64)
        code = np.concatenate([np.full(len(self.subset(s)), c, np.uint8) for c, s in enumerate(SUBSETS)])
        return {"index": index, "subset": code}

    def with_sha256(self, digest: Optional[str]) -> "Split":
        """This split recording `digest` as the SHA-256 of its file (a copy; splits are immutable)."""
        return dataclasses.replace(self, sha256=digest)

    def save(self, path: str) -> str:
        """Writes the split (docs/layout.md, "Split file") and returns its SHA-256.
        Same split, same bytes: no timestamps are stored. The split itself is unchanged: the one that
        records the digest is `self.with_sha256(digest)` (or `Split.load(path)`)."""
        import h5py

        from .outputs import TempOutput
        with TempOutput(path) as tmp:
            with h5py.File(tmp, "w", track_order=False) as h:
                h.attrs["sslmem_format"] = SPLIT_FORMAT
                h.attrs["sslmem_format_version"] = 1
                h.attrs["n_train"] = np.int64(self.n_train)
                h.attrs["n_test"] = np.int64(self.n_test)
                h.attrs["seed"] = np.int64(self.seed)
                for name in SUBSETS + ("public",):
                    h.create_dataset(name, data=np.asarray(self.subset(name), np.int64), track_times=False)
        return file_sha256(path)

    @staticmethod
    def load(path: str) -> "Split":
        """The split in `path`, validated, recording the file's SHA-256; ValueError naming the file and
        the dataset when it is not a valid split file."""
        import h5py
        try:
            h = h5py.File(path, "r")
        except OSError as e:
            raise ValueError(f"{path}: cannot open the split file ({e})") from None
        with h:
            if h.attrs.get("sslmem_format") != SPLIT_FORMAT:
                raise ValueError(f"{path}: not a split file (root attribute sslmem_format != 'split')")
            arrays = {}
            for name in SUBSETS + ("public",):
                if name not in h:
                    raise ValueError(f"{path}: dataset /{name} is missing")
                arrays[name] = h[name][()].astype(np.int64)
            split = Split(int(h.attrs["n_train"]), int(h.attrs["n_test"]), int(h.attrs["seed"]), **arrays)
        split.validate(path)
        return split.with_sha256(file_sha256(path))

    def validate(self, where: str = "split") -> None:
        """Raises ValueError naming `where` when an index is outside its range (training subsets in
        0..n_train−1, extra and public in the test range) or in two subsets."""
        seen: Dict[int, str] = {}
        for name in SUBSETS + ("public",):
            test = name in ("extra", "public")
            lo, hi = (self.n_train, self.n_train + self.n_test) if test else (0, self.n_train)
            for i in self.subset(name):
                if not lo <= i < hi:
                    raise ValueError(f"{where}: {name} index {i} is outside {lo}..{hi - 1}")
                if int(i) in seen:
                    raise ValueError(f"{where}: index {i} is in both {seen[int(i)]} and {name}")
                seen[int(i)] = name


def make_split(n_train: int, n_test: int = 0, *, shared: int = 40000, candidate: int = 5000,
               independent: int = 5000, extra: int = 0, public: int = 0, seed: int = 0) -> Split:
    """Draws disjoint subsets: shared, candidate and independent from a permutation of the
    training indices (in that order), extra and public from a permutation of the test indices.
    Defaults follow the paper on CIFAR-10 (40,000 / 5,000 / 5,000 of 50,000 training images);
    pass extra=5000 for its 5,000 extra points from the test set."""
    need_train, need_test = shared + candidate + independent, extra + public
    if min(shared, candidate, independent, extra, public) < 0:
        raise ValueError("subset sizes must be >= 0")
    if need_train > n_train:
        raise ValueError(f"shared + candidate + independent = {need_train} > {n_train} training points")
    if need_test > n_test:
        raise ValueError(f"extra + public = {need_test} > {n_test} test points")
    rng = np.random.default_rng(seed)
    train = rng.permutation(n_train)
    test = n_train + rng.permutation(n_test) if n_test else np.zeros(0, np.int64)
    cut = np.cumsum([shared, candidate, independent])
    parts = np.split(train[:need_train], cut[:-1])
    t = np.split(test[:need_test], [extra])
    shared_i, candidate_i, independent_i, extra_i, public_i = (np.sort(p).astype(np.int64) for p in parts + t)
    s = Split(n_train, n_test, seed, shared_i, candidate_i, independent_i, extra_i, public_i)
    s.validate()
    return s


def file_sha256(path: str) -> str:
    """The SHA-256 (hex) of the file's bytes."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def export_training_indices(split: Split, directory: str) -> Dict[str, str]:
    """Writes `f_train.txt` (shared + candidate) and `g_train.txt` (shared + independent) into
    `directory`: the dataset indices each encoder trains on, ascending, one per line (as
    `sslmem select` writes its lists), for a trainer of one's own. A file already there is
    left alone when it holds the same list and refused otherwise (nothing is written then).
    Returns {role: path}."""
    texts = {role: "".join(f"{int(i)}\n" for i in split.training_indices(role)) for role in ("f", "g")}
    paths = {role: os.path.join(directory, f"{role}_train.txt") for role in texts}
    for role, path in paths.items():
        if os.path.lexists(path):
            with open(path) as f:
                if f.read() != texts[role]:
                    raise ValueError(f"{path}: already exists with other indices (another split?): "
                                     f"remove it or export into another folder")
    os.makedirs(directory, exist_ok=True)
    for role, path in paths.items():
        tmp = f"{path}.tmp-{os.getpid()}"
        try:
            with open(tmp, "w") as f:
                f.write(texts[role])
            os.replace(tmp, path)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
    return paths

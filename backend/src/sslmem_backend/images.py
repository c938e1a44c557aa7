"""The optional images file (docs/layout.md, "Images file") of a split's points."""
from __future__ import annotations

import os
from typing import Optional

import numpy as np

from .split import SUBSETS, Split


def write_images(dataset, split: Split, path: str, points_per_subset: Optional[int] = None) -> str:
    import h5py
    ids = np.concatenate([np.asarray(split.subset(s))[:points_per_subset] for s in SUBSETS]).astype(np.int64)
    ids.sort()
    pixels = np.stack([dataset.pixels(int(i)) for i in ids])
    labels = np.array([int(dataset.labels[int(i)]) for i in ids], np.int64)
    tmp = f"{path}.tmp-{os.getpid()}"
    try:
        with h5py.File(tmp, "w") as h:
            h.attrs["sslmem_format"] = "images"
            h.attrs["sslmem_format_version"] = np.int64(1)
            h.attrs["dataset"] = getattr(dataset, "name", "dataset")
            h.create_dataset("index", data=ids, track_times=False)
            h.create_dataset("pixels", data=pixels, compression="gzip", compression_opts=4, track_times=False)
            lab = h.create_dataset("label", data=labels, track_times=False)
            if getattr(dataset, "classes", ()):
                lab.attrs["names"] = np.array(list(dataset.classes), dtype=h5py.string_dtype())
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return path

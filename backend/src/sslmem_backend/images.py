"""The optional images file (docs/layout.md, "Images file") of a split's points."""
from __future__ import annotations

from typing import Any, Optional, Sequence

import numpy as np

from .outputs import WRITTEN_BY, TempOutput, check_output
from .split import Split
from .subsets import SUBSETS


def write_images(dataset: Any, split: Split, path: str, points_per_subset: Optional[int] = None, *,
                 overwrite: bool = False, inputs: Sequence[str] = ()) -> str:
    """Writes the images file (pixels [N,H,W(,C)] uint8, labels, class names) of the split's points
    (the first `points_per_subset` of each subset), sorted by index; `dataset.pixels(i)` gives the
    pixels. Same output rules as a dump (`outputs.check_output`, kind "images")."""
    import h5py
    check_output(path, "images", inputs, overwrite)
    ids = np.concatenate([np.asarray(split.subset(s))[:points_per_subset] for s in SUBSETS]).astype(np.int64)
    ids.sort()
    pixels = np.stack([dataset.pixels(int(i)) for i in ids])
    labels = np.array([int(dataset.labels[int(i)]) for i in ids], np.int64)
    with TempOutput(path) as tmp:
        with h5py.File(tmp, "w") as h:
            h.attrs["sslmem_format"] = "images"
            h.attrs["sslmem_format_version"] = np.int64(1)
            h.attrs["written_by"] = WRITTEN_BY
            h.attrs["dataset"] = getattr(dataset, "name", "dataset")
            h.create_dataset("index", data=ids, track_times=False)
            h.create_dataset("pixels", data=pixels, compression="gzip", compression_opts=4, track_times=False)
            lab = h.create_dataset("label", data=labels, track_times=False)
            if getattr(dataset, "classes", ()):
                lab.attrs["names"] = np.array(list(dataset.classes), dtype=h5py.string_dtype())
    return path

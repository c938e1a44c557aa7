"""Datasets from local files only (no downloads). Each maps a dataset index to (image, label):
the training images first (indices 0..n_train-1), then the test images (n_train…), images as
float tensors [C,H,W] in [0, 1]. `pixels(i)` gives the uint8 image for the images file.

- `fashion-mnist`: Debian's dataset-fashion-mnist (/usr/share/datasets/fashion-mnist, the four
  idx .gz files), 60,000 + 10,000 images 28×28.
- `cifar10:PATH` (or `--data-root`): the "CIFAR-10 python version" folder (data_batch_1…5,
  test_batch), 50,000 + 10,000 images 32×32×3.
- `folder:PATH`: an image folder (one sub-folder per class, torchvision's ImageFolder order),
  all training points (n_test = 0), resized to `size` × `size`.
"""
from __future__ import annotations

import gzip
import math
import os
import pickle
from typing import Optional, Sequence, Tuple

import numpy as np
import torch

FASHION_MNIST_ROOT = "/usr/share/datasets/fashion-mnist"
FASHION_MNIST_CLASSES = ("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker",
                         "Bag", "Ankle boot")
CIFAR10_CLASSES = ("airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck")


class ArrayDataset:
    """uint8 images [N,H,W] or [N,H,W,C] and int64 labels; the first n_train are training points."""

    def __init__(self, images: np.ndarray, labels: np.ndarray, n_train: int, classes: Sequence[str] = (),
                 name: str = "arrays", mean: Optional[Sequence[float]] = None,
                 std: Optional[Sequence[float]] = None) -> None:
        self.images, self.labels = images, labels.astype(np.int64)
        self.n_train, self.n_test = n_train, len(images) - n_train
        self.classes, self.name = tuple(classes), name
        self.channels = 1 if images.ndim == 3 else images.shape[3]
        self.mean = mean or [float(images[:n_train].mean()) / 255] * self.channels
        self.std = std or [float(images[:n_train].std()) / 255] * self.channels

    def __len__(self) -> int:
        return len(self.images)

    def __getitem__(self, i: int) -> Tuple[torch.Tensor, int]:
        if not 0 <= i < len(self.images):
            raise IndexError(f"{self.name}: index {i} outside 0..{len(self.images) - 1}")
        return self.tensor(self.images[i]), int(self.labels[i])

    @staticmethod
    def tensor(img: np.ndarray) -> torch.Tensor:
        """A uint8 image [H, W] or [H, W, C] as a float tensor [C, H, W] in [0, 1]."""
        t = torch.from_numpy(np.ascontiguousarray(img)).float().div_(255)
        return t.unsqueeze(0) if t.dim() == 2 else t.permute(2, 0, 1).contiguous()

    def batch(self, indices: Sequence[int] | np.ndarray) -> torch.Tensor:
        """Images [B,C,H,W] of several indices at once (training)."""
        x = torch.from_numpy(self.images[np.asarray(indices)]).float().div_(255)
        return x.unsqueeze(1) if x.dim() == 3 else x.permute(0, 3, 1, 2).contiguous()

    def pixels(self, i: int) -> np.ndarray:
        """The uint8 image of index i, as stored (for the images file)."""
        return self.images[i]


def _idx(path: str) -> np.ndarray:
    with gzip.open(path, "rb") as f:
        data = f.read()
    dims = data[3]
    shape = tuple(int.from_bytes(data[4 + 4 * k:8 + 4 * k], "big") for k in range(dims))
    return np.frombuffer(data, np.uint8, offset=4 + 4 * dims).reshape(shape)


def fashion_mnist(root: Optional[str] = None) -> ArrayDataset:
    """Fashion-MNIST from the four idx .gz files in `root` (Debian's dataset-fashion-mnist by default)."""
    root = root or FASHION_MNIST_ROOT
    names = ("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz",
             "t10k-labels-idx1-ubyte.gz")
    for n in names:
        if not os.path.exists(os.path.join(root, n)):
            raise FileNotFoundError(f"{os.path.join(root, n)}: missing; install Debian's dataset-fashion-mnist "
                                    "(make backend) or pass --data-root")
    xtr, ytr, xte, yte = (_idx(os.path.join(root, n)) for n in names)
    return ArrayDataset(np.concatenate([xtr, xte]), np.concatenate([ytr, yte]), len(xtr), FASHION_MNIST_CLASSES,
                        "fashion-mnist", mean=[0.2860], std=[0.3530])


def cifar10(root: str) -> ArrayDataset:
    """CIFAR-10 from its python-version folder `root` (data_batch_1…5, test_batch)."""
    def load(name: str) -> Tuple[np.ndarray, np.ndarray]:
        path = os.path.join(root, name)
        if not os.path.exists(path):
            raise FileNotFoundError(f"{path}: missing; expected the CIFAR-10 python folder (cifar-10-batches-py)")
        with open(path, "rb") as f:
            d = pickle.load(f, encoding="bytes")
        return d[b"data"].reshape(-1, 3, 32, 32).transpose(0, 2, 3, 1), np.array(d[b"labels"])
    parts = [load(f"data_batch_{k}") for k in range(1, 6)] + [load("test_batch")]
    x = np.concatenate([p[0] for p in parts])
    y = np.concatenate([p[1] for p in parts])
    return ArrayDataset(x, y, 50000, CIFAR10_CLASSES, "cifar10", mean=[0.4914, 0.4822, 0.4465],
                        std=[0.2470, 0.2435, 0.2616])


def image_folder(root: str, size: int = 32) -> ArrayDataset:
    """An image folder (one sub-folder per class, ImageFolder order), resized to `size` × `size`;
    all points are training points."""
    from PIL import Image
    classes = sorted(d for d in os.listdir(root) if os.path.isdir(os.path.join(root, d)))
    if not classes:
        raise FileNotFoundError(f"{root}: no class sub-folders")
    images, labels = [], []
    for c, name in enumerate(classes):
        for f in sorted(os.listdir(os.path.join(root, name))):
            if f.lower().endswith((".png", ".jpg", ".jpeg", ".bmp", ".ppm", ".webp")):
                img = Image.open(os.path.join(root, name, f)).convert("RGB").resize((size, size), Image.BILINEAR)
                images.append(np.asarray(img))
                labels.append(c)
    return ArrayDataset(np.stack(images), np.array(labels), len(images), classes, f"folder:{root}")


def load_dataset(spec: str, root: Optional[str] = None) -> ArrayDataset:
    """fashion-mnist | cifar10 (with root) | cifar10:PATH | folder:PATH."""
    if spec == "fashion-mnist":
        return fashion_mnist(root)
    if spec == "cifar10" or spec.startswith("cifar10:"):
        path = spec.partition(":")[2] or root
        if not path:
            raise ValueError("cifar10 needs a folder: --dataset cifar10:PATH")
        return cifar10(path)
    if spec.startswith("folder:"):
        return image_folder(spec.partition(":")[2])
    raise ValueError(f"dataset {spec!r}: expected fashion-mnist, cifar10:PATH or folder:PATH")


def label_of(label: object, where: str) -> int:
    """The integer class label of a dataset item (None → -1, "no label"). Accepts Python and numpy
    integers, 0-d integer tensors/arrays and floats that are whole numbers; refuses, in one line
    naming `where` (the point), strings, one-hot or other vectors, booleans and non-integer floats
    (never truncated)."""
    import numbers
    if label is None:
        return -1
    if isinstance(label, torch.Tensor) or isinstance(label, np.ndarray):
        if label.ndim == 0:
            label = label.reshape(()).item()
        else:
            shape = list(label.shape)
            raise ValueError(f"{where}: the label is a vector {shape} (one-hot?); the dump needs an integer class "
                             "label: return int(label.argmax()) from the dataset")
    if isinstance(label, bool) or isinstance(label, np.bool_):
        raise ValueError(f"{where}: the label is a boolean; the dump needs an integer class label")
    if isinstance(label, numbers.Integral):
        return int(label)
    if isinstance(label, numbers.Real):
        if float(label).is_integer():
            return int(math.trunc(label))
        raise ValueError(f"{where}: the label {label!r} is not a whole number; the dump needs an integer class label")
    raise ValueError(f"{where}: the label {label!r} is a {type(label).__name__}; the dump needs an integer class "
                     "label (map class names to 0, 1, …)")

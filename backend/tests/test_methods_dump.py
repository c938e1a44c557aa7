"""Each new method trains f and g for a few epochs on tiny data (the loop of methods/base.py's
contract, `paper` augmentations), its encoders dump in layout v1, and `sslmem score` scores them."""
import csv
import math

import pytest
import torch
from conftest import tiny_dataset

from sslmem_backend.augment import PaperAugment
from sslmem_backend.dump import dump_representations
from sslmem_backend.methods import METHODS
from sslmem_backend.models import SmallCNN
from sslmem_backend.split import make_split
from sslmem_backend.views import Normalize
from sslmem_backend.vit import ViT

OPTIONS = {
    "dino": dict(out_dim=64, hidden=32, bottleneck=16, local_crops=2),
    "byol": dict(proj_hidden=32, proj_dim=16, pred_hidden=32),
    "simsiam": dict(proj_hidden=32, proj_dim=32, pred_hidden=8),
    "mae": dict(decoder_dim=16, decoder_depth=1, decoder_heads=2),
}
ENCODERS = {"dino": "vit", "mae": "vit", "byol": "cnn", "simsiam": "cnn"}


def train_tiny(name, ds, indices, epochs=2, batch=32, seed=0):
    """The trainer's loop as base.py states it, in miniature."""
    torch.manual_seed(seed)
    encoder = ViT(12, 4, 1, dim=16, depth=2, heads=2) if ENCODERS[name] == "vit" else SmallCNN(1, 4, "fc", 12)
    method = METHODS[name](encoder, encoder.dim, **OPTIONS[name])
    opt = torch.optim.Adam([p for p in method.parameters() if p.requires_grad], lr=1e-3)
    augment = PaperAugment(ds.mean, ds.std)
    gen = torch.Generator().manual_seed(seed)
    x = ds.batch(indices)
    steps = epochs * math.ceil(len(x) / batch)
    done, losses = 0, []
    method.train()
    for _ in range(epochs):
        perm = torch.randperm(len(x), generator=gen)
        for s in range(0, len(x), batch):
            xb = x[perm[s:s + batch]]
            if len(xb) < 2:
                continue
            loss = method.training_loss([augment(xb, gen) for _ in range(method.views_per_step)])
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            done += 1
            method.after_step(done / steps)
            losses.append(float(loss))
    assert all(math.isfinite(v) for v in losses)
    return method.encoder.eval()


@pytest.mark.parametrize("name", ["dino", "mae", "byol", "simsiam"])
def test_method_trains_dumps_and_scores(tmp_path, sslmem, name):
    ds = tiny_dataset(n_train=120, n_test=40, size=12)
    split = make_split(120, 40, shared=50, candidate=25, independent=25, extra=20, public=20, seed=1)
    for role, own in (("f", split.candidate), ("g", split.independent)):
        encoder = train_tiny(name, ds, list(split.shared) + list(own), seed={"f": 1, "g": 2}[role])
        dump_representations(encoder, ds, split, str(tmp_path / f"{role}.h5"), role=role, views=3,
                             transform=PaperAugment(ds.mean, ds.std), original_transform=Normalize(ds.mean, ds.std),
                             attrs={"method": name}, dtype="float32")
    sslmem("score", "--f", str(tmp_path / "f.h5"), "--g", str(tmp_path / "g.h5"), "--out", str(tmp_path / "s.csv"))
    rows = list(csv.DictReader(open(tmp_path / "s.csv")))
    subsets = {r["subset"] for r in rows}
    assert {"candidate", "independent"} <= subsets
    assert all(math.isfinite(float(r["score"])) for r in rows)

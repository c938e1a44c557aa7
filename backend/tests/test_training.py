import json
import math
import os

import numpy as np
import torch
from conftest import tiny_dataset

from sslmem_backend.losses import nt_xent, vicreg
from sslmem_backend.split import make_split
from sslmem_backend.train import TrainConfig, load_encoder, train


def test_nt_xent_matches_the_formula():
    """SimCLR Eq. 1 written out per anchor in float64."""
    g = torch.Generator().manual_seed(0)
    z1, z2 = torch.randn(5, 7, generator=g), torch.randn(5, 7, generator=g)
    tau = 0.2
    z = torch.cat([z1, z2]).double()
    z = z / z.norm(dim=1, keepdim=True)
    n = 5
    total = 0.0
    for i in range(2 * n):
        j = (i + n) % (2 * n)
        num = math.exp(float(z[i] @ z[j]) / tau)
        den = sum(math.exp(float(z[i] @ z[k]) / tau) for k in range(2 * n) if k != i)
        total += -math.log(num / den)
    assert abs(float(nt_xent(z1, z2, tau)) - total / (2 * n)) < 1e-5


def test_vicreg_terms():
    g = torch.Generator().manual_seed(1)
    z = torch.randn(64, 4, generator=g)
    # identical views: only the variance and covariance terms remain
    std = torch.sqrt(z.var(dim=0) + 1e-4)
    var = torch.relu(1 - std).mean()
    zc = z - z.mean(0)
    c = zc.t() @ zc / 63
    cov = (c - torch.diag(torch.diag(c))).pow(2).sum() / 4
    assert abs(float(vicreg(z, z)) - float(25 * 2 * var + 2 * cov)) < 1e-4
    # a constant representation collapses: variance term at its maximum (1 per dimension)
    const = torch.ones(64, 4)
    assert abs(float(vicreg(const, const)) - 25 * 2 * (1 - math.sqrt(1e-4))) < 1e-3


def test_train_writes_weights_checkpoints_and_log(tmp_path):
    ds = tiny_dataset(n_train=160, n_test=40, size=12)
    s = make_split(160, 40, shared=60, candidate=30, independent=30, extra=10, public=10, seed=0)
    for method in ("simclr", "vicreg"):
        out = tmp_path / method
        meta = train(ds, s, TrainConfig(method=method, role="g", epochs=2, batch_size=32, checkpoint_epochs=(1,),
                                        threads=1, probe_train=40, probe_test=20), str(out), log=lambda m: None)
        log = json.load(open(out / "log.json"))
        assert [e["epoch"] for e in log["log"]] == [1, 2] and all(np.isfinite(e["loss"]) for e in log["log"])
        assert os.path.exists(out / "checkpoints" / "epoch001.pt")
        assert 0 <= meta["linear_probe_accuracy"] <= 1 and meta["role"] == "g"
        assert log["downstream"]["n_test"] == 20 and log["downstream"]["n_train"] == 40
        enc, m = load_encoder(str(out / "encoder.pt"))
        assert m["epoch"] == 2 and m["method"] == method
        assert enc(torch.rand(3, 1, 12, 12)).shape == (3, 128)

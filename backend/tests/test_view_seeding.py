"""Issue 29 items 2 and 15: views identical for f and g whatever the global RNG state (numpy's too),
in two threads at once, and whatever the DataLoader worker count and batch size."""
import threading
import time

import h5py
import numpy as np
import pytest
import torch
import torchvision.transforms as T
from conftest import tiny_dataset, tiny_encoder

from sslmem_backend.dump import dump_representations
from sslmem_backend.split import make_split
from sslmem_backend.views import SimCLRAugment, seeded_view, view_rng_seed


def numpy_noise(x):
    """An albumentations-style augmentation: its randomness comes from numpy's global RNG."""
    return x + torch.from_numpy(np.random.normal(0.0, 0.1, size=tuple(x.shape))).float()


def read(path, name="views/representations"):
    with h5py.File(path) as h:
        return h[name][:]


def test_numpy_rng_transform_gives_identical_views_for_f_and_g(tmp_path, data, split):
    enc = tiny_encoder()
    np.random.seed(1)
    f = dump_representations(enc, data, split, str(tmp_path / "f.h5"), role="f", views=3, transform=numpy_noise,
                             dtype="float32", view_seed=4)
    np.random.seed(2)  # another global numpy state, as in another process
    state = np.random.get_state()
    g = dump_representations(enc, data, split, str(tmp_path / "g.h5"), role="g", views=3, transform=numpy_noise,
                             dtype="float32", view_seed=4)
    after = np.random.get_state()
    assert np.array_equal(read(f), read(g))  # |diff| up to 0.10 before numpy was seeded
    assert np.array_equal(state[1], after[1]) and state[2] == after[2]  # numpy's state restored


def test_seeded_view_restores_every_global_rng():
    img = torch.rand(1, 6, 6)
    torch.manual_seed(3)
    np.random.seed(3)
    expect_t, expect_n = torch.rand(2), np.random.rand(2)
    torch.manual_seed(3)
    np.random.seed(3)
    seeded_view(numpy_noise, img, 0, 5, 1)
    seeded_view(T.RandomErasing(p=1.0), img, 0, 5, 1)
    assert torch.equal(torch.rand(2), expect_t) and np.array_equal(np.random.rand(2), expect_n)


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs CUDA")
def test_cuda_generator_restored():
    torch.cuda.init()
    state = torch.cuda.get_rng_state_all()
    seeded_view(lambda x: x + torch.rand(1, device="cuda").cpu(), torch.rand(1, 4, 4), 0, 1, 0)
    assert all(torch.equal(a, b) for a, b in zip(state, torch.cuda.get_rng_state_all()))


def slow_noise(x):
    """torch, numpy and Python randomness with a pause between draws: another thread runs meanwhile."""
    a = torch.rand(x.shape)
    time.sleep(0.0005)
    b = np.random.rand()
    return x + 0.1 * a + 0.1 * float(b)


def test_two_dumps_in_two_threads_get_the_serial_views(tmp_path, data):
    split = make_split(data.n_train, data.n_test, shared=60, candidate=30, independent=30, seed=3)
    enc = tiny_encoder()
    serial = dump_representations(enc, data, split, str(tmp_path / "s.h5"), role="f", views=3, transform=slow_noise,
                                  dtype="float32", workers=0)
    errors = []
    encoders = {"f": tiny_encoder(), "g": tiny_encoder()}  # built before the threads: init draws from torch's RNG

    def run(role):
        try:
            dump_representations(encoders[role], data, split, str(tmp_path / f"{role}.h5"), role=role, views=3,
                                 transform=slow_noise, dtype="float32", batch_size=32, workers=0)
        except Exception as e:  # pragma: no cover - reported below
            errors.append(e)

    threads = [threading.Thread(target=run, args=(r,)) for r in ("f", "g")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    expect = read(serial)
    assert np.array_equal(read(tmp_path / "f.h5"), expect)  # 124 of 300 points differed before
    assert np.array_equal(read(tmp_path / "g.h5"), expect)


def test_views_do_not_depend_on_workers_or_batch_size(tmp_path):
    data = tiny_dataset(n_train=700, n_test=0, size=12)
    split = make_split(700, 0, shared=400, candidate=150, independent=150, seed=2)
    enc = tiny_encoder()
    aug = SimCLRAugment([0.5], [0.25])
    paths = []
    for k, (workers, batch) in enumerate(((0, 256), (2, 40), (1, 100))):
        for transform, tag in ((aug, "batched"), (numpy_noise, "numpy")):
            p = str(tmp_path / f"{tag}{k}.h5")
            dump_representations(enc, data, split, p, role="f", views=3, transform=transform, dtype="float32",
                                 workers=workers, batch_size=batch, view_seed=7)
            paths.append((tag, p))
    for tag in ("batched", "numpy"):
        files = [p for t, p in paths if t == tag]
        for p in files[1:]:
            assert np.array_equal(read(files[0]), read(p)), (tag, p)
            assert np.array_equal(read(files[0], "views/original"), read(p, "views/original"))


def test_batched_views_equal_one_at_a_time():
    aug = SimCLRAugment([0.5], [0.25], scale=(0.2, 1.0))
    x = torch.rand(24, 1, 12, 12)
    seeds = [view_rng_seed(3, 1000 + j, j % 4) for j in range(24)]
    one = torch.stack([seeded_view(aug, x[j], 3, 1000 + j, j % 4) for j in range(24)])
    assert torch.equal(aug.seeded_batch(x, seeds), one)


def test_vectorized_seeds_and_draws_equal_the_per_image_formulas():
    """The batched forms (used to make a block's views at once) give the same integers and floats as
    the per-image code they replaced: view_rng_seed per (index, view), and SimCLRAugment's draws
    written out one image at a time with Python floats."""
    import math
    import random as pyrandom

    from sslmem_backend.views import view_rng_seeds
    r = pyrandom.Random(0)
    ids = [r.randrange(0, 2 ** 40) for _ in range(300)] + [0, 2 ** 63]
    vs = [r.randrange(-1, 16) for _ in ids]
    assert view_rng_seeds(9, ids, vs) == [view_rng_seed(9, i, v) for i, v in zip(ids, vs)]
    aug = SimCLRAugment([0.5], [0.25], scale=(0.2, 1.0), jitter=0.4, jitter_p=0.8)
    u = torch.rand(400, 8, generator=torch.Generator().manual_seed(1), dtype=torch.float64)
    theta, gains = aug._draws(u)
    lo, hi = aug.scale
    for k, row in enumerate(u.tolist()):
        area = lo + (hi - lo) * row[0]
        ratio = math.exp(math.log(3 / 4) + (math.log(4 / 3) - math.log(3 / 4)) * row[1])
        w, h = min(1.0, math.sqrt(area * ratio)), min(1.0, math.sqrt(area / ratio))
        flip = -1.0 if row[4] < 0.5 else 1.0
        expect = [[w * flip, 0.0, (1 - w) * (2 * row[2] - 1)], [0.0, h, (1 - h) * (2 * row[3] - 1)]]
        assert theta[k].tolist() == expect
        g = ([1 - 0.4 + 2 * 0.4 * row[6], 1 - 0.4 + 2 * 0.4 * row[7]] if row[5] < 0.8 else [1.0, 1.0])
        assert gains[k].tolist() == g

"""`--augment paper`: the SSLMem authors' views (sprintml/MemorizationSSL memorization_scores.py),
checked against the torchvision pipeline their script builds, under the same seed."""
import numpy as np
import pytest
import torch
import torchvision.transforms as T

from sslmem_backend.augment import AUGMENTS, PaperAugment, build_augment
from sslmem_backend.views import SimCLRAugment, seeded_view


def authors_pipeline(size):
    """Their `data_transforms`, verbatim in structure (size = the image side)."""
    return T.Compose([T.RandomResizedCrop(size=size, antialias=True), T.RandomHorizontalFlip(),
                      T.RandomApply([T.ColorJitter(0.8, 0.8, 0.8, 0.2)], p=0.8), T.RandomGrayscale(p=0.2)])


@pytest.mark.parametrize("channels,size", [(1, 28), (3, 32)])
def test_paper_views_are_the_authors_pipeline_then_normalization(channels, size):
    g = torch.Generator().manual_seed(0)
    img = torch.rand(channels, size, size, generator=g)
    mean, std = [0.3] * channels, [0.2] * channels
    aug = PaperAugment(mean, std)
    for seed in range(20):
        torch.manual_seed(seed)
        ours = aug(img)
        torch.manual_seed(seed)
        theirs = (authors_pipeline(size)(img) - 0.3) / 0.2
        assert ours.shape == (channels, size, size)
        assert torch.allclose(ours, theirs, atol=1e-6), seed


def test_paper_views_vary_and_stay_in_range():
    img = torch.rand(3, 32, 32, generator=torch.Generator().manual_seed(1))
    aug = PaperAugment([0.0] * 3, [1.0] * 3)  # identity normalization: pixels stay in [0, 1]
    views = [seeded_view(aug, img, 0, 5, k) for k in range(8)]
    assert all(v.min() >= 0 and v.max() <= 1 for v in views)
    assert len({v.sum().item() for v in views}) == 8
    # grayscale draws make the three channels equal in some views (p = 0.2 each)
    gray = [bool(torch.equal(v[0], v[1]) and torch.equal(v[1], v[2])) for v in
            (seeded_view(aug, img, 0, 5, k) for k in range(60))]
    assert 0 < sum(gray) < 60


def test_seeded_views_are_reproducible_and_leave_the_global_rng_alone():
    img = torch.rand(1, 28, 28, generator=torch.Generator().manual_seed(2))
    aug = build_augment("paper", [0.5], [0.25])
    torch.manual_seed(123)
    before = torch.get_rng_state()
    a = seeded_view(aug, img, 7, 11, 3)
    assert torch.equal(torch.get_rng_state(), before)
    assert torch.equal(a, seeded_view(aug, img, 7, 11, 3))
    assert not torch.equal(a, seeded_view(aug, img, 7, 11, 4))


def test_training_batches_draw_from_the_generator_per_image():
    x = torch.rand(6, 3, 16, 16, generator=torch.Generator().manual_seed(3))
    aug = PaperAugment([0.5] * 3, [0.5] * 3)
    state = torch.get_rng_state()
    a = aug(x, torch.Generator().manual_seed(9))
    assert torch.equal(torch.get_rng_state(), state)
    b = aug(x, torch.Generator().manual_seed(9))
    assert a.shape == x.shape and torch.equal(a, b)
    assert not torch.equal(a[0], aug(x[:1], torch.Generator().manual_seed(10))[0])


def test_build_augment_names_and_errors():
    assert AUGMENTS == ("simclr", "paper")
    assert isinstance(build_augment("simclr", [0.5], [0.5]), SimCLRAugment)
    assert build_augment("paper", [0.5], [0.5]).scale == (0.08, 1.0)
    assert build_augment("paper", [0.5], [0.5], crop_scale=0.2).scale == (0.2, 1.0)
    assert "ColorJitter(0.8, 0.8, 0.8, 0.2)" in repr(build_augment("paper", [0.5], [0.5]))
    with pytest.raises(ValueError, match="augment 'autoaugment'"):
        build_augment("autoaugment", [0.5], [0.5])
    with pytest.raises(ValueError, match="1 or 3 channels"):
        PaperAugment([0.5] * 2, [0.5] * 2)(torch.rand(2, 8, 8))
    with pytest.raises(ValueError, match="float pixels"):
        PaperAugment([0.5], [0.5])(torch.from_numpy(np.zeros((1, 8, 8), dtype=np.uint8)))

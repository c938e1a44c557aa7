"""ViT-Tiny/Small/Base and ResNet-50 by name: shapes on 28- and 32-px inputs, the representation a
dump stores (all tokens, concatenated), per-layer capture of transformer blocks ([T, C], units
axis 1), MAE's masked path."""
import contextlib

import h5py
import pytest
import torch
from conftest import tiny_dataset

from sslmem_backend.dump import dump_representations
from sslmem_backend.layers import LayerTaps, units_axis_of
from sslmem_backend.models import ARCHS, build_encoder, default_layers
from sslmem_backend.split import make_split
from sslmem_backend.views import Normalize, SimCLRAugment, seeded_view
from sslmem_backend.vit import ViT, block_names, build_vit, parse_vit_name


@pytest.mark.parametrize("size,channels,tokens", [(28, 1, 1 + 7 * 7), (32, 3, 1 + 8 * 8)])
def test_vit_tiny_takes_28_and_32_px(size, channels, tokens):
    torch.manual_seed(0)
    vit = build_encoder("vit-tiny", channels, 32, size)
    assert (vit.patch_size, vit.dim, len(vit.blocks)) == (4, 192, 12)
    out = vit(torch.rand(2, channels, size, size))
    assert out.shape == (2, tokens, 192)
    assert vit.embed(torch.rand(2, channels, size, size)).shape == (2, 192)


@contextlib.contextmanager
def untrained():
    """Builds models with zero weights instead of torch.nn.init's random fills, for tests of their
    structure and shapes only (ViT-Base's 86 M and ResNet-50's 25 M random draws took most of these
    tests' time)."""
    names = ("uniform_", "normal_", "trunc_normal_", "constant_", "ones_", "zeros_", "kaiming_uniform_",
             "kaiming_normal_", "xavier_uniform_", "xavier_normal_")
    saved = {n: getattr(torch.nn.init, n) for n in names}
    for n in names:
        setattr(torch.nn.init, n, lambda tensor, *args, **kwargs: tensor.detach().zero_())
    try:
        yield
    finally:
        for n, f in saved.items():
            setattr(torch.nn.init, n, f)


def test_vit_names():
    assert parse_vit_name("vit-small", 32) == ("small", 4)
    assert parse_vit_name("vit-base", 224) == ("base", 16)
    assert parse_vit_name("vit-tiny-p2", 32) == ("tiny", 2)
    with untrained():
        v = build_vit("vit-base-p8", 3, 32)
        assert (v.dim, len(v.blocks), v.blocks[0].attn.heads, v.patch_size) == (768, 12, 12, 8)
        assert build_vit("vit-small", 3, 32).dim == 384
    with pytest.raises(ValueError, match="arch 'vit-huge'"):
        build_encoder("vit-huge", 3, 32, 32)
    with pytest.raises(ValueError, match="does not divide"):
        build_encoder("vit-tiny-p3", 1, 32, 28)
    assert {"resnet50", "vit-tiny", "vit-small", "vit-base"} <= set(ARCHS)
    assert default_layers("vit-tiny-p2") == ("blocks.11",)


def test_resnet50_by_name_without_downloads():
    torch.manual_seed(0)
    with untrained(), torch.no_grad():
        for channels, size in ((1, 28), (3, 32), (3, 96)):
            m = build_encoder("resnet50", channels, 32, size).eval()
            assert m(torch.rand(2, channels, size, size)).shape == (2, 2048) and m.dim == 2048
        # the CIFAR stem on small images: 3×3, stride 1, no max-pool
        small = build_encoder("resnet50", 3, 32, 32)
    assert small.conv1.kernel_size == (3, 3) and isinstance(small.maxpool, torch.nn.Identity)


def test_masked_path_with_every_patch_is_the_full_forward():
    torch.manual_seed(0)
    vit = ViT(12, 4, 1, dim=16, depth=2, heads=2).eval()
    x = torch.rand(3, 1, 12, 12)
    keep = torch.arange(9).expand(3, 9)
    assert torch.allclose(vit.forward_masked(x, keep), vit(x), atol=1e-6)
    # a subset of patches: CLS + K tokens
    assert vit.forward_masked(x, keep[:, :4]).shape == (3, 5, 16)


def test_vit_blocks_are_captured_as_token_layers():
    torch.manual_seed(0)
    vit = ViT(12, 4, 1, dim=16, depth=2, heads=2).eval()
    names = block_names(vit)
    assert names == ("blocks.0", "blocks.1")
    with LayerTaps(vit, names) as taps:
        vit(torch.rand(3, 1, 12, 12))
        out = taps.take()
        assert [taps.order(n) for n in names] == [0, 1]
    for n in names:
        assert out[n].shape == (3, 10, 16) and units_axis_of(out[n].shape[1:]) == 1


def test_vit_dump_stores_concatenated_tokens_and_token_layers(tmp_path):
    ds = tiny_dataset(n_train=60, n_test=20, size=12)
    split = make_split(60, 20, shared=20, candidate=10, independent=10, extra=10, public=10, seed=0)
    torch.manual_seed(0)
    vit = ViT(12, 4, 1, dim=16, depth=2, heads=2).eval()
    transform = SimCLRAugment(ds.mean, ds.std)
    path = dump_representations(vit, ds, split, str(tmp_path / "f.h5"), role="f", views=2,
                                transform=transform, original_transform=Normalize(ds.mean, ds.std),
                                layers=["blocks.1"], dtype="float32")
    with h5py.File(path, "r") as h:
        reps = h["views/representations"]
        assert reps.shape[1] == 2 and reps.shape[2:] in ((10 * 16,), (10, 16))
        layer = h["layers/blocks.1"]
        assert layer["representations"].shape[2:] == (10, 16) and int(layer.attrs["units_axis"]) == 1
        # view 0 of point 0 is the encoder's token output for that view, flattened (CLS first)
        index = int(h["points/index"][0])
        x = seeded_view(transform, ds[index][0], 0, index, 0)
        with torch.no_grad():
            expected = vit(x.unsqueeze(0)).flatten()
        assert torch.allclose(torch.tensor(reps[0, 0]).flatten(), expected, atol=1e-5)

"""Issue 29 items 1 and 13: layer outputs are copies taken when the module returns (torchvision's
ResNet-18 runs an in-place ReLU on bn1's output, and adds the shortcut in place to bn2's), a module
called twice per forward pass gives one layer per call, and the units axis is guessed only where
unambiguous."""
import h5py
import numpy as np
import pytest
import torch
import torchvision

from sslmem_backend.dump import DumpError, dump_representations
from sslmem_backend.split import make_split


class Tensors:
    """A tensor dataset: 3×16×16 images."""

    def __init__(self, n=60, shape=(3, 16, 16)):
        g = torch.Generator().manual_seed(0)
        self.x = torch.rand((n,) + shape, generator=g)

    def __len__(self):
        return len(self.x)

    def __getitem__(self, i):
        return self.x[i], i % 3


def flip(x):
    return torch.flip(x, dims=(-1,)) if torch.rand(()) < 0.5 else x


@pytest.fixture(scope="module")
def resnet():
    torch.manual_seed(0)
    m = torchvision.models.resnet18(weights=None, num_classes=8)
    # nonzero running statistics, so that eval-mode BatchNorm outputs are not a plain copy
    with torch.no_grad():
        m.train()
        m(torch.rand(16, 3, 16, 16))
    return m.eval()


def small_split():
    return make_split(40, 20, shared=10, candidate=5, independent=5, extra=5, seed=1)


def test_in_place_relu_does_not_change_dumped_bn1(tmp_path, resnet):
    data = Tensors()
    path = dump_representations(resnet, data, small_split(), str(tmp_path / "f.h5"), role="f", views=2,
                                transform=flip, layers=("bn1", "layer1.0.bn2"), dtype="float32")
    with h5py.File(path) as h:
        index = h["points/index"][:]
        dumped = h["layers/bn1/original"][:]
        dumped_bn2 = h["layers/layer1.0.bn2/original"][:]
    x = data.x[torch.as_tensor(index)]
    with torch.no_grad():
        true_bn1 = resnet.bn1(resnet.conv1(x))
        h0 = resnet.maxpool(torch.relu(true_bn1))
        b = resnet.layer1[0]
        true_bn2 = b.bn2(b.conv2(torch.relu(b.bn1(b.conv1(h0)))))
    assert true_bn1.min() < -0.1  # the true BatchNorm output has negative values …
    assert dumped.min() < -0.1    # … which the in-place ReLU zeroed in the dump before the fix
    np.testing.assert_allclose(dumped, true_bn1.numpy(), rtol=1e-5, atol=1e-5)
    # bn2's output has the shortcut added in place (out += identity): the dump keeps the BatchNorm output
    np.testing.assert_allclose(dumped_bn2, true_bn2.numpy(), rtol=1e-5, atol=1e-5)


def test_module_called_twice_gives_a_layer_per_call(tmp_path, resnet):
    data = Tensors()
    path = dump_representations(resnet, data, small_split(), str(tmp_path / "f.h5"), role="f", views=2,
                                transform=flip, layers=("layer1.0.relu", "layer1.1.relu#2"), dtype="float32")
    with h5py.File(path) as h:
        assert sorted(h["layers"]) == ["layer1.0.relu#1", "layer1.0.relu#2", "layer1.1.relu#2"]
        assert [int(h[f"layers/{n}"].attrs["order"]) for n in
                ("layer1.0.relu#1", "layer1.0.relu#2", "layer1.1.relu#2")] == [0, 1, 2]
        first, second = h["layers/layer1.0.relu#1/original"][:], h["layers/layer1.0.relu#2/original"][:]
        index = h["points/index"][:]
    assert not np.array_equal(first, second)
    x = data.x[torch.as_tensor(index)]
    with torch.no_grad():
        b = resnet.layer1[0]
        h0 = resnet.maxpool(resnet.relu(resnet.bn1(resnet.conv1(x))))
        call1 = torch.relu(b.bn1(b.conv1(h0)))
        call2 = torch.relu(b.bn2(b.conv2(call1)) + h0)
    np.testing.assert_allclose(first, call1.numpy(), rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(second, call2.numpy(), rtol=1e-5, atol=1e-5)


class ChannelsLast(torch.nn.Module):
    """[B,1,8,8] → a channels-last map [B,8,8,6] (as ConvNeXt/Swin blocks) → [B,6]; and an opaque
    module giving [B,6,5] (tokens × channels or channels × length: cannot be told)."""

    def __init__(self):
        super().__init__()
        self.lin = torch.nn.Linear(1, 6)
        self.hwc = torch.nn.Identity()
        self.opaque = torch.nn.Identity()
        # a square conv block [8,8,8]: C = H = W, told by its convolution (the ReLU after it keeps the layout)
        self.block = torch.nn.Sequential(torch.nn.Conv2d(1, 8, 3, padding=1), torch.nn.BatchNorm2d(8), torch.nn.ReLU())

    def forward(self, x):
        self.block(x)
        m = self.hwc(self.lin(x.permute(0, 2, 3, 1)))  # [B,8,8,6]
        self.opaque(m.mean(1)[:, :5, :].transpose(1, 2))  # [B,6,5]
        return m.mean((1, 2))


def test_units_axis_guessed_only_where_unambiguous(tmp_path):
    data = Tensors(shape=(1, 8, 8))
    split = small_split()
    f = dump_representations(ChannelsLast(), data, split, str(tmp_path / "f.h5"), role="f", views=2,
                             transform=flip, layers=("hwc", "lin", "block"))
    with h5py.File(f) as h:
        assert int(h["layers/block"].attrs["units_axis"]) == 0
        assert int(h["layers/hwc"].attrs["units_axis"]) == 2  # [8,8,6]: H = W ≠ C, channels last
        assert int(h["layers/lin"].attrs["units_axis"]) == 2  # a Linear: the last axis
    with pytest.raises(DumpError, match=r"layer 'opaque': output \[6, 5\] per item: cannot tell"):
        dump_representations(ChannelsLast(), data, split, str(tmp_path / "g.h5"), role="f", views=2,
                             transform=flip, layers=("opaque",))
    g = dump_representations(ChannelsLast(), data, split, str(tmp_path / "g.h5"), role="f", views=2,
                             transform=flip, layers=("opaque",), units_axis={"opaque": 0})
    with h5py.File(g) as h:
        assert int(h["layers/opaque"].attrs["units_axis"]) == 0

"""Issue 29 items 3 and 10: the modules behind a callable encoder run in eval mode during the dump
(BatchNorm outputs independent of the batch, running statistics untouched) and are restored after;
a callable hiding BatchNorm in training mode is refused; the device is checked in one line."""
import types

import h5py
import numpy as np
import pytest
import torch
from conftest import tiny_encoder

from sslmem_backend.dump import DumpError, dump_representations
from sslmem_backend.inference import modules_of


def bn_model():
    torch.manual_seed(0)
    m = torch.nn.Sequential(torch.nn.Conv2d(1, 4, 3), torch.nn.BatchNorm2d(4), torch.nn.ReLU(),
                            torch.nn.AdaptiveAvgPool2d(1), torch.nn.Flatten(), torch.nn.Linear(4, 6),
                            torch.nn.Dropout(0.5))
    with torch.no_grad():
        m[1].running_mean.fill_(0.3)
        m[1].running_var.fill_(2.0)
    return m.train()  # as a user's model is after training


def noise(x):
    return x + 0.05 * torch.randn_like(x)


def views(path):
    with h5py.File(path) as h:
        return h["views/representations"][:]


def test_function_wrapping_a_model_runs_it_in_eval_mode(tmp_path, data, split):
    model = bn_model()

    def encoder(x):  # what the dict-output error message tells users to write
        return {"features": model(x)}["features"]

    stats = model[1].running_mean.clone()
    a = dump_representations(encoder, data, split, str(tmp_path / "a.h5"), role="f", views=3, transform=noise,
                             dtype="float32", batch_size=256)
    b = dump_representations(encoder, data, split, str(tmp_path / "b.h5"), role="f", views=3, transform=noise,
                             dtype="float32", batch_size=14)
    assert np.array_equal(views(a), views(b))  # differed by up to 0.43 with BatchNorm in training mode
    assert torch.equal(model[1].running_mean, stats)  # the dump no longer changes the running statistics
    assert model.training and model[1].training  # the user's mode is restored
    with torch.no_grad():
        model.eval()
        x = torch.stack([data[int(i)][0] for i in np.asarray(split.shared)[:4]])
        expect = model(x).numpy()
        model.train()
    with h5py.File(a) as h:
        np.testing.assert_allclose(h["views/original"][:4], expect, rtol=1e-5, atol=1e-6)


def test_modules_found_behind_closures_partials_methods_and_objects():
    m = bn_model()
    import functools

    class Wrapper:
        def __init__(self):
            self.net = m

        def __call__(self, x):
            return self.net(x)

        def embed(self, x):
            return self.net(x)

    assert modules_of(lambda x: m(x)) == [m]
    assert modules_of(functools.partial(lambda net, x: net(x), m)) == [m]
    assert modules_of(Wrapper()) == [m] and modules_of(Wrapper().embed) == [m]
    assert modules_of(m) == [m]


def test_callable_hiding_batchnorm_in_training_mode_is_refused(tmp_path, data, split):
    holder = types.SimpleNamespace(net=bn_model())
    enc = (lambda x: holder.net(x))
    with pytest.raises(DumpError, match="runs BatchNorm2d in training mode.*model="):
        dump_representations(enc, data, split, str(tmp_path / "f.h5"), role="f", views=2, transform=noise)
    assert not (tmp_path / "f.h5").exists()
    # … and accepted with model=, which is put in eval mode and restored
    dump_representations(enc, data, split, str(tmp_path / "f.h5"), role="f", views=2, transform=noise,
                         model=holder.net)
    assert holder.net.training


def test_missing_cuda_is_one_line(tmp_path, data, split):
    if torch.cuda.is_available():
        pytest.skip("CUDA is available here")
    with pytest.raises(DumpError, match="device 'cuda': CUDA is not available here"):
        dump_representations(tiny_encoder(), data, split, str(tmp_path / "f.h5"), role="f", views=2,
                             transform=noise, device="cuda")


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs CUDA")
def test_encoder_moved_to_the_device_and_back(tmp_path, data, split):
    enc = tiny_encoder()
    dump_representations(enc, data, split, str(tmp_path / "f.h5"), role="f", views=2, transform=noise,
                         device="cuda")
    assert next(enc.parameters()).device.type == "cpu"


def test_layers_of_the_module_behind_a_function(tmp_path, data, split):
    model = bn_model()
    f = dump_representations(lambda x: model(x), data, split, str(tmp_path / "f.h5"), role="f", views=2,
                             transform=noise, layers=("1",))
    with h5py.File(f) as h:
        assert h["layers/1/representations"].shape[:2] == (len(h["points/index"]), 2)

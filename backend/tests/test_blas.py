"""OpenBLAS's pool held to torch's thread count (blas.py)."""
import pytest
import torch
from conftest import tiny_encoder

from sslmem_backend.blas import blas_threads, loaded_openblas, set_threads
from sslmem_backend.dump import dump_representations
from sslmem_backend.views import Normalize, SimCLRAugment

LIBS = loaded_openblas()
needs_openblas = pytest.mark.skipif(not LIBS, reason="torch here does not run on a loaded OpenBLAS")


@pytest.fixture
def pools():
    """Each test starts with every pool at 2 threads and torch at 1, and leaves torch at 1 (conftest)."""
    before = [lib.threads for lib in LIBS]
    for lib in LIBS:
        lib.threads = 2
    yield LIBS
    for lib, n in zip(LIBS, before):
        lib.threads = n
    torch.set_num_threads(1)


@needs_openblas
def test_set_threads_sets_torch_and_every_pool(pools):
    assert all(lib.threads == 2 for lib in pools)
    set_threads(1)
    assert torch.get_num_threads() == 1 and all(lib.threads == 1 for lib in pools)
    set_threads(0)  # at least one thread
    assert all(lib.threads == 1 for lib in pools)


@needs_openblas
def test_blas_threads_restores_the_counts(pools):
    with blas_threads(1):
        assert all(lib.threads == 1 for lib in pools)
    assert all(lib.threads == 2 for lib in pools)
    with pytest.raises(RuntimeError):
        with blas_threads(1):
            raise RuntimeError("inside")
    assert all(lib.threads == 2 for lib in pools)


@needs_openblas
def test_overlapping_blocks_restore_the_counts_from_before_the_first(pools):
    outer = blas_threads(1)
    inner = blas_threads(1)
    outer.__enter__()
    inner.__enter__()
    outer.__exit__(None, None, None)  # the first block ends first (threads): the other still runs at 1
    assert all(lib.threads == 1 for lib in pools)
    inner.__exit__(None, None, None)
    assert all(lib.threads == 2 for lib in pools)


@needs_openblas
def test_dump_runs_the_encoder_with_the_pool_at_torch_threads(pools, tmp_path, data, split):
    enc = tiny_encoder()
    seen = set()

    def encoder(batch):
        seen.update(lib.threads for lib in pools)
        return enc(batch)

    dump_representations(encoder, data, split, str(tmp_path / "f.h5"), role="f", views=2, model=enc,
                         transform=SimCLRAugment([0.5], [0.25]), original_transform=Normalize([0.5], [0.25]))
    assert seen == {torch.get_num_threads()} == {1}
    assert all(lib.threads == 2 for lib in pools)  # restored after the dump

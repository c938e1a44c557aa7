"""`writer.checked_rows`: the one-pass check (min and max over the block) finds exactly what a row-by-row
check finds, and names the first bad row."""
import numpy as np
import pytest
import torch

from sslmem_backend.writer import OVERFLOW, DumpError, checked_rows

WHAT = [f"point {i}" for i in range(6)]


def check(t, dtype="float16"):
    return checked_rows(t, np.dtype(dtype), "f.h5: /layers/conv1/representations", WHAT[: t.shape[0]])


def block():
    return torch.linspace(-3, 3, 6 * 2 * 5).reshape(6, 2, 5)


def test_good_block_is_cast_unchanged():
    t = block()
    for dtype in ("float16", "float32", "float64"):
        out = check(t, dtype)
        assert out.dtype == np.dtype(dtype) and out.shape == (6, 2, 5)
        assert np.array_equal(out, t.numpy().astype(dtype))


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), -float("inf")])
def test_first_non_finite_row_is_named(bad):
    t = block()
    t[4, 1, 2] = bad
    t[2, 0, 0] = bad
    with pytest.raises(DumpError, match=r"^f\.h5: /layers/conv1/representations: point 2: the encoder output has NaN"):
        check(t)


def test_overflow_bounds_are_where_the_cast_gives_infinity():
    # The bound itself rounds to infinity and the value below it does not, in numpy's cast as in torch's.
    with np.errstate(over="ignore"):
        assert np.isinf(np.float16(OVERFLOW[np.dtype("float16")]))
        assert np.isinf(np.float32(OVERFLOW[np.dtype("float32")]))
    assert np.isfinite(np.float16(np.nextafter(OVERFLOW[np.dtype("float16")], 0)))
    assert np.isfinite(np.float32(np.nextafter(OVERFLOW[np.dtype("float32")], 0)))
    t = block()
    t[3, 0, 0] = 65519.0  # rounds to 65504: stored
    assert check(t)[3, 0, 0] == 65504
    t[5, 1, 4] = -65520.0
    with pytest.raises(DumpError, match=r"point 5: a value overflows float16 \(largest 6.55e\+04\); use dtype float32"):
        check(t)
    wide = block().double()
    wide[1, 0, 0] = 1e39
    with pytest.raises(DumpError, match=r"point 1: a value overflows float32 .*use dtype float64"):
        check(wide, "float32")
    assert check(wide, "float64")[1, 0, 0] == 1e39


@pytest.mark.parametrize("half", [torch.float16, torch.bfloat16])
def test_half_precision_outputs_are_checked_and_stored(half):
    # An encoder run in half precision: widened exactly to float32 for the check, then cast.
    t = block().to(half)
    assert np.array_equal(check(t, "float32"), t.float().numpy())
    t[0, 0, 0] = float("nan")
    with pytest.raises(DumpError, match="point 0: the encoder output has NaN"):
        check(t)


def test_empty_block():
    assert check(torch.zeros(0, 3)).shape == (0, 3)

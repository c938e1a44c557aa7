"""Writes tests/data/reference.safetensors with the real `safetensors` package (0.8.0 made the
committed file), so that test_encoders checks sslmem_backend's own reader against it.
Run: python -m venv --system-site-packages /tmp/st && /tmp/st/bin/pip install --no-deps safetensors
     && /tmp/st/bin/python backend/tests/data/make_safetensors_fixture.py
test_encoders imports `reference_tensors` from here and compares what the reader returns."""
import os

import torch


def reference_tensors():
    return {
        "f32": torch.arange(24, dtype=torch.float32).reshape(2, 3, 4) / 7 - 1,
        "f16": (torch.arange(6, dtype=torch.float32) / 3).to(torch.float16).reshape(3, 2),
        "bf16": (torch.arange(5, dtype=torch.float32) * 1.5 - 2).to(torch.bfloat16),
        "f64": torch.tensor([[1e-300, -2.5], [3.0, 1e300]], dtype=torch.float64),
        "i64": torch.tensor([-(2 ** 40), 0, 7], dtype=torch.int64),
        "i8": torch.tensor([-128, 0, 127], dtype=torch.int8),
        "u8": torch.tensor([[0, 255]], dtype=torch.uint8),
        "flag": torch.tensor([True, False, True]),
        "scalar": torch.tensor(3.25),
        "empty": torch.zeros(0, 3),
    }


if __name__ == "__main__":
    from safetensors.torch import save_file
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "reference.safetensors")
    save_file(reference_tensors(), out, metadata={"format": "pt", "made_by": "safetensors"})
    print(out)

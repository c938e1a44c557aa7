"""safetensors files (huggingface/safetensors) without the package: `read_safetensors`,
`write_safetensors`.

Format: an unsigned little-endian 64-bit header length N, N bytes of JSON
{name: {"dtype", "shape", "data_offsets": [begin, end]}, "__metadata__": {str: str}}, then the
raw little-endian tensor bytes, offsets counted from the end of the header. Checked against
files the package writes (tests/data/reference.safetensors, made by
tests/data/make_safetensors_fixture.py) and read back by it.
"""
from __future__ import annotations

import json
import os
from typing import Any, Dict, List, Mapping, Optional, Tuple

import numpy as np
import torch

__all__ = ["SafetensorsError", "read_safetensors", "write_safetensors"]


class SafetensorsError(ValueError):
    """A malformed file or an unsupported tensor; one line naming the file (and the tensor)."""


def _first_line(e: BaseException) -> str:
    text = str(e).strip()
    return text.splitlines()[0] if text else type(e).__name__


#: safetensors dtype → (little-endian numpy dtype, torch dtype)
_ST_DTYPES: Dict[str, Tuple[str, torch.dtype]] = {
    "F64": ("<f8", torch.float64), "F32": ("<f4", torch.float32), "F16": ("<f2", torch.float16),
    "BF16": ("<i2", torch.bfloat16), "I64": ("<i8", torch.int64), "I32": ("<i4", torch.int32),
    "I16": ("<i2", torch.int16), "I8": ("i1", torch.int8), "U8": ("u1", torch.uint8), "BOOL": ("?", torch.bool),
}
_ST_NAMES = {t: name for name, (_, t) in _ST_DTYPES.items()}


def read_safetensors(path: str) -> Dict[str, torch.Tensor]:
    """The tensors of a safetensors file, by name (copies, in native byte order). Every entry
    is checked (dtype known, offsets inside the file, end − begin = numel × itemsize); a bad one
    is one line naming the file and the tensor."""
    with open(path, "rb") as f:
        data = f.read()
    if len(data) < 8:
        raise SafetensorsError(f"{path}: not a safetensors file (shorter than its 8-byte header length)")
    n = int.from_bytes(data[:8], "little")
    if n > len(data) - 8:
        raise SafetensorsError(f"{path}: not a safetensors file (header length {n} exceeds the file)")
    try:
        header = json.loads(data[8:8 + n].decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as e:
        raise SafetensorsError(f"{path}: not a safetensors file (header is not JSON: {_first_line(e)})") from None
    if not isinstance(header, dict):
        raise SafetensorsError(f"{path}: not a safetensors file (header is not a JSON object)")
    base, size = 8 + n, len(data) - 8 - n
    out: Dict[str, torch.Tensor] = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        try:
            dtype, shape, (begin, end) = info["dtype"], [int(s) for s in info["shape"]], info["data_offsets"]
        except (TypeError, KeyError, ValueError):
            raise SafetensorsError(f"{path}: tensor {name}: malformed header entry {info!r}") from None
        if dtype not in _ST_DTYPES:
            raise SafetensorsError(f"{path}: tensor {name}: dtype {dtype} is not supported "
                               f"(supported: {', '.join(_ST_DTYPES)})")
        np_dtype, torch_dtype = _ST_DTYPES[dtype]
        count = int(np.prod(shape)) if shape else 1
        if not (isinstance(begin, int) and isinstance(end, int) and 0 <= begin <= end <= size) \
                or end - begin != count * np.dtype(np_dtype).itemsize or min(shape, default=0) < 0:
            raise SafetensorsError(f"{path}: tensor {name}: data_offsets [{begin}, {end}] do not hold {dtype} "
                               f"{shape} inside the {size} data bytes")
        arr = np.frombuffer(data, dtype=np_dtype, count=count, offset=base + begin)
        arr = arr.astype(arr.dtype.newbyteorder("="), copy=True).reshape(shape)
        t = torch.from_numpy(arr)
        out[name] = t.view(torch.bfloat16) if torch_dtype == torch.bfloat16 else t
    return out


def write_safetensors(path: str, tensors: Mapping[str, torch.Tensor],
                      metadata: Optional[Mapping[str, str]] = None) -> None:
    """Writes `tensors` as a safetensors file (the format `read_safetensors` reads; the header
    is padded with spaces to a multiple of 8 bytes, tensors follow in name order)."""
    header: Dict[str, Any] = {}
    blobs: List[bytes] = []
    offset = 0
    for name in sorted(tensors):
        t = tensors[name].detach().cpu().contiguous()
        if t.dtype not in _ST_NAMES:
            raise SafetensorsError(f"{path}: tensor {name}: dtype {t.dtype} cannot be written")
        np_dtype = _ST_DTYPES[_ST_NAMES[t.dtype]][0]
        raw = (t.view(torch.int16) if t.dtype == torch.bfloat16 else t).numpy().astype(np_dtype).tobytes()
        header[name] = {"dtype": _ST_NAMES[t.dtype], "shape": list(t.shape),
                        "data_offsets": [offset, offset + len(raw)]}
        blobs.append(raw)
        offset += len(raw)
    if metadata:
        header["__metadata__"] = {str(k): str(v) for k, v in metadata.items()}
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * (-len(text) % 8)
    tmp = f"{path}.tmp-{os.getpid()}"
    try:
        with open(tmp, "wb") as f:
            f.write(len(text).to_bytes(8, "little"))
            f.write(text)
            for b in blobs:
                f.write(b)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)

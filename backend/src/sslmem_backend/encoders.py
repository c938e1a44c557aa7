"""Encoders from elsewhere: a file (and, for bare weights, an architecture name) becomes an
eval-mode torch module mapping images [N,C,H,W] to representations [N,D], with a record of
what was loaded (`LoadedEncoder`).

Formats, told apart by their first bytes (never by the file name):

- the backend's own `encoder.pt` / `checkpoints/epochNNN.pt` (written by `train`): the
  architecture and the normalization are in the file;
- a state dict saved with `torch.save` — plain, or under "state_dict" (Lightning, solo-learn,
  lightly) or "model" — plus `arch`:
  ``torchvision:NAME`` (torchvision's architecture, ImageNet stem),
  ``torchvision:NAME-cifar`` (ResNets: a 3×3 stride-1 stem padded by 1 and no max-pool, as
  this backend's trainer builds `resnet18`),
  ``torchvision:NAME-cifar-pad2`` (the same stem padded by 2, as solo-learn builds its CIFAR
  ResNets: `nn.Conv2d(3, 64, kernel_size=3, stride=1, padding=2)`), or
  ``timm:NAME`` (`timm.create_model(NAME, num_classes=0)`; timm is optional);
  the classification layer (`fc`, ViT's `heads`, or the last Linear of `classifier`) becomes
  `nn.Identity`, so the output is the representation that layer would have read;
- safetensors (+ `arch`), read by `safetensors_file.read_safetensors`: no package needed;
- TorchScript (`torch.jit.save`): the architecture is in the file, `arch` must not be given;
- a whole pickled module (`torch.save(model)`): only with ``trust=True`` (see below).

Unpickling runs code. `torch.load` runs with ``weights_only=True`` (tensors, dicts, lists,
numbers and strings only; torch >= 1.13); a file that needs more — an `argparse.Namespace` or
an OmegaConf config among the hyper-parameters, a pickled module — is refused in one line
naming the file and the class, unless ``trust=True`` (CLI: ``--trust-checkpoint``).

Backbone selection for state dicts: a leading ``module.`` (DistributedDataParallel) or
``_orig_mod.`` (torch.compile) is stripped; then the prefix among "" (none), ``backbone.``
(solo-learn, lightly), ``encoder.`` (solo-learn before it renamed `encoder` to `backbone`),
``encoder_q.`` (MoCo v2), ``base_encoder.`` (MoCo v3) that matches most of the architecture's keys
is kept and its keys are stripped; everything else
— solo-learn's ``projector.``, ``predictor.``, ``classifier.``, ``momentum_backbone.``,
``momentum_projector.``; lightly's ``projection_head.``, ``prediction_head.``,
``teacher_backbone.``, ``online_classifier.``; the checkpoint's own classification layer — is
dropped and listed in `LoadedEncoder.dropped`. lightly's examples keep the backbone as
``nn.Sequential(*list(resnet.children())[:-1])`` (keys ``backbone.0.weight``,
``backbone.4.0.conv1.weight``): the numbers are mapped to the architecture's child modules in
order (``conv1``, ``layer1.0.conv1``). Another prefix (DINO's ``teacher_backbone.``) is given as
`prefix`; when no key of the architecture is found, the error lists the checkpoint's modules. Then
every key of the architecture must be in the
checkpoint with the same shape, and no key may be left over: otherwise one line naming the file,
the key and both shapes (BatchNorm's ``num_batches_tracked``, unused in eval mode, may be
absent). Nested checkpoints: the state dict is the dict of tensors at the top, or under
"state_dict", "model", "module", "net", "network" or "teacher" (DINO), the first found.
"""
from __future__ import annotations

import functools
import os
import pickle
import re
import sys
import zipfile
from dataclasses import dataclass, field
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple, Union, cast

import torch
import torch.nn as nn

from .safetensors_file import SafetensorsError, read_safetensors, write_safetensors

__all__ = ["EncoderError", "LoadedEncoder", "load_encoder", "build_architecture", "select_backbone",
           "read_safetensors", "write_safetensors"]

#: prefixes that hold the backbone in SSL checkpoints, tried after "" (no prefix): solo-learn and
#: lightly (backbone.), solo-learn before its rename (encoder.), MoCo v2 (encoder_q.), MoCo v3
#: (base_encoder.); the one matching most of the architecture's keys wins
BACKBONE_PREFIXES = ("backbone.", "encoder.", "encoder_q.", "base_encoder.")
#: wrappers stripped first when every key has them
WRAPPER_PREFIXES = ("module.", "_orig_mod.")
#: where training scripts nest the state dict in a checkpoint dict, in this order (DINO: teacher)
STATE_DICT_KEYS = ("state_dict", "model", "module", "net", "network", "teacher")


class EncoderError(ValueError):
    """A file that cannot be turned into an encoder; the message is one line naming the file."""


@dataclass
class LoadedEncoder:
    """What `load_encoder` loaded.

    `module`: in eval mode, on the requested device, maps [N,C,H,W] images to [N,D].
    `format`: "sslmem" (this backend's encoder.pt), "state-dict" (torch.save of weights),
    "safetensors", "torchscript" or "pickled-module".
    `arch`: the architecture name given (or the file's own for "sslmem"); None for TorchScript
    and pickled modules. `prefix`: the key prefix the backbone was taken from ("" for none).
    `dropped`: checkpoint keys that were not loaded (heads, momentum copies, the classifier).
    `notes`: things the user should know (a stem rebuilt for the checkpoint's channels, a
    solo-learn checkpoint read with the padding-1 CIFAR stem). `meta`: the backend's own
    metadata (role, split_sha256, mean, std, …) for "sslmem", else {}.
    """
    module: nn.Module
    path: str
    format: str
    arch: Optional[str] = None
    prefix: str = ""
    dropped: List[str] = field(default_factory=list)
    notes: List[str] = field(default_factory=list)
    meta: Dict[str, Any] = field(default_factory=dict)

    @property
    def architecture(self) -> str:
        """A name for the dump's `architecture` attribute."""
        if self.format == "sslmem":
            arch = str(self.meta.get("arch", self.arch))
            return arch + (f"-w{self.meta['width']}" if arch == "small-cnn" and "width" in self.meta else "")
        return self.arch or self.format

    def summary(self) -> List[str]:
        """Lines for the CLI: what was loaded, which keys were dropped (grouped by their first
        component), and the notes."""
        what = {"sslmem": "sslmem-backend encoder", "state-dict": "state dict", "safetensors": "safetensors",
                "torchscript": "TorchScript", "pickled-module": "pickled module"}[self.format]
        line = f"{self.path}: {what}" + (f" as {self.arch}" if self.arch and self.format != "sslmem" else "")
        if self.prefix:
            line += f", backbone from {self.prefix}*"
        lines = [line]
        if self.dropped:
            groups: Dict[str, int] = {}
            for k in self.dropped:
                groups[_group(k, self.prefix)] = groups.get(_group(k, self.prefix), 0) + 1
            lines.append(f"{self.path}: dropped {len(self.dropped)} keys: "
                         + ", ".join(f"{g} ({n})" for g, n in groups.items()))
        lines += [f"{self.path}: note: {n}" for n in self.notes]
        return lines


def _group(key: str, prefix: str) -> str:
    """The module a dropped key belongs to, for the summary: "projector.*", "module.queue",
    "backbone.fc.*" (under the backbone's prefix: its classification layer)."""
    lead = prefix if prefix and key.startswith(prefix) else ""
    while not prefix or not key.startswith(prefix):
        wrapper = next((w for w in WRAPPER_PREFIXES if key.startswith(lead + w)), None)
        if wrapper is None:
            break
        lead += wrapper
    first, dot, _ = key[len(lead):].partition(".")
    return lead + first + (".*" if dot else "")


# ----------------------------------------------------------------------------------------------
# reading files

def _sniff(path: str) -> Optional[str]:
    """"torchscript", "torch-zip", "torch-legacy", "safetensors" or None, from the bytes."""
    with open(path, "rb") as f:
        head = f.read(16)
    if head[:4] == b"PK\x03\x04":
        try:
            with zipfile.ZipFile(path) as z:
                names = z.namelist()
        except (zipfile.BadZipFile, OSError):
            return None
        if any(n.endswith("/constants.pkl") or "/code/" in n for n in names):
            return "torchscript"
        if any(n.endswith("/data.pkl") for n in names):
            return "torch-zip"
        return None
    if len(head) >= 9 and head[8:9] == b"{":
        n = int.from_bytes(head[:8], "little")
        if 2 <= n <= os.path.getsize(path) - 8:
            return "safetensors"
    # torch.save's legacy format: a pickle (protocol 2+) of its magic number first
    if len(head) >= 2 and head[0] == 0x80 and 2 <= head[1] <= 5:
        return "torch-legacy"
    return None


_UNSUPPORTED = re.compile(r"(?:Unsupported class|unsupported class|Unsupported global: GLOBAL)\s*([\w.<>]+)")


@functools.lru_cache(maxsize=1)
def _allowed_globals() -> Dict[str, Any]:
    """What a weights-only load may construct: torch's own list (tensors, storages, dtypes,
    OrderedDict, torch.Size, the tensor rebuild functions) where torch has it, plus every dtype."""
    allowed: Dict[str, Any] = {}
    try:
        from torch._weights_only_unpickler import _get_allowed_globals
        allowed.update(_get_allowed_globals())
    except ImportError:  # pragma: no cover - torch without it (never in >= 1.13)
        pass
    import collections

    import torch._utils as tu
    allowed.setdefault("collections.OrderedDict", collections.OrderedDict)
    allowed.setdefault("torch.Size", torch.Size)
    for name in ("_rebuild_tensor", "_rebuild_tensor_v2", "_rebuild_parameter", "_rebuild_parameter_with_state"):
        if hasattr(tu, name):
            allowed.setdefault(f"torch._utils.{name}", getattr(tu, name))
    for dtype in vars(torch).values():
        if isinstance(dtype, torch.dtype):
            allowed.setdefault(str(dtype), dtype)
    return allowed


class _WeightsUnpickler(pickle.Unpickler):
    """Python's pickle with `find_class` limited to `_allowed_globals` (the "restricting
    globals" recipe of the pickle documentation): nothing else can be imported or called.
    Used where torch's own weights-only unpickler lacks an opcode: torch 1.13's refuses floats
    (BINFLOAT, "Unsupported operand 71"), which every Lightning checkpoint and our own
    encoder.pt hold."""

    def find_class(self, module: str, name: str) -> Any:
        full = f"{module}.{name}"
        allowed = _allowed_globals()
        if full in allowed:
            return allowed[full]
        raise pickle.UnpicklingError(f"Unsupported class {full}")


class _WeightsPickleModule:
    """A `pickle_module` for torch's readers: Unpickler and load."""
    Unpickler = _WeightsUnpickler
    __name__ = "sslmem_backend.encoders._WeightsPickleModule"

    @staticmethod
    def load(f: Any, **kwargs: Any) -> Any:
        return _WeightsUnpickler(f, **kwargs).load()


def _torch_load(path: str, trust: bool) -> Any:
    """torch.load with weights_only=True (falling back to `_WeightsUnpickler` where torch's
    refuses a plain value), or full unpickling when `trust`; one-line errors."""
    def unreadable(e: BaseException) -> EncoderError:
        return EncoderError(f"{path}: not a readable torch checkpoint ({_first_line(e)})")
    if trust:
        try:
            return torch.load(path, map_location="cpu")
        except Exception as e:  # anything the file's own code raises
            return _raise(unreadable(e))
    try:
        return torch.load(path, map_location="cpu", weights_only=True)
    except pickle.UnpicklingError as e:
        first = e
    except (RuntimeError, EOFError, ValueError, KeyError, AttributeError, ImportError) as e:
        raise unreadable(e) from None
    if "Unsupported operand" in str(first):
        try:
            return _restricted_load(path)
        except pickle.UnpicklingError as e:
            first = e
        except (RuntimeError, EOFError, ValueError, KeyError, AttributeError, ImportError) as e:
            raise unreadable(e) from None
    m = _UNSUPPORTED.search(str(first))
    if m is None and "Weights only" not in str(first) and "weights_only" not in str(first):
        raise unreadable(first)
    what = f" (it holds {m.group(1).rstrip('.')})" if m else ""
    raise EncoderError(f"{path}: loading it needs full unpickling, which can run code{what}: pass "
                       f"--trust-checkpoint (API: trust=True) only if you trust this file")


def _restricted_load(path: str) -> Any:
    """torch.load's reader with `_WeightsPickleModule`. torch 1.13's torch.load ignores a
    `pickle_module` unless weights_only (it sets plain pickle), so its readers are called here."""
    ser: Any = torch.serialization
    with open(path, "rb") as f:
        if ser._is_zipfile(f):
            with ser._open_zipfile_reader(f) as z:
                return ser._load(z, "cpu", _WeightsPickleModule, encoding="utf-8")
        return ser._legacy_load(f, "cpu", _WeightsPickleModule, encoding="utf-8")


def _raise(e: BaseException) -> Any:
    raise e from None


def _first_line(e: BaseException) -> str:
    text = str(e).strip()
    return text.splitlines()[0] if text else type(e).__name__


# ----------------------------------------------------------------------------------------------
# architectures

def _replace_classifier(model: nn.Module) -> str:
    """Replaces the classification layer by Identity; returns its module name."""
    if isinstance(getattr(model, "fc", None), nn.Module):
        model.fc = nn.Identity()
        return "fc"
    if isinstance(getattr(model, "heads", None), nn.Module):  # torchvision ViT
        model.heads = nn.Identity()
        return "heads"
    cls = getattr(model, "classifier", None)
    if isinstance(cls, nn.Linear):
        model.classifier = nn.Identity()
        return "classifier"
    if isinstance(cls, nn.Sequential):
        for i in range(len(cls) - 1, -1, -1):
            if isinstance(cls[i], nn.Linear):
                cls[i] = nn.Identity()
                return f"classifier.{i}"
    raise EncoderError(f"cannot find the classification layer (fc, heads or classifier) of {type(model).__name__}")


def build_architecture(arch: str) -> Tuple[nn.Module, str]:
    """An untrained encoder for `arch` ("torchvision:NAME[-cifar|-cifar-pad2]" or "timm:NAME")
    and the name of its classification layer, now Identity (its checkpoint keys are dropped)."""
    family, _, name = arch.partition(":")
    if family == "torchvision" and name:
        import torchvision
        base, _, variant = name.partition("-")
        if variant not in ("", "cifar", "cifar-pad2"):
            raise EncoderError(f"--arch {arch}: unknown variant -{variant} (expected -cifar or -cifar-pad2)")
        fn = getattr(torchvision.models, base, None)
        if base.startswith("_") or not base.islower() or not callable(fn) or isinstance(fn, type):
            raise EncoderError(f"--arch {arch}: torchvision {torchvision.__version__} has no model {base!r}")
        try:
            model = fn(weights=None)
        except TypeError:
            model = None
        if not isinstance(model, nn.Module):
            raise EncoderError(f"--arch {arch}: torchvision.models.{base} is not a model")
        if variant:
            conv = getattr(model, "conv1", None)
            if not isinstance(conv, nn.Conv2d) or not hasattr(model, "maxpool"):
                raise EncoderError(f"--arch {arch}: the CIFAR stem is defined for ResNets (conv1 and maxpool)")
            model.conv1 = nn.Conv2d(conv.in_channels, conv.out_channels, 3, 1, 2 if variant == "cifar-pad2" else 1,
                                    bias=conv.bias is not None)
            model.maxpool = nn.Identity()
        return model, _replace_classifier(model)
    if family == "timm" and name:
        try:
            import timm
        except ImportError:
            raise EncoderError(f"--arch {arch} needs the timm package, which is not installed: pip install timm "
                               f"(into this Python: {sys.executable} -m pip install timm)") from None
        try:
            model = timm.create_model(name, pretrained=False, num_classes=0)
        except RuntimeError as e:
            raise EncoderError(f"--arch {arch}: {_first_line(e)}") from None
        cfg = getattr(model, "pretrained_cfg", None) or getattr(model, "default_cfg", None) or {}
        head = cfg.get("classifier", "head")
        return model, head if isinstance(head, str) else head[0]
    raise EncoderError(f"--arch {arch!r}: expected torchvision:NAME, torchvision:NAME-cifar, "
                       f"torchvision:NAME-cifar-pad2 or timm:NAME")


# ----------------------------------------------------------------------------------------------
# state dicts

def _find_state_dict(obj: Any, path: str) -> Dict[str, torch.Tensor]:
    def tensors_only(d: Any) -> bool:
        return isinstance(d, Mapping) and len(d) > 0 and all(isinstance(k, str) and isinstance(v, torch.Tensor)
                                                              for k, v in d.items())
    if tensors_only(obj):
        return dict(obj)
    if isinstance(obj, Mapping):
        for key in STATE_DICT_KEYS:
            if tensors_only(obj.get(key)):
                return dict(obj[key])
        keys = ", ".join(map(str, list(obj)[:8])) + (", …" if len(obj) > 8 else "")
        raise EncoderError(f"{path}: no state dict in this checkpoint (expected tensors at the top or under "
                           f"{', '.join(STATE_DICT_KEYS)}; top-level keys: {keys})")
    raise EncoderError(f"{path}: holds a {type(obj).__name__}, not a state dict or an encoder")


def _children_map(model: nn.Module, keys: Sequence[str]) -> Optional[Dict[str, str]]:
    """For keys like "0.weight", "4.1.conv1.weight" (an nn.Sequential of the model's children, as
    lightly's examples build it): {"0": "conv1", "4": "layer1", …}; None when the keys are not
    numbered."""
    if not keys or not all(k.split(".", 1)[0].isdigit() for k in keys):
        return None
    names = [n for n, _ in model.named_children()]
    return {str(i): n for i, n in enumerate(names)}


def select_backbone(state: Mapping[str, torch.Tensor], model: nn.Module,
                    prefix: Optional[str] = None) -> Tuple[Dict[str, torch.Tensor], str, List[str]]:
    """(backbone state dict with the architecture's key names, the prefix used, dropped keys).

    Wrappers ``module.``/``_orig_mod.`` are stripped when every key has them. With `prefix`
    None the prefix among "" and `BACKBONE_PREFIXES` whose keys (after mapping lightly's
    numbered children) match most of `model`'s keys is used; ties go to the earlier one.
    Keys outside the prefix are returned as dropped."""
    state = dict(state)
    stripped = ""
    for w in WRAPPER_PREFIXES:
        while state and all(k.startswith(w) for k in state):
            state = {k[len(w):]: v for k, v in state.items()}
            stripped += w
    wanted = set(model.state_dict())
    candidates = [prefix] if prefix is not None else [""] + list(BACKBONE_PREFIXES)
    best: Optional[Tuple[int, str, Dict[str, torch.Tensor], List[str]]] = None
    for p in candidates:
        inside = {k[len(p):]: v for k, v in state.items() if k.startswith(p)}
        dropped = [stripped + k for k in state if not k.startswith(p)]
        mapping = _children_map(model, list(inside))
        if mapping is not None:
            inside = {mapping.get(k.split(".", 1)[0], k.split(".", 1)[0]) + "." + k.split(".", 1)[1]
                      if "." in k else k: v for k, v in inside.items()}
        score = len(wanted & set(inside))
        if best is None or score > best[0]:
            best = (score, p, inside, dropped)
    assert best is not None
    return best[2], stripped + best[1], best[3]


def _shape(t: Any) -> str:
    return "[" + ",".join(str(s) for s in t.shape) + "]"


def _load_checked(model: nn.Module, state: Dict[str, torch.Tensor], path: str, arch: str) -> None:
    """load_state_dict(strict) with one-line errors naming the file, key and shapes."""
    own = model.state_dict()
    for k, v in own.items():
        if k in state and tuple(state[k].shape) != tuple(v.shape):
            hint = ""
            if k == "conv1.weight" and arch.startswith("torchvision:") and state[k].dim() == 4 and v.dim() == 4:
                base = arch.split("-", 1)[0]
                if state[k].shape[-1] == 3 and v.shape[-1] == 7:
                    hint = f" (a 3×3 CIFAR stem: try {base}-cifar, or {base}-cifar-pad2 for solo-learn)"
                elif state[k].shape[-1] == 7 and v.shape[-1] == 3:
                    hint = f" (a 7×7 ImageNet stem: try {base})"
            raise EncoderError(f"{path}: key {k} has shape {_shape(state[k])} in the checkpoint but "
                               f"{_shape(v)} in {arch}{hint}")
    # BatchNorm's num_batches_tracked (absent before torch 0.4.1) plays no part in eval mode
    missing = [k for k in own if k not in state and not k.endswith("num_batches_tracked")]
    if missing:
        raise EncoderError(f"{path}: key {missing[0]} ({_shape(own[missing[0]])}) of {arch} is missing from the "
                           f"checkpoint ({len(missing)} of {len(own)} keys missing; wrong --arch?)")
    unexpected = [k for k in state if k not in own]
    if unexpected:
        raise EncoderError(f"{path}: key {unexpected[0]} ({_shape(state[unexpected[0]])}) of the checkpoint is not "
                           f"in {arch} ({len(unexpected)} keys left over; wrong --arch?)")
    model.load_state_dict(state, strict=False)  # every key checked above


def _adapt_stem(model: nn.Module, state: Mapping[str, torch.Tensor]) -> Optional[str]:
    """Rebuilds `conv1` for the checkpoint's input channels (a grey-scale ResNet)."""
    conv, w = getattr(model, "conv1", None), state.get("conv1.weight")
    if isinstance(conv, nn.Conv2d) and isinstance(w, torch.Tensor) and w.dim() == 4 \
            and w.shape[1] != conv.in_channels and w.shape[2:] == conv.weight.shape[2:]:
        # a Conv2d's kernel_size, stride and padding are pairs (or a padding mode string)
        model.conv1 = nn.Conv2d(int(w.shape[1]), conv.out_channels, cast(Tuple[int, int], conv.kernel_size),
                                cast(Tuple[int, int], conv.stride), cast(Union[str, Tuple[int, int]], conv.padding),
                                bias=conv.bias is not None)
        return f"conv1 takes {int(w.shape[1])} input channel(s), as in the checkpoint"
    return None


def _is_sslmem(obj: Any) -> bool:
    return (isinstance(obj, Mapping) and isinstance(obj.get("state_dict"), Mapping)
            and isinstance(obj.get("arch"), str) and "in_channels" in obj)


# ----------------------------------------------------------------------------------------------
# the entry point

def load_encoder(path: str, arch: Optional[str] = None, *, trust: bool = False, device: str = "cpu",
                 prefix: Optional[str] = None) -> LoadedEncoder:
    """Loads the encoder in `path` (see the module docstring for the formats).

    `arch` is required for bare weights (state dict, safetensors) and refused for files that
    hold their architecture. `trust` allows full unpickling (runs code from the file).
    `prefix` forces the backbone's key prefix ("" for none) instead of choosing it. The file
    is read on the CPU and the module moved to `device`.
    Raises EncoderError (a ValueError) with one line naming the file."""
    if not os.path.isfile(path):
        raise EncoderError(f"{path}: no such file")
    try:
        kind_of_device = torch.device(device).type
    except RuntimeError as e:
        raise EncoderError(f"--device {device}: {_first_line(e)}") from None
    if kind_of_device == "cuda" and not torch.cuda.is_available():
        raise EncoderError(f"--device {device}: CUDA is not available to torch {torch.__version__}"
                           + (" (built without CUDA)" if torch.version.cuda is None else ""))
    kind = _sniff(path)
    if kind is None:
        raise EncoderError(f"{path}: not an encoder checkpoint (expected a torch.save file, a TorchScript "
                           f"file or safetensors)")

    def no_arch(what: str) -> None:
        if arch:
            raise EncoderError(f"{path}: {what} holds its own architecture: drop --arch {arch}")

    if kind == "torchscript":
        no_arch("a TorchScript file")
        try:
            module = torch.jit.load(path, map_location="cpu").to(device)
        except RuntimeError as e:
            raise EncoderError(f"{path}: cannot load the TorchScript file ({_first_line(e)})") from None
        return LoadedEncoder(module.eval(), path, "torchscript")
    if kind == "safetensors":
        try:
            state, fmt = read_safetensors(path), "safetensors"
        except SafetensorsError as e:
            raise EncoderError(str(e)) from None
    else:
        obj = _torch_load(path, trust)
        if isinstance(obj, nn.Module):
            no_arch("a pickled module")
            return LoadedEncoder(obj.to(device).eval(), path, "pickled-module")
        if _is_sslmem(obj):
            no_arch("an sslmem-backend encoder")
            return _load_sslmem(obj, path, device)
        state, fmt = _find_state_dict(obj, path), "state-dict"
    if not arch:
        raise EncoderError(f"{path}: holds weights only: give their architecture, e.g. --arch torchvision:resnet18, "
                           f"torchvision:resnet18-cifar or timm:NAME")
    model, head = build_architecture(arch)
    backbone, used, dropped = select_backbone(state, model, prefix)
    notes = []
    note = _adapt_stem(model, backbone)
    if note:
        notes.append(note)
    own = set(model.state_dict())
    if not own & set(backbone):
        groups = sorted({_group(k, "") for k in state})
        listed = ", ".join(groups[:8]) + (", …" if len(groups) > 8 else "")
        raise EncoderError(f"{path}: no key of {arch} in the checkpoint" + (f" under {used!r}" if used else "")
                           + f" (it holds {listed}): wrong --arch, or name the backbone's prefix with --prefix")
    head_keys = [k for k in backbone if k not in own and (k == head or k.startswith(head + "."))]
    for k in head_keys:
        del backbone[k]
    dropped += [used + k for k in head_keys]
    if arch.startswith("torchvision:") and arch.endswith("-cifar") and _looks_solo_learn(state, used):
        notes.append("this looks like a solo-learn checkpoint (backbone.* with classifier.*): solo-learn pads its "
                     "CIFAR stem by 2, use --arch " + arch + "-pad2 if it came from solo-learn")
    _load_checked(model, backbone, path, arch)
    return LoadedEncoder(model.to(device).eval(), path, fmt, arch, used, dropped, notes)


def _looks_solo_learn(state: Mapping[str, Any], prefix: str) -> bool:
    tops = {k.split(".", 1)[0] for k in state}
    return prefix.endswith("backbone.") and "classifier" in tops


def _load_sslmem(blob: Mapping[str, Any], path: str, device: str) -> LoadedEncoder:
    """The backend's own encoder.pt: {"state_dict", "arch", "in_channels", "width", "image_size", …}."""
    from .models import build_encoder
    try:
        model = build_encoder(blob["arch"], int(blob["in_channels"]), int(blob.get("width", 32)),
                              int(blob.get("image_size", 28)))
    except (ValueError, TypeError) as e:
        raise EncoderError(f"{path}: {_first_line(e)}") from None
    _load_checked(model, dict(blob["state_dict"]), path, str(blob["arch"]))
    meta = {k: v for k, v in blob.items() if k not in ("state_dict", "resume")}  # resume: a checkpoint's run state
    return LoadedEncoder(model.to(device).eval(), path, "sslmem", str(blob["arch"]), meta=meta)

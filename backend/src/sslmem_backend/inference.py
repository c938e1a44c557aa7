"""Running a user's encoder for a dump: its modules in eval mode, on the dump's device, and back.

The encoder may be a `torch.nn.Module` or any callable (a function wrapping a model that returns a
dict, a bound method, a `functools.partial`, an object with `__call__`). `modules_of` finds the
modules behind a callable: the callable itself, a bound method's object, a partial's function and
arguments, the cells of a closure, the globals a function's code names, and the attributes of a
callable object (one level deep, then recursively through functions). `EncoderMode` puts every
module found in eval mode and on the device for the dump, and restores each submodule's own
training flag and each module's device afterwards.

A callable whose modules cannot all be found might still run BatchNorm or dropout in training mode
(outputs that depend on the batch, running statistics that the dump changes). While the dump runs,
a global forward pre-hook refuses any BatchNorm or dropout module that runs in training mode, in one
line naming it, rather than writing wrong numbers.
"""
from __future__ import annotations

import functools
import inspect
import types
from typing import Dict, Iterable, List, Optional, Union

import torch
from torch.utils.hooks import RemovableHandle

_MODE_DEPENDENT = (torch.nn.modules.batchnorm._BatchNorm, torch.nn.modules.dropout._DropoutNd,
                   torch.nn.modules.instancenorm._InstanceNorm)


class EncoderModeError(RuntimeError):
    """One line: a module that would run in training mode during the dump, or a missing device."""


def modules_of(encoder: object, extra: Iterable[torch.nn.Module] = ()) -> List[torch.nn.Module]:
    """The top-level torch modules behind `encoder` (see the module docstring), without repeats."""
    found: Dict[int, torch.nn.Module] = {}
    seen: set = set()

    def visit(obj: object, depth: int) -> None:
        if id(obj) in seen or depth > 4:
            return
        seen.add(id(obj))
        if isinstance(obj, torch.nn.Module):
            found.setdefault(id(obj), obj)
            return
        if isinstance(obj, (list, tuple, set, frozenset)):
            for o in obj:
                visit(o, depth + 1)
            return
        if isinstance(obj, dict):
            for o in obj.values():
                visit(o, depth + 1)
            return
        if isinstance(obj, functools.partial):
            visit(obj.func, depth + 1)
            visit(obj.args, depth + 1)
            visit(obj.keywords, depth + 1)
            return
        if isinstance(obj, types.MethodType):
            visit(obj.__self__, depth + 1)
            visit(obj.__func__, depth + 1)
            return
        if isinstance(obj, types.FunctionType):
            for cell in obj.__closure__ or ():
                try:
                    visit(cell.cell_contents, depth + 1)
                except ValueError:  # an empty cell
                    pass
            code_names = set(obj.__code__.co_names)
            for const in obj.__code__.co_consts:  # names used by nested lambdas / comprehensions
                if isinstance(const, types.CodeType):
                    code_names |= set(const.co_names)
            for name in code_names:
                if name in obj.__globals__:
                    g = obj.__globals__[name]
                    if isinstance(g, (torch.nn.Module, types.FunctionType, functools.partial)):
                        visit(g, depth + 1)
            visit(obj.__defaults__ or (), depth + 1)
            return
        if callable(obj) and not inspect.isclass(obj) and hasattr(obj, "__dict__"):
            for v in vars(obj).values():
                visit(v, depth + 1)
            call = getattr(type(obj), "__call__", None)  # noqa: B004 (the class's method, not callable())
            if isinstance(call, types.FunctionType):
                visit(call, depth + 1)

    visit(encoder, 0)
    for m in extra:
        visit(m, 0)
    # keep only the outermost modules (a submodule of another found module is handled through it)
    inner = {id(sub) for m in found.values() for sub in m.modules() if sub is not m}
    return [m for i, m in found.items() if i not in inner]


def _device_of(module: torch.nn.Module) -> Optional[torch.device]:
    for t in list(module.parameters()) + list(module.buffers()):
        return t.device
    return None


def check_device(device: str) -> torch.device:
    """torch.device(device), refusing CUDA (or MPS) where this torch cannot use it, in one line."""
    try:
        dev = torch.device(device)
    except RuntimeError:
        raise EncoderModeError(f"device {device!r}: not a torch device (cpu, cuda, cuda:1, mps)") from None
    if dev.type == "cuda" and not torch.cuda.is_available():
        raise EncoderModeError(f"device {device!r}: CUDA is not available here (torch {torch.__version__}, "
                               f"built with CUDA {torch.version.cuda or 'none'}); use device cpu")
    if dev.type == "cuda" and dev.index is not None and dev.index >= torch.cuda.device_count():
        raise EncoderModeError(f"device {device!r}: this machine has {torch.cuda.device_count()} CUDA device(s)")
    if dev.type == "mps" and not (hasattr(torch.backends, "mps") and torch.backends.mps.is_available()):
        raise EncoderModeError(f"device {device!r}: MPS is not available here; use device cpu")
    return dev


class EncoderMode:
    """`with EncoderMode(encoder, device, model=…):` every module behind the encoder in eval mode and
    on `device`; on exit each submodule's training flag and each module's device are restored.
    Inside, a BatchNorm or dropout module that runs in training mode stops the dump (EncoderModeError
    naming it)."""

    def __init__(self, encoder: object, device: str = "cpu",
                 model: Union[torch.nn.Module, Iterable[torch.nn.Module], None] = None) -> None:
        self.device = check_device(device)
        extra = [model] if isinstance(model, torch.nn.Module) else list(model or [])
        self.modules = modules_of(encoder, extra)
        self._flags: List[tuple] = []
        self._devices: List[tuple] = []
        self._hook: Optional[RemovableHandle] = None

    def __enter__(self) -> "EncoderMode":
        for m in self.modules:
            self._flags += [(sub, sub.training) for sub in m.modules()]
            dev = _device_of(m)
            if dev is not None and dev != self.device:
                self._devices.append((m, dev))
                m.to(self.device)
            m.eval()
        self._hook = torch.nn.modules.module.register_module_forward_pre_hook(self._refuse_training)
        return self

    @staticmethod
    def _refuse_training(module: torch.nn.Module, inputs: object) -> None:
        if module.training and isinstance(module, _MODE_DEPENDENT):
            raise EncoderModeError(
                f"the encoder runs {type(module).__name__} in training mode (its output would depend on the batch "
                "and the dump would change its running statistics): pass the model (model=…) or call .eval() on it")

    def __exit__(self, *exc: object) -> None:
        if self._hook is not None:
            self._hook.remove()
            self._hook = None
        for sub, flag in self._flags:
            sub.training = flag
        for m, dev in self._devices:
            m.to(dev)
        self._flags, self._devices = [], []

"""Per-layer outputs through forward hooks (LayerMem; Wang et al., NeurIPS 2024).

`LayerTaps(encoder, names)` registers a forward hook on each named module (names as in
`encoder.named_modules()`); after a forward pass `take()` gives each layer's output for the batch.

- **Copies.** A hook keeps a copy of the output (`detach().clone()`), taken when the module returns:
  an in-place op that runs later in the forward pass (torchvision ResNet's `ReLU(inplace=True)`
  after `bn1`) cannot change what is dumped.
- **Modules called more than once** in one forward pass (ResNet's BasicBlock calls its one `relu`
  twice) give one layer per call, named `<name>#1`, `<name>#2`, … in call order; a name with a
  suffix (`layer1.0.relu#2`) selects one call. A module must be called the same number of times in
  every forward pass.
- `order` is the order in which the layers fired in the first forward pass (0 = closest to the
  input).
- `units_axis` (`units_axis_for`): which axis of one item's output (no batch axis) indexes units.
  Guessed only where unambiguous: [C] → 0; a convolution, batch norm or pooling module → 0 (torch
  is channels-first); a linear or layer-norm module → the last axis (for a Sequential: its last
  child that is not an activation, dropout or identity); [C,H,W] with H = W ≠ C → 0,
  [H,W,C] with H = W ≠ C → 2. Anything else ([T,C] vs [C,L] from an unknown module, a square
  [C,H,W] with C = H = W) needs `units_axis={name: axis}`, and the error names the layer.
"""
from __future__ import annotations

from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple

import torch

_CHANNELS_FIRST = (torch.nn.modules.conv._ConvNd, torch.nn.modules.batchnorm._BatchNorm,
                   torch.nn.modules.pooling._MaxPoolNd, torch.nn.modules.pooling._AvgPoolNd,
                   torch.nn.modules.pooling._AdaptiveAvgPoolNd, torch.nn.modules.pooling._AdaptiveMaxPoolNd,
                   torch.nn.modules.instancenorm._InstanceNorm, torch.nn.GroupNorm)
_CHANNELS_LAST = (torch.nn.Linear, torch.nn.LayerNorm, torch.nn.Embedding)


class UnknownLayer(ValueError):
    """A layer name that cannot be dumped (unknown, did not run, not a tensor, ambiguous axes)."""


_ELEMENTWISE = (torch.nn.ReLU, torch.nn.ReLU6, torch.nn.LeakyReLU, torch.nn.ELU, torch.nn.GELU, torch.nn.SiLU,
                torch.nn.Sigmoid, torch.nn.Tanh, torch.nn.Hardswish, torch.nn.Mish, torch.nn.Identity,
                torch.nn.modules.dropout._DropoutNd)


def _last_leaf(module: torch.nn.Module) -> Optional[torch.nn.Module]:
    """The module that fixes the layout of a Sequential's output: its last child that is not an
    element-wise activation, dropout or identity (searched into nested Sequentials)."""
    if isinstance(module, torch.nn.Sequential):
        for child in reversed(list(module)):
            leaf = _last_leaf(child)
            if leaf is not None:
                return leaf
        return None
    return None if isinstance(module, _ELEMENTWISE) else module


def units_axis_for(name: str, module: Optional[torch.nn.Module], shape: Sequence[int]) -> int:
    """Units axis of one item's output `shape` from `module` (see the module docstring); raises
    UnknownLayer naming the layer where the layout is ambiguous."""
    shape = tuple(shape)
    if len(shape) <= 1:
        return 0
    declared = getattr(module, "units_axis", None)  # a module may say so itself (a transformer block: [T, C] → 1)
    if isinstance(declared, int) and -len(shape) <= declared < len(shape):
        return declared % len(shape)
    leaf = _last_leaf(module) if module is not None else None
    if isinstance(leaf, _CHANNELS_FIRST):
        return 0
    if isinstance(leaf, _CHANNELS_LAST):
        return len(shape) - 1
    if len(shape) == 3:
        a, b, c = shape
        if b == c and a != b:
            return 0
        if a == b and b != c:
            return 2
    raise UnknownLayer(f"layer {name!r}: output {list(shape)} per item: cannot tell which axis holds the units; "
                       f"pass units_axis={{{name!r}: axis}} (0 for [C,H,W] or [C,L], the last for [T,C] or [H,W,C])")


def units_axis_of(shape: Sequence[int]) -> int:
    """Units axis of a shape alone (kept for callers without the module): [C,H,W] → 0, [T,C] → 1,
    [C] → 0."""
    return 1 if len(shape) == 2 else 0


def _split_name(name: str) -> Tuple[str, Optional[int]]:
    module, sep, call = name.rpartition("#")
    if sep and call.isdigit() and int(call) >= 1:
        return module, int(call)
    return name, None


class LayerTaps:
    """Forward hooks that copy the outputs of named modules (see the module docstring)."""

    def __init__(self, encoder: object, names: Sequence[str]):
        self.requested = list(names)
        self._handles: List[object] = []
        self._calls: Dict[str, int] = {}            # module name → calls in the current forward pass
        self._got: Dict[str, List[Tuple[int, torch.Tensor]]] = {}  # module → (sequence number, output) per call
        self._seq = 0
        self._counts: Optional[Dict[str, int]] = None  # calls per pass, fixed by the first pass
        self._fired: List[str] = []                 # layer names (with #k) in firing order of the first pass
        self.modules: Dict[str, torch.nn.Module] = {}
        if not self.requested:
            return
        if not isinstance(encoder, torch.nn.Module):
            raise UnknownLayer("layers need the encoder to be a torch.nn.Module (or pass model= with the module)")
        modules = dict(encoder.named_modules())
        for name in self.requested:
            base, _ = _split_name(name)
            if base not in modules or base == "":
                known = ", ".join(n for n in modules if n) or "none"
                raise UnknownLayer(f"layer {name!r}: no such module in the encoder (modules: {known})")
            if base not in self.modules:
                self.modules[base] = modules[base]
                self._handles.append(modules[base].register_forward_hook(self._hook(base)))

    def _hook(self, base: str) -> Callable[[torch.nn.Module, Any, Any], None]:
        def hook(module: torch.nn.Module, inputs: Any, output: Any) -> None:
            if isinstance(output, (tuple, list)) and output:
                output = output[0]
            if not isinstance(output, torch.Tensor):
                raise UnknownLayer(f"layer {base!r}: output is a {type(output).__name__}, not a tensor")
            self._got.setdefault(base, []).append((self._seq, output.detach().clone()))
            self._seq += 1
        return hook

    def take(self) -> Dict[str, torch.Tensor]:
        """The outputs of the last forward pass by layer name (`name`, or `name#k` for a module
        called more than once); clears them for the next pass."""
        got, self._got, self._seq = self._got, {}, 0
        counts = {base: len(got.get(base, [])) for base in self.modules}
        for base, n in counts.items():
            if n == 0:
                raise UnknownLayer(f"layer {base!r}: the module did not run in the encoder's forward pass")
        if self._counts is None:
            self._counts = counts
        elif counts != self._counts:
            base = next(b for b in counts if counts[b] != self._counts[b])
            raise UnknownLayer(f"layer {base!r}: called {counts[base]} times in this forward pass, "
                               f"{self._counts[base]} in the first")
        out: Dict[str, torch.Tensor] = {}
        seq: Dict[str, int] = {}
        for name in self.requested:
            base, call = _split_name(name)
            if call is not None and name not in self.modules:
                if call > counts[base]:
                    raise UnknownLayer(f"layer {name!r}: the module runs {counts[base]} time(s) per forward pass")
                seq[name], out[name] = got[base][call - 1]
            elif counts[base] == 1:
                seq[name], out[name] = got[base][0]
            else:
                for k, (q, t) in enumerate(got[base], 1):
                    seq[f"{name}#{k}"], out[f"{name}#{k}"] = q, t
        if not self._fired:
            self._fired = sorted(out, key=lambda n: seq[n])
        return out

    def names(self) -> List[str]:
        """The layer names dumped (after the first `take()`), in firing order."""
        return list(self._fired)

    def order(self, name: str) -> Optional[int]:
        """Firing order of a dumped layer name in the first forward pass (0 = first)."""
        return self._fired.index(name) if name in self._fired else None

    def close(self) -> None:
        """Removes the forward hooks."""
        for h in self._handles:
            h.remove()  # type: ignore[attr-defined]
        self._handles = []

    def __enter__(self) -> "LayerTaps":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

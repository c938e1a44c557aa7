"""Per-layer outputs through forward hooks (LayerMem; Wang et al., NeurIPS 2024).

`LayerTaps(encoder, names)` registers a forward hook on each named module (names as in
`encoder.named_modules()`); after a forward pass `taps.outputs[name]` holds that module's
output for the batch. `order` is the order in which the hooks fired in the first forward
pass (0 = closest to the input); `units_axis` says which trailing axis (after the batch axis)
indexes units: 0 for a conv map [C,H,W] or a vector [C], 1 for tokens [T,C].
"""
from __future__ import annotations

from typing import Dict, List, Optional, Sequence

import torch


class UnknownLayer(ValueError):
    pass


def units_axis_of(shape: Sequence[int]) -> int:
    """Units axis of one item's output shape (no batch axis): [C,H,W] → 0, [T,C] → 1, [C] → 0."""
    return 1 if len(shape) == 2 else 0


class LayerTaps:
    def __init__(self, encoder: torch.nn.Module, names: Sequence[str]):
        self.names = list(names)
        self.outputs: Dict[str, torch.Tensor] = {}
        self.fired: List[str] = []
        self._handles = []
        if not self.names:
            return
        if not isinstance(encoder, torch.nn.Module):
            raise UnknownLayer("layers need the encoder to be a torch.nn.Module")
        modules = dict(encoder.named_modules())
        for name in self.names:
            if name not in modules or name == "":
                known = ", ".join(n for n in modules if n) or "none"
                raise UnknownLayer(f"layer {name!r}: no such module in the encoder (modules: {known})")
            self._handles.append(modules[name].register_forward_hook(self._hook(name)))

    def _hook(self, name: str):
        def hook(module, inputs, output):
            if isinstance(output, (tuple, list)):
                output = output[0]
            if not isinstance(output, torch.Tensor):
                raise UnknownLayer(f"layer {name!r}: output is a {type(output).__name__}, not a tensor")
            self.outputs[name] = output.detach()
            if name not in self.fired:
                self.fired.append(name)
        return hook

    def take(self) -> Dict[str, torch.Tensor]:
        """The outputs of the last forward pass; each named layer must have fired."""
        for name in self.names:
            if name not in self.outputs:
                raise UnknownLayer(f"layer {name!r}: the module did not run in the encoder's forward pass")
        out, self.outputs = self.outputs, {}
        return out

    def order(self, name: str) -> Optional[int]:
        return self.fired.index(name) if name in self.fired else None

    def close(self) -> None:
        for h in self._handles:
            h.remove()
        self._handles = []

    def __enter__(self) -> "LayerTaps":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

"""SSL methods of the reference trainer, by `--method` name (each a `base.Method`)."""
from __future__ import annotations

from typing import Dict, Type

from .base import Method

#: Filled by the method modules as they are added (simclr, vicreg, …).
METHODS: Dict[str, Type[Method]] = {}

from .byol import BYOL  # noqa: E402
from .dino import DINO  # noqa: E402
from .mae import MAE  # noqa: E402
from .simsiam import SimSiam  # noqa: E402

for _method in (DINO, MAE, BYOL, SimSiam):
    METHODS[_method.name] = _method

__all__ = ["Method", "METHODS", "DINO", "MAE", "BYOL", "SimSiam"]

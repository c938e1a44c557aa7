"""SSL methods of the reference trainer, by `--method` name (each a `base.Method`)."""
from __future__ import annotations

from typing import Dict, Type

from .base import Method

#: Filled by the method modules as they are added (simclr, vicreg, …).
METHODS: Dict[str, Type[Method]] = {}

__all__ = ["Method", "METHODS"]

# Each method module registers its class here (one line per module).
from .byol import BYOL  # noqa: E402
from .dino import DINO  # noqa: E402
from .mae import MAE  # noqa: E402
from .simclr import SimCLR  # noqa: E402
from .simsiam import SimSiam  # noqa: E402
from .vicreg import VICReg  # noqa: E402

for _method in (SimCLR, VICReg, DINO, MAE, BYOL, SimSiam):
    METHODS[_method.name] = _method

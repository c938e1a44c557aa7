"""SSL methods of the reference trainer, by `--method` name (each a `base.Method`)."""
from __future__ import annotations

from typing import Dict, Type

from .base import Method

#: Filled by the method modules as they are added (simclr, vicreg, …).
METHODS: Dict[str, Type[Method]] = {}

__all__ = ["Method", "METHODS"]

# Each method module registers its class here (one line per module).
from .simclr import SimCLR  # noqa: E402
from .vicreg import VICReg  # noqa: E402

METHODS[SimCLR.name] = SimCLR
METHODS[VICReg.name] = VICReg

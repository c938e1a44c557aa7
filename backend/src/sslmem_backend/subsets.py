"""The subsets of SSLMem (Wang et al., ICLR 2024, Sec. 3) and the two encoder roles.

`Subset` holds the `/points/subset` codes of layout v1 (docs/layout.md); `SUBSETS` their names in
code order, shared by the split, the dump and the converters. An encoder's role says what it trained
on: f on shared + candidate, g on shared + independent (`TRAINED_ON`).
"""
from __future__ import annotations

import enum
from typing import Dict, List, Literal, Tuple

#: "f" trains on shared + candidate points, "g" on shared + independent points.
Role = Literal["f", "g"]


class Subset(enum.IntEnum):
    """`/points/subset` code of a point (layout v1)."""

    SHARED = 0
    CANDIDATE = 1
    INDEPENDENT = 2
    EXTRA = 3

    @property
    def label(self) -> str:
        """The subset's name in files and errors: "shared", "candidate", …"""
        return self.name.lower()


#: Subset names in code order (`/points/subset` attribute `names`).
SUBSETS: Tuple[str, ...] = tuple(s.label for s in Subset)

#: What each role's encoder trained on (the root attribute `trained_on`).
TRAINED_ON: Dict[str, List[str]] = {"f": ["shared", "candidate"], "g": ["shared", "independent"]}

#: The subset only that role's encoder trained on.
OWN_SUBSET: Dict[str, Subset] = {"f": Subset.CANDIDATE, "g": Subset.INDEPENDENT}


def check_role(role: str, where: str) -> None:
    """Raises ValueError naming `where` unless role is "f" or "g"."""
    if role not in TRAINED_ON:
        raise ValueError(f"{where}: role {role!r}: expected 'f' or 'g'")

"""Protection needs of assets, inherited along dependencies (the maximum principle).

If an application depends on a server, the server must be protected at least as well as the
application needs: its effective confidentiality, integrity and availability are the maximum
of its own values and those of every asset that (directly or indirectly) depends on it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

CIA_SCALE = {1: "Low", 2: "Medium", 3: "High", 4: "Very high"}


@dataclass(frozen=True)
class Needs:
    confidentiality: int = 0
    integrity: int = 0
    availability: int = 0

    def merge(self, other: Needs) -> Needs:
        return Needs(
            max(self.confidentiality, other.confidentiality),
            max(self.integrity, other.integrity),
            max(self.availability, other.availability),
        )


@dataclass(frozen=True)
class EffectiveNeeds:
    own: Needs
    effective: Needs
    inherited_from: tuple[int, ...]  # assets whose needs raised this one's

    @property
    def inherited(self) -> bool:
        return self.effective != self.own


def effective_needs(
    own: Mapping[int, Needs], depends_on: Mapping[int, Iterable[int]]
) -> dict[int, EffectiveNeeds]:
    """Propagate needs from each asset to what it depends on, until nothing changes.

    Works on any graph, cycles included: values only grow and are bounded, so it ends.
    """
    effective = {asset: needs for asset, needs in own.items()}
    raised_by: dict[int, set[int]] = {asset: set() for asset in own}
    edges = [(a, b) for a, targets in depends_on.items() for b in targets if a in own and b in own]
    changed = True
    while changed:
        changed = False
        for user, used in edges:
            merged = effective[used].merge(effective[user])
            if merged != effective[used]:
                effective[used] = merged
                raised_by[used].add(user)
                changed = True
    return {
        asset: EffectiveNeeds(own[asset], effective[asset], tuple(sorted(raised_by[asset])))
        for asset in own
    }

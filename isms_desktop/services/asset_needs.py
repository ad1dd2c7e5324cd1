"""Each asset's own C/I/A values and the needs it inherits from the assets that depend on
it (``domain.assets``, the maximum principle), for the Assets tab and reports."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from isms_desktop.domain.assets import CIA_SCALE, Needs, effective_needs
from isms_desktop.storage.models import Asset, AssetDependency
from isms_desktop.storage.project_file import Project


@dataclass(frozen=True)
class AssetNeeds:
    code: str
    name: str
    own: Needs
    effective: Needs
    raised_by: tuple[str, ...]  # codes of the assets whose needs raised this one's

    @property
    def inherited(self) -> bool:
        return self.own != self.effective


def level_name(value: int) -> str:
    return CIA_SCALE.get(value, "–") if value else "–"


def needs(project: Project) -> list[AssetNeeds]:
    """Every asset with its own and its effective protection needs, in code order."""
    with project.reading() as session:
        assets = session.execute(
            select(
                Asset.id,
                Asset.code,
                Asset.name,
                Asset.confidentiality,
                Asset.integrity,
                Asset.availability,
            ).order_by(Asset.code)
        ).all()
        links = session.execute(select(AssetDependency.asset_id, AssetDependency.depends_on_id))
        depends_on: dict[int, list[int]] = {}
        for asset_id, target in links:
            depends_on.setdefault(asset_id, []).append(target)
    own = {row[0]: Needs(row[3] or 0, row[4] or 0, row[5] or 0) for row in assets}
    codes = {row[0]: row[1] for row in assets}
    result = effective_needs(own, depends_on)
    return [
        AssetNeeds(
            code=codes[asset_id],
            name=name,
            own=result[asset_id].own,
            effective=result[asset_id].effective,
            raised_by=tuple(codes[i] for i in result[asset_id].inherited_from),
        )
        for asset_id, _code, name, *_cia in assets
    ]

"""What the "new risk" wizard suggests at each step, and the risk it finally records.

Asset → threat (the catalogue's threats for the asset's type first) → vulnerability (those
known to enable the threat, then those of the asset type) → consequence → likelihood and
impact with the method's scale descriptions → treatment → controls (the threat's and the
vulnerability's typical controls) → residual → owner.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from isms_desktop.domain.errors import ConflictError
from isms_desktop.domain.register_specs import SOA
from isms_desktop.services import registers
from isms_desktop.storage.models import Asset, Control, SoaEntry, Threat, Vulnerability
from isms_desktop.storage.project_file import Project


@dataclass(frozen=True)
class Suggestion:
    code: str
    title: str
    detail: str = ""
    recommended: bool = False  # fits the chosen asset type / threat
    excluded: bool = False  # a control the SoA marks not applicable


@dataclass(frozen=True)
class AssetChoice:
    code: str
    name: str
    type: str


@dataclass
class RiskDraft:
    """What the wizard has gathered so far (field names of the risks register)."""

    assets: list[str] = field(default_factory=list)
    threat: str = ""
    threat_code: str = ""
    vulnerability: str = ""
    vulnerability_code: str = ""
    title: str = ""
    consequences: str = ""
    confidentiality: bool = False
    integrity: bool = False
    availability: bool = False
    inherent_likelihood: int | None = None
    inherent_impact: int | None = None
    existing_controls: str = ""
    treatment: str = ""
    controls: list[str] = field(default_factory=list)
    residual_likelihood: int | None = None
    residual_impact: int | None = None
    owner: str = ""

    def values(self) -> dict[str, Any]:
        """The values for ``registers.create(project, "risks", …)``."""
        values: dict[str, Any] = {
            "title": self.title.strip() or self.default_title(),
            "assets": list(self.assets),
            "threat": self.threat,
            "vulnerability": self.vulnerability,
            "consequences": self.consequences,
            "confidentiality": self.confidentiality,
            "integrity": self.integrity,
            "availability": self.availability,
            "inherent_likelihood": self.inherent_likelihood,
            "inherent_impact": self.inherent_impact,
            "existing_controls": self.existing_controls,
            "treatment": self.treatment,
            "controls": list(self.controls),
            "residual_likelihood": self.residual_likelihood,
            "residual_impact": self.residual_impact,
            "status": "assessed" if not self.treatment else "treatment_planned",
        }
        if self.owner:
            values["owner"] = self.owner
        return {k: v for k, v in values.items() if v not in (None, "")}

    def default_title(self) -> str:
        if self.threat and self.vulnerability:
            return f"{self.threat}: {self.vulnerability[:1].lower()}{self.vulnerability[1:]}"
        return self.threat or "New risk"


def natural_key(code: str) -> tuple[object, ...]:
    """Sort "G 0.5" before "G 0.11" and "V2" before "V10"."""
    return tuple(int(part) if part.isdigit() else part for part in re.split(r"(\d+)", code))


def assets(project: Project) -> list[AssetChoice]:
    with project.reading() as session:
        rows = session.execute(
            select(Asset.code, Asset.name, Asset.type)
            .where(Asset.lifecycle != "retired")
            .order_by(Asset.code)
        ).all()
    return [AssetChoice(c, n, t) for c, n, t in rows]


def _asset_types(project: Project, asset_codes: Sequence[str]) -> set[str]:
    if not asset_codes:
        return set()
    with project.reading() as session:
        return set(session.scalars(select(Asset.type).where(Asset.code.in_(list(asset_codes)))))


def threats(project: Project, asset_codes: Sequence[str]) -> list[Suggestion]:
    """Every catalogue threat, those that fit the chosen assets' types first."""
    types = _asset_types(project, asset_codes)
    with project.reading() as session:
        rows = session.scalars(select(Threat).order_by(Threat.code)).all()
        result = [
            Suggestion(
                t.code,
                t.title,
                t.description,
                recommended=bool(types & set(t.asset_types or [])),
            )
            for t in rows
        ]
    return sorted(result, key=lambda s: (not s.recommended, natural_key(s.code)))


def vulnerabilities(
    project: Project, threat_code: str, asset_codes: Sequence[str]
) -> list[Suggestion]:
    """Every catalogue vulnerability: first those that enable the threat, then those of the
    chosen assets' types, then the rest."""
    types = _asset_types(project, asset_codes)
    ranked: list[tuple[int, Suggestion]] = []
    with project.reading() as session:
        for v in session.scalars(select(Vulnerability).order_by(Vulnerability.code)):
            rank = (
                0
                if threat_code in (v.threats or [])
                else 1
                if types & set(v.asset_types or [])
                else 2
            )
            ranked.append((rank, Suggestion(v.code, v.title, v.description, recommended=rank < 2)))
    ranked.sort(key=lambda pair: (pair[0], natural_key(pair[1].code)))
    return [s for _rank, s in ranked]


def affected_properties(project: Project, threat_code: str) -> set[str]:
    """The C/I/A properties the catalogue says a threat affects."""
    with project.reading() as session:
        found = session.scalar(select(Threat.affects).where(Threat.code == threat_code))
    return set(found or [])


EXCLUDED_IN_SOA = "Excluded in the SoA (not applicable)"


def _soa_detail(status: str | None, applicable: bool | None) -> str:
    """What the SoA says of a control, in the words of the SoA register."""
    if applicable is False:
        return EXCLUDED_IN_SOA
    field_ = SOA.field("status")
    shown = field_.choice_labels.get(status, status.replace("_", " ")) if status else ""
    if applicable is None:
        undecided = "Not yet decided in the SoA whether it applies"
        return f"{undecided}; {field_.header.lower()}: {shown}" if shown else undecided
    return f"{field_.header}: {shown}" if shown else "Applicable in the SoA"


def controls(project: Project, threat_code: str, vulnerability_code: str) -> list[Suggestion]:
    """Controls, the typical ones of the threat and vulnerability first, each with what the
    SoA says of it (its implementation status as the SoA register shows it, or that it is
    excluded)."""
    with project.reading() as session:
        typical: list[str] = []
        for model, code in ((Threat, threat_code), (Vulnerability, vulnerability_code)):
            if code:
                found = session.scalar(select(model.typical_controls).where(model.code == code))
                typical += [c for c in (found or []) if c not in typical]
        rows = session.execute(
            select(Control.number, Control.title, SoaEntry.status, SoaEntry.applicable, SoaEntry.id)
            .outerjoin(SoaEntry, SoaEntry.control_id == Control.id)
            .order_by(Control.sort_key)
        ).all()
    result = []
    for number, title, status, applicable, soa_id in rows:
        detail = _soa_detail(status, applicable) if soa_id is not None else ""
        result.append(
            Suggestion(
                number,
                title,
                detail,
                recommended=number in typical,
                excluded=applicable is False,
            )
        )
    order = {code: i for i, code in enumerate(typical)}
    return sorted(result, key=lambda s: (not s.recommended, order.get(s.code, 0)))


def excluded_controls(project: Project, codes: Sequence[str]) -> list[str]:
    """Those of ``codes`` that the SoA marks not applicable, in the order given."""
    if not codes:
        return []
    with project.reading() as session:
        excluded = set(
            session.scalars(
                select(Control.number)
                .join(SoaEntry, SoaEntry.control_id == Control.id)
                .where(Control.number.in_(list(codes)), SoaEntry.applicable.is_(False))
            )
        )
    return [code for code in codes if code in excluded]


def soa_inclusion(status: str | None, justification: str | None) -> dict[str, Any]:
    """The SoA fields to set to include an excluded control a risk selects: applicable; its
    implementation status "planned" where it had none or "not applicable"; its justification
    (of the exclusion) cleared, so the SoA does not give a reason for excluding a control it
    includes."""
    fields: dict[str, Any] = {"applicable": True}
    if status in (None, "", "not_applicable"):
        fields["status"] = "planned"
    if (justification or "").strip():
        fields["justification"] = ""
    return fields


@dataclass(frozen=True)
class Recorded:
    """What the wizard wrote: the risk, and the SoA fields it changed (one transaction)."""

    risk: registers.Change
    included: tuple[registers.Change, ...] = ()


def create_risk(project: Project, draft: RiskDraft, include: Sequence[str] = ()) -> Recorded:
    """Record the risk the wizard gathered, in one transaction.

    ``include``: controls the risk selects that the SoA excludes and the user chose to make
    applicable there (``soa_inclusion``). A selected control the SoA excludes and the user
    left out stays excluded: the SoA is not changed behind the user's back, and shows the
    warning "selected by R-… but marked not applicable" until that control is made
    applicable there or the risk no longer selects it. The wizard says so before the risk
    is recorded."""
    try:
        with project.transaction() as session:
            risk = registers.create_in(session, "risks", draft.values())
            included: list[registers.Change] = []
            entries = session.execute(
                select(Control.number, SoaEntry.status, SoaEntry.justification)
                .join(SoaEntry, SoaEntry.control_id == Control.id)
                .where(Control.number.in_(list(include)), SoaEntry.applicable.is_(False))
            ).all()
            for number, status, justification in sorted(entries, key=lambda e: include.index(e[0])):
                for name, value in soa_inclusion(status, justification).items():
                    included.append(registers.update_in(session, "soa", number, name, value))
    except StaleDataError:
        raise ConflictError(
            "The Statement of Applicability was changed by someone else meanwhile; the risk "
            "was not recorded. Try again.",
            register="soa",
        ) from None
    return Recorded(risk, tuple(included))


def draft_from(values: Mapping[str, Any]) -> RiskDraft:
    draft = RiskDraft()
    for key, value in values.items():
        if hasattr(draft, key):
            setattr(draft, key, value)
    return draft

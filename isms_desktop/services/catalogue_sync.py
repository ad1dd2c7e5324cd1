"""Bring a project's copy of the catalogue up to the bundled version.

Used for a new project and for "update catalogue" on an existing one: entries the catalogue
adds are added (with an SoA row for a new control), titles and descriptions that changed are
updated, and the user's own data — SoA answers, custom controls, threats and templates the
user added — is never touched.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

if TYPE_CHECKING:
    from isms_desktop.catalog import Catalogue

from isms_desktop.storage.models import (
    CatalogueVersion,
    Clause,
    ClauseRequirement,
    Control,
    SoaEntry,
    Template,
    Threat,
    Vulnerability,
)


@dataclass
class CatalogueUpdate:
    """How many entries of each kind were added or changed."""

    added: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)

    def count(self, kind: str, *, new: bool) -> None:
        target = self.added if new else self.updated
        target[kind] = target.get(kind, 0) + 1

    @property
    def changed_anything(self) -> bool:
        return bool(self.added or self.updated)


def _sync(
    session: Session,
    result: CatalogueUpdate,
    kind: str,
    model: type[Any],
    key: str,
    entries: list[dict[str, Any]],
) -> list[Any]:
    """Upsert catalogue rows by their key; rows the user created are never matched."""
    existing = {getattr(row, key): row for row in session.scalars(select(model))}
    created = []
    for values in entries:
        row = existing.get(values[key])
        if row is None:
            row = model(**values)
            session.add(row)
            created.append(row)
            result.count(kind, new=True)
        elif getattr(row, "is_custom", False):
            continue
        else:
            changed = False
            for name, value in values.items():
                if getattr(row, name) != value:
                    setattr(row, name, value)
                    changed = True
            if changed:
                result.count(kind, new=False)
    return created


def apply_catalogue(session: Session, catalogue: Catalogue) -> CatalogueUpdate:
    """Add and update catalogue content inside the caller's transaction."""
    result = CatalogueUpdate()
    controls = _sync(
        session,
        result,
        "controls",
        Control,
        "number",
        [
            {
                "number": c.number,
                "title": c.title,
                "theme": c.theme,
                "control_type": list(c.control_type),
                "security_properties": list(c.security_properties),
                "cybersecurity_concepts": list(c.cybersecurity_concepts),
                "operational_capabilities": list(c.operational_capabilities),
                "security_domains": list(c.security_domains),
                "purpose": c.purpose,
                "iso27001_2013": list(c.iso27001_2013),
                "new_in_2022": c.new_in_2022,
                "sort_key": index,
            }
            for index, c in enumerate(catalogue.controls)
        ],
    )
    session.flush()
    for control in controls:
        session.add(SoaEntry(control_id=control.id, code=control.number, sort_key=control.sort_key))
    # Keep the SoA in the catalogue's order when controls were inserted in between.
    for entry in session.scalars(select(SoaEntry).join(Control)):
        if entry.sort_key != entry.control.sort_key:
            entry.sort_key = entry.control.sort_key
    _sync(
        session,
        result,
        "clauses",
        Clause,
        "number",
        [
            {"number": c.number, "title": c.title, "sort_key": i}
            for i, c in enumerate(catalogue.clauses)
        ],
    )
    session.flush()
    _sync(
        session,
        result,
        "requirements",
        ClauseRequirement,
        "ref",
        [
            {
                "ref": r.ref,
                "clause": r.clause,
                "summary": r.summary,
                "documented_information": [
                    {"title": d.title, "type": d.type, "mandatory": d.mandatory}
                    for d in r.documented_information
                ],
                "audit_questions": list(r.audit_questions),
                "note": r.note,
                "sort_key": i,
            }
            for i, r in enumerate(catalogue.requirements)
        ],
    )
    _sync(
        session,
        result,
        "threats",
        Threat,
        "code",
        [
            {
                "code": t.code,
                "title": t.title,
                "description": t.description,
                "category": t.category,
                "affects": list(t.affects),
                "asset_types": list(t.asset_types),
                "typical_controls": list(t.typical_controls),
            }
            for t in catalogue.threats
        ],
    )
    _sync(
        session,
        result,
        "vulnerabilities",
        Vulnerability,
        "code",
        [
            {
                "code": v.code,
                "title": v.title,
                "description": v.description,
                "category": v.category,
                "affects": list(v.affects),
                "asset_types": list(v.asset_types),
                "typical_controls": list(v.typical_controls),
                "threats": list(v.threats),
            }
            for v in catalogue.vulnerabilities
        ],
    )
    _sync(
        session,
        result,
        "templates",
        Template,
        "code",
        [
            {
                "code": t.code,
                "title": t.title,
                "kind": t.kind,
                "topic": t.topic,
                "clauses": list(t.clauses),
                "controls": list(t.controls),
                "review_cycle_months": t.review_cycle_months,
                "questions": [{"key": q.key, "label": q.label} for q in t.questions],
                "body": t.body,
            }
            for t in catalogue.templates
        ],
    )
    stored = {row.name: row for row in session.scalars(select(CatalogueVersion))}
    for name, version in catalogue.versions.items():
        if name in stored:
            stored[name].version = version
        else:
            session.add(CatalogueVersion(name=name, version=version))
    return result


def stored_versions(session: Session) -> dict[str, str]:
    return {row.name: row.version for row in session.scalars(select(CatalogueVersion))}


def update_available(session: Session, catalogue: Catalogue) -> bool:
    return stored_versions(session) != catalogue.versions

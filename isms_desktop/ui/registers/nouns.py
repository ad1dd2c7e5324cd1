"""What one record of each register is called, singular and plural, as sentences use it."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication


def _tr(text: str) -> str:
    return QCoreApplication.translate("RegisterNouns", text)


def _nouns() -> dict[str, tuple[str, str]]:
    return {
        "context": (_tr("issue"), _tr("issues")),
        "parties": (_tr("interested party"), _tr("interested parties")),
        "requirements": (_tr("requirement"), _tr("requirements")),
        "scope": (_tr("scope element"), _tr("scope elements")),
        "processes": (_tr("process"), _tr("processes")),
        "interactions": (_tr("interaction"), _tr("interactions")),
        "roles": (_tr("role"), _tr("roles")),
        "commitments": (_tr("commitment"), _tr("commitments")),
        "people": (_tr("person"), _tr("people")),
        "documents": (_tr("document"), _tr("documents")),
        "assets": (_tr("asset"), _tr("assets")),
        "risks": (_tr("risk"), _tr("risks")),
        "treatment": (_tr("treatment action"), _tr("treatment actions")),
        "soa": (_tr("control"), _tr("controls")),
        "audits": (_tr("audit"), _tr("audits")),
        "findings": (_tr("finding"), _tr("findings")),
        "nonconformities": (_tr("nonconformity"), _tr("nonconformities")),
        "actions": (_tr("action"), _tr("actions")),
        "incidents": (_tr("incident"), _tr("incidents")),
        "objectives": (_tr("objective"), _tr("objectives")),
        "competences": (_tr("required competence"), _tr("required competences")),
        "training": (_tr("training record"), _tr("training records")),
        "metrics": (_tr("metric"), _tr("metrics")),
        "reviews": (_tr("management review"), _tr("management reviews")),
    }


def singular(register: str) -> str:
    return _nouns().get(register, (_tr("record"), _tr("records")))[0]


def plural(register: str) -> str:
    return _nouns().get(register, (_tr("record"), _tr("records")))[1]


def page_title(register: str) -> str:
    """The sub-tab title of a register, capitalised like the main tabs' names."""
    titles = {
        "context": _tr("Issues"),
        "parties": _tr("Interested Parties"),
        "requirements": _tr("Requirements"),
        "scope": _tr("Scope"),
        "processes": _tr("Processes"),
        "interactions": _tr("Interactions"),
        "roles": _tr("Roles"),
        "commitments": _tr("Commitments"),
        "people": _tr("People"),
        "documents": _tr("Documents"),
        "assets": _tr("Assets"),
        "risks": _tr("Risks"),
        "treatment": _tr("Treatment Plan"),
        "soa": _tr("Statement of Applicability"),
        "audits": _tr("Audits"),
        "findings": _tr("Findings"),
        "nonconformities": _tr("Nonconformities"),
        "actions": _tr("All Actions"),
        "incidents": _tr("Incidents"),
        "objectives": _tr("Objectives"),
        "competences": _tr("Competences"),
        "training": _tr("Training"),
        "metrics": _tr("Metrics"),
        "reviews": _tr("Management Reviews"),
    }
    return titles.get(register, register)

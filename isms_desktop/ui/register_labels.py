"""Human names for the register codes of CONTRACT.md, as the interface shows them."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication


def _tr(text: str) -> str:
    return QCoreApplication.translate("RegisterLabels", text)


def register_label(code: str) -> str:
    """The plural name of a register (``"risks"`` → "Risks"); unknown codes pass through."""
    labels = {
        "context": _tr("Context issues"),
        "parties": _tr("Interested parties"),
        "scope": _tr("Scope elements"),
        "processes": _tr("ISMS processes"),
        "people": _tr("People"),
        "documents": _tr("Documents"),
        "assets": _tr("Assets"),
        "risks": _tr("Risks"),
        "treatment": _tr("Treatment actions"),
        "soa": _tr("SoA entries"),
        "objectives": _tr("Objectives"),
        "training": _tr("Training records"),
        "metrics": _tr("Metrics"),
        "audits": _tr("Audits"),
        "findings": _tr("Audit findings"),
        "nonconformities": _tr("Nonconformities"),
        "actions": _tr("Actions"),
        "incidents": _tr("Incidents"),
        "reviews": _tr("Management reviews"),
        "controls": _tr("Annex A controls"),
    }
    return labels.get(code, code)

"""Human names for the register codes of CONTRACT.md, as the interface shows them."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from isms_desktop.ui.translation import QT_TRANSLATE_NOOP

# register code -> its plural name (in English; translated when asked for)
_LABELS = {
    "context": QT_TRANSLATE_NOOP("RegisterLabels", "Context issues"),
    "parties": QT_TRANSLATE_NOOP("RegisterLabels", "Interested parties"),
    "scope": QT_TRANSLATE_NOOP("RegisterLabels", "Scope elements"),
    "processes": QT_TRANSLATE_NOOP("RegisterLabels", "ISMS processes"),
    "people": QT_TRANSLATE_NOOP("RegisterLabels", "People"),
    "documents": QT_TRANSLATE_NOOP("RegisterLabels", "Documents"),
    "assets": QT_TRANSLATE_NOOP("RegisterLabels", "Assets"),
    "risks": QT_TRANSLATE_NOOP("RegisterLabels", "Risks"),
    "treatment": QT_TRANSLATE_NOOP("RegisterLabels", "Treatment actions"),
    "soa": QT_TRANSLATE_NOOP("RegisterLabels", "SoA entries"),
    "objectives": QT_TRANSLATE_NOOP("RegisterLabels", "Objectives"),
    "training": QT_TRANSLATE_NOOP("RegisterLabels", "Training records"),
    "metrics": QT_TRANSLATE_NOOP("RegisterLabels", "Metrics"),
    "audits": QT_TRANSLATE_NOOP("RegisterLabels", "Audits"),
    "findings": QT_TRANSLATE_NOOP("RegisterLabels", "Audit findings"),
    "nonconformities": QT_TRANSLATE_NOOP("RegisterLabels", "Nonconformities"),
    "actions": QT_TRANSLATE_NOOP("RegisterLabels", "Actions"),
    "incidents": QT_TRANSLATE_NOOP("RegisterLabels", "Incidents"),
    "reviews": QT_TRANSLATE_NOOP("RegisterLabels", "Management reviews"),
    "controls": QT_TRANSLATE_NOOP("RegisterLabels", "Annex A controls"),
    # what else the change log names as where a change was made
    "project": QT_TRANSLATE_NOOP("RegisterLabels", "Project"),
    "risk_methods": QT_TRANSLATE_NOOP("RegisterLabels", "Risk method"),
    "settings": QT_TRANSLATE_NOOP("RegisterLabels", "Settings"),
    "soa_versions": QT_TRANSLATE_NOOP("RegisterLabels", "Approved SoA versions"),
    "clause_requirements": QT_TRANSLATE_NOOP("RegisterLabels", "Clause requirements"),
    "soa_requirements": QT_TRANSLATE_NOOP("RegisterLabels", "SoA requirements"),
    "catalogue_versions": QT_TRANSLATE_NOOP("RegisterLabels", "Catalogue"),
    "templates": QT_TRANSLATE_NOOP("RegisterLabels", "Templates"),
    "threats": QT_TRANSLATE_NOOP("RegisterLabels", "Threat catalogue"),
    "vulnerabilities": QT_TRANSLATE_NOOP("RegisterLabels", "Vulnerability catalogue"),
    "clauses": QT_TRANSLATE_NOOP("RegisterLabels", "Clauses"),
    "checklist_templates": QT_TRANSLATE_NOOP("RegisterLabels", "Audit checklists"),
}


def register_label(code: str) -> str:
    """The plural name of a register (``"risks"`` → "Risks"); unknown codes pass through."""
    text = _LABELS.get(code)
    return code if text is None else QCoreApplication.translate("RegisterLabels", text)

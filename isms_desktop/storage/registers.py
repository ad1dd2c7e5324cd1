"""Which table holds each register, and which columns hold its reference fields.

A field of kind PERSON or REF named ``owner`` is stored in the column ``owner_id`` as the id
of the referenced row; every other field is stored in the column of its own name.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from isms_desktop.storage.models import (
    Action,
    ActionControl,
    ActionRisk,
    Asset,
    AssetDependency,
    Audit,
    Commitment,
    ContextIssue,
    Control,
    Document,
    DocumentControl,
    Finding,
    Incident,
    IncidentAsset,
    InterestedParty,
    Metric,
    Nonconformity,
    Objective,
    ObjectiveMetric,
    PartyRequirement,
    Person,
    Process,
    ProcessInteraction,
    RequiredTraining,
    Review,
    Risk,
    RiskAsset,
    RiskControl,
    Role,
    ScopeItem,
    SoaEntry,
    SoaRequirement,
    TrainingRecord,
)

# Registers edited through the generic register services.
EDITABLE_MODELS: dict[str, type[Any]] = {
    "people": Person,
    "context": ContextIssue,
    "parties": InterestedParty,
    "requirements": PartyRequirement,
    "scope": ScopeItem,
    "processes": Process,
    "interactions": ProcessInteraction,
    "roles": Role,
    "commitments": Commitment,
    "assets": Asset,
    "risks": Risk,
    "treatment": Action,
    "actions": Action,
    "soa": SoaEntry,
    "documents": Document,
    "audits": Audit,
    "findings": Finding,
    "nonconformities": Nonconformity,
    "incidents": Incident,
    "objectives": Objective,
    "competences": RequiredTraining,
    "training": TrainingRecord,
    "metrics": Metric,
    "reviews": Review,
    # Not edited as a register, but referred to by code (a control's code is its number).
    "controls": Control,
}

# Registers that are a slice of a shared table: the slice's rows carry these values.
FIXED_VALUES: dict[str, dict[str, Any]] = {
    "treatment": {"source": "treatment"},
}


@dataclass(frozen=True)
class Link:
    """A many-to-many field: rows of ``table`` pair ``own`` ids with ``target`` ids."""

    table: type[Any]
    own: str
    target: str


LINKS: dict[tuple[str, str], Link] = {
    ("assets", "depends_on"): Link(AssetDependency, "asset_id", "depends_on_id"),
    ("risks", "assets"): Link(RiskAsset, "risk_id", "asset_id"),
    ("risks", "controls"): Link(RiskControl, "risk_id", "control_id"),
    ("treatment", "risks"): Link(ActionRisk, "action_id", "risk_id"),
    ("treatment", "controls"): Link(ActionControl, "action_id", "control_id"),
    ("actions", "risks"): Link(ActionRisk, "action_id", "risk_id"),
    ("actions", "controls"): Link(ActionControl, "action_id", "control_id"),
    ("soa", "requirements"): Link(SoaRequirement, "soa_id", "requirement_id"),
    ("documents", "controls"): Link(DocumentControl, "document_id", "control_id"),
    ("incidents", "assets"): Link(IncidentAsset, "incident_id", "asset_id"),
    ("objectives", "metrics"): Link(ObjectiveMetric, "objective_id", "metric_id"),
}

# Fields whose sort order is not their stored value (risk levels sort by rank).
SORT_COLUMNS: dict[tuple[str, str], str] = {
    ("risks", "inherent_level"): "inherent_rank",
    ("risks", "residual_level"): "residual_rank",
}

# Registers of CONTRACT.md that are not edited generically (counted by ``info``).
REGISTER_MODELS: dict[str, type[Any]] = {}


def column_name(field_name: str, is_reference: bool) -> str:
    return f"{field_name}_id" if is_reference else field_name

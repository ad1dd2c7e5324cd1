"""Where each register lives in the window: the area tab that shows it."""

from __future__ import annotations

REGISTER_AREAS: dict[str, str] = {
    "context": "context",
    "parties": "context",
    "requirements": "context",
    "scope": "context",
    "processes": "context",
    "interactions": "context",
    "roles": "context",
    "commitments": "context",
    "people": "context",
    "documents": "documents",
    "assets": "assets",
    "risks": "risks",
    "treatment": "risks",
    "soa": "soa",
    "controls": "soa",
    "audits": "audits",
    "findings": "audits",
    "nonconformities": "improvement",
    "actions": "improvement",
    "incidents": "improvement",
    "objectives": "management_review",
    "competences": "management_review",
    "training": "management_review",
    "metrics": "management_review",
    "reviews": "management_review",
}


def area_of(register: str) -> str:
    return REGISTER_AREAS.get(register, "dashboard")

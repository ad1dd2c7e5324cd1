"""Which table holds each register, and which columns hold its reference fields.

A field of kind PERSON or REF named ``owner`` is stored in the column ``owner_id`` as the id
of the referenced row; every other field is stored in the column of its own name.
"""

from __future__ import annotations

from typing import Any

from isms_desktop.storage.models import (
    Commitment,
    ContextIssue,
    InterestedParty,
    PartyRequirement,
    Person,
    Process,
    ProcessInteraction,
    Role,
    ScopeItem,
    SoaEntry,
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
}

# The registers of CONTRACT.md counted by ``info`` (the others count 0 until they exist).
REGISTER_MODELS: dict[str, type[Any]] = {
    "context": ContextIssue,
    "parties": InterestedParty,
    "scope": ScopeItem,
    "processes": Process,
    "people": Person,
    "soa": SoaEntry,
}


def column_name(field_name: str, is_reference: bool) -> str:
    return f"{field_name}_id" if is_reference else field_name

"""Rules a record must satisfy beyond the types of its fields."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def record_problems(register: str, values: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(field, reason) for each rule the record breaks; empty when it is fine."""
    problems: list[tuple[str, str]] = []
    if (
        register == "scope"
        and values.get("kind") == "exclusion"
        and not str(values.get("justification") or "").strip()
    ):
        problems.append(("justification", "an exclusion needs a justification"))
    if (
        register == "interactions"
        and values.get("source")
        and values.get("source") == values.get("target")
    ):
        problems.append(("target", "a process cannot hand something to itself"))
    return problems

"""The register names of CONTRACT.md: the product-wide identifiers of each record list."""

from __future__ import annotations

REGISTER_NAMES: tuple[str, ...] = (
    "context",
    "parties",
    "scope",
    "processes",
    "people",
    "documents",
    "assets",
    "risks",
    "treatment",
    "soa",
    "objectives",
    "training",
    "metrics",
    "audits",
    "findings",
    "nonconformities",
    "actions",
    "incidents",
    "reviews",
)


def sheet_name(register: str) -> str:
    """The workbook sheet name of a register (CONTRACT.md: the name, capitalised)."""
    return register.capitalize()

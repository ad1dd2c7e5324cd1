"""Consistency rules of the Statement of Applicability (issue: warnings in place and listed)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class SoaFacts:
    code: str
    applicable: bool | None
    risks: Sequence[str]
    justification: str
    status: str
    owner: str | None
    evidence: int


@dataclass(frozen=True)
class SoaWarning:
    code: str
    rule: str
    field: str
    message: str


NAMED = 10  # codes named in a warning; the rest are counted


def some_codes(codes: Sequence[str], named: int = NAMED) -> str:
    """ "R-001, R-002" — or the first ``named`` and how many more (a control selected by
    thousands of risks is one line, not pages)."""
    if len(codes) <= named:
        return ", ".join(codes)
    return f"{', '.join(codes[:named])} and {len(codes) - named:,} more"


def soa_warnings(rows: Iterable[SoaFacts]) -> list[SoaWarning]:
    """Every inconsistency of every SoA row, in SoA order."""
    found: list[SoaWarning] = []
    for row in rows:
        if row.applicable is None:
            found.append(
                SoaWarning(
                    row.code, "undecided", "applicable", "not yet decided whether it applies"
                )
            )
        if row.applicable is False and row.risks:
            found.append(
                SoaWarning(
                    row.code,
                    "selected_but_excluded",
                    "applicable",
                    f"selected by {some_codes(row.risks)} but marked not applicable",
                )
            )
        if row.applicable is False and not row.justification.strip():
            found.append(
                SoaWarning(
                    row.code,
                    "no_justification",
                    "justification",
                    "excluded without a justification",
                )
            )
        if row.applicable:
            if not row.owner:
                found.append(
                    SoaWarning(row.code, "no_owner", "owner", "applicable but has no owner")
                )
            if row.status in ("", "not_applicable"):
                found.append(
                    SoaWarning(
                        row.code,
                        "no_status",
                        "status",
                        "applicable but has no implementation status",
                    )
                )
        if row.status == "implemented" and row.evidence == 0:
            found.append(
                SoaWarning(
                    row.code,
                    "no_evidence",
                    "status",
                    "marked implemented but has no evidence attached",
                )
            )
    return found

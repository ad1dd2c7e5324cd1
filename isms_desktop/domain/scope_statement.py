"""The scope statement (clause 4.3), drafted from the organisation profile and scope items.

The draft is a starting point the user edits; it names what the ISMS covers (units,
processes, locations, technology), the interfaces and dependencies, and each exclusion
with its justification — the points a certification auditor checks in a scope statement.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class ScopeItemFacts:
    kind: str
    name: str
    description: str = ""
    counterpart: str = ""
    justification: str = ""


def _join(names: Sequence[str]) -> str:
    names = [n for n in names if n]
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def draft_scope_statement(organisation: str, items: Sequence[ScopeItemFacts]) -> str:
    """A plain-language scope statement from the recorded boundaries."""

    def names(kind: str) -> list[str]:
        return [i.name for i in items if i.kind == kind]

    units, processes = names("organisational_unit"), names("business_process")
    locations, technology = names("location"), names("technology")
    parts = [f"The information security management system of {organisation}"]
    if processes:
        parts.append(f"covers {_join(processes)}")
    else:
        parts.append("covers the organisation's activities")
    if units:
        parts.append(f"as performed by {_join(units)}")
    sentence = " ".join(parts)
    if locations:
        sentence += f", at {_join(locations)}"
    if technology:
        sentence += f", including {_join(technology)}"
    paragraphs = [sentence + "."]
    links = [i for i in items if i.kind in ("interface", "dependency")]
    if links:
        described = [f"{i.name}" + (f" ({i.counterpart})" if i.counterpart else "") for i in links]
        paragraphs.append(
            f"Interfaces and dependencies with outside parties are included as far as "
            f"{organisation} controls them: {_join(described)}."
        )
    exclusions = [i for i in items if i.kind == "exclusion"]
    for item in exclusions:
        reason = item.justification.strip().rstrip(".")
        paragraphs.append(f"Excluded: {item.name}" + (f" — {reason}." if reason else "."))
    return "\n\n".join(paragraphs)

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
    """Names as "a, b and c"; where a name has an "and" or a comma of its own, the list is
    punctuated so that the reader still sees where each name ends ("a and b, and c";
    "a; b and c; and d")."""
    names = [n for n in names if n]
    if len(names) <= 1:
        return "".join(names)
    if not any(" and " in n or "," in n for n in names):
        return ", ".join(names[:-1]) + " and " + names[-1]
    if len(names) == 2:
        return f"{names[0]}, and {names[1]}"
    return "; ".join(names[:-1]) + "; and " + names[-1]


def _title_word(word: str) -> bool:
    return len(word) > 1 and word[0].isupper() and word[1:].isalpha() and word[1:].islower()


def _in_sentence(name: str) -> str:
    """A name written as a title ("Client onboarding and support") as it reads inside a
    sentence ("client onboarding and support"). A name with a capitalised word after the
    first ("Brightwave Engineering", "Microsoft Teams") is taken as a proper name and
    kept, as are acronyms ("IT operations") and one-word names."""
    words = name.split()
    if len(words) < 2 or not _title_word(words[0]):
        return name
    if any(_title_word(word) for word in words[1:]):
        return name
    return name[0].lower() + name[1:]


def _with_party(item: ScopeItemFacts) -> str:
    """An interface or dependency with who is on the other side, said once."""
    party = item.counterpart.strip()
    if not party or party.casefold() == item.name.strip().casefold():
        return item.name
    if "(" in party:
        return f"{item.name} with {party}"  # no parentheses inside parentheses
    return f"{item.name} ({party})"


def draft_scope_statement(organisation: str, items: Sequence[ScopeItemFacts]) -> str:
    """A plain-language scope statement from the recorded boundaries."""

    def names(kind: str) -> list[str]:
        return [i.name for i in items if i.kind == kind]

    def in_sentence(kind: str) -> list[str]:
        return [_in_sentence(name) for name in names(kind)]

    units, processes = in_sentence("organisational_unit"), in_sentence("business_process")
    # place names usually begin with a proper name ("Leeds head office"): kept as written
    locations, technology = names("location"), in_sentence("technology")
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
        described = [_with_party(i) for i in links]
        paragraphs.append(
            f"Interfaces and dependencies with outside parties are included as far as "
            f"{organisation} controls them: {_join(described)}."
        )
    exclusions = [i for i in items if i.kind == "exclusion"]
    for item in exclusions:
        reason = item.justification.strip().rstrip(".")
        paragraphs.append(f"Excluded: {item.name}" + (f" — {reason}." if reason else "."))
    return "\n\n".join(paragraphs)

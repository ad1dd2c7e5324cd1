"""Answers to a policy template's questions, prefilled from what the project already knows.

The service gathers the facts (organisation, scope statement, who holds which role, the
controls the SoA applies); this module turns them into the text each ``{{placeholder}}``
of ``catalog.templating`` is replaced with.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

DEFAULT_ANSWERS: dict[str, str] = {
    "backup_retention": "30 days",
    "password_min_length": "12",
}

# The template's own document-control table (code, version, date, classification) is left
# out of drafts: Word and PDF output print the current control data instead, which stays
# right when the document is approved as 1.0 and revised later.
_CONTROL_TABLE = re.compile(
    r"^\|[^\n]*\n\|[-:| ]+\|\s*\n(?:\|[^\n]*\{\{\s*document_code\s*\}\}[^\n]*\n?)", re.MULTILINE
)

_SCOPE_SENTENCE = re.compile(
    r"^\s*the\s+(?:information security management system|isms)\b[^.]*?\b"
    r"(?:covers|includes|applies to|comprises)\s+(.+)$",
    re.IGNORECASE | re.DOTALL,
)


@dataclass(frozen=True)
class TemplateFacts:
    """What the project knows that templates ask for."""

    organisation: str
    scope_statement: str = ""
    top_management: str = ""
    isms_manager: str = ""
    it_manager: str = ""
    hr_manager: str = ""
    data_protection_officer: str = ""
    incident_contact: str = ""
    review_months: int = 12
    controls: Sequence[tuple[str, str]] = ()  # (number, title) of the applicable controls
    document_code: str = ""
    version: str = "0.1"
    classification: str = "Internal"
    today: dt.date = field(default_factory=dt.date.today)


def scope_phrase(statement: str, organisation: str) -> str:
    """What "This policy applies to …" should say, from the ISMS scope statement."""
    first = " ".join(statement.split())
    if not first:
        return f"all information, systems and people within the ISMS of {organisation}"
    match = _SCOPE_SENTENCE.match(first)
    if match:
        rest = match.group(1).strip()
        # only the first sentence: exclusions that follow belong to the scope document
        sentence = re.split(r"(?<=[a-z0-9)])\.\s+(?=[A-Z])", rest, maxsplit=1)[0]
        return sentence.rstrip(" .")
    return f"the scope of the ISMS of {organisation} ({first.rstrip('. ')})"


def review_cycle_text(months: int) -> str:
    """Reads after "every": "12 months", "month"."""
    return "month" if months == 1 else f"{months} months"


_NUMBER_WORDS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "six": 6,
    "twelve": 12,
    "eighteen": 18,
    "twenty-four": 24,
    "a": 1,
    "an": 1,
    "every": 1,
    "each": 1,
}
_PERIOD = re.compile(r"(\d+|[a-z-]+)?\s*(month|year)s?\b", re.IGNORECASE)
_PER_YEAR = {
    "twice a year": 6,
    "annually": 12,
    "yearly": 12,
    "monthly": 1,
    "quarterly": 3,
    "half-yearly": 6,
}


def review_months_from(answer: str) -> int | None:
    """The months an answer to "how often is it reviewed" means ("6 months", "every two
    years", "annually"), or None when it says no period this can read."""
    text = " ".join(answer.lower().split())
    for word, months in _PER_YEAR.items():
        if re.search(rf"\b{word}\b", text):
            return months
    match = _PERIOD.search(text)
    if match is None:
        return None
    count_text = (match.group(1) or "").lower()
    if count_text.isdigit():
        count = int(count_text)
    else:
        count = _NUMBER_WORDS.get(count_text, 1 if not count_text else 0)
    if count <= 0:
        return None
    months = count * (12 if match.group(2).lower() == "year" else 1)
    return months if 1 <= months <= 60 else None


def controls_markdown(controls: Sequence[tuple[str, str]]) -> str:
    """The related Annex A controls as a Markdown list."""
    if not controls:
        return "No Annex A controls are linked to this document yet."
    return "\n".join(f"- **A.{number}** {title}" for number, title in controls)


def prefilled_answers(facts: TemplateFacts) -> dict[str, str]:
    """A value for every placeholder; empty where the project does not know (the user fills)."""
    organisation = facts.organisation.strip()
    values = {
        "organisation": organisation,
        "scope": scope_phrase(facts.scope_statement, organisation),
        "top_management": facts.top_management,
        "isms_manager": facts.isms_manager,
        "it_manager": facts.it_manager,
        "hr_manager": facts.hr_manager,
        "data_protection_officer": facts.data_protection_officer,
        "incident_contact": facts.incident_contact,
        "review_cycle": review_cycle_text(facts.review_months),
        "effective_date": "on approval",
        "document_code": facts.document_code,
        "version": facts.version,
        "classification": facts.classification,
        "applicable_controls": controls_markdown(facts.controls),
        **DEFAULT_ANSWERS,
    }
    return {key: value.strip() for key, value in values.items()}


def without_control_table(body: str) -> str:
    """The template body without its own document-control table (see above)."""
    return _CONTROL_TABLE.sub("", body, count=1)


# The templates name a role and, in brackets, who holds it ("IT manager (Priya Nair)"); an
# answer that is the role itself would read "IT manager (IT manager)".
_ROLE_TWICE_BOLD = re.compile(r"\*\*([^*\n]{1,60})\*\* \(\1\)", re.IGNORECASE)
_ROLE_TWICE = re.compile(r"(?<![\w*])([A-Za-z][\w &/-]{0,59}) \(\1\)", re.IGNORECASE)


def tidy(body: str) -> str:
    """No runs of blank lines, no role named twice, one newline at the end."""
    body = _ROLE_TWICE_BOLD.sub(r"**\1**", body)
    body = _ROLE_TWICE.sub(r"\1", body)
    return re.sub(r"\n{3,}", "\n\n", body).strip() + "\n"

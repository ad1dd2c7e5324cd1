"""Audit checklists: results an auditor records, scope matching and checklist generation.

Pure rules: which catalogue questions and which controls belong in an audit's checklist,
given the clauses and controls in its scope. Only controls the Statement of Applicability
marks applicable are ever asked about.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

# What an auditor records per checklist item (ISO 19011 grading, plus "not audited").
RESULTS = ("conforming", "minor_nc", "major_nc", "observation", "ofi", "not_audited")
RESULT_LABELS = {
    "conforming": "Conforming",
    "minor_nc": "Minor nonconformity",
    "major_nc": "Major nonconformity",
    "observation": "Observation",
    "ofi": "Opportunity for improvement",
    "not_audited": "Not audited",
}
# Results that become a finding of the same kind (FINDING_KINDS of the findings register).
FINDING_RESULTS = ("major_nc", "minor_nc", "observation", "ofi")
# Findings that are nonconformities and so must be handled under clause 10.2.
NONCONFORMITY_KINDS = ("major_nc", "minor_nc")

CONTROL_PREFIX = "A."


@dataclass(frozen=True)
class ClauseQuestions:
    """A requirement item of the clause catalogue and its audit questions."""

    ref: str
    clause: str
    summary: str
    questions: tuple[str, ...]


@dataclass(frozen=True)
class ControlInfo:
    """What the checklist needs to know about one control and its SoA row."""

    number: str
    title: str
    applicable: bool | None
    implementation: str = ""


@dataclass(frozen=True)
class ChecklistQuestion:
    ref: str
    question: str


def parse_result(text: str) -> str:
    """A result from a code, a label or a shorthand ("minor", "NC", "OFI", "n/a", "")."""
    wanted = re.sub(r"[\s_\-]+", " ", text.strip().lower())
    if wanted == "":
        return ""
    shorthand = {
        "c": "conforming",
        "ok": "conforming",
        "conform": "conforming",
        "minor": "minor_nc",
        "minor nc": "minor_nc",
        "nc": "minor_nc",
        "major": "major_nc",
        "major nc": "major_nc",
        "obs": "observation",
        "o": "observation",
        "improvement": "ofi",
        "n/a": "not_audited",
        "na": "not_audited",
        "not checked": "not_audited",
    }
    if wanted in shorthand:
        return shorthand[wanted]
    for code, label in RESULT_LABELS.items():
        if wanted in (code.replace("_", " "), label.lower()):
            return code
    allowed = ", ".join(RESULT_LABELS.values())
    raise ValueError(f"the result must be one of {allowed}, not {text!r}")


def normalise_number(text: str) -> str:
    """'A.5.15', 'A 5.15', ' 5.15 ' -> '5.15'; clause numbers stay as they are."""
    cleaned = text.strip()
    return re.sub(r"^[Aa][\s.]*(?=\d)", "", cleaned).strip()


def parse_scope(entries: Iterable[str]) -> list[str]:
    """Scope entries as typed (one per item, or comma separated) -> normalised numbers."""
    found: list[str] = []
    for entry in entries:
        for part in re.split(r"[,;\n]+", entry):
            number = normalise_number(part).rstrip(".* ")
            if number and number not in found:
                found.append(number)
    return found


def within(number: str, scope: Sequence[str]) -> bool:
    """Whether a clause or control number lies under one of the scope entries.

    Matching is by whole dotted parts: "9.2" covers "9.2.1" and "9.2.2" but "5.1" does not
    cover "5.10"; "8" covers every control of theme 8 (or every clause 8.x).
    """
    parts = normalise_number(number).split(".")
    for entry in scope:
        want = normalise_number(entry).split(".")
        if parts[: len(want)] == want:
            return True
    return False


def clause_ref_number(ref: str) -> str:
    """The clause number of a requirement ref ("6.1.2 c" -> "6.1.2")."""
    return ref.split()[0] if ref.strip() else ""


def control_question(control: ControlInfo) -> str:
    """The question asked about one applicable control (the catalogue has none of its own)."""
    text = (
        f"{control.title}: how is this control implemented, and what evidence shows that "
        "it operates as intended?"
    )
    if control.implementation.strip():
        text += f" (SoA says: {control.implementation.strip()})"
    return text


def generate_checklist(
    requirements: Sequence[ClauseQuestions],
    controls: Sequence[ControlInfo],
    clause_scope: Sequence[str],
    control_scope: Sequence[str],
) -> list[ChecklistQuestion]:
    """The checklist of an audit: clause questions in scope, then applicable controls in scope.

    Controls the SoA marks not applicable, or has not decided, are left out: an auditor
    checks that an exclusion is justified under clause 6.1.3 d, not that it is implemented.
    """
    clauses = parse_scope(clause_scope)
    wanted_controls = parse_scope(control_scope)
    items: list[ChecklistQuestion] = []
    for req in requirements:
        if clauses and within(req.clause, clauses):
            items.extend(ChecklistQuestion(req.ref, q) for q in req.questions)
    for control in controls:
        if control.applicable is True and within(control.number, wanted_controls):
            items.append(
                ChecklistQuestion(CONTROL_PREFIX + control.number, control_question(control))
            )
    return items


def is_control_ref(ref: str) -> bool:
    return ref.startswith(CONTROL_PREFIX)


def template_items(raw: Iterable[object]) -> list[ChecklistQuestion]:
    """Checked (ref, question) pairs of a stored template; malformed entries are skipped."""
    items = []
    for entry in raw:
        if isinstance(entry, dict):
            ref = str(entry.get("ref", "")).strip()
            question = str(entry.get("question", "")).strip()
            if question:
                items.append(ChecklistQuestion(ref, question))
    return items

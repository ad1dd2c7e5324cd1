"""The inputs a management review must consider (ISO/IEC 27001:2022, 9.3.2 a–g).

A review's inputs are stored as one JSON object: per section a list of items compiled from
the project's records (each with the code of the record it came from) and a text the
officer edits (drafted from the items). A section is complete when it has a text; it is
"confirmed" once the officer has read and saved it. The review can be closed when every
section is complete and the meeting's date, chair, attendees and decisions are recorded
(9.3.3 asks for decisions on improvement and on changes needed).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

INPUTS_VERSION = 1


@dataclass(frozen=True)
class InputSection:
    key: str
    clause: str
    title: str


SECTIONS: tuple[InputSection, ...] = (
    InputSection("a", "9.3.2 a", "Status of actions from previous management reviews"),
    InputSection("b", "9.3.2 b", "Changes in external and internal issues"),
    InputSection("c", "9.3.2 c", "Changes in needs and expectations of interested parties"),
    InputSection("d1", "9.3.2 d 1", "Nonconformities and corrective actions"),
    InputSection("d2", "9.3.2 d 2", "Monitoring and measurement results"),
    InputSection("d3", "9.3.2 d 3", "Audit results"),
    InputSection("d4", "9.3.2 d 4", "Fulfilment of information security objectives"),
    InputSection("e", "9.3.2 e", "Feedback from interested parties"),
    InputSection("f", "9.3.2 f", "Results of risk assessment and status of risk treatment plan"),
    InputSection("g", "9.3.2 g", "Opportunities for continual improvement"),
)
SECTION_KEYS = tuple(s.key for s in SECTIONS)


def section(key: str) -> InputSection:
    for s in SECTIONS:
        if s.key == key:
            return s
    raise KeyError(f"no review input {key!r}")


def in_period(day: dt.date | None, start: dt.date | None, end: dt.date | None) -> bool:
    """Whether ``day`` lies in the review period (both ends included; open ends unbounded)."""
    if day is None:
        return False
    return (start is None or day >= start) and (end is None or day <= end)


def _sections(inputs: Mapping[str, Any]) -> Mapping[str, Any]:
    found = inputs.get("sections") if isinstance(inputs, Mapping) else None
    return found if isinstance(found, Mapping) else {}


def section_text(inputs: Mapping[str, Any], key: str) -> str:
    entry = _sections(inputs).get(key)
    return str(entry.get("text") or "") if isinstance(entry, Mapping) else ""


def section_items(inputs: Mapping[str, Any], key: str) -> list[dict[str, Any]]:
    entry = _sections(inputs).get(key)
    items = entry.get("items") if isinstance(entry, Mapping) else None
    return [dict(i) for i in items if isinstance(i, Mapping)] if isinstance(items, list) else []


def _day(inputs: Mapping[str, Any], key: str) -> dt.date | None:
    value = inputs.get(key) if isinstance(inputs, Mapping) else None
    try:
        return dt.date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


@dataclass(frozen=True)
class Compiled:
    """When the inputs were compiled and which day's records they show.

    ``compiled_on`` is the day given as the day of compiling (today, or the day a review
    recorded afterwards was prepared); ``read_on`` the day the application read the
    project; ``as_of`` the day whose records the inputs show (the meeting, for a review
    entered after it). ``note`` says how they were read when ``as_of`` is before
    ``read_on``. Inputs compiled before these were recorded have only ``compiled_on``.
    """

    compiled_on: dt.date | None
    read_on: dt.date | None
    as_of: dt.date | None
    note: str

    @property
    def read_later(self) -> bool:
        """The records were read after the day they are shown as of (reconstructed)."""
        return self.as_of is not None and self.read_on is not None and self.as_of < self.read_on

    @property
    def backdated(self) -> bool:
        """The day of compiling was given (before the day the project was read)."""
        return (
            self.compiled_on is not None
            and self.read_on is not None
            and self.compiled_on < self.read_on
        )


def compiled(inputs: Mapping[str, Any]) -> Compiled:
    note = inputs.get("as_of_note") if isinstance(inputs, Mapping) else None
    return Compiled(
        _day(inputs, "compiled_on"),
        _day(inputs, "read_on"),
        _day(inputs, "as_of"),
        str(note or ""),
    )


def is_confirmed(inputs: Mapping[str, Any], key: str) -> bool:
    entry = _sections(inputs).get(key)
    return bool(entry.get("confirmed")) if isinstance(entry, Mapping) else False


def missing_sections(inputs: Mapping[str, Any]) -> list[InputSection]:
    """Sections of 9.3.2 with no text at all (not compiled, or emptied by the user)."""
    return [s for s in SECTIONS if not section_text(inputs, s.key).strip()]


def unconfirmed_sections(inputs: Mapping[str, Any]) -> list[InputSection]:
    return [s for s in SECTIONS if not is_confirmed(inputs, s.key)]


def completeness_percent(inputs: Mapping[str, Any]) -> int:
    """Share of the sections that have a text the officer has confirmed."""
    done = sum(
        1 for s in SECTIONS if section_text(inputs, s.key).strip() and is_confirmed(inputs, s.key)
    )
    return round(100 * done / len(SECTIONS))


def closing_problems(values: Mapping[str, Any], inputs: Mapping[str, Any]) -> list[str]:
    """Why a review cannot be closed yet; empty when its record is complete."""
    problems = [f"input {s.clause} ({s.title}) is empty" for s in missing_sections(inputs)]
    if not values.get("date"):
        problems.append("the meeting date is missing")
    if not values.get("chair"):
        problems.append("no one is recorded as chairing the review")
    if not str(values.get("attendees") or "").strip():
        problems.append("the attendees are missing")
    if not str(values.get("decisions") or "").strip():
        problems.append(
            "no decisions are recorded (9.3.3: on improvement opportunities and changes needed)"
        )
    return problems

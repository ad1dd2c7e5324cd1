"""The audit programme (9.2.2): audit status rules and coverage of clauses and controls."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from isms_desktop.domain.audit_checklist import parse_scope, within
from isms_desktop.domain.errors import BadArgumentsError

AUDIT_FLOW: dict[str, tuple[str, ...]] = {
    "planned": ("in_progress", "cancelled"),
    "in_progress": ("completed", "cancelled"),
    "completed": (),
    "cancelled": ("planned",),
}
CYCLE_YEARS = 3


class AuditTransitionError(BadArgumentsError):
    """An audit status change that the programme does not allow."""


def check_audit_transition(current: str, target: str, *, unanswered: int = 0) -> None:
    """Refuse a status change that skips a step, or completing with open checklist items."""
    current = current or "planned"
    if target == current:
        return
    if target not in AUDIT_FLOW.get(current, ()):
        raise AuditTransitionError(
            f"an audit cannot go from {current.replace('_', ' ')} to {target.replace('_', ' ')}"
        )
    if target == "completed" and unanswered:
        raise AuditTransitionError(
            f"{unanswered} checklist item(s) have no result yet; record a result "
            "(or 'not audited') for each before completing the audit"
        )


@dataclass(frozen=True)
class AuditScope:
    code: str
    status: str
    start: dt.date | None
    clauses: tuple[str, ...]
    controls: tuple[str, ...]


@dataclass(frozen=True)
class CoverageItem:
    kind: str  # clause | control
    number: str
    title: str
    state: str  # audited | planned | not_covered
    audits: tuple[str, ...]


@dataclass(frozen=True)
class Coverage:
    items: tuple[CoverageItem, ...]

    def of(self, kind: str) -> list[CoverageItem]:
        return [i for i in self.items if i.kind == kind]

    def percent(self, kind: str, *, planned_counts: bool = True) -> int:
        items = self.of(kind)
        if not items:
            return 100
        states = ("audited", "planned") if planned_counts else ("audited",)
        done = sum(1 for i in items if i.state in states)
        return round(100 * done / len(items))

    def missing(self, kind: str) -> list[str]:
        return [i.number for i in self.of(kind) if i.state == "not_covered"]


def coverage(
    clauses: Sequence[tuple[str, str]],
    controls: Sequence[tuple[str, str]],
    audits: Sequence[AuditScope],
) -> Coverage:
    """Which clauses and (applicable) controls the audits cover: audited, planned or not yet.

    ``controls`` should hold only the applicable ones; cancelled audits cover nothing.
    """
    live = [a for a in audits if a.status != "cancelled"]
    scopes = [(a, parse_scope(a.clauses), parse_scope(a.controls)) for a in live]
    items: list[CoverageItem] = []
    for kind, entries in (("clause", clauses), ("control", controls)):
        for number, title in entries:
            hits = [a for a, cl, co in scopes if within(number, cl if kind == "clause" else co)]
            if any(a.status == "completed" for a in hits):
                state = "audited"
            elif hits:
                state = "planned"
            else:
                state = "not_covered"
            items.append(CoverageItem(kind, number, title, state, tuple(a.code for a in hits)))
    return Coverage(tuple(items))


def cycle_bounds(start: dt.date, years: int = CYCLE_YEARS) -> tuple[dt.date, dt.date]:
    """First and last day of a programme cycle of ``years`` starting on ``start``."""
    try:
        end = start.replace(year=start.year + years)
    except ValueError:  # 29 February
        end = start.replace(year=start.year + years, day=28)
    return start, end - dt.timedelta(days=1)

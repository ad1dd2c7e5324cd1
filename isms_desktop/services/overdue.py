"""What is overdue: open actions past their due date, risks past their next review.

One definition for the readiness counts (and so the dashboard's "What to do next") and for
the register views' Overdue filter that its Go buttons open.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import ColumnElement, and_

from isms_desktop.domain.readiness import OVERDUE
from isms_desktop.storage.models import Action, Risk

# the key of the register views' filter (``registers.Query.equals``; readiness targets it)
FILTER = OVERDUE
OPEN_ACTION = ("open", "in_progress")
CLOSED_RISK = "closed"
# the registers that have the filter, and what it keeps in words
REGISTERS = {
    "treatment": "overdue: due date passed, not done or cancelled",
    "actions": "overdue: due date passed, not done or cancelled",
    "risks": "overdue for review: next review date passed, not closed",
}


def action_overdue(today: dt.date) -> ColumnElement[bool]:
    """An action still open after its due date."""
    return and_(Action.status.in_(OPEN_ACTION), Action.due_date < today)


def review_overdue(today: dt.date) -> ColumnElement[bool]:
    """A risk not closed whose next review date has passed."""
    return and_(Risk.next_review < today, Risk.status != CLOSED_RISK)


def clause(register: str, _value: Any = None) -> ColumnElement[bool]:
    """The register view's Overdue filter (today's date, whatever the value)."""
    today = dt.date.today()
    return review_overdue(today) if register == "risks" else action_overdue(today)


def describe(register: str, _value: Any = None, _method: Any = None) -> str:
    """The filter in words, for the register's filter note."""
    text = REGISTERS[register]
    return text[0].upper() + text[1:]

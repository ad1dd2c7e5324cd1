"""Incident rules: the handling workflow and notification deadlines.

open → contained → resolved → closed, one step at a time. Closing needs the lessons
learned, and a notification made where one was required. A personal-data breach must be
reported to the data-protection authority within 72 hours of becoming aware of it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from isms_desktop.domain.errors import BadArgumentsError

INCIDENT_FLOW = ("open", "contained", "resolved", "closed")
NOTIFICATION_HOURS = 72


class IncidentTransitionError(BadArgumentsError):
    """An incident status change the handling workflow refuses."""


@dataclass(frozen=True)
class IncidentFacts:
    code: str
    status: str
    lessons_learned: str = ""
    notification_required: bool | None = None
    notified_at: dt.datetime | None = None


def check_incident_transition(facts: IncidentFacts, target: str) -> None:
    if target not in INCIDENT_FLOW:
        raise IncidentTransitionError(f"{facts.code}: there is no status {target!r}")
    if target == facts.status:
        return
    i, j = INCIDENT_FLOW.index(facts.status), INCIDENT_FLOW.index(target)
    if j != i + 1:
        raise IncidentTransitionError(
            f"{facts.code} cannot go from {facts.status} to {target}: "
            f"the next step is {INCIDENT_FLOW[min(i + 1, len(INCIDENT_FLOW) - 1)]}"
        )
    if target == "closed":
        if not facts.lessons_learned.strip():
            raise IncidentTransitionError(f"{facts.code}: record the lessons learned first")
        if facts.notification_required and facts.notified_at is None:
            raise IncidentTransitionError(
                f"{facts.code}: the required notification has not been recorded"
            )


def notification_deadline(
    detected_at: dt.datetime | None,
    required: bool | None,
    hours: int = NOTIFICATION_HOURS,
) -> dt.datetime | None:
    """When the authority must have been told: ``hours`` after detection, if required."""
    if not required or detected_at is None:
        return None
    return detected_at + dt.timedelta(hours=hours)


@dataclass(frozen=True)
class NotificationState:
    state: str  # not_required | unknown | due | overdue | on_time | late
    deadline: dt.datetime | None
    hours_left: float | None

    @property
    def text(self) -> str:
        deadline = self.deadline.strftime("%Y-%m-%d %H:%M") if self.deadline else ""
        match self.state:
            case "not_required":
                return "No notification required"
            case "unknown":
                return "Decide whether the authority must be notified"
            case "due":
                left = self.hours_left or 0.0
                # "0 h left" for the last half hour said nothing useful
                span = f"{left:.0f} h" if left >= 1.5 else f"{max(left * 60, 1):.0f} min"
                return f"Notify by {deadline} ({span} left)"
            case "overdue":
                return f"Notification overdue since {deadline}"
            case "on_time":
                return f"Notified in time (deadline {deadline})"
            case _:
                return f"Notified late (deadline was {deadline})"


def notification_state(
    detected_at: dt.datetime | None,
    required: bool | None,
    notified_at: dt.datetime | None,
    now: dt.datetime,
    hours: int = NOTIFICATION_HOURS,
) -> NotificationState:
    if required is False:
        return NotificationState("not_required", None, None)
    deadline = notification_deadline(detected_at, True, hours)
    if required is None or deadline is None:
        return NotificationState("unknown", deadline, None)
    if notified_at is not None:
        return NotificationState("on_time" if notified_at <= deadline else "late", deadline, None)
    left = (deadline - now).total_seconds() / 3600
    return NotificationState("due" if left >= 0 else "overdue", deadline, left)

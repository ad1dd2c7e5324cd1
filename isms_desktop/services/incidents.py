"""Incident use cases: report, move through handling, notification deadlines, improvement.

Incidents are records of the ``incidents`` register; this module adds the handling workflow
(``domain.audit_incidents``), the 72-hour notification deadline, and "raise improvement",
which creates a nonconformity or an improvement action linked back to the incident.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from isms_desktop.domain.audit_incidents import (
    INCIDENT_FLOW,
    IncidentFacts,
    NotificationState,
    check_incident_transition,
    notification_state,
)
from isms_desktop.domain.errors import BadArgumentsError
from isms_desktop.services import registers
from isms_desktop.storage.models import Action, Incident, Nonconformity
from isms_desktop.storage.project_file import Project


@dataclass(frozen=True)
class IncidentFollowUp:
    code: str
    status: str
    notification: NotificationState
    nonconformities: tuple[str, ...]
    actions: tuple[str, ...]
    next_status: str | None


def _incident(session: Session, code: str) -> Incident:
    found = session.scalars(select(Incident).where(Incident.code == code.strip())).one_or_none()
    if found is None:
        raise BadArgumentsError(f"incidents: there is no incident {code}")
    return found


def _facts(incident: Incident) -> IncidentFacts:
    return IncidentFacts(
        incident.code,
        incident.status,
        incident.lessons_learned or "",
        incident.notification_required,
        incident.notified_at,
    )


def report_incident(project: Project, values: Mapping[str, Any]) -> str:
    """Record a new incident (status open); returns its code."""
    values = dict(values)
    values.setdefault("status", "open")
    if values["status"] != "open":
        raise BadArgumentsError("a newly reported incident is open")
    return registers.create(project, "incidents", values).code


def _now() -> dt.datetime:
    return dt.datetime.now().replace(microsecond=0)


def follow_up(project: Project, code: str, now: dt.datetime | None = None) -> IncidentFollowUp:
    """Where the incident stands: notification deadline, linked improvements, next step."""
    with project.reading() as session:
        incident = _incident(session, code)
        ncs = session.scalars(
            select(Nonconformity.code)
            .where(Nonconformity.incident_id == incident.id)
            .order_by(Nonconformity.code)
        ).all()
        actions = session.scalars(
            select(Action.code).where(Action.incident_id == incident.id).order_by(Action.code)
        ).all()
        i = INCIDENT_FLOW.index(incident.status) if incident.status in INCIDENT_FLOW else -1
        return IncidentFollowUp(
            code=incident.code,
            status=incident.status,
            notification=notification_state(
                incident.detected_at,
                incident.notification_required,
                incident.notified_at,
                now or _now(),
            ),
            nonconformities=tuple(ncs),
            actions=tuple(actions),
            next_status=INCIDENT_FLOW[i + 1] if 0 <= i < len(INCIDENT_FLOW) - 1 else None,
        )


def transition(project: Project, code: str, target: str) -> None:
    """Move an incident along open → contained → resolved → closed (no skipping)."""
    with project.transaction() as session:
        incident = _incident(session, code)
        check_incident_transition(_facts(incident), target)
        incident.status = target


def record_notification(project: Project, code: str, at: dt.datetime | None = None) -> None:
    """The authority was notified at ``at`` (now, if not given)."""
    with project.transaction() as session:
        incident = _incident(session, code)
        incident.notification_required = True
        incident.notified_at = (at or _now()).replace(microsecond=0)


def record_lessons_learned(project: Project, code: str, lessons: str) -> None:
    """What the organisation learned from the incident (needed before it is closed)."""
    text = lessons.strip()
    with project.transaction() as session:
        incident = _incident(session, code)
        if incident.status == "closed" and not text:
            raise BadArgumentsError(
                f"{incident.code} is closed: its lessons learned cannot be removed"
            )
        incident.lessons_learned = text


@dataclass(frozen=True)
class IncidentState:
    """What the handling steps change: taken before and after a step to undo or redo it."""

    code: str
    status: str
    notification_required: bool | None
    notified_at: dt.datetime | None
    lessons_learned: str = ""


def _state(incident: Incident) -> IncidentState:
    return IncidentState(
        incident.code,
        incident.status,
        incident.notification_required,
        incident.notified_at,
        incident.lessons_learned or "",
    )


def state(project: Project, code: str) -> IncidentState:
    with project.reading() as session:
        return _state(_incident(session, code))


def restore_state(project: Project, wanted: IncidentState, *, expected: IncidentState) -> None:
    """Put an incident back as in ``wanted``; refused when it is no longer as ``expected``."""
    with project.transaction() as session:
        incident = _incident(session, wanted.code)
        if _state(incident) != expected:
            raise BadArgumentsError(
                f"{wanted.code} was changed since; this step can no longer be undone or redone"
            )
        incident.status = wanted.status
        incident.notification_required = wanted.notification_required
        incident.notified_at = wanted.notified_at
        incident.lessons_learned = wanted.lessons_learned


def pending_notifications(
    project: Project, now: dt.datetime | None = None
) -> list[tuple[str, NotificationState]]:
    """Incidents whose required notification is still to be made, soonest deadline first."""
    moment = now or _now()
    found = []
    with project.reading() as session:
        rows = session.scalars(
            select(Incident).where(
                Incident.notification_required.is_(True), Incident.notified_at.is_(None)
            )
        )
        for incident in rows:
            state = notification_state(incident.detected_at, True, None, moment)
            found.append((incident.code, state))
    far = dt.datetime.max
    return sorted(found, key=lambda pair: pair[1].deadline or far)


def raise_improvement(
    project: Project,
    code: str,
    *,
    kind: str = "nonconformity",
    title: str = "",
    description: str = "",
    owner: str | None = None,
    due_date: dt.date | None = None,
    requirement: str = "",
    severity: str = "minor",
) -> str:
    """Create a nonconformity or an improvement action linked back to this incident."""
    with project.reading() as session:
        incident = _incident(session, code)
        text = description.strip() or (
            f"Incident {incident.code} ({incident.title}): {incident.lessons_learned}".strip(": ")
        )
    if kind == "nonconformity":
        return registers.create(
            project,
            "nonconformities",
            {
                "source": "incident",
                "incident": code,
                "description": text,
                "requirement": requirement,
                "severity": severity,
                # raised today, when it is recorded (the incident's own dates are on it)
                "raised_on": dt.date.today(),
                "raised_by": owner,
            },
        ).code
    if kind == "action":
        return registers.create(
            project,
            "actions",
            {
                "source": "incident",
                "title": title.strip() or f"Follow-up of {code}",
                "description": text,
                "owner": owner,
                "due_date": due_date,
                "status": "open",
                "incident": code,
            },
        ).code
    raise BadArgumentsError(f"raise a 'nonconformity' or an 'action', not {kind!r}")

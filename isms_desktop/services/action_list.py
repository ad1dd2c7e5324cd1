"""The one action list: every open item with an owner and a due date, from all registers.

Items come from the unified actions table (risk treatment, corrective actions, audit, review
and incident follow-ups), document reviews, evidence expiry, metric measurements due, training
refreshes, risk reviews, and planned audits and management reviews. Each item names the
register and code of the record that opens when the user double-clicks it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from typing import NamedTuple

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from isms_desktop.domain.metrics_rules import next_due
from isms_desktop.services import metrics
from isms_desktop.storage.models import (
    Action,
    Attachment,
    Audit,
    Document,
    Metric,
    Person,
    Review,
    Risk,
    SoaEntry,
    TrainingRecord,
)
from isms_desktop.storage.project_file import Project

# the "source" of items that do not come from the actions table
SOURCE_LABELS = {
    "treatment": "Risk treatment",
    "corrective": "Corrective action",
    "audit": "Audit follow-up",
    "review": "Review decision",
    "incident": "Incident follow-up",
    "document": "Document",
    "other": "Other action",
    "monitoring": "Measurement due",
    "document_review": "Document review",
    "evidence_expiry": "Evidence expiry",
    "measurement": "Measurement due",
    "training": "Training refresh",
    "risk_review": "Risk review",
    "audit_planned": "Planned audit",
    "review_planned": "Management review",
}
# Risk reviews are listed from this many days before they are due (a register of thousands
# of risks would otherwise fill the list with reviews a year away).
RISK_REVIEW_HORIZON_DAYS = 90


class ActionItem(NamedTuple):
    """One open item (a tuple: a register of 100,000 risks lists tens of thousands)."""

    source: str
    title: str
    owner: str
    due: dt.date
    register: str  # where the record lives (CONTRACT register name)
    code: str  # the record's code, to open it
    status: str = "open"

    @property
    def source_label(self) -> str:
        return SOURCE_LABELS.get(self.source, self.source)

    def overdue(self, today: dt.date) -> bool:
        return self.due < today

    def days_left(self, today: dt.date) -> int:
        return (self.due - today).days


def _name(names: dict[int, str], person_id: int | None) -> str:
    return names.get(person_id, "") if person_id is not None else ""


def _date(value: dt.date | None) -> dt.date:
    """A due date the query guarantees (NULLs are filtered out in SQL)."""
    return value if value is not None else dt.date.today()


def _owner_names(session: Session) -> dict[int, str]:
    return {pid: name for pid, name in session.execute(select(Person.id, Person.name))}


def _from_actions(session: Session, names: dict[int, str]) -> Iterator[ActionItem]:
    stmt = select(
        Action.source, Action.title, Action.owner_id, Action.due_date, Action.code, Action.status
    ).where(Action.status.in_(("open", "in_progress")), Action.due_date.isnot(None))
    for source, title, owner_id, due, code, status in session.connection().execute(stmt):
        register = "treatment" if source == "treatment" else "actions"
        yield ActionItem(source, title, _name(names, owner_id), _date(due), register, code, status)


def _from_documents(session: Session, names: dict[int, str]) -> Iterator[ActionItem]:
    stmt = select(Document.code, Document.title, Document.owner_id, Document.next_review).where(
        Document.status != "withdrawn", Document.next_review.isnot(None)
    )
    for code, title, owner_id, due in session.execute(stmt):
        yield ActionItem(
            "document_review",
            f"Review {code} {title}",
            _name(names, owner_id),
            _date(due),
            "documents",
            code,
        )


def _from_evidence(session: Session, names: dict[int, str]) -> Iterator[ActionItem]:
    soa_owner = aliased(SoaEntry)
    stmt = (
        select(Attachment.owner_register, Attachment.name, Attachment.expires_on, soa_owner)
        .outerjoin(
            soa_owner,
            (Attachment.owner_register == "soa") & (soa_owner.id == Attachment.owner_id),
        )
        .where(Attachment.expires_on.isnot(None))
    )
    for register, name, due, soa in session.execute(stmt):
        owner = _name(names, soa.owner_id) if soa is not None and soa.owner_id else ""
        code = soa.code if soa is not None else ""
        yield ActionItem(
            "evidence_expiry", f"Renew evidence “{name}”", owner, _date(due), register, code
        )


def _from_metrics(session: Session, names: dict[int, str], today: dt.date) -> Iterator[ActionItem]:
    last = metrics.last_measured(session)
    # a metric whose "measure it" action is already open appears once, as that action
    # (codes MON-<metric>-<yyyy>-<mm>, see services.metrics.due_action_code)
    open_due = {
        code.removeprefix(metrics.DUE_ACTION_PREFIX).rsplit("-", 2)[0]
        for code in session.scalars(
            select(Action.code).where(
                Action.source == "monitoring", Action.status.in_(("open", "in_progress"))
            )
        )
    }
    stmt = select(Metric.id, Metric.code, Metric.name, Metric.frequency, Metric.measured_by_id)
    for metric_id, code, name, frequency, owner_id in session.execute(stmt):
        if code in open_due:
            continue
        due = next_due(frequency, last.get(metric_id), today)
        yield ActionItem(
            "measurement", f"Measure {name}", _name(names, owner_id), due, "metrics", code
        )


def _from_training(session: Session, names: dict[int, str]) -> Iterator[ActionItem]:
    # only the newest record per person and course matters
    newest = (
        select(
            TrainingRecord.person_id,
            TrainingRecord.course,
            func.max(TrainingRecord.date).label("last"),
        )
        .group_by(TrainingRecord.person_id, TrainingRecord.course)
        .subquery()
    )
    stmt = (
        select(
            TrainingRecord.code,
            TrainingRecord.person_id,
            TrainingRecord.course,
            TrainingRecord.expires_on,
        )
        .join(
            newest,
            (newest.c.person_id == TrainingRecord.person_id)
            & (newest.c.course == TrainingRecord.course)
            & (newest.c.last == TrainingRecord.date),
        )
        .where(TrainingRecord.expires_on.isnot(None))
    )
    for code, person_id, course, due in session.execute(stmt):
        person = _name(names, person_id)
        yield ActionItem(
            "training", f"Refresh “{course}” for {person}", person, _date(due), "training", code
        )


def _from_risks(session: Session, names: dict[int, str], today: dt.date) -> Iterator[ActionItem]:
    horizon = today + dt.timedelta(days=RISK_REVIEW_HORIZON_DAYS)
    stmt = select(Risk.code, Risk.title, Risk.owner_id, Risk.next_review).where(
        Risk.next_review.isnot(None), Risk.next_review <= horizon, Risk.status != "closed"
    )
    for code, title, owner_id, due in session.connection().execute(stmt):
        yield ActionItem(
            "risk_review",
            f"Review risk {code} {title}",
            _name(names, owner_id),
            _date(due),
            "risks",
            code,
        )


def _from_audits_and_reviews(session: Session, names: dict[int, str]) -> Iterator[ActionItem]:
    stmt = select(
        Audit.code, Audit.title, Audit.lead_auditor_id, Audit.planned_start, Audit.status
    ).where(Audit.status.in_(("planned", "in_progress")), Audit.planned_start.isnot(None))
    for code, title, owner_id, due, status in session.execute(stmt):
        yield ActionItem(
            "audit_planned",
            f"Audit {code} {title}",
            _name(names, owner_id),
            _date(due),
            "audits",
            code,
            status,
        )
    stmt2 = select(Review.code, Review.title, Review.chair_id, Review.date).where(
        Review.status == "draft", Review.date.isnot(None)
    )
    for code, title, owner_id, due in session.execute(stmt2):
        yield ActionItem(
            "review_planned",
            f"Management review {title}",
            _name(names, owner_id),
            _date(due),
            "reviews",
            code,
        )


def _all(session: Session, today: dt.date) -> Iterable[ActionItem]:
    names = _owner_names(session)
    for producer in (
        _from_actions,
        _from_documents,
        _from_evidence,
        _from_training,
        _from_audits_and_reviews,
    ):
        yield from producer(session, names)
    yield from _from_metrics(session, names, today)
    yield from _from_risks(session, names, today)


def action_items(
    project: Project,
    *,
    owner: str = "",
    sources: Iterable[str] = (),
    within_days: int | None = None,
    today: dt.date | None = None,
) -> list[ActionItem]:
    """Open items, earliest due first; filtered by owner name, sources and due window
    (``within_days``: due no later than that many days from today, overdue included)."""
    today = today or dt.date.today()
    wanted = set(sources)
    with project.reading() as session:
        items = list(_all(session, today))
    result = [
        item
        for item in items
        if (not owner or item.owner == owner)
        and (not wanted or item.source in wanted)
        and (within_days is None or item.days_left(today) <= within_days)
    ]
    result.sort(key=lambda i: (i.due, i.source, i.code))
    return result

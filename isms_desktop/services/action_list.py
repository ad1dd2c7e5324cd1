"""The one action list: every open item with an owner and a due date, from all registers.

Items come from the unified actions table (risk treatment, corrective actions, audit, review
and incident follow-ups), document reviews, evidence expiry, metric measurements due, training
refreshes, risk reviews, and planned audits and management reviews. Each item names the
register and code of the record that opens when the user double-clicks it.

The two sources that grow with the registers (the actions table, and the reviews of
thousands of risks) are filtered, counted and cut to the first items in SQL
(``action_page``): the dashboard of 100,000 risks lists its first 500 of ~77,000 items, and
says how many there are, without building them all.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, NamedTuple

from sqlalchemy import func, literal, select
from sqlalchemy.orm import Session, aliased

from isms_desktop.domain.metrics_rules import next_due
from isms_desktop.domain.register_specs import ACTION_SOURCES
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
    "monitoring": "Monitoring action",
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


class _Filters(NamedTuple):
    """The list's filters, as a growing source applies them in SQL."""

    owner_ids: frozenset[int] | None  # None: anyone (else the ids of people of that name)
    sources: frozenset[str]  # empty: every source
    latest: dt.date | None  # due on or before (``within_days``), overdue included
    today: dt.date


class _Growing(NamedTuple):
    """A source whose items grow with a register: its open items (``rows``) and the
    columns of their due date, owner and source; ``make`` builds an item of a row."""

    rows: Any  # a Select
    due: Any
    owner: Any
    source: Any
    kinds: tuple[str, ...]  # the values ``source`` can take
    order: tuple[Any, ...]
    make: Callable[[Any, dict[int, str]], ActionItem]


class _Counted(NamedTuple):
    """A growing source under the filters: its first items, how many match, how many of
    them are overdue; with ``choices``, the owners and sources of all its open items."""

    items: list[ActionItem]
    total: int
    overdue: int
    owner_ids: set[int]
    sources: set[str]


def _read(
    session: Session,
    source: _Growing,
    filters: _Filters,
    limit: int | None,
    names: dict[int, str],
    choices: bool,
) -> _Counted:
    def matching(stmt: Any) -> Any:
        if filters.owner_ids is not None:
            stmt = stmt.where(source.owner.in_(sorted(filters.owner_ids)))
        if filters.sources:
            stmt = stmt.where(source.source.in_(sorted(filters.sources)))
        if filters.latest is not None:
            stmt = stmt.where(source.due <= filters.latest)
        return stmt

    connection = session.connection()
    rows = matching(source.rows.order_by(*source.order))
    rows = rows if limit is None else rows.limit(limit)
    items = [source.make(row, names) for row in connection.execute(rows).all()]

    def columns(*wanted: Any) -> Any:
        return source.rows.with_only_columns(*wanted, maintain_column_froms=True)

    late = func.count().filter(source.due < filters.today)
    total, overdue = tuple(connection.execute(matching(columns(func.count(), late))).one())
    owner_ids: set[int] = set()
    kinds: set[str] = set()
    if choices:
        # who owns any, and which kinds there are: a probe of an index for each person and
        # kind (a DISTINCT would read all 100,000 risks)
        some = columns(literal(1))
        owners = select(Person.id).where(some.where(source.owner == Person.id).exists())
        owner_ids = {int(o) for o in connection.scalars(owners)}
        probes = [some.where(source.source == kind).exists() for kind in source.kinds]
        found = connection.execute(select(*probes)).one()
        kinds = {kind for kind, there in zip(source.kinds, found, strict=True) if there}
    return _Counted(items, int(total or 0), int(overdue or 0), owner_ids, kinds)


def _action_item(row: Any, names: dict[int, str]) -> ActionItem:
    source, title, owner_id, due, code, status = row
    register = "treatment" if source == "treatment" else "actions"
    return ActionItem(source, title, _name(names, owner_id), _date(due), register, code, status)


def _actions() -> _Growing:
    rows = select(
        Action.source, Action.title, Action.owner_id, Action.due_date, Action.code, Action.status
    ).where(Action.status.in_(("open", "in_progress")), Action.due_date.isnot(None))
    order = (Action.due_date, Action.source, Action.code)
    return _Growing(
        rows, Action.due_date, Action.owner_id, Action.source, ACTION_SOURCES, order, _action_item
    )


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


def _risk_item(row: Any, names: dict[int, str]) -> ActionItem:
    code, title, owner_id, due, _source = row
    title = f"Review risk {code} {title}"
    return ActionItem("risk_review", title, _name(names, owner_id), _date(due), "risks", code)


def _risk_reviews(today: dt.date) -> _Growing:
    horizon = today + dt.timedelta(days=RISK_REVIEW_HORIZON_DAYS)
    source = literal("risk_review")
    rows = select(Risk.code, Risk.title, Risk.owner_id, Risk.next_review, source).where(
        Risk.next_review.isnot(None), Risk.next_review <= horizon, Risk.status != "closed"
    )
    order = (Risk.next_review, Risk.code)
    kinds = ("risk_review",)
    return _Growing(rows, Risk.next_review, Risk.owner_id, source, kinds, order, _risk_item)


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


def _small_sources(session: Session, names: dict[int, str], today: dt.date) -> list[ActionItem]:
    """The sources of a few items each (documents, evidence, training, audits, reviews,
    metrics): read whole and filtered in Python."""
    found: list[ActionItem] = []
    for producer in (_from_documents, _from_evidence, _from_training, _from_audits_and_reviews):
        found.extend(producer(session, names))
    found.extend(_from_metrics(session, names, today))
    return found


@dataclass(frozen=True)
class ActionPage:
    """The first items of the list under its filters, and the figures of all of them."""

    items: list[ActionItem]  # earliest due first, at most ``limit``
    total: int  # items matching the filters
    overdue: int  # of those, due before today
    owners: list[str]  # owners of every open item (the owner filter's choices)
    sources: list[str]  # sources of every open item (the source filter's choices)


def _sort_key(item: ActionItem) -> tuple[dt.date, str, str]:
    return (item.due, item.source, item.code)


def action_page(
    project: Project,
    *,
    owner: str = "",
    sources: Iterable[str] = (),
    within_days: int | None = None,
    today: dt.date | None = None,
    limit: int | None = 500,
    choices: bool = False,
) -> ActionPage:
    """Open items, earliest due first; filtered by owner name, sources and due window
    (``within_days``: due no later than that many days from today, overdue included); the
    first ``limit`` of them (None: all), with the number of all that match. ``choices``:
    also the owners and sources of every open item (else those lists are empty)."""
    today = today or dt.date.today()
    wanted = frozenset(sources)
    latest = today + dt.timedelta(days=within_days) if within_days is not None else None
    with project.reading() as session:
        names = _owner_names(session)
        owner_ids = frozenset(i for i, name in names.items() if name == owner) if owner else None
        filters = _Filters(owner_ids, wanted, latest, today)
        growing = [
            _read(session, source, filters, limit, names, choices)
            for source in (_actions(), _risk_reviews(today))
        ]
        small = _small_sources(session, names, today)
    matching = [
        item
        for item in small
        if (not owner or item.owner == owner)
        and (not wanted or item.source in wanted)
        and (latest is None or item.due <= latest)
    ]
    items = sorted([i for g in growing for i in g.items] + matching, key=_sort_key)
    every_owner = {i.owner for i in small if i.owner} if choices else set()
    every_source = {i.source for i in small} if choices else set()
    for g in growing:
        every_owner.update(_name(names, o) for o in g.owner_ids)
        every_source.update(g.sources)
    return ActionPage(
        items=items if limit is None else items[:limit],
        total=len(matching) + sum(g.total for g in growing),
        overdue=sum(1 for i in matching if i.due < today) + sum(g.overdue for g in growing),
        owners=sorted(o for o in every_owner if o),
        sources=sorted(every_source),
    )


def action_items(
    project: Project,
    *,
    owner: str = "",
    sources: Iterable[str] = (),
    within_days: int | None = None,
    today: dt.date | None = None,
) -> list[ActionItem]:
    """Every open item under the filters, earliest due first (``action_page`` without a
    limit)."""
    page = action_page(
        project, owner=owner, sources=sources, within_days=within_days, today=today, limit=None
    )
    return page.items

"""Management review (9.3): inputs compiled from the project, decisions, actions, minutes.

Creating a review compiles its inputs (9.3.2 a–g) from the project's own records of the
review period — by default from the day after the previous review up to the meeting — as a
draft: per input, the records it is based on and a text the officer edits and confirms.
Changes in issues and in interested parties' requirements (b, c) are found by comparing
with the snapshot the previous review kept. Decisions become actions (source ``review``) in
the unified action list, with owners and due dates. ``minutes`` gives what the minutes PDF
prints.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from isms_desktop.domain import review_inputs as ri
from isms_desktop.domain.errors import BadArgumentsError, RejectedInputError
from isms_desktop.domain.fields import RegisterSpec, next_code
from isms_desktop.domain.metrics_rules import (
    STATUS_LABELS,
    Point,
    Status,
    add_months,
    format_value,
    trend,
)
from isms_desktop.domain.metrics_rules import status as value_status
from isms_desktop.domain.register_specs import (
    ACTIONS,
    AUDITS,
    FINDING_KINDS,
    FINDINGS,
    INCIDENTS,
    NC_STATUSES,
    NONCONFORMITIES,
    OBJECTIVES,
    REVIEWS,
)
from isms_desktop.domain.risk_method import RiskMethod
from isms_desktop.domain.training_matrix import Cell, build_matrix
from isms_desktop.services import objectives as objectives_service
from isms_desktop.services import training as training_service
from isms_desktop.services.metrics import MetricSeries
from isms_desktop.services.risk_method import method_in
from isms_desktop.storage.models import (
    Action,
    Audit,
    ChangeLog,
    ContextIssue,
    Finding,
    Incident,
    InterestedParty,
    Measurement,
    Metric,
    Nonconformity,
    Objective,
    ObjectiveMetric,
    PartyRequirement,
    Person,
    ProjectRow,
    RequiredTraining,
    Review,
    Risk,
)
from isms_desktop.storage.project_file import Project

OPEN_ACTION = ("open", "in_progress")
CLOSED_NC = ("verified", "closed")

Item = dict[str, Any]


# --- reading helpers ------------------------------------------------------------------------


def _iso(day: dt.date | dt.datetime | None) -> str:
    if day is None:
        return ""
    return (day.date() if isinstance(day, dt.datetime) else day).isoformat()


def _day(value: dt.date | dt.datetime | None) -> dt.date | None:
    return value.date() if isinstance(value, dt.datetime) else value


def _label(value: str) -> str:
    return value.replace("_", " ")


def _choice(spec: RegisterSpec, field: str, value: str | None) -> str:
    """A stored choice as its register shows it ("Opportunity for improvement", not "ofi")."""
    if not value:
        return ""
    return spec.field(field).choice_labels.get(value) or _label(value).capitalize()


def _lower(label: str) -> str:
    """A label inside a sentence: "Action planned" → "action planned" ("IT" stays)."""
    first = label.split(" ", 1)[0]
    return label if first.isupper() and len(first) > 1 else label[:1].lower() + label[1:]


def _plural_label(n: int, label: str) -> str:
    """``n`` and a register label in the plural where needed, in a sentence: "2 minor
    nonconformities", "1 opportunity for improvement", "3 opportunities for improvement"."""
    words = _lower(label).split(" ")
    if n != 1:
        # the noun is the last word, or the word before "for"/"of" ("opportunity for …")
        head = next((i - 1 for i, w in enumerate(words) if i and w in ("for", "of")), -1)
        noun = words[head]
        if noun.endswith("y") and noun[-2:-1] not in "aeiou":
            noun = noun[:-1] + "ies"
        elif noun.endswith(("s", "x", "ch", "sh")):
            noun += "es"
        else:
            noun += "s"
        words[head] = noun
    return f"{n} {' '.join(words)}"


def _level_label(method: RiskMethod, code: str | None) -> str:
    """A risk level as the risk method names it ("medium" for the level "Medium")."""
    level = method.level_info(code)
    return _lower(level.label) if level is not None else (code or "not assessed")


def _people(session: Session) -> dict[int, Person]:
    return {p.id: p for p in session.scalars(select(Person))}


def _name(people: Mapping[int, Person], person_id: int | None) -> str:
    person = people.get(person_id) if person_id is not None else None
    return person.name if person else ""


def _plural(n: int, word: str, plural: str | None = None) -> str:
    return f"{n} {word if n == 1 else (plural or word + 's')}"


def _review(session: Session, code: str) -> Review:
    review = session.scalars(select(Review).where(Review.code == code)).one_or_none()
    if review is None:
        raise BadArgumentsError(f"there is no management review {code!r}")
    return review


def _previous(session: Session, before: dt.date | None, exclude_id: int | None) -> Review | None:
    """The latest other review held before ``before`` (a draft does not count)."""
    query = select(Review).where(Review.status != "draft", Review.date.is_not(None))
    if before is not None:
        query = query.where(Review.date < before)
    if exclude_id is not None:
        query = query.where(Review.id != exclude_id)
    return session.scalars(query.order_by(Review.date.desc(), Review.id.desc())).first()


def default_period(
    session: Session, meeting: dt.date, exclude_id: int | None = None
) -> tuple[dt.date, dt.date]:
    """From the day after the previous review (or one year back) to the meeting date."""
    previous = _previous(session, meeting, exclude_id)
    if previous is not None and previous.date is not None:
        return previous.date + dt.timedelta(days=1), meeting
    return add_months(meeting, -12) + dt.timedelta(days=1), meeting


def suggested_period(project: Project, meeting: dt.date) -> tuple[dt.date, dt.date]:
    """The period a new review held on ``meeting`` covers by default (``default_period``)."""
    with project.reading() as session:
        return default_period(session, meeting)


def change_log_start(project: Project) -> dt.date | None:
    """The day of the change log's first entry (None for an empty log): the records of an
    earlier day can be read back only from their own dates."""
    with project.reading() as session:
        first = session.scalar(select(func.min(ChangeLog.at)))
    return first.date() if first is not None else None


# --- the records as they stood on a past day ------------------------------------------------

# the tables whose records the inputs read (the change log names rows by table and id)
_AS_OF_TABLES = (
    "actions",
    "audits",
    "context_issues",
    "findings",
    "metrics",
    "nonconformities",
    "objectives",
    "party_requirements",
    "required_trainings",
    "risks",
)


@dataclass
class _AsOf:
    """The records as they stood at the end of ``day``, read back from the change log.

    Each field changed since is given the value it had before its first change after the
    day (the log keeps old and new values), and a record the log shows created after the
    day did not exist yet — if the log reaches back to the day (``covered``). A log that
    begins later tells nothing of that day (a project entered afterwards, corrected since):
    then today's values stand. Events dated on the records themselves (raised, completed,
    verified, signed off) are judged by those dates, which the callers apply on top.
    """

    day: dt.date
    covered: bool = True
    log_start: dt.date | None = None
    olds: dict[tuple[str, int], dict[str, str | None]] | None = None
    created: frozenset[tuple[str, int]] = frozenset()
    deleted: int = 0

    @classmethod
    def read(cls, session: Session, day: dt.date, today: dt.date) -> _AsOf:
        if day >= today:
            return cls(day)
        cutoff = dt.datetime.combine(day + dt.timedelta(days=1), dt.time())
        first = session.scalar(select(func.min(ChangeLog.at)))
        if first is None or first >= cutoff:
            return cls(day, covered=False, log_start=first.date() if first else None)
        rows = session.execute(
            select(
                ChangeLog.table_name,
                ChangeLog.record_id,
                ChangeLog.field,
                ChangeLog.old_value,
                ChangeLog.kind,
            )
            .where(
                ChangeLog.at >= cutoff,
                ChangeLog.table_name.in_(_AS_OF_TABLES),
                ChangeLog.record_id.is_not(None),
            )
            .order_by(ChangeLog.id)
        )
        olds: dict[tuple[str, int], dict[str, str | None]] = {}
        created: set[tuple[str, int]] = set()
        deleted = 0
        for table, record_id, field, old, kind in rows:
            key = (str(table), int(record_id or 0))
            if kind == "created":
                created.add(key)
            elif kind == "deleted":
                deleted += key not in created  # one added and removed since never counted
            elif field:
                olds.setdefault(key, {}).setdefault(str(field), old)
        return cls(
            day,
            log_start=first.date(),
            olds=olds,
            created=frozenset(created),
            deleted=deleted,
        )

    def existed(self, obj: Any) -> bool:
        """Whether the record was in the project on the day, as far as the log tells."""
        return (obj.__table__.name, obj.id) not in self.created

    def value(self, obj: Any, field: str) -> Any:
        """The field's value at the end of the day (today's if not changed since)."""
        current = getattr(obj, field)
        changed = (self.olds or {}).get((obj.__table__.name, obj.id))
        if not changed or field not in changed:
            return current
        stored = changed[field]
        try:
            value = json.loads(stored) if stored is not None else None
        except ValueError:
            return current
        if value is None:
            return None
        kind = obj.__table__.c[field].type.python_type
        try:
            if kind is dt.date:
                return dt.date.fromisoformat(str(value)[:10])
            if kind in (int, float):
                return kind(value)
        except (TypeError, ValueError):
            return current
        return value


# --- compiling the inputs -------------------------------------------------------------------


@dataclass
class _Compiler:
    session: Session
    start: dt.date
    end: dt.date
    review_id: int | None
    previous: Review | None
    compiled_on: dt.date
    today: dt.date

    def __post_init__(self) -> None:
        self.people = _people(self.session)
        self.as_of = min(self.end, self.compiled_on)
        self.past = _AsOf.read(self.session, self.as_of, self.today)

    # the records as they stood on ``as_of`` (statuses by the dates on the records, other
    # values by the change log): a review recorded after its meeting shows what was so then
    def action_status(self, a: Action) -> str:
        status = str(self.past.value(a, "status"))
        if a.completed_on is not None and a.status == "done":
            if a.completed_on <= self.as_of:
                return "done"  # marked done later, but completed by then
            if status == "done":
                progress = self.past.value(a, "progress")
                return "in_progress" if progress else "open"
        return status

    def nc_status(self, nc: Nonconformity) -> str:
        status = str(self.past.value(nc, "status"))
        if nc.verified_on is not None and nc.verified_on > self.as_of and status in CLOSED_NC:
            return "implemented"  # verified later, however the log has it
        return status

    def nc_effective(self, nc: Nonconformity) -> bool | None:
        if nc.verified_on is not None and nc.verified_on > self.as_of:
            return None
        found = self.past.value(nc, "effective")
        return bool(found) if found is not None else None

    def audit_status(self, audit: Audit) -> str:
        status = str(self.past.value(audit, "status"))
        if audit.planned_start is not None and audit.planned_start > self.as_of:
            return "planned" if status in ("in_progress", "completed") else status
        if audit.signed_off_on is not None and audit.signed_off_on > self.as_of:
            return "in_progress" if status == "completed" else status
        return status

    def metric_rows(self, metric: Metric, *, in_period: bool = True) -> list[Measurement]:
        """The metric's measurements of the period (or all) taken by ``as_of``, oldest first."""
        return [
            m
            for m in self.session.scalars(
                select(Measurement)
                .where(Measurement.metric_id == metric.id)
                .order_by(Measurement.date, Measurement.id)
            )
            if (self.happened(m.date) if in_period else m.date <= self.as_of)
        ]

    def metric_status(self, metric: Metric, value: float | None) -> Status:
        return value_status(
            value,
            self.past.value(metric, "target"),
            self.past.value(metric, "threshold"),
            str(self.past.value(metric, "direction")),
        )

    @property
    def limits_on(self) -> dt.date:
        """The day whose targets and thresholds the inputs judge by: ``as_of``, or today
        when the change log does not go back to it."""
        return self.as_of if self.past.covered else self.today

    def overdue(self, due: dt.date | None) -> bool:
        """Due before the day the records are shown as of (an open record due that day is
        not late yet)."""
        return due is not None and due < self.as_of

    def as_of_note(self) -> str:
        """What the inputs show, when they show the records of a day before they were
        compiled; "" when compiled from the records of the day itself."""
        if self.as_of >= self.today:
            return ""
        day = _iso(self.as_of)
        note = (
            f"Read from the project on {_iso(self.today)} as the records stood on {day}: "
            f"events by the dates recorded on them (raised, completed, verified, signed off, "
            f"accepted, measured, trained); statuses, risk levels, progress and targets as "
            f"the project's change log shows them on that day."
        )
        if not self.past.covered:
            since = _iso(self.past.log_start or self.today)
            note = (
                f"Read from the project on {_iso(self.today)}. Events up to {day} are taken "
                f"by the dates recorded on them (raised, completed, verified, signed off, "
                f"accepted, measured, trained). The project's change log begins only on "
                f"{since}, so values without a date of their own (statuses, risk levels, "
                f"progress, targets) are those of {_iso(self.today)}, not necessarily those "
                f"of {day}."
            )
        if self.past.deleted:
            note += (
                f" {_plural(self.past.deleted, 'record')} deleted since {day} "
                f"{'is' if self.past.deleted == 1 else 'are'} not included."
            )
        return note

    def within(self, day: dt.date | dt.datetime | None) -> bool:
        return ri.in_period(_day(day), self.start, self.end)

    def happened(self, day: dt.date | dt.datetime | None) -> bool:
        """An event of the period known when the inputs were compiled: one dated after
        ``compiled_on`` (a backdated compilation, a mistyped date) is not reported yet."""
        return ri.in_period(_day(day), self.start, min(self.end, self.compiled_on))

    # a) status of actions from previous management reviews
    def previous_actions(self) -> tuple[list[Item], str]:
        if self.previous is None:
            return [], (
                "This is the first management review of the ISMS; there are no actions from "
                "earlier reviews."
            )
        earlier = select(Review.id).where(
            Review.date.is_not(None), Review.date <= self.end, Review.id != (self.review_id or -1)
        )
        actions = self.session.scalars(
            select(Action).where(Action.review_id.in_(earlier)).order_by(Action.code)
        )
        items: list[Item] = []
        for a in actions:
            from_previous = a.review_id == self.previous.id
            status = self.action_status(a)
            if not from_previous and status not in OPEN_ACTION:
                continue
            overdue = status in OPEN_ACTION and self.overdue(a.due_date)
            completed = a.completed_on if status == "done" else None
            items.append(
                {
                    "kind": "action",
                    "ref": a.code,
                    "date": _iso(completed or a.due_date),
                    "status": status,
                    "text": f"{self.past.value(a, 'title')} — "
                    f"{_name(self.people, a.owner_id) or 'no owner'}, "
                    f"due {_iso(a.due_date) or 'not set'}: "
                    f"{_lower(_choice(ACTIONS, 'status', status))}"
                    + (" (overdue)" if overdue else ""),
                    "overdue": overdue,
                }
            )
        done = sum(1 for i in items if i["status"] == "done")
        overdue_n = sum(1 for i in items if i["overdue"])
        text = (
            f"Of {_plural(len(items), 'action')} from previous reviews (last review "
            f"{self.previous.code} on {_iso(self.previous.date)}), {done} "
            f"{'is' if done == 1 else 'are'} done and {len(items) - done} still open"
            + (f", {overdue_n} of them overdue." if overdue_n else ".")
        )
        return items, text

    # b, c) changes compared with the previous review's snapshot
    def snapshot(self) -> dict[str, dict[str, str]]:
        was = self.past.value
        issues = {
            i.code: f"{str(was(i, 'kind')).capitalize()} issue "
            f"({_label(str(was(i, 'category') or '')) or 'general'}): {was(i, 'description')}"
            for i in self.session.scalars(select(ContextIssue).order_by(ContextIssue.code))
            if self.past.existed(i)
        }
        parties = {p.id: p.name for p in self.session.scalars(select(InterestedParty))}
        requirements = {
            r.code: f"{parties.get(r.party_id, '?')}: {was(r, 'requirement')}"
            + ("" if was(r, "addressed") is not False else " (not addressed by the ISMS)")
            for r in self.session.scalars(select(PartyRequirement).order_by(PartyRequirement.code))
            if self.past.existed(r)
        }
        return {"context": issues, "requirements": requirements}

    def changes(self, key: str, noun: str, current: Mapping[str, str]) -> tuple[list[Item], str]:
        before: Mapping[str, Any] | None = None
        if self.previous is not None and isinstance(self.previous.inputs, Mapping):
            snap = self.previous.inputs.get("snapshot")
            if isinstance(snap, Mapping) and isinstance(snap.get(key), Mapping):
                before = snap[key]
        if before is None:
            items = [
                {"kind": key, "ref": code, "change": "current", "text": text, "date": ""}
                for code, text in current.items()
            ]
            if not items:
                return items, f"No {noun}s are recorded yet."
            return items, (
                f"No earlier review recorded the {noun}s, so all "
                f"{_plural(len(items), 'current ' + noun)} are listed; confirm they are still "
                f"accurate and note any change management should know of."
            )
        items = []
        for code, text in current.items():
            if code not in before:
                items.append({"kind": key, "ref": code, "change": "added", "text": text})
            elif before[code] != text:
                items.append({"kind": key, "ref": code, "change": "changed", "text": text})
        for code, text in before.items():
            if code not in current:
                items.append({"kind": key, "ref": code, "change": "removed", "text": str(text)})
        for item in items:
            item["date"] = ""
        counts = Counter(i["change"] for i in items)
        if not items:
            return items, f"No {noun}s were added, changed or removed since the previous review."
        parts = [f"{counts[c]} {c}" for c in ("added", "changed", "removed") if counts[c]]
        return items, f"Since the previous review, {noun}s were {', '.join(parts)}."

    # d1) nonconformities and corrective actions
    def nonconformities(self) -> tuple[list[Item], str]:
        items: list[Item] = []
        raised = [
            nc
            for nc in self.session.scalars(select(Nonconformity).order_by(Nonconformity.code))
            if self.happened(nc.raised_on)
        ]
        nc_status = {nc.id: self.nc_status(nc) for nc in raised}
        was = self.past.value
        for nc in raised:
            items.append(
                {
                    "kind": "nonconformity",
                    "ref": nc.code,
                    "date": _iso(nc.raised_on),
                    "status": nc_status[nc.id],
                    "text": f"{_choice(NONCONFORMITIES, 'severity', was(nc, 'severity'))} "
                    f"nonconformity ({_lower(_choice(NONCONFORMITIES, 'source', nc.source))}): "
                    f"{was(nc, 'description')} — "
                    f"{_lower(_choice(NONCONFORMITIES, 'status', nc_status[nc.id]))}",
                }
            )
        corrective = self.session.scalars(
            select(Action)
            .where((Action.nonconformity_id.is_not(None)) | (Action.source == "corrective"))
            .order_by(Action.code)
        )
        actions = [
            a for a in corrective if self.happened(a.completed_on) or self.within(a.due_date)
        ]
        action_status = {a.id: self.action_status(a) for a in actions}
        for a in actions:
            status = action_status[a.id]
            items.append(
                {
                    "kind": "corrective_action",
                    "ref": a.code,
                    "date": _iso(a.completed_on if status == "done" else a.due_date),
                    "status": status,
                    "text": f"{was(a, 'title')} — {_name(self.people, a.owner_id) or 'no owner'}: "
                    f"{_lower(_choice(ACTIONS, 'status', status))}",
                }
            )
        older_open = sum(
            1
            for nc in self.session.scalars(select(Nonconformity))
            if nc.raised_on is not None
            and nc.raised_on < self.start
            and self.nc_status(nc) not in CLOSED_NC
        )
        # every status the rows show, in the order of the corrective-action workflow
        by_status = Counter(nc_status.values())
        order = [*NC_STATUSES, *sorted(set(by_status) - set(NC_STATUSES))]
        statuses = ", ".join(
            f"{by_status[st]} {_lower(_choice(NONCONFORMITIES, 'status', st))}"
            for st in order
            if by_status[st]
        )
        effective = sum(1 for nc in raised if self.nc_effective(nc))
        done = sum(1 for status in action_status.values() if status == "done")
        text = f"{_plural(len(raised), 'nonconformity', 'nonconformities')} raised in the period"
        if raised:
            verified = (
                f"the effectiveness of {effective} verified"
                if effective
                else "the effectiveness of none verified yet"
            )
            text += f" ({statuses}; {verified})"
        text += f"; {_plural(len(actions), 'corrective action')} due or completed, {done} done."
        if older_open:
            text += (
                f" {_plural(older_open, 'nonconformity', 'nonconformities')} raised before "
                f"the period {'is' if older_open == 1 else 'are'} still open."
            )
        return items, text

    # d2) monitoring and measurement results
    def monitoring(self) -> tuple[list[Item], str]:
        items: list[Item] = []
        statuses: Counter[str] = Counter()
        was = self.past.value
        for metric in self.session.scalars(select(Metric).order_by(Metric.code)):
            rows = self.metric_rows(metric)
            if not rows:
                continue
            last = rows[-1]
            s = self.metric_status(metric, last.value)
            statuses[s] += 1
            direction = str(was(metric, "direction"))
            goal = was(metric, "target")
            target = (
                f"target {'≤' if direction == 'lower' else '≥'} {format_value(goal, metric.unit)}"
                if goal is not None
                else "no target"
            )
            items.append(
                {
                    "kind": "metric",
                    "ref": metric.code,
                    "date": _iso(last.date),
                    "status": str(s),
                    "count": len(rows),
                    "first": _iso(rows[0].date),
                    # the limits the status was judged by, for the trend charts: those of
                    # ``limits_on`` (a later day than as_of when the log does not go back)
                    "target": goal,
                    "threshold": was(metric, "threshold"),
                    "direction": direction,
                    "limits_on": _iso(self.limits_on),
                    "text": f"{metric.name}: latest {format_value(last.value, metric.unit)} "
                    f"({target}) — {STATUS_LABELS[s].lower()}, trend "
                    f"{trend([m.value for m in rows], direction)}, "
                    f"{_plural(len(rows), 'measurement')}",
                }
            )
        text = (
            f"{_plural(len(items), 'metric')} measured in the period: "
            f"{statuses[Status.ON_TARGET]} on target, {statuses[Status.WARNING]} below target, "
            f"{statuses[Status.ALERT]} in alert"
            + (
                f", {statuses[Status.NO_TARGET]} without a target."
                if statuses[Status.NO_TARGET]
                else "."
            )
            if items
            else "No metric was measured in the period (9.1)."
        )
        text += " " + self.training_sentence()
        return items, text

    def training_sentence(self) -> str:
        s = self.session
        required = {r.code for r in s.scalars(select(RequiredTraining)) if self.past.existed(r)}
        built = build_matrix(
            training_service._people_facts(s),
            [r for r in training_service._requirements(s) if r.code in required],
            [r for r in training_service._records(s) if r.date <= self.as_of],
            self.as_of,
        )
        if not built.requirements:
            return "No required trainings are defined yet (7.2)."
        return (
            f"Competence and awareness: {built.coverage_percent} % of required trainings held "
            f"and valid; {built.count(Cell.MISSING)} missing, {built.count(Cell.EXPIRED)} "
            f"expired."
        )

    # d3) audit results
    def audits(self) -> tuple[list[Item], str]:
        """The results of the internal audits of the period (9.3.2 d 3), with their findings.

        An audit still to come, or one cancelled, has no results: it is neither counted nor
        listed among them, but named after them, as management should know where the audit
        programme (9.2.2) was not carried out as planned. The status is the one of the day
        the records are shown as of: an audit cancelled after it counts as it stood then.
        """
        items: list[Item] = []
        kinds: Counter[str] = Counter()
        was = self.past.value

        def dated(a: Audit) -> dt.date | None:
            signed = a.signed_off_on if self.happened(a.signed_off_on) else None
            return signed or a.planned_end or a.planned_start

        def findings(a: Audit) -> list[Finding]:
            return [
                f
                for f in self.session.scalars(
                    select(Finding).where(Finding.audit_id == a.id).order_by(Finding.code)
                )
                if self.past.existed(f)
            ]

        audits = [
            a
            for a in self.session.scalars(select(Audit).order_by(Audit.code))
            if self.within(dated(a)) and self.past.existed(a)
        ]
        status = {a.id: self.audit_status(a) for a in audits}
        planned = [a for a in audits if status[a.id] == "planned"]
        cancelled = [a for a in audits if status[a.id] == "cancelled"]
        results = [a for a in audits if a not in planned and a not in cancelled]
        for audit in results:
            recorded = findings(audit)
            count = Counter(str(was(f, "kind")) for f in recorded)
            kinds.update(count)
            summary = ", ".join(
                _plural_label(count[k], _choice(FINDINGS, "kind", k))
                for k in [*FINDING_KINDS, *sorted(set(count) - set(FINDING_KINDS))]
                if count[k]
            )
            audit_summary = str(was(audit, "summary") or "")
            items.append(
                {
                    "kind": "audit",
                    "ref": audit.code,
                    "date": _iso(dated(audit)),
                    "status": status[audit.id],
                    "text": f"{was(audit, 'title')} "
                    f"({_lower(_choice(AUDITS, 'status', status[audit.id]))}): "
                    + (summary or "no findings")
                    + (f". {audit_summary}" if audit_summary else ""),
                }
            )
            for f in recorded:
                kind = str(was(f, "kind"))
                requirement = str(was(f, "requirement") or "")
                items.append(
                    {
                        "kind": "finding",
                        "ref": f.code,
                        "date": "",
                        "status": kind,
                        "text": _choice(FINDINGS, "kind", kind)
                        + (f" ({requirement})" if requirement else "")
                        + f": {was(f, 'description')}",
                    }
                )
        for audit in planned:
            items.append(
                {
                    "kind": "audit",
                    "ref": audit.code,
                    "date": _iso(dated(audit)),
                    "status": "planned",
                    "text": f"{was(audit, 'title')}: planned for {_iso(dated(audit))}, "
                    f"not held yet",
                }
            )
        for audit in cancelled:
            before = len(findings(audit))
            items.append(
                {
                    "kind": "audit",
                    "ref": audit.code,
                    "date": _iso(dated(audit)),
                    "status": "cancelled",
                    "text": f"{was(audit, 'title')}: cancelled, not held "
                    f"(planned for {_iso(dated(audit))})"
                    + (
                        f"; {_plural(before, 'finding')} recorded before it was cancelled, "
                        f"not counted as results"
                        if before
                        else ""
                    ),
                }
            )
        held = [a for a in results if status[a.id] in ("in_progress", "completed")]
        if not held:
            text = "No internal audit took place in the period."
        else:
            found = [_plural_label(kinds[k], _choice(FINDINGS, "kind", k)) for k in FINDING_KINDS]
            text = (
                f"{_plural(len(held), 'internal audit')} in the period, with "
                f"{', '.join(found[:-1])} and {found[-1]}."
            )
        if planned:
            # an audit still to come is not a result: said apart, with its date
            text += " " + (
                f"{_plural(len(planned), 'audit')} {'is' if len(planned) == 1 else 'are'} "
                f"planned: " + ", ".join(f"{a.code} on {_iso(dated(a))}" for a in planned) + "."
            )
        if cancelled:
            text += " " + (
                f"{_plural(len(cancelled), 'audit')} of the audit programme "
                f"{'was' if len(cancelled) == 1 else 'were'} cancelled and not held: "
                + ", ".join(f"{a.code} (planned for {_iso(dated(a))})" for a in cancelled)
                + "."
            )
        return items, text

    # d4) fulfilment of objectives
    def objectives(self) -> tuple[list[Item], str]:
        items: list[Item] = []
        was = self.past.value
        links: dict[int, list[Metric]] = {}
        for objective_id, metric in self.session.execute(
            select(ObjectiveMetric.objective_id, Metric)
            .join(Metric, Metric.id == ObjectiveMetric.metric_id)
            .order_by(Metric.code)
        ):
            links.setdefault(objective_id, []).append(metric)
        rows = [
            o
            for o in self.session.scalars(select(Objective).order_by(Objective.code))
            if self.past.existed(o)
        ]
        count: Counter[str] = Counter()
        for o in rows:
            status = str(was(o, "status"))
            count[status] += 1
            progress = was(o, "progress")
            target = str(was(o, "target") or "")
            due = was(o, "due_date")
            overdue = self.overdue(due) and status in objectives_service.OPEN_STATUSES
            metrics = links.get(o.id, [])
            on_target = 0
            for metric in metrics:
                measured = self.metric_rows(metric, in_period=False)
                value = measured[-1].value if measured else None
                on_target += self.metric_status(metric, value) is Status.ON_TARGET
            items.append(
                {
                    "kind": "objective",
                    "ref": o.code,
                    "date": _iso(due),
                    "status": status,
                    "text": f"{was(o, 'objective')} — "
                    f"{_lower(_choice(OBJECTIVES, 'status', status))}"
                    + (f", {progress} %" if progress is not None else "")
                    + (f", target {target}" if target else "")
                    + (f"; metrics on target {on_target}/{len(metrics)}" if metrics else "")
                    + (" (overdue)" if overdue else ""),
                }
            )
        if not rows:
            return items, "No information security objectives are recorded yet (6.2)."
        order = ("achieved", "on_track", "at_risk", "missed", "planned")
        statuses = ", ".join(
            f"{count[st]} {_lower(_choice(OBJECTIVES, 'status', st))}"
            for st in [*order, *sorted(set(count) - set(order))]
            if count[st]
        )
        return items, f"{_plural(len(rows), 'objective')}: {statuses}."

    # e) feedback from interested parties
    def feedback(self) -> tuple[list[Item], str]:
        items: list[Item] = []
        for nc in self.session.scalars(
            select(Nonconformity)
            .where(Nonconformity.source == "complaint")
            .order_by(Nonconformity.code)
        ):
            if self.happened(nc.raised_on):
                status = self.nc_status(nc)
                items.append(
                    {
                        "kind": "complaint",
                        "ref": nc.code,
                        "date": _iso(nc.raised_on),
                        "status": status,
                        "text": f"Complaint: {self.past.value(nc, 'description')} — "
                        f"{_lower(_choice(NONCONFORMITIES, 'status', status))}",
                    }
                )
        open_requirements = [
            r
            for r in self.session.scalars(select(PartyRequirement))
            if self.past.existed(r) and self.past.value(r, "addressed") is False
        ]
        text = (
            f"{_plural(len(items), 'complaint')} recorded in the period."
            if items
            else "No complaints were recorded in the period."
        )
        if open_requirements:
            text += (
                f" {_plural(len(open_requirements), 'requirement')} of interested parties "
                f"{'is' if len(open_requirements) == 1 else 'are'} not addressed by the ISMS."
            )
        text += " Add other feedback received (client questionnaires, regulator, insurer)."
        return items, text

    # f) risk assessment and risk treatment
    def risks(self) -> tuple[list[Item], str]:
        items: list[Item] = []
        method = method_in(self.session)
        acceptance_rank = method.rank(method.acceptance_level)
        was = self.past.value
        risks = [
            r
            for r in self.session.scalars(select(Risk).order_by(Risk.code))
            if self.past.existed(r)
        ]
        residual = {r.id: was(r, "residual_level") for r in risks}
        levels = Counter(
            method.level_info(residual[r.id] or was(r, "inherent_level")) for r in risks
        )
        above = [
            r
            for r in risks
            if acceptance_rank >= 0 and method.rank(residual[r.id]) > acceptance_rank
        ]
        for r in risks:
            if self.happened(r.accepted_on):
                items.append(
                    {
                        "kind": "risk_accepted",
                        "ref": r.code,
                        "date": _iso(r.accepted_on),
                        "status": was(r, "status"),
                        "text": f"Accepted by {_name(self.people, r.accepted_by_id) or '?'}: "
                        f"{was(r, 'title')} (residual {_level_label(method, residual[r.id])})",
                    }
                )
        treatment = [
            a
            for a in self.session.scalars(
                select(Action).where(Action.source == "treatment").order_by(Action.code)
            )
            if self.past.existed(a)
        ]
        status = {a.id: self.action_status(a) for a in treatment}
        completed = [
            a for a in treatment if status[a.id] == "done" and self.happened(a.completed_on)
        ]
        overdue = [a for a in treatment if status[a.id] in OPEN_ACTION and self.overdue(a.due_date)]
        for a in completed:
            items.append(
                {
                    "kind": "treatment_done",
                    "ref": a.code,
                    "date": _iso(a.completed_on),
                    "status": status[a.id],
                    "text": f"Completed: {was(a, 'title')}",
                }
            )
        for a in overdue:
            items.append(
                {
                    "kind": "treatment_overdue",
                    "ref": a.code,
                    "date": _iso(a.due_date),
                    "status": status[a.id],
                    "text": f"Overdue since {_iso(a.due_date)}: {was(a, 'title')} "
                    f"({_name(self.people, a.owner_id) or 'no owner'})",
                }
            )
        spread = ", ".join(
            f"{levels[lv]} {lv.label.lower()}" for lv in reversed(method.levels) if levels[lv]
        )
        if levels[None]:
            spread += f"{', ' if spread else ''}{levels[None]} not assessed"
        open_n = sum(1 for a in treatment if status[a.id] in OPEN_ACTION)
        text = (
            f"{_plural(len(risks), 'risk')} assessed (residual: {spread or 'none'}); "
            f"{len(above)} above the acceptance level. Risk treatment plan: "
            f"{len(completed)} of its actions completed in the period, {open_n} open, "
            f"{len(overdue)} overdue."
        )
        return items, text

    # g) opportunities for continual improvement
    def improvements(self, audit_items: Iterable[Item]) -> tuple[list[Item], str]:
        items: list[Item] = []
        audit_refs = {i["ref"] for i in audit_items if i["kind"] == "finding"}
        was = self.past.value
        for f in self.session.scalars(
            select(Finding).where(Finding.code.in_(audit_refs)).order_by(Finding.code)
        ):
            kind = str(was(f, "kind"))
            if kind in ("ofi", "observation"):
                items.append(
                    {
                        "kind": "finding",
                        "ref": f.code,
                        "date": "",
                        "status": kind,
                        "text": f"{_choice(FINDINGS, 'kind', kind)}: {was(f, 'description')}",
                    }
                )
        for inc in self.session.scalars(select(Incident).order_by(Incident.code)):
            if self.happened(inc.detected_at or inc.occurred_at):
                lesson = inc.lessons_learned.strip() or "no lessons learned recorded yet"
                items.append(
                    {
                        "kind": "incident",
                        "ref": inc.code,
                        "date": _iso(inc.detected_at or inc.occurred_at),
                        "status": inc.status,
                        "text": f"Incident {inc.title} "
                        f"({_lower(_choice(INCIDENTS, 'severity', inc.severity))}): {lesson}",
                    }
                )
        text = (
            f"{_plural(len(items), 'opportunity', 'opportunities')} from audit findings and "
            f"incident lessons in the period; management decides which to pursue (9.3.3)."
        )
        return items, text

    def compile(self) -> dict[str, Any]:
        snapshot = self.snapshot()
        sections: dict[str, tuple[list[Item], str]] = {
            "a": self.previous_actions(),
            "b": self.changes("context", "issue", snapshot["context"]),
            "c": self.changes(
                "requirements", "interested party requirement", snapshot["requirements"]
            ),
            "d1": self.nonconformities(),
            "d2": self.monitoring(),
            "d3": self.audits(),
            "d4": self.objectives(),
            "e": self.feedback(),
            "f": self.risks(),
        }
        sections["g"] = self.improvements(sections["d3"][0])
        return {
            "version": ri.INPUTS_VERSION,
            "period": {"start": _iso(self.start), "end": _iso(self.end)},
            "previous": self.previous.code if self.previous else "",
            "compiled_on": _iso(self.compiled_on),
            # the day whose records the inputs show, and the day they were read from the
            # project (later, for a review recorded after its meeting)
            "as_of": _iso(self.as_of),
            "read_on": _iso(self.today),
            "as_of_note": self.as_of_note(),
            "sections": {
                key: {"items": items, "text": text, "generated": text, "confirmed": False}
                for key, (items, text) in sections.items()
            },
            "snapshot": snapshot,
        }


def compile_inputs_in(
    session: Session,
    start: dt.date,
    end: dt.date,
    *,
    review_id: int | None = None,
    on: dt.date | None = None,
) -> dict[str, Any]:
    """The inputs compiled ``on`` a day (default today): a review prepared before its
    meeting, or one recorded afterwards, states when its inputs were compiled."""
    if end < start:
        raise RejectedInputError(
            f"the review period ends ({end.isoformat()}) before it starts ({start.isoformat()})"
        )
    today = dt.date.today()
    compiled_on = on or today
    if compiled_on > today:
        raise RejectedInputError(
            f"inputs cannot be compiled on {compiled_on.isoformat()}, a day still to come"
        )
    previous = _previous(session, start, review_id)
    return _Compiler(session, start, end, review_id, previous, compiled_on, today).compile()


def compile_inputs(
    project: Project, start: dt.date, end: dt.date, *, on: dt.date | None = None
) -> dict[str, Any]:
    """The inputs of 9.3.2 a–g from the records dated from ``start`` to ``end``, as
    compiled ``on`` a day (default today)."""
    with project.reading() as session:
        return compile_inputs_in(session, start, end, on=on)


# --- the review record ----------------------------------------------------------------------


@dataclass(frozen=True)
class ReviewAction:
    code: str
    title: str
    description: str
    owner: str
    owner_code: str
    due_date: dt.date | None
    status: str
    completed_on: dt.date | None


@dataclass(frozen=True)
class ReviewDetail:
    code: str
    title: str
    date: dt.date | None
    period_start: dt.date | None
    period_end: dt.date | None
    chair: str
    chair_code: str
    attendees: str
    minutes: str
    decisions: str
    status: str
    inputs: dict[str, Any]
    actions: tuple[ReviewAction, ...]
    completeness_percent: int
    closing_problems: tuple[str, ...]

    @property
    def inputs_period(self) -> tuple[dt.date | None, dt.date | None] | None:
        """The period the inputs were compiled for (None before they were compiled)."""
        period = self.inputs.get("period")
        if not isinstance(period, dict):
            return None
        return _parsed_day(period.get("start")), _parsed_day(period.get("end"))

    @property
    def period_changed(self) -> bool:
        """The review's period was changed (in the register) after its inputs were compiled:
        they speak of another period until they are compiled again."""
        compiled = self.inputs_period
        return compiled is not None and compiled != (self.period_start, self.period_end)


def _parsed_day(text: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(text)) if text else None
    except ValueError:
        return None


def _detail_in(session: Session, review: Review) -> ReviewDetail:
    people = _people(session)
    chair = people.get(review.chair_id) if review.chair_id is not None else None
    actions = tuple(
        ReviewAction(
            a.code,
            a.title,
            a.description,
            _name(people, a.owner_id),
            people[a.owner_id].code if a.owner_id in people else "",
            a.due_date,
            a.status,
            a.completed_on,
        )
        for a in session.scalars(
            select(Action).where(Action.review_id == review.id).order_by(Action.code)
        )
    )
    inputs = dict(review.inputs or {})
    values = {
        "date": review.date,
        "chair": chair.code if chair else "",
        "attendees": review.attendees,
        "decisions": review.decisions,
    }
    return ReviewDetail(
        code=review.code,
        title=review.title,
        date=review.date,
        period_start=review.period_start,
        period_end=review.period_end,
        chair=chair.name if chair else "",
        chair_code=chair.code if chair else "",
        attendees=review.attendees,
        minutes=review.minutes,
        decisions=review.decisions,
        status=review.status,
        inputs=inputs,
        actions=actions,
        completeness_percent=ri.completeness_percent(inputs),
        closing_problems=tuple(ri.closing_problems(values, inputs)),
    )


def detail(project: Project, code: str) -> ReviewDetail:
    with project.reading() as session:
        return _detail_in(session, _review(session, code))


def _person_id(session: Session, code: str | None) -> int | None:
    if not code:
        return None
    person = session.scalars(select(Person).where(Person.code == code)).one_or_none()
    if person is None:
        raise BadArgumentsError(f"there is no person {code!r}")
    return person.id


def create_review(
    project: Project,
    title: str,
    meeting: dt.date,
    *,
    period_start: dt.date | None = None,
    period_end: dt.date | None = None,
    chair: str | None = None,
    attendees: str = "",
    compiled_on: dt.date | None = None,
) -> ReviewDetail:
    """A new draft review whose inputs are compiled from the project's records, on
    ``compiled_on`` (default today; a review recorded after it was prepared gives the day
    its inputs were compiled, on or before the meeting)."""
    if not title.strip():
        raise RejectedInputError("a management review needs a title")
    with project.transaction() as session:
        start, end = default_period(session, meeting)
        start = period_start or start
        end = period_end or end
        existing = list(session.scalars(select(Review.code)))
        review = Review(
            code=next_code(REVIEWS.code_prefix, existing),
            title=title.strip(),
            date=meeting,
            period_start=start,
            period_end=end,
            chair_id=_person_id(session, chair),
            attendees=attendees.strip(),
            status="draft",
            inputs={},
        )
        session.add(review)
        session.flush()
        review.inputs = compile_inputs_in(session, start, end, review_id=review.id, on=compiled_on)
        session.flush()
        return _detail_in(session, review)


def _editable(review: Review) -> None:
    if review.status == "closed":
        raise BadArgumentsError(f"{review.code} is closed; its record can no longer be changed")


def _compiled_again(
    session: Session, review: Review, start: dt.date, end: dt.date, *, keep_confirmed: bool
) -> dict[str, Any]:
    """The inputs compiled today, replacing the compilation the review holds.

    The inputs compiled are the record of the day they were compiled (the records' states
    then, in the items' texts and statuses); compiling again is the user's explicit step and
    reads the records as they are today. The compilations it replaced are listed, oldest
    first, under ``replaced`` (day and period), so the minutes can say so.
    """
    old = review.inputs if isinstance(review.inputs, Mapping) else {}
    fresh = compile_inputs_in(session, start, end, review_id=review.id)
    replaced = [dict(r) for r in old.get("replaced") or () if isinstance(r, Mapping)]
    if old.get("compiled_on"):
        replaced.append({"compiled_on": old["compiled_on"], "period": old.get("period") or {}})
    fresh["replaced"] = replaced
    sections = old.get("sections")
    if keep_confirmed and isinstance(sections, Mapping):
        for key, entry in fresh["sections"].items():
            before = sections.get(key)
            if isinstance(before, Mapping) and before.get("confirmed"):
                entry["text"] = before.get("text", entry["text"])
                entry["confirmed"] = True
    return fresh


def recompile(project: Project, code: str) -> ReviewDetail:
    """Compile the inputs again, today, from the records as they are now (records changed
    since): this replaces the earlier compilation, which ``replaced`` notes. Texts the
    officer confirmed are kept."""
    with project.transaction() as session:
        review = _review(session, code)
        _editable(review)
        start, end = default_period(session, review.date or dt.date.today(), review.id)
        review.inputs = _compiled_again(
            session,
            review,
            review.period_start or start,
            review.period_end or end,
            keep_confirmed=True,
        )
        session.flush()
        return _detail_in(session, review)


def set_input(project: Project, code: str, key: str, text: str, *, confirmed: bool = True) -> str:
    """Save the officer's text of one input (a–g); returns the previous text (for undo)."""
    ri.section(key)
    with project.transaction() as session:
        review = _review(session, code)
        _editable(review)
        inputs = dict(review.inputs or {})
        sections = dict(inputs.get("sections") or {})
        entry = dict(sections.get(key) or {"items": [], "generated": ""})
        old = str(entry.get("text") or "")
        entry["text"] = text
        entry["confirmed"] = confirmed
        sections[key] = entry
        inputs["sections"] = sections
        review.inputs = inputs  # a new object, so the JSON column is written
    return old


def set_period(project: Project, code: str, start: dt.date, end: dt.date) -> ReviewDetail:
    """Change the review period and compile the inputs for it, today (as ``recompile``,
    which it replaces, noted under ``replaced``); the texts of the old period are drafted
    again for the new one."""
    with project.transaction() as session:
        review = _review(session, code)
        _editable(review)
        review.period_start, review.period_end = start, end
        review.inputs = _compiled_again(session, review, start, end, keep_confirmed=False)
        session.flush()
        return _detail_in(session, review)


def add_action(
    project: Project,
    code: str,
    title: str,
    *,
    owner: str | None = None,
    due_date: dt.date | None = None,
    description: str = "",
) -> str:
    """Record a decision's action (9.3.3) in the unified action list; returns its code."""
    if not title.strip():
        raise RejectedInputError("an action needs a title")
    with project.transaction() as session:
        review = _review(session, code)
        _editable(review)  # a closed review's decisions are its record (the page's button too)
        if due_date is not None and review.date is not None and due_date < review.date:
            raise RejectedInputError(
                f"the action is due on {due_date.isoformat()}, before the meeting of "
                f"{review.date.isoformat()} that decides it; give a later due date"
            )
        existing = list(
            session.scalars(select(Action.code).where(Action.code.like(f"{ACTIONS.code_prefix}%")))
        )
        action = Action(
            code=next_code(ACTIONS.code_prefix, existing),
            source="review",
            title=title.strip(),
            description=description.strip(),
            owner_id=_person_id(session, owner),
            due_date=due_date,
            status="open",
            review_id=review.id,
        )
        session.add(action)
        # flushed here, so the audit trail logs the new action (it logs the records a
        # transaction created only when they were flushed before its commit)
        session.flush()
        return action.code


def hold(project: Project, code: str) -> ReviewDetail:
    """Mark the meeting as held (inputs may still be completed afterwards)."""
    with project.transaction() as session:
        review = _review(session, code)
        _editable(review)
        review.status = "held"
        return _detail_in(session, review)


def close(project: Project, code: str) -> ReviewDetail:
    """Close the review record; refused (with every reason) while it is incomplete."""
    with project.transaction() as session:
        review = _review(session, code)
        found = _detail_in(session, review)
        if found.closing_problems:
            raise RejectedInputError(
                f"{code} cannot be closed yet: " + "; ".join(found.closing_problems)
            )
        review.status = "closed"
        return _detail_in(session, review)


# --- minutes ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class MinutesSection:
    key: str
    clause: str
    title: str
    text: str
    items: tuple[dict[str, Any], ...]


@dataclass(frozen=True)
class Minutes:
    organisation: str
    review: ReviewDetail
    sections: tuple[MinutesSection, ...]
    metric_codes: tuple[str, ...]  # metrics measured in the period (trend charts)


def minutes(project: Project, code: str) -> Minutes:
    """What the minutes of a review print: header, inputs a–g, decisions, actions."""
    with project.reading() as session:
        review = _review(session, code)
        found = _detail_in(session, review)
        organisation = session.scalars(select(ProjectRow.organisation)).first() or ""
    sections = tuple(
        MinutesSection(
            s.key,
            s.clause,
            s.title,
            ri.section_text(found.inputs, s.key),
            tuple(ri.section_items(found.inputs, s.key)),
        )
        for s in ri.SECTIONS
    )
    metric_codes = tuple(
        str(i["ref"]) for i in ri.section_items(found.inputs, "d2") if i.get("kind") == "metric"
    )
    return Minutes(organisation, found, sections, metric_codes)


# --- the trend charts of 9.3.2 d 2 --------------------------------------------------------------


@dataclass(frozen=True)
class ReviewTrends:
    """The trend of each metric a review's input 9.3.2 d 2 reports, as the review's page
    and PDF draw it: the measurements the input counts (its first to its latest), with the
    target, alert threshold and direction as they stood on ``as_of``, the day whose
    records the inputs show (so each chart agrees with the status the input gives).

    ``note`` says what the charts show: the limits of ``as_of``, or, where the project's
    change log does not go back to that day, those of a later day (a caveat).
    """

    series: tuple[MetricSeries, ...]
    as_of: dt.date | None
    note: str


def _number(value: Any) -> float | None:
    try:
        return float(value) if value is not None and value != "" else None
    except (TypeError, ValueError):
        return None


def metric_trends(project: Project, inputs: Mapping[str, Any]) -> ReviewTrends:
    """The trend charts of a review's compiled ``inputs`` (see ``ReviewTrends``).

    Inputs compiled since the limits are kept give the limits they judged by; older ones
    are read back from the change log as of their day, as the other values were. A metric
    deleted since is left out.
    """
    items = [i for i in ri.section_items(inputs, "d2") if i.get("kind") == "metric"]
    found = ri.compiled(inputs)
    period = inputs.get("period") if isinstance(inputs, Mapping) else None
    day = (
        found.as_of
        or found.compiled_on
        or (_parsed_day(period.get("end")) if isinstance(period, Mapping) else None)
    )
    today = dt.date.today()
    drawn: list[MetricSeries] = []
    limits_days: set[dt.date] = set()
    with project.reading() as session:
        past: _AsOf | None = None
        for item in items:
            metric = session.scalars(
                select(Metric).where(Metric.code == str(item.get("ref")))
            ).one_or_none()
            if metric is None:
                continue  # deleted since
            first, last = _parsed_day(item.get("first")), _parsed_day(item.get("date"))
            rows = session.scalars(
                select(Measurement)
                .where(Measurement.metric_id == metric.id)
                .order_by(Measurement.date, Measurement.id)
            )
            points = [
                m
                for m in rows
                if (first is None or m.date >= first) and (last is None or m.date <= last)
            ]
            if "target" in item:  # kept when compiled
                target, threshold = _number(item.get("target")), _number(item.get("threshold"))
                direction = str(item.get("direction") or metric.direction)
                limits_on = _parsed_day(item.get("limits_on")) or found.read_on or today
            else:  # compiled before the limits were kept: read back now
                if past is None:
                    past = _AsOf.read(session, day or today, today)
                target = _number(past.value(metric, "target"))
                threshold = _number(past.value(metric, "threshold"))
                direction = str(past.value(metric, "direction"))
                limits_on = (day or today) if past.covered else today
            limits_days.add(limits_on)
            drawn.append(
                MetricSeries(
                    code=metric.code,
                    name=metric.name,
                    unit=metric.unit,
                    direction=direction,
                    frequency=metric.frequency,
                    target=target,
                    threshold=threshold,
                    points=tuple(Point(m.date, m.value) for m in points),
                    notes=tuple(m.note for m in points),
                )
            )
    return ReviewTrends(tuple(drawn), day, _trends_note(day, limits_days))


def _trends_note(day: dt.date | None, limits_days: set[dt.date]) -> str:
    if not limits_days:
        return ""
    later = sorted(d for d in limits_days if day is None or d > day)
    if not later:
        return (
            "Trend of each metric over the measurements reported above, with the target "
            f"and alert threshold as they stood on {_iso(day)}."
        )
    if day is None:
        return (
            "Trend of each metric over the measurements reported above; the target and "
            f"alert threshold are those recorded on {_iso(later[-1])}."
        )
    return (
        "Trend of each metric over the measurements reported above. The project's change "
        f"log does not go back to {_iso(day)}, so the target and alert threshold drawn are "
        f"those recorded on {_iso(later[0])}, not necessarily those of {_iso(day)}."
    )

"""Internal audit use cases (9.2): the programme, checklists, results, findings, templates.

Audits themselves are records of the ``audits`` register; this module adds what the generic
register services cannot: generating an audit's checklist from the catalogue and the SoA,
recording results item by item, raising findings, the programme's coverage, templates.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import mimetypes
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from isms_desktop.domain.audit_checklist import (
    FINDING_RESULTS,
    RESULT_LABELS,
    RESULTS,
    ChecklistQuestion,
    ClauseQuestions,
    ControlInfo,
    generate_checklist,
    parse_result,
    template_items,
)
from isms_desktop.domain.audit_programme import (
    AuditScope,
    AuditTransitionError,
    Coverage,
    check_audit_transition,
    coverage,
    cycle_bounds,
)
from isms_desktop.domain.errors import BadArgumentsError
from isms_desktop.domain.fields import next_code
from isms_desktop.domain.filenames import safe_filename
from isms_desktop.services import registers
from isms_desktop.storage.blobs import write_blob
from isms_desktop.storage.lock import current_user
from isms_desktop.storage.models import (
    Attachment,
    Audit,
    ChecklistItem,
    ChecklistTemplate,
    Clause,
    ClauseRequirement,
    Control,
    Finding,
    Nonconformity,
    Person,
    SoaEntry,
)
from isms_desktop.storage.project_file import Project

ITEM_REGISTER = "checklist_items"  # owner_register of evidence attached to checklist items


@dataclass(frozen=True)
class ChecklistEntry:
    id: int
    position: int
    ref: str
    question: str
    result: str
    notes: str
    evidence_seen: str
    interviewees: str
    attachments: int = 0
    finding: str = ""

    @property
    def result_label(self) -> str:
        return RESULT_LABELS.get(self.result, "")


@dataclass(frozen=True)
class AuditSummary:
    code: str
    title: str
    status: str
    planned_start: dt.date | None
    planned_end: dt.date | None
    lead_auditor: str
    auditors: str
    independence: str
    criteria: str
    clauses: tuple[str, ...]
    controls: tuple[str, ...]
    processes: tuple[str, ...]
    sites: str
    summary: str
    signed_off_by: str
    signed_off_on: dt.date | None
    items: int = 0
    answered: int = 0
    results: Mapping[str, int] = field(default_factory=dict)

    @property
    def unanswered(self) -> int:
        return self.items - self.answered


@dataclass(frozen=True)
class Programme:
    start: dt.date
    end: dt.date
    audits: tuple[AuditSummary, ...]
    coverage: Coverage


# --- reading ---------------------------------------------------------------------------


def _audit(session: Session, code: str) -> Audit:
    found = session.scalars(select(Audit).where(Audit.code == code.strip())).one_or_none()
    if found is None:
        raise BadArgumentsError(f"audits: there is no audit {code}")
    return found


def _summary(session: Session, audit: Audit) -> AuditSummary:
    counts: dict[str, int] = {}
    stmt = (
        select(ChecklistItem.result, func.count())
        .where(ChecklistItem.audit_id == audit.id)
        .group_by(ChecklistItem.result)
    )
    for result, n in session.execute(stmt):
        counts[str(result or "")] = int(n)
    lead = session.get(Person, audit.lead_auditor_id) if audit.lead_auditor_id else None
    items = sum(counts.values())
    return AuditSummary(
        code=audit.code,
        title=audit.title,
        status=audit.status,
        planned_start=audit.planned_start,
        planned_end=audit.planned_end,
        lead_auditor=lead.name if lead else "",
        auditors=audit.auditors,
        independence=audit.independence,
        criteria=audit.criteria,
        clauses=tuple(audit.clauses or ()),
        controls=tuple(audit.controls or ()),
        processes=tuple(audit.processes or ()),
        sites=audit.sites,
        summary=audit.summary,
        signed_off_by=audit.signed_off_by,
        signed_off_on=audit.signed_off_on,
        items=items,
        answered=items - counts.get("", 0),
        results={k: v for k, v in counts.items() if k},
    )


def audit(project: Project, code: str) -> AuditSummary:
    with project.reading() as session:
        return _summary(session, _audit(session, code))


def audits(project: Project) -> list[AuditSummary]:
    """Every audit of the programme, by planned start (unplanned last)."""
    with project.reading() as session:
        rows = session.scalars(
            select(Audit).order_by(Audit.planned_start.is_(None), Audit.planned_start, Audit.code)
        ).all()
        return [_summary(session, a) for a in rows]


def _entries(session: Session, audit_id: int) -> list[ChecklistEntry]:
    items = session.scalars(
        select(ChecklistItem)
        .where(ChecklistItem.audit_id == audit_id)
        .order_by(ChecklistItem.position, ChecklistItem.id)
    ).all()
    ids = [i.id for i in items]
    attached: dict[int, int] = {}
    findings: dict[int, str] = {}
    if ids:
        stmt = (
            select(Attachment.owner_id, func.count())
            .where(Attachment.owner_register == ITEM_REGISTER, Attachment.owner_id.in_(ids))
            .group_by(Attachment.owner_id)
        )
        attached = {int(i): int(n) for i, n in session.execute(stmt)}
        stmt2 = select(Finding.checklist_item_id, Finding.code).where(
            Finding.checklist_item_id.in_(ids)
        )
        findings = {int(i): str(c) for i, c in session.execute(stmt2) if i is not None}
    return [_entry(i, attached.get(i.id, 0), findings.get(i.id, "")) for i in items]


def _entry(item: ChecklistItem, attachments: int = 0, finding: str = "") -> ChecklistEntry:
    return ChecklistEntry(
        id=item.id,
        position=item.position,
        ref=item.ref,
        question=item.question,
        result=item.result or "",
        notes=item.notes or "",
        evidence_seen=item.evidence_seen or "",
        interviewees=item.interviewees or "",
        attachments=attachments,
        finding=finding,
    )


def checklist(project: Project, code: str) -> list[ChecklistEntry]:
    """The audit's checklist in order, with what has been recorded so far."""
    with project.reading() as session:
        return _entries(session, _audit(session, code).id)


# --- checklist generation --------------------------------------------------------------


def _catalogue_questions(session: Session) -> list[ClauseQuestions]:
    rows = session.scalars(
        select(ClauseRequirement).order_by(ClauseRequirement.sort_key, ClauseRequirement.id)
    ).all()
    return [
        ClauseQuestions(r.ref, r.clause, r.summary, tuple(r.audit_questions or ())) for r in rows
    ]


def _control_infos(session: Session) -> list[ControlInfo]:
    stmt = (
        select(Control.number, Control.title, SoaEntry.applicable, SoaEntry.implementation)
        .outerjoin(SoaEntry, SoaEntry.control_id == Control.id)
        .order_by(Control.sort_key, Control.number)
    )
    return [
        ControlInfo(str(n), str(t), a, str(impl or "")) for n, t, a, impl in session.execute(stmt)
    ]


def proposed_checklist(
    project: Project, clauses: Sequence[str], controls: Sequence[str]
) -> list[ChecklistQuestion]:
    """The checklist that a scope of clauses and controls would get (a preview)."""
    with project.reading() as session:
        return generate_checklist(
            _catalogue_questions(session), _control_infos(session), clauses, controls
        )


def _write_items(session: Session, audit: Audit, items: Sequence[ChecklistQuestion]) -> int:
    start = session.scalar(
        select(func.coalesce(func.max(ChecklistItem.position), 0)).where(
            ChecklistItem.audit_id == audit.id
        )
    )
    for offset, item in enumerate(items, start=1):
        session.add(
            ChecklistItem(
                audit_id=audit.id,
                position=int(start or 0) + offset,
                ref=item.ref,
                question=item.question,
            )
        )
    return len(items)


def generate(
    project: Project, code: str, *, template: str | None = None, replace: bool = False
) -> int:
    """Fill the audit's checklist from its scope (or a saved template); returns the count.

    An audit whose checklist already has answers is never overwritten: ``replace`` only
    replaces a checklist nobody has worked on yet.
    """
    with project.transaction() as session:
        audit_row = _audit(session, code)
        existing = session.scalars(
            select(ChecklistItem).where(ChecklistItem.audit_id == audit_row.id)
        ).all()
        if existing:
            answered = [i for i in existing if i.result or i.notes or i.evidence_seen]
            if not replace or answered:
                raise BadArgumentsError(
                    f"{code} already has a checklist"
                    + (f" with {len(answered)} answered item(s)" if answered else "")
                    + "; add or remove single items instead"
                )
            session.execute(delete(ChecklistItem).where(ChecklistItem.audit_id == audit_row.id))
        if template:
            items = _template_items(session, template)
        else:
            items = generate_checklist(
                _catalogue_questions(session),
                _control_infos(session),
                audit_row.clauses or [],
                audit_row.controls or [],
            )
        return _write_items(session, audit_row, items)


def create_audit(
    project: Project, values: Mapping[str, Any], *, template: str | None = None
) -> str:
    """Plan an audit (a record of the ``audits`` register) and generate its checklist."""
    values = dict(values)
    if not values.get("status"):
        values["status"] = "planned"
    change = registers.create(project, "audits", values)
    generate(project, change.code, template=template)
    return change.code


# --- working through the checklist -----------------------------------------------------


def record_item(
    project: Project,
    item_id: int,
    *,
    result: str | None = None,
    notes: str | None = None,
    evidence_seen: str | None = None,
    interviewees: str | None = None,
) -> ChecklistEntry:
    """Record what the auditor found for one item (only the given parts change)."""
    if result is not None:
        try:
            result = parse_result(result)
        except ValueError as exc:
            raise BadArgumentsError(str(exc)) from None
    with project.transaction() as session:
        item = session.get(ChecklistItem, item_id)
        if item is None:
            raise BadArgumentsError(f"checklist item {item_id} no longer exists")
        audit_row = session.get(Audit, item.audit_id)
        if audit_row is not None and audit_row.status in ("completed", "cancelled"):
            raise BadArgumentsError(
                f"{audit_row.code} is {audit_row.status}; its checklist can no longer change"
            )
        if result is not None:
            item.result = result
        if notes is not None:
            item.notes = notes
        if evidence_seen is not None:
            item.evidence_seen = evidence_seen
        if interviewees is not None:
            item.interviewees = interviewees
        if audit_row is not None and audit_row.status == "planned" and item.result:
            audit_row.status = "in_progress"  # the first answer starts the audit
        session.flush()
        return _entries_one(session, item)


def _entries_one(session: Session, item: ChecklistItem) -> ChecklistEntry:
    attached = session.scalar(
        select(func.count())
        .select_from(Attachment)
        .where(Attachment.owner_register == ITEM_REGISTER, Attachment.owner_id == item.id)
    )
    finding = session.scalar(select(Finding.code).where(Finding.checklist_item_id == item.id))
    return _entry(item, int(attached or 0), str(finding or ""))


def add_item(project: Project, code: str, ref: str, question: str) -> ChecklistEntry:
    if not question.strip():
        raise BadArgumentsError("a checklist item needs a question")
    with project.transaction() as session:
        audit_row = _audit(session, code)
        _write_items(session, audit_row, [ChecklistQuestion(ref.strip(), question.strip())])
        session.flush()
        return _entries(session, audit_row.id)[-1]


def remove_item(project: Project, item_id: int) -> None:
    with project.transaction() as session:
        item = session.get(ChecklistItem, item_id)
        if item is not None:
            session.delete(item)


def attach_evidence(project: Project, item_id: int, source: Path, note: str = "") -> int:
    """Keep a file (screenshot, export, photo) as evidence of one checklist item."""
    source = Path(source)
    try:
        size = source.stat().st_size
        handle = source.open("rb")
    except OSError as exc:
        raise BadArgumentsError(f"{source} cannot be read: {exc.strerror or exc}") from exc
    name = safe_filename(source.name)
    with handle, project.transaction() as session:
        if session.get(ChecklistItem, item_id) is None:
            raise BadArgumentsError(f"checklist item {item_id} no longer exists")
        row = Attachment(
            owner_register=ITEM_REGISTER,
            owner_id=item_id,
            name=name,
            size=size,
            sha256="",
            mime=mimetypes.guess_type(name)[0] or "application/octet-stream",
            added_by=current_user(),
            note=note,
        )
        session.add(row)
        session.flush()
        row.sha256 = write_blob(session, row.id, handle, size)
        return row.id


def item_attachments(project: Project, item_id: int) -> list[tuple[int, str, int]]:
    """(attachment id, file name, size) of the evidence kept for one checklist item."""
    with project.reading() as session:
        stmt = (
            select(Attachment.id, Attachment.name, Attachment.size)
            .where(Attachment.owner_register == ITEM_REGISTER, Attachment.owner_id == item_id)
            .order_by(Attachment.id)
        )
        return [(int(i), str(n), int(s)) for i, n, s in session.execute(stmt)]


# --- the audit's life ------------------------------------------------------------------


def _set_status_in(session: Session, audit_row: Audit, target: str) -> None:
    unanswered = session.scalar(
        select(func.count())
        .select_from(ChecklistItem)
        .where(ChecklistItem.audit_id == audit_row.id, ChecklistItem.result == "")
    )
    check_audit_transition(audit_row.status, target, unanswered=int(unanswered or 0))
    audit_row.status = target


def set_status(project: Project, code: str, target: str) -> None:
    """Move an audit along planned → in progress → completed (or cancelled)."""
    with project.transaction() as session:
        _set_status_in(session, _audit(session, code), target)


def complete(
    project: Project,
    code: str,
    *,
    summary: str,
    signed_off_by: str,
    signed_off_on: dt.date | None = None,
) -> list[str]:
    """Complete and sign off an audit; findings are raised for the items that need them."""
    if not signed_off_by.strip():
        raise BadArgumentsError(f"{code}: say who signs the audit off")
    with project.transaction() as session:
        audit_row = _audit(session, code)
        _set_status_in(session, audit_row, "completed")
        found = _raise_findings_in(session, audit_row)
        audit_row.summary = summary
        audit_row.signed_off_by = signed_off_by.strip()
        audit_row.signed_off_on = signed_off_on or dt.date.today()
    return found


def raise_findings(project: Project, code: str) -> list[str]:
    """A finding for every nonconforming, observed or improvable item that has none yet."""
    with project.transaction() as session:
        return _raise_findings_in(session, _audit(session, code))


def findings_to_raise(project: Project, code: str) -> dict[str, int]:
    """How many findings of each kind completing the audit would raise now (result -> n)."""
    with project.reading() as session:
        counts: dict[str, int] = {}
        for item in _items_without_finding(session, _audit(session, code)):
            counts[item.result] = counts.get(item.result, 0) + 1
        return counts


def _items_without_finding(session: Session, audit_row: Audit) -> list[ChecklistItem]:
    """The checklist items whose result needs a finding and that have none yet, in order."""
    done = set(
        session.scalars(select(Finding.checklist_item_id).where(Finding.audit_id == audit_row.id))
    )
    items = session.scalars(
        select(ChecklistItem)
        .where(ChecklistItem.audit_id == audit_row.id)
        .order_by(ChecklistItem.position)
    ).all()
    return [i for i in items if i.result in FINDING_RESULTS and i.id not in done]


def _raise_findings_in(session: Session, audit_row: Audit) -> list[str]:
    made: list[str] = []
    codes = list(session.scalars(select(Finding.code)))
    for item in _items_without_finding(session, audit_row):
        new_code = next_code("F-", codes)
        codes.append(new_code)
        session.add(
            Finding(
                code=new_code,
                audit_id=audit_row.id,
                kind=item.result,
                requirement=item.ref,
                description=item.notes.strip() or item.question,
                evidence=item.evidence_seen,
                checklist_item_id=item.id,
            )
        )
        made.append(new_code)
    session.flush()
    return made


# --- undo and redo of a completion ------------------------------------------------------


@dataclass(frozen=True)
class RaisedFinding:
    """One finding of an audit, as completing the audit raised it (and its row version)."""

    code: str
    kind: str
    requirement: str
    description: str
    evidence: str
    checklist_item_id: int | None
    version: int
    attachments: int = 0  # evidence kept with it (added later: the finding changed since)


@dataclass(frozen=True)
class AuditState:
    """What completing an audit changes, taken before and after so that it can be undone.

    The audit's status, sign-off and summary with its row version; its findings (those the
    completion raised are the ones ``after`` has and ``before`` has not); and the checklist's
    answers, from which the findings were raised (item id, result, notes, evidence seen).
    """

    code: str
    status: str
    summary: str
    signed_off_by: str
    signed_off_on: dt.date | None
    version: int
    findings: tuple[RaisedFinding, ...]
    answers: tuple[tuple[int, str, str, str], ...]

    def raised_since(self, before: AuditState) -> tuple[RaisedFinding, ...]:
        """The findings this state has that ``before`` had not (by code)."""
        old = {f.code for f in before.findings}
        return tuple(f for f in self.findings if f.code not in old)


def _state_in(session: Session, audit_row: Audit) -> AuditState:
    findings = session.scalars(
        select(Finding).where(Finding.audit_id == audit_row.id).order_by(Finding.code)
    ).all()
    attached: dict[int, int] = {}
    if findings:
        stmt = (
            select(Attachment.owner_id, func.count())
            .where(
                Attachment.owner_register == "findings",
                Attachment.owner_id.in_([f.id for f in findings]),
            )
            .group_by(Attachment.owner_id)
        )
        attached = {int(i): int(n) for i, n in session.execute(stmt)}
    items = session.scalars(
        select(ChecklistItem)
        .where(ChecklistItem.audit_id == audit_row.id)
        .order_by(ChecklistItem.id)
    ).all()
    return AuditState(
        code=audit_row.code,
        status=audit_row.status or "planned",
        summary=audit_row.summary or "",
        signed_off_by=audit_row.signed_off_by or "",
        signed_off_on=audit_row.signed_off_on,
        version=audit_row.row_version,
        findings=tuple(
            RaisedFinding(
                f.code,
                f.kind,
                f.requirement or "",
                f.description or "",
                f.evidence or "",
                f.checklist_item_id,
                f.row_version,
                attached.get(f.id, 0),
            )
            for f in findings
        ),
        answers=tuple((i.id, i.result or "", i.notes or "", i.evidence_seen or "") for i in items),
    )


def state(project: Project, code: str) -> AuditState:
    """The audit as completing it would change it (see ``AuditState``)."""
    with project.reading() as session:
        return _state_in(session, _audit(session, code))


def _check_unchanged(session: Session, audit_row: Audit, expected: AuditState, undo: bool) -> None:
    if _state_in(session, audit_row) != expected:
        what = "undone" if undo else "redone"
        raise AuditTransitionError(
            f"{expected.code} was changed since it was "
            + ("completed" if undo else "reopened")
            + f" (its record, findings or checklist); the completion can no longer be {what}"
        )


def _set_sign_off(audit_row: Audit, wanted: AuditState) -> None:
    audit_row.status = wanted.status
    audit_row.summary = wanted.summary
    audit_row.signed_off_by = wanted.signed_off_by
    audit_row.signed_off_on = wanted.signed_off_on


@contextlib.contextmanager
def _versions_checked(code: str) -> Iterator[None]:
    """Another user's save between our read and our write (team mode): refused, not lost."""
    try:
        yield
    except StaleDataError:
        raise AuditTransitionError(
            f"{code} was changed by someone else meanwhile; nothing was changed"
        ) from None


def reopen(project: Project, before: AuditState, *, expected: AuditState) -> AuditState:
    """Undo a completion: the exact inverse of ``complete``.

    ``expected`` is the audit as the completion left it, ``before`` as it was before: its
    status, summary and sign-off are put back and the findings the completion raised are
    deleted, in one transaction. Refused, changing nothing, when the audit is no longer as
    ``expected`` (edited in the register, a finding edited or deleted) or a nonconformity
    has been raised from one of those findings. Returns the audit's state now.
    """
    with _versions_checked(before.code), project.transaction() as session:
        audit_row = _audit(session, before.code)
        if audit_row.status != "completed":
            raise AuditTransitionError(
                f"{before.code} is {audit_row.status.replace('_', ' ')}, not completed; "
                "there is no completion to undo"
            )
        _check_unchanged(session, audit_row, expected, undo=True)
        raised = [f.code for f in expected.raised_since(before)]
        rows = (
            session.scalars(select(Finding).where(Finding.code.in_(raised))).all() if raised else []
        )
        ids = [row.id for row in rows]
        followed = (
            session.execute(
                select(Finding.code, Nonconformity.code)
                .join(Nonconformity, Nonconformity.finding_id == Finding.id)
                .where(Finding.id.in_(ids))
                .order_by(Finding.code)
            ).all()
            if ids
            else []
        )
        if followed:
            named = ", ".join(f"{nc} (from {f})" for f, nc in followed)
            raise AuditTransitionError(
                f"{before.code} cannot be reopened: nonconformity {named} was raised from a "
                "finding of its completion; undo or delete the nonconformity first"
            )
        for row in rows:
            session.delete(row)
        _set_sign_off(audit_row, before)
        session.flush()
        return _state_in(session, audit_row)


def complete_again(project: Project, after: AuditState, *, expected: AuditState) -> AuditState:
    """Redo a completion that ``reopen`` undid: the audit as in ``after`` again.

    ``expected`` is the audit as ``reopen`` left it. The status, summary and sign-off of
    ``after`` are set and the findings the completion had raised are made again with the
    same codes and values. Refused, changing nothing, when the audit (its record, findings
    or checklist) has changed since or one of the codes is now used by another finding.
    Returns the audit's state now.
    """
    with _versions_checked(after.code), project.transaction() as session:
        audit_row = _audit(session, after.code)
        _check_unchanged(session, audit_row, expected, undo=False)
        unanswered = [a for a in expected.answers if not a[1]]
        check_audit_transition(audit_row.status, after.status, unanswered=len(unanswered))
        raised = after.raised_since(expected)
        codes = [f.code for f in raised]
        taken = (
            list(session.scalars(select(Finding.code).where(Finding.code.in_(codes))))
            if codes
            else []
        )
        if taken:
            raise AuditTransitionError(
                f"{after.code} cannot be completed again as before: the code "
                f"{', '.join(sorted(taken))} is now used by another finding"
            )
        items = {a[0] for a in expected.answers}
        for f in raised:
            session.add(
                Finding(
                    code=f.code,
                    audit_id=audit_row.id,
                    kind=f.kind,
                    requirement=f.requirement,
                    description=f.description,
                    evidence=f.evidence,
                    checklist_item_id=f.checklist_item_id if f.checklist_item_id in items else None,
                )
            )
        _set_sign_off(audit_row, after)
        session.flush()
        return _state_in(session, audit_row)


# --- templates -------------------------------------------------------------------------


def _template_items(session: Session, name: str) -> list[ChecklistQuestion]:
    row = session.scalars(
        select(ChecklistTemplate).where(ChecklistTemplate.name == name)
    ).one_or_none()
    if row is None:
        raise BadArgumentsError(f"there is no checklist template named {name!r}")
    return template_items(row.items or [])


def templates(project: Project) -> list[tuple[str, int]]:
    """(name, number of items) of every saved checklist template."""
    with project.reading() as session:
        rows = session.scalars(select(ChecklistTemplate).order_by(ChecklistTemplate.name))
        return [(t.name, len(t.items or [])) for t in rows]


def template(project: Project, name: str) -> list[ChecklistQuestion]:
    with project.reading() as session:
        return _template_items(session, name)


def save_template(project: Project, name: str, items: Sequence[ChecklistQuestion]) -> None:
    """Save (or overwrite) a checklist template for reuse in later audits."""
    name = name.strip()
    if not name:
        raise BadArgumentsError("a checklist template needs a name")
    stored = [{"ref": i.ref, "question": i.question} for i in items if i.question.strip()]
    if not stored:
        raise BadArgumentsError(f"the template {name!r} has no questions")
    with project.transaction() as session:
        row = session.scalars(
            select(ChecklistTemplate).where(ChecklistTemplate.name == name)
        ).one_or_none()
        if row is None:
            session.add(ChecklistTemplate(name=name, items=stored))
        else:
            row.items = stored


def save_as_template(project: Project, code: str, name: str) -> int:
    """Save an audit's checklist questions (not the answers) as a template."""
    entries = checklist(project, code)
    save_template(project, name, [ChecklistQuestion(e.ref, e.question) for e in entries])
    return len(entries)


def delete_template(project: Project, name: str) -> None:
    with project.transaction() as session:
        session.execute(delete(ChecklistTemplate).where(ChecklistTemplate.name == name))


# --- the programme ---------------------------------------------------------------------


def _scopes(session: Session) -> list[AuditScope]:
    return [
        AuditScope(a.code, a.status, a.planned_start, tuple(a.clauses), tuple(a.controls))
        for a in session.scalars(select(Audit))
    ]


def programme_coverage(
    project: Project, start: dt.date | None = None, end: dt.date | None = None
) -> Coverage:
    """Which clauses and applicable controls the audits (between the dates) cover."""
    with project.reading() as session:
        clauses = [
            (c.number, c.title) for c in session.scalars(select(Clause).order_by(Clause.sort_key))
        ]
        controls = [(c.number, c.title) for c in _control_infos_full(session)]
        scopes = [
            s
            for s in _scopes(session)
            if s.start is None
            or ((start is None or s.start >= start) and (end is None or s.start <= end))
        ]
        return coverage(clauses, controls, scopes)


def _control_infos_full(session: Session) -> list[ControlInfo]:
    return [c for c in _control_infos(session) if c.applicable is True]


def programme(project: Project, start: dt.date | None = None, years: int = 3) -> Programme:
    """The audit programme cycle starting at ``start`` (default: the first planned audit)."""
    all_audits = audits(project)
    if start is None:
        dated = [a.planned_start for a in all_audits if a.planned_start]
        start = min(dated) if dated else dt.date.today()
    first, last = cycle_bounds(start, years)
    mine = tuple(
        a for a in all_audits if a.planned_start is None or first <= a.planned_start <= last
    )
    return Programme(first, last, mine, programme_coverage(project, first, last))


RESULT_CHOICES = RESULTS

"""Documented information (clauses 5.2, 7.5): drafting from templates, versions, approval.

Bodies are stored as Markdown (see ``domain.document_markup``). The working text of a
document lives in ``documents.body`` and may be changed only while the document is a draft.
Saving a version or approving freezes the text as a ``document_versions`` row, which is
never changed afterwards (a listener below refuses it); only the status of a frozen version
follows the document (approved → published → withdrawn). A published document changes only
by starting a new version, and any earlier version can be compared or restored as a draft.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, event, func, insert, inspect, select
from sqlalchemy.orm import Session

from isms_desktop.catalog.templating import TemplateError, placeholders_in, render_template
from isms_desktop.domain import document_workflow as wf
from isms_desktop.domain.document_answers import (
    TemplateFacts,
    prefilled_answers,
    review_months_from,
    tidy,
    without_control_table,
)
from isms_desktop.domain.document_diff import Comparison, compare_texts
from isms_desktop.domain.errors import BadArgumentsError, IsmsError
from isms_desktop.domain.fields import next_code, normalise_control
from isms_desktop.domain.register_specs import CLASSIFICATIONS, DOCUMENT_TYPES
from isms_desktop.domain.register_specs import spec as register_spec
from isms_desktop.storage.models import (
    Control,
    Document,
    DocumentControl,
    DocumentVersion,
    Person,
    ProjectRow,
    Role,
    SoaDocument,
    SoaEntry,
    Template,
)
from isms_desktop.storage.project_file import Project

CURRENT = "current"  # the working text, in comparisons


class ImmutableVersionError(IsmsError):
    """Somebody tried to change the text of a frozen version."""


@event.listens_for(DocumentVersion, "before_update")
def _refuse_changes(_mapper: Any, _connection: Any, target: DocumentVersion) -> None:
    state = inspect(target)
    frozen = ("body", "title", "version", "change_note", "approver", "approved_on", "author")
    changed = [name for name in frozen if state.attrs[name].history.has_changes()]
    if changed:
        raise ImmutableVersionError(
            f"version {target.version} of a document is frozen; {', '.join(changed)} "
            "cannot be changed (start a new version instead)"
        )


# --- what the services return ------------------------------------------------------------------


@dataclass(frozen=True)
class TemplateQuestion:
    key: str
    label: str


@dataclass(frozen=True)
class TemplateInfo:
    code: str
    title: str
    kind: str
    topic: str
    clauses: tuple[str, ...]
    controls: tuple[str, ...]
    review_cycle_months: int
    questions: tuple[TemplateQuestion, ...]


@dataclass(frozen=True)
class VersionInfo:
    version: str
    title: str
    status: str
    change_note: str
    author: str
    approver: str
    approved_on: dt.date | None
    classification: str
    created_at: dt.datetime


@dataclass(frozen=True)
class DocumentDetail:
    code: str
    title: str
    type: str
    owner: str  # person code, "" when none
    owner_name: str
    classification: str
    status: str
    version: str
    approver: str
    approver_name: str
    approved_on: dt.date | None
    review_months: int | None
    next_review: dt.date | None
    clauses: tuple[str, ...]
    controls: tuple[str, ...]
    template_code: str
    body: str
    location: str
    updated_at: dt.datetime

    @property
    def editable(self) -> bool:
        return self.status in wf.EDITABLE

    @property
    def steps(self) -> list[wf.Step]:
        return wf.allowed_steps(self.status)

    def review_state(self, today: dt.date | None = None) -> wf.ReviewState:
        return wf.review_state(self.status, self.next_review, today or dt.date.today())


@dataclass(frozen=True)
class DueReview:
    """A document whose review is overdue or due soon (an entry of the action list)."""

    code: str
    title: str
    owner: str
    owner_name: str
    due_date: dt.date
    state: wf.ReviewState

    @property
    def overdue(self) -> bool:
        return self.state is wf.ReviewState.OVERDUE


@dataclass(frozen=True)
class OutputDocument:
    """Everything Word and PDF output print for one version of a document."""

    organisation: str
    logo: bytes | None
    logo_mime: str
    code: str
    title: str
    type: str
    version: str
    status: str
    date: dt.date
    author: str
    approver: str
    approved_on: dt.date | None
    classification: str
    owner: str
    review_months: int | None
    next_review: dt.date | None
    clauses: tuple[str, ...]
    controls: tuple[tuple[str, str], ...]
    body: str
    history: tuple[VersionInfo, ...]
    location: str = ""  # where the document is kept (an external one, a record)


# --- helpers ------------------------------------------------------------------------------------


def control_rows(data: OutputDocument) -> list[tuple[str, str]]:
    """The document control block of a printed version, (label, value) in order, as Word
    and PDF print it; a value not recorded is "" (each format says so in its own way)."""
    months = data.review_months
    review = "Every month" if months == 1 else f"Every {months} months" if months else ""
    return [
        ("Document code", data.code),
        ("Title", data.title),
        ("Type", type_label(data.type)),
        ("Version", data.version),
        ("Status", wf.STATUS_LABELS.get(data.status, data.status)),
        ("Version date", data.date.isoformat()),
        ("Author", data.author),
        ("Owner", data.owner),
        ("Approved by", data.approver),
        ("Approved on", data.approved_on.isoformat() if data.approved_on else ""),
        ("Classification", classification_label(data.classification)),
        ("Review interval", review),
        ("Next review", data.next_review.isoformat() if data.next_review else ""),
        ("Clauses", ", ".join(data.clauses)),
        ("Annex A controls", ", ".join(f"A.{n}" for n, _ in data.controls)),
        ("Kept at", data.location.strip()),
    ]


def classification_label(value: str) -> str:
    return register_spec("documents").field("classification").choice_labels.get(value, value)


def type_label(value: str) -> str:
    return register_spec("documents").field("type").choice_labels.get(value, value)


def _find(session: Session, code: str) -> Document:
    doc = session.scalars(select(Document).where(Document.code == code.strip())).one_or_none()
    if doc is None:
        raise BadArgumentsError(f"documents: there is no document {code.strip()!r}")
    return doc


def _person(session: Session, code_or_name: str | None) -> Person | None:
    if not code_or_name or not str(code_or_name).strip():
        return None
    value = str(code_or_name).strip()
    person = session.scalars(select(Person).where(Person.code == value)).one_or_none()
    if person is None:
        person = session.scalars(
            select(Person).where(func.lower(Person.name) == value.lower())
        ).first()
    if person is None:
        raise BadArgumentsError(f"documents: there is no person {value!r}")
    return person


def _name(session: Session, person_id: int | None) -> tuple[str, str]:
    if person_id is None:
        return "", ""
    person = session.get(Person, person_id)
    return (person.code, person.name) if person else ("", "")


def _control_numbers(session: Session, doc: Document) -> tuple[str, ...]:
    stmt = (
        select(Control.number)
        .join(DocumentControl, DocumentControl.control_id == Control.id)
        .where(DocumentControl.document_id == doc.id)
        .order_by(Control.sort_key)
    )
    return tuple(session.scalars(stmt))


def _detail(session: Session, doc: Document) -> DocumentDetail:
    owner, owner_name = _name(session, doc.owner_id)
    approver, approver_name = _name(session, doc.approver_id)
    return DocumentDetail(
        code=doc.code,
        title=doc.title,
        type=doc.type,
        owner=owner,
        owner_name=owner_name,
        classification=doc.classification,
        status=doc.status,
        version=doc.version,
        approver=approver,
        approver_name=approver_name,
        approved_on=doc.approved_on,
        review_months=doc.review_months,
        next_review=doc.next_review,
        clauses=tuple(doc.clauses or ()),
        controls=_control_numbers(session, doc),
        template_code=doc.template_code,
        body=doc.body,
        location=doc.location,
        updated_at=doc.updated_at,
    )


def _version_info(v: DocumentVersion) -> VersionInfo:
    return VersionInfo(
        version=v.version,
        title=v.title,
        status=v.status,
        change_note=v.change_note,
        author=v.author,
        approver=v.approver,
        approved_on=v.approved_on,
        classification=v.classification,
        created_at=v.created_at,
    )


def _versions(session: Session, doc: Document) -> list[DocumentVersion]:
    rows = session.scalars(select(DocumentVersion).where(DocumentVersion.document_id == doc.id))
    return sorted(rows, key=lambda v: wf.version_sort_key(v.version))


def _set_controls(session: Session, doc: Document, numbers: Iterable[str]) -> None:
    """Link the document to controls, and the controls' SoA rows to the document."""
    wanted = list(dict.fromkeys(normalise_control(n) for n in numbers if str(n).strip()))
    stmt = select(Control.number, Control.id).where(Control.number.in_(wanted))
    found = {str(number): int(i) for number, i in session.execute(stmt)}
    missing = [n for n in wanted if n not in found]
    if missing:
        raise BadArgumentsError(f"documents: there is no control {', '.join(missing)}")
    session.flush()
    session.execute(delete(DocumentControl).where(DocumentControl.document_id == doc.id))
    session.execute(delete(SoaDocument).where(SoaDocument.document_id == doc.id))
    ids = [found[n] for n in wanted]
    if ids:
        session.execute(
            insert(DocumentControl), [{"document_id": doc.id, "control_id": i} for i in ids]
        )
        soa_ids = session.scalars(select(SoaEntry.id).where(SoaEntry.control_id.in_(ids)))
        rows = [{"soa_id": s, "document_id": doc.id} for s in soa_ids]
        if rows:
            session.execute(insert(SoaDocument), rows)


def _check_choice(value: str, choices: Sequence[str], what: str) -> str:
    value = (value or "").strip().lower().replace(" ", "_")
    if value not in choices:
        raise BadArgumentsError(f"documents: {what} must be one of {', '.join(choices)}")
    return value


# --- templates and drafting ------------------------------------------------------------------


def templates(project: Project) -> list[TemplateInfo]:
    """The policy templates of the project, the information security policy first."""
    with project.reading() as session:
        rows = list(session.scalars(select(Template).order_by(Template.title)))
        infos = [
            TemplateInfo(
                code=t.code,
                title=t.title,
                kind=t.kind,
                topic=t.topic,
                clauses=tuple(t.clauses or ()),
                controls=tuple(t.controls or ()),
                review_cycle_months=t.review_cycle_months,
                questions=tuple(
                    TemplateQuestion(str(q["key"]), str(q["label"])) for q in t.questions or ()
                ),
            )
            for t in rows
        ]
    return sorted(infos, key=lambda t: (t.topic != "information_security", t.title))


def _template(session: Session, code: str) -> Template:
    row = session.scalars(select(Template).where(Template.code == code)).one_or_none()
    if row is None:
        raise BadArgumentsError(f"there is no document template {code!r}")
    return row


_ROLE_WORDS: dict[str, tuple[str, ...]] = {
    "top_management": ("top management", "chief executive", "ceo", "managing director", "board"),
    "isms_manager": ("information security officer", "isms", "ciso", "security manager"),
    "it_manager": ("it operations", "head of it", "it manager", "it lead", "it operations lead"),
    "hr_manager": ("hr", "human resources", "people"),
    "data_protection_officer": ("data protection",),
}


def _holder(session: Session, key: str) -> Person | None:
    words = _ROLE_WORDS[key]

    def matches(text: str) -> bool:
        lowered = f" {text.lower()} "
        return any(re.search(rf"\b{re.escape(w)}\b", lowered) for w in words)

    for role in session.scalars(select(Role).order_by(Role.id)):
        if role.holder_id is not None and matches(role.name):
            return session.get(Person, role.holder_id)
    for person in session.scalars(select(Person).where(Person.active.is_(True))):
        if matches(person.role):
            return person
    return None


def _facts(session: Session, template: Template, code: str, classification: str) -> TemplateFacts:
    row = session.scalars(select(ProjectRow)).one()
    names = {key: _holder(session, key) for key in _ROLE_WORDS}
    contact = names["isms_manager"]
    incident = ""
    if contact is not None:
        incident = f"{contact.name} ({contact.email})" if contact.email else contact.name
    wanted = [normalise_control(c) for c in template.controls or ()]
    stmt = (
        select(Control.number, Control.title, SoaEntry.applicable)
        .outerjoin(SoaEntry, SoaEntry.control_id == Control.id)
        .where(Control.number.in_(wanted))
        .order_by(Control.sort_key)
    )
    controls = [(n, t) for n, t, applicable in session.execute(stmt) if applicable is not False]
    return TemplateFacts(
        organisation=row.organisation,
        scope_statement=row.scope_statement,
        top_management=names["top_management"].name if names["top_management"] else "",
        isms_manager=contact.name if contact else "",
        it_manager=names["it_manager"].name if names["it_manager"] else "",
        hr_manager=names["hr_manager"].name if names["hr_manager"] else "",
        data_protection_officer=(
            names["data_protection_officer"].name if names["data_protection_officer"] else ""
        ),
        incident_contact=incident,
        review_months=template.review_cycle_months or 12,
        controls=controls,
        document_code=code,
        classification=classification_label(classification),
    )


def _next_code(session: Session, document_type: str) -> str:
    prefix = wf.code_prefix(document_type)
    existing = session.scalars(select(Document.code).where(Document.code.like(f"{prefix}%")))
    return next_code(prefix, list(existing))


def template_answers(project: Project, template_code: str) -> dict[str, str]:
    """A value for every placeholder, prefilled from the project ("" where unknown)."""
    with project.reading() as session:
        template = _template(session, template_code)
        code = _next_code(session, template.kind if template.kind in DOCUMENT_TYPES else "policy")
        return prefilled_answers(_facts(session, template, code, "internal"))


def render_draft(project: Project, template_code: str, answers: Mapping[str, str]) -> str:
    """The template's text with every placeholder replaced (not saved).

    Raises BadArgumentsError naming the questions still without an answer.
    """
    with project.reading() as session:
        template = _template(session, template_code)
        body = without_control_table(template.body)
        labels = {str(q["key"]): str(q["label"]) for q in template.questions or ()}
    values = {k: str(v) for k, v in answers.items()}
    cycle = values.get("review_cycle", "").strip()
    if cycle and "review_cycle" in placeholders_in(body) and review_months_from(cycle) is None:
        # the text promises a review "every …" and the next review date follows it
        raise BadArgumentsError(
            f"the review interval {cycle!r} names no period of 1 to 60 months: write it as "
            "'12 months', '6 months' or '2 years'"
        )
    try:
        return tidy(render_template(body, values))
    except TemplateError:
        missing = {n for n in placeholders_in(body) if not values.get(n, "").strip()}
        # in the order the wizard asks them (it listed them by their keys, backwards on screen)
        order = {key: index for index, key in enumerate(labels)}
        ordered = sorted(missing, key=lambda n: (order.get(n, len(order)), n))
        asked = [labels.get(n, n.replace("_", " ")) for n in ordered]
        raise BadArgumentsError(
            "please answer: " + "; ".join(asked) if asked else "the template cannot be filled"
        ) from None


def create_document(
    project: Project,
    title: str,
    *,
    type: str = "policy",
    body: str = "",
    owner: str | None = None,
    classification: str = "internal",
    review_months: int | None = 12,
    clauses: Sequence[str] = (),
    controls: Sequence[str] = (),
    template_code: str = "",
    location: str = "",
    code: str | None = None,
) -> str:
    """Add a document as draft 0.1; returns its code (POL-001, PRO-001, … by type)."""
    title = " ".join(title.split())
    if not title:
        raise BadArgumentsError("documents: a document needs a title")
    doc_type = _check_choice(type, DOCUMENT_TYPES, "the type")
    classification = _check_choice(classification, CLASSIFICATIONS, "the classification")
    if review_months is not None and not 1 <= review_months <= 60:
        raise BadArgumentsError("documents: the review interval must be 1 to 60 months")
    with project.transaction() as session:
        if code:
            code = code.strip()
            if session.scalar(select(Document.id).where(Document.code == code)) is not None:
                raise BadArgumentsError(f"documents: the code {code} is already in use")
        else:
            code = _next_code(session, doc_type)
        person = _person(session, owner)
        doc = Document(
            code=code,
            title=title,
            type=doc_type,
            owner_id=person.id if person else None,
            classification=classification,
            status=wf.DRAFT,
            version=wf.FIRST_VERSION,
            review_months=review_months,
            clauses=[c.strip() for c in clauses if c.strip()],
            template_code=template_code,
            body=body,
            location=location,
        )
        session.add(doc)
        session.flush()
        _set_controls(session, doc, controls)
    return code


def create_from_template(
    project: Project,
    template_code: str,
    answers: Mapping[str, str],
    *,
    body: str | None = None,
    title: str | None = None,
    owner: str | None = None,
    classification: str = "internal",
    code: str | None = None,
) -> str:
    """Save a drafted policy as version 0.1 (``body``: the text as edited, else rendered)."""
    text = body if body is not None else render_draft(project, template_code, answers)
    with project.reading() as session:
        template = _template(session, template_code)
        kind = template.kind if template.kind in DOCUMENT_TYPES else "policy"
        meta = (template.title, list(template.clauses or ()), list(template.controls or ()))
        # the interval the text states ("reviewed at least every 6 months"), which the next
        # review date follows; it was always the template's, whatever the answer said
        months = review_months_from(answers.get("review_cycle", "")) or (
            template.review_cycle_months or 12
        )
    return create_document(
        project,
        title or meta[0],
        type=kind,
        body=text,
        owner=owner,
        classification=classification,
        review_months=months,
        clauses=meta[1],
        controls=meta[2],
        template_code=template_code,
        code=code,
    )


# --- reading ------------------------------------------------------------------------------------


def get_document(project: Project, code: str) -> DocumentDetail:
    with project.reading() as session:
        return _detail(session, _find(session, code))


def list_documents(project: Project, *, type: str | None = None) -> list[DocumentDetail]:
    with project.reading() as session:
        stmt = select(Document).order_by(Document.code)
        if type:
            stmt = stmt.where(Document.type == type)
        return [_detail(session, d) for d in session.scalars(stmt)]


def versions(project: Project, code: str) -> list[VersionInfo]:
    """The frozen versions of a document, oldest first."""
    with project.reading() as session:
        return [_version_info(v) for v in _versions(session, _find(session, code))]


def version_text(project: Project, code: str, version: str) -> str:
    """The text of a frozen version, or of the working copy for ``CURRENT``."""
    with project.reading() as session:
        doc = _find(session, code)
        if version == CURRENT:
            return doc.body
        for v in _versions(session, doc):
            if v.version == version:
                return v.body
    raise BadArgumentsError(f"documents: {code} has no version {version}")


def compare(project: Project, code: str, old: str, new: str = CURRENT) -> Comparison:
    """What changed from version ``old`` to version ``new`` (or the working text)."""
    old_text = version_text(project, code, old)
    new_text = version_text(project, code, new)
    label = {CURRENT: "working copy"}
    return compare_texts(old_text, new_text, label.get(old, old), label.get(new, new))


def suggested_approver(project: Project, code: str) -> str:
    """Who approves the document, as far as the project knows: whoever approved its last
    version, else the person holding the top management role ("" when neither is known)."""
    with project.reading() as session:
        doc = _find(session, code)
        if doc.approver_id is not None:
            return _name(session, doc.approver_id)[1]
        holder = _holder(session, "top_management")
        return holder.name if holder is not None else ""


def documents_for_control(project: Project, number: str) -> list[tuple[str, str, str]]:
    """(code, title, status) of the documents that describe a control."""
    with project.reading() as session:
        stmt = (
            select(Document.code, Document.title, Document.status)
            .join(DocumentControl, DocumentControl.document_id == Document.id)
            .join(Control, Control.id == DocumentControl.control_id)
            .where(Control.number == normalise_control(number))
            .order_by(Document.code)
        )
        return [(str(c), str(t), str(s)) for c, t, s in session.execute(stmt)]


# --- editing --------------------------------------------------------------------------------------


def _require_editable(doc: Document) -> None:
    if doc.status not in wf.EDITABLE:
        raise wf.WorkflowError(
            f"{doc.code} is {wf.STATUS_LABELS[doc.status].lower()}; its text changes only "
            "through a new version (start a new version first)"
        )


def save_draft(project: Project, code: str, body: str, *, title: str | None = None) -> None:
    """Replace the working text of a draft."""
    with project.transaction() as session:
        doc = _find(session, code)
        _require_editable(doc)
        doc.body = body
        if title is not None and title.strip():
            doc.title = " ".join(title.split())


def _freeze(
    session: Session,
    doc: Document,
    status: str,
    note: str,
    author: str,
    approver: str = "",
    on: dt.date | None = None,
) -> DocumentVersion:
    if session.scalar(
        select(DocumentVersion.id).where(
            DocumentVersion.document_id == doc.id, DocumentVersion.version == doc.version
        )
    ):
        raise BadArgumentsError(f"{doc.code} already has a version {doc.version}")
    frozen = DocumentVersion(
        document_id=doc.id,
        version=doc.version,
        title=doc.title,
        status=status,
        body=doc.body,
        change_note=note.strip(),
        author=author or _name(session, doc.owner_id)[1],
        approver=approver,
        approved_on=doc.approved_on if approver else None,
        classification=doc.classification,
    )
    if on is not None:
        frozen.created_at = dt.datetime.combine(on, dt.time(12, 0))
    session.add(frozen)
    session.flush()
    return frozen


def save_version(
    project: Project, code: str, change_note: str, *, author: str = "", on: dt.date | None = None
) -> str:
    """Freeze the current draft (e.g. 0.1) and continue with the next (0.2); returns it."""
    with project.transaction() as session:
        doc = _find(session, code)
        _require_editable(doc)
        _freeze(session, doc, wf.DRAFT, change_note, author, on=on)
        doc.version = wf.next_draft_version(doc.version)
        return doc.version


def set_links(
    project: Project,
    code: str,
    *,
    clauses: Sequence[str] | None = None,
    controls: Sequence[str] | None = None,
) -> None:
    """Set the clauses and the Annex A controls a document addresses."""
    with project.transaction() as session:
        doc = _find(session, code)
        if clauses is not None:
            doc.clauses = list(dict.fromkeys(c.strip() for c in clauses if c.strip()))
        if controls is not None:
            _set_controls(session, doc, controls)


def step(
    project: Project,
    code: str,
    action: wf.Step | str,
    *,
    approver: str | None = None,
    on: dt.date | None = None,
    change_note: str = "",
    author: str = "",
) -> DocumentDetail:
    """Move a document along its workflow; refuses steps its status does not allow.

    Approving needs the approver (a person's code or name); it records the approver and the
    date, makes the next whole version (0.x → 1.0) and freezes it with ``change_note``, and
    sets the next review date from the review interval.
    """
    action = wf.Step(action) if action in set(wf.Step) else action
    with project.transaction() as session:
        doc = _find(session, code)
        target = wf.next_status(doc.status, action)
        day = on or dt.date.today()
        if action is wf.Step.APPROVE:
            person = _person(session, approver)
            if person is None:
                raise BadArgumentsError(f"approving {doc.code} needs the approver's name")
            doc.version = wf.approved_version(doc.version)
            doc.approver_id = person.id
            doc.approved_on = day
            doc.next_review = wf.next_review_date(day, doc.review_months)
            doc.status = target
            _freeze(session, doc, target, change_note or "Approved", author, person.name, day)
        elif action in (wf.Step.PUBLISH, wf.Step.WITHDRAW):
            doc.status = target
            for v in _versions(session, doc):
                if v.version == doc.version:
                    v.status = target
        elif action is wf.Step.REVISE:
            doc.status = target
            doc.version = wf.next_draft_version(doc.version)
        else:
            doc.status = target
        session.flush()
        return _detail(session, doc)


def record_review(project: Project, code: str, *, on: dt.date | None = None) -> dt.date | None:
    """A review found the document still right: the next review moves on one interval."""
    with project.transaction() as session:
        doc = _find(session, code)
        if doc.status == wf.WITHDRAWN:
            raise wf.WorkflowError(f"{doc.code} is withdrawn; it is no longer reviewed")
        doc.next_review = wf.next_review_date(on or dt.date.today(), doc.review_months or 12)
        return doc.next_review


def restore_version(project: Project, code: str, version: str) -> str:
    """Make an earlier version's text the working draft; returns the draft's version.

    A document in force gets a new draft version first; unsaved draft text is frozen first,
    so nothing is lost.
    """
    old_text = version_text(project, code, version)
    with project.transaction() as session:
        doc = _find(session, code)
        if doc.status == wf.IN_REVIEW:
            raise wf.WorkflowError(f"{doc.code} is in review; return it to draft first")
        if doc.status == wf.DRAFT:
            if doc.body != old_text:
                _freeze(session, doc, wf.DRAFT, f"Before restoring version {version}", "")
                doc.version = wf.next_draft_version(doc.version)
        else:
            doc.status = wf.next_status(doc.status, wf.Step.REVISE)
            doc.version = wf.next_draft_version(doc.version)
        old = next((v for v in _versions(session, doc) if v.version == version), None)
        doc.body = old_text
        if old is not None:
            doc.title = old.title
        return doc.version


# --- reviews for the action list -------------------------------------------------------------


def reviews_due(
    project: Project, *, today: dt.date | None = None, within_days: int = wf.REVIEW_WINDOW_DAYS
) -> list[DueReview]:
    """Documents in force whose review is overdue or due within ``within_days``, soonest first."""
    today = today or dt.date.today()
    limit = today + dt.timedelta(days=within_days)
    with project.reading() as session:
        stmt = (
            select(Document)
            .where(Document.next_review.is_not(None), Document.next_review <= limit)
            .where(Document.status != wf.WITHDRAWN)
            .order_by(Document.next_review, Document.code)
        )
        due = []
        for doc in session.scalars(stmt):
            assert doc.next_review is not None
            owner, owner_name = _name(session, doc.owner_id)
            state = wf.review_state(doc.status, doc.next_review, today, within_days)
            due.append(DueReview(doc.code, doc.title, owner, owner_name, doc.next_review, state))
        return due


# --- output --------------------------------------------------------------------------------------


def output_document(project: Project, code: str, version: str | None = None) -> OutputDocument:
    """One version for Word/PDF: the given one, else the one in force, else the working draft."""
    with project.reading() as session:
        doc = _find(session, code)
        row = session.scalars(select(ProjectRow)).one()
        frozen = _versions(session, doc)
        history = tuple(_version_info(v) for v in frozen)
        in_force = [v for v in frozen if v.status in (wf.APPROVED, wf.PUBLISHED, wf.WITHDRAWN)]
        chosen: DocumentVersion | None = None
        if version is not None and version != CURRENT:
            chosen = next((v for v in frozen if v.version == version), None)
            if chosen is None:
                raise BadArgumentsError(f"documents: {code} has no version {version}")
        elif version is None and doc.status != wf.WITHDRAWN and in_force:
            if doc.status in wf.IN_FORCE:
                chosen = next((v for v in frozen if v.version == doc.version), in_force[-1])
            else:
                chosen = in_force[-1]
        owner = _name(session, doc.owner_id)[1]
        numbers = _control_numbers(session, doc)
        stmt = select(Control.number, Control.title).where(Control.number.in_(numbers))
        titles = {str(n): str(t) for n, t in session.execute(stmt)}
        approver = _name(session, doc.approver_id)[1] if doc.status != wf.DRAFT else ""
        working = OutputDocument(
            organisation=row.organisation,
            logo=row.logo,
            logo_mime=row.logo_mime,
            code=doc.code,
            title=doc.title,
            type=doc.type,
            version=doc.version,
            status=doc.status,
            date=doc.updated_at.date(),
            author=owner,
            approver=approver,
            approved_on=doc.approved_on if approver else None,
            classification=doc.classification,
            owner=owner,
            review_months=doc.review_months,
            next_review=doc.next_review,
            clauses=tuple(doc.clauses or ()),
            controls=tuple((n, titles.get(n, "")) for n in numbers),
            body=doc.body,
            history=history,
            location=doc.location or "",
        )
        if chosen is None:
            return working
        return dataclasses.replace(
            working,
            title=chosen.title,
            version=chosen.version,
            status=chosen.status,
            date=chosen.approved_on or chosen.created_at.date(),
            author=chosen.author or owner,
            approver=chosen.approver,
            approved_on=chosen.approved_on,
            classification=chosen.classification or doc.classification,
            body=chosen.body,
        )

"""Document control end to end: drafting from templates, workflow, versions, links, reviews."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select, update

from isms_desktop.catalog.templating import placeholders_in
from isms_desktop.domain import document_workflow as wf
from isms_desktop.domain.errors import BadArgumentsError
from isms_desktop.services import documents, registers
from isms_desktop.storage.models import DocumentVersion, SoaDocument, SoaEntry
from isms_desktop.storage.project_file import Project, open_project


@pytest.fixture
def demo(demo_path: Path) -> Iterator[Project]:
    project = open_project(demo_path)
    try:
        yield project
    finally:
        project.close()


@pytest.fixture
def fresh(project_path: Path) -> Iterator[Project]:
    project = open_project(project_path)
    try:
        yield project
    finally:
        project.close()


def test_drafting_from_every_template_fills_every_placeholder(demo: Project) -> None:
    templates = documents.templates(demo)
    assert len(templates) >= 13
    assert templates[0].code == "POL-ISP"  # the information security policy comes first
    for template in templates:
        answers = documents.template_answers(demo, template.code)
        for question in template.questions:
            assert answers[question.key], (template.code, question.key)
        text = documents.render_draft(demo, template.code, answers)
        assert not placeholders_in(text), template.code
        assert "{{" not in text and "Brightwave Analytics Ltd" in text
        assert text.startswith(f"# {template.title}")


def test_prefilled_answers_come_from_the_project(demo: Project) -> None:
    answers = documents.template_answers(demo, "POL-ISP")
    assert answers["organisation"] == "Brightwave Analytics Ltd"
    assert answers["top_management"] == "Helen Marsh"
    assert answers["isms_manager"] == "Daniel Okafor"
    assert answers["scope"].startswith("the development, operation and support")
    assert answers["review_cycle"] == "12 months"
    assert "**A.5.1** Policies for information security" in answers["applicable_controls"]


def test_a_new_project_asks_for_what_it_does_not_know(fresh: Project) -> None:
    answers = documents.template_answers(fresh, "POL-ACC")
    assert answers["organisation"] == "Acme Test Ltd" and answers["it_manager"] == ""
    with pytest.raises(BadArgumentsError, match="Who manages IT systems"):
        documents.render_draft(fresh, "POL-ACC", answers)
    answers.update(it_manager="Sam IT", hr_manager="Pat HR", isms_manager="Kim ISO")
    text = documents.render_draft(fresh, "POL-ACC", answers)
    assert "Sam IT" in text and not placeholders_in(text)


def test_the_questions_left_unanswered_are_named_in_the_wizards_order(fresh: Project) -> None:
    """The wizard shows the questions in the template's order; the message listed the missing
    ones by their keys, so on a new project it read bottom to top."""
    template = next(t for t in documents.templates(fresh) if t.code == "POL-ISP")
    answers = documents.template_answers(fresh, "POL-ISP")
    missing = [q.label for q in template.questions if not answers.get(q.key, "").strip()]
    assert len(missing) >= 3  # a new project does not know who is who
    with pytest.raises(BadArgumentsError) as raised:
        documents.render_draft(fresh, "POL-ISP", answers)
    assert str(raised.value) == "please answer: " + "; ".join(missing)


def test_draft_review_approve_publish_and_revise(fresh: Project) -> None:
    registers.create(fresh, "people", {"code": "P-001", "name": "Ann Boss", "role": "CEO"})
    registers.create(fresh, "people", {"code": "P-002", "name": "Ian Sec", "role": "ISO"})
    answers = documents.template_answers(fresh, "POL-ISP")
    answers.update(top_management="Ann Boss", isms_manager="Ian Sec", incident_contact="x@y.z")
    code = documents.create_from_template(fresh, "POL-ISP", answers, owner="P-002")
    assert code == "POL-001"
    doc = documents.get_document(fresh, code)
    assert (doc.status, doc.version, doc.owner_name) == (wf.DRAFT, "0.1", "Ian Sec")
    assert doc.controls == ("5.1", "5.2", "5.4", "5.36") and doc.clauses == ("5.2",)
    assert doc.review_months == 12

    documents.save_draft(fresh, code, doc.body + "\nA new closing line.\n")
    assert documents.save_version(fresh, code, "First complete draft") == "0.2"
    with pytest.raises(wf.WorkflowError):
        documents.step(fresh, code, wf.Step.APPROVE, approver="P-001")
    documents.step(fresh, code, wf.Step.SUBMIT)
    with pytest.raises(wf.WorkflowError, match="new version"):
        documents.save_draft(fresh, code, "changed while in review")
    with pytest.raises(BadArgumentsError, match="approver"):
        documents.step(fresh, code, wf.Step.APPROVE)
    day = dt.date(2025, 3, 10)
    approved = documents.step(
        fresh, code, wf.Step.APPROVE, approver="Ann Boss", on=day, change_note="Board approval"
    )
    assert (approved.status, approved.version, approved.approver_name) == (
        wf.APPROVED,
        "1.0",
        "Ann Boss",
    )
    assert approved.approved_on == day and approved.next_review == dt.date(2026, 3, 10)
    published = documents.step(fresh, code, wf.Step.PUBLISH)
    assert published.status == wf.PUBLISHED
    with pytest.raises(wf.WorkflowError):
        documents.save_draft(fresh, code, "edit in place")
    history = documents.versions(fresh, code)
    assert [(v.version, v.status) for v in history] == [("0.1", "draft"), ("1.0", "published")]
    assert history[1].change_note == "Board approval" and history[1].approver == "Ann Boss"

    revision = documents.step(fresh, code, wf.Step.REVISE)
    assert (revision.status, revision.version) == (wf.DRAFT, "1.1")
    documents.save_draft(fresh, code, revision.body.replace("A new closing line.", "Changed."))
    comparison = documents.compare(fresh, code, "1.0")
    assert comparison.added == 1 and comparison.removed == 1
    assert "+ Changed." in comparison.unified()
    documents.step(fresh, code, wf.Step.SUBMIT)
    documents.step(fresh, code, wf.Step.APPROVE, approver="P-001", on=dt.date(2025, 9, 1))
    assert documents.get_document(fresh, code).version == "2.0"
    # the first approved text is unchanged
    assert "A new closing line." in documents.version_text(fresh, code, "1.0")
    assert "Changed." in documents.version_text(fresh, code, "2.0")


def test_frozen_versions_cannot_be_changed(fresh: Project) -> None:
    code = documents.create_document(fresh, "Clear desk rules", body="Keep desks clear.\n")
    documents.save_version(fresh, code, "first")
    with pytest.raises(documents.ImmutableVersionError), fresh.transaction() as session:
        frozen = session.scalars(select(DocumentVersion)).one()
        frozen.body = "rewritten history"
    assert documents.version_text(fresh, code, "0.1") == "Keep desks clear.\n"
    # bulk SQL updates bypass the ORM; the service offers no way to change a frozen text
    assert not hasattr(documents, "update_version")
    with fresh.transaction() as session:
        session.execute(update(DocumentVersion).values(status="draft"))


def test_restore_an_earlier_version_as_a_new_draft(fresh: Project) -> None:
    registers.create(fresh, "people", {"code": "P-001", "name": "Ann Boss"})
    code = documents.create_document(fresh, "Backup rules", type="procedure", body="Old text.\n")
    assert code == "PRO-001"
    documents.step(fresh, code, wf.Step.SUBMIT)
    documents.step(fresh, code, wf.Step.APPROVE, approver="P-001")
    documents.step(fresh, code, wf.Step.REVISE)
    documents.save_draft(fresh, code, "New text.\n")
    version = documents.restore_version(fresh, code, "1.0")
    doc = documents.get_document(fresh, code)
    assert doc.body == "Old text.\n" and doc.status == wf.DRAFT and version == "1.2"
    # the replaced draft was kept
    assert documents.version_text(fresh, code, "1.1") == "New text.\n"


def test_links_to_controls_show_in_the_soa(fresh: Project) -> None:
    code = documents.create_document(fresh, "Crypto", controls=["A.8.24"], clauses=["7.5"])
    documents.set_links(fresh, code, controls=["8.24", "5.31"])
    assert [c for c, _, _ in documents.documents_for_control(fresh, "8.24")] == [code]
    with fresh.reading() as session:
        linked = session.scalars(
            select(SoaEntry.control_id).join(SoaDocument, SoaDocument.soa_id == SoaEntry.id)
        ).all()
    assert len(linked) == 2
    with pytest.raises(BadArgumentsError, match=r"no control 9\.99"):
        documents.set_links(fresh, code, controls=["9.99"])
    row = registers.get(fresh, "documents", code)
    assert set(row.values["controls"]) == {"5.31", "8.24"}


def test_reviews_due_and_recorded(fresh: Project) -> None:
    registers.create(fresh, "people", {"code": "P-001", "name": "Ann Boss"})
    today = dt.date(2025, 6, 1)
    due = {}
    for title, approved in (("Soon", dt.date(2024, 6, 20)), ("Late", dt.date(2024, 5, 1))):
        code = documents.create_document(fresh, title, owner="P-001")
        documents.step(fresh, code, wf.Step.SUBMIT)
        documents.step(fresh, code, wf.Step.APPROVE, approver="P-001", on=approved)
        due[title] = code
    documents.create_document(fresh, "Never approved")
    items = documents.reviews_due(fresh, today=today)
    assert [(i.title, i.state) for i in items] == [
        ("Late", wf.ReviewState.OVERDUE),
        ("Soon", wf.ReviewState.DUE),
    ]
    assert items[0].owner_name == "Ann Boss"
    assert documents.record_review(fresh, due["Late"], on=today) == dt.date(2026, 6, 1)
    assert [i.title for i in documents.reviews_due(fresh, today=today)] == ["Soon"]


def test_bad_input_is_refused_clearly(fresh: Project) -> None:
    with pytest.raises(BadArgumentsError, match="title"):
        documents.create_document(fresh, "  ")
    with pytest.raises(BadArgumentsError, match="type must be one of"):
        documents.create_document(fresh, "X", type="memo")
    with pytest.raises(BadArgumentsError, match="no document"):
        documents.get_document(fresh, "POL-999")
    with pytest.raises(BadArgumentsError, match="no person"):
        documents.create_document(fresh, "X", owner="Nobody")
    with pytest.raises(BadArgumentsError, match="no document template"):
        documents.template_answers(fresh, "POL-NOPE")


def test_the_demo_has_a_believable_document_register(demo: Project) -> None:
    docs = {d.code: d for d in documents.list_documents(demo)}
    isp = docs["POL-001"]
    assert isp.title == "Information Security Policy" and isp.status == wf.PUBLISHED
    assert isp.version == "2.0" and isp.approver_name == "Helen Marsh"
    assert [v.version for v in documents.versions(demo, "POL-001")] == ["0.1", "1.0", "2.0"]
    approved_topics = [
        d
        for d in docs.values()
        if d.type == "policy" and d.code != "POL-001" and d.status in (wf.APPROVED, wf.PUBLISHED)
    ]
    assert len(approved_topics) >= 5
    assert 8 <= sum(1 for d in docs.values() if d.type == "policy") <= 12
    statuses = {d.status for d in docs.values()}
    assert {wf.DRAFT, wf.IN_REVIEW, wf.APPROVED, wf.PUBLISHED} <= statuses
    assert {"procedure", "record", "plan", "external"} <= {d.type for d in docs.values()}
    states = {i.state for i in documents.reviews_due(demo)}
    assert states == {wf.ReviewState.DUE, wf.ReviewState.OVERDUE}
    with demo.reading() as session:
        assert session.scalars(select(SoaDocument)).first() is not None
    assert not documents.compare(demo, "POL-001", "1.0", "2.0").identical

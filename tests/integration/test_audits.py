"""Internal audits on real project files: checklists, results, findings, templates, coverage."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from isms_desktop.domain.errors import BadArgumentsError
from isms_desktop.services import audits, registers
from isms_desktop.storage.project_file import Project, open_project


@pytest.fixture
def project(project_path: Path) -> Iterator[Project]:
    with open_project(project_path) as opened:
        registers.update(opened, "soa", "5.1", "applicable", True)
        registers.update(opened, "soa", "5.2", "applicable", False)
        registers.update(opened, "soa", "5.2", "justification", "Not needed")
        # 5.3 stays undecided
        yield opened


def _plan(project: Project, **values: object) -> str:
    base = {
        "title": "Audit of risk management",
        "clauses": ["6.1.2"],
        "controls": ["5.1", "5.2", "5.3"],
        "lead_auditor": None,
        "planned_start": dt.date(2025, 3, 1),
    }
    return audits.create_audit(project, {**base, **values})


def test_checklist_holds_clause_questions_and_only_applicable_controls(project: Project) -> None:
    code = _plan(project)
    items = audits.checklist(project, code)
    refs = [i.ref for i in items]
    assert refs[0].startswith("6.1.2")
    assert all(r.startswith("6.1.2") for r in refs[:-1])
    assert refs[-1] == "A.5.1"  # 5.2 is excluded, 5.3 undecided
    assert "A.5.2" not in refs and "A.5.3" not in refs
    assert [i.position for i in items] == list(range(1, len(items) + 1))
    assert audits.audit(project, code).items == len(items)


def test_working_through_and_completing_raises_findings(project: Project) -> None:
    code = _plan(project)
    items = audits.checklist(project, code)
    with pytest.raises(BadArgumentsError, match="must be one of"):
        audits.record_item(project, items[0].id, result="splendid")
    first = audits.record_item(
        project, items[0].id, result="minor", notes="Criteria not approved", interviewees="ISO"
    )
    assert first.result == "minor_nc" and first.result_label == "Minor nonconformity"
    assert audits.audit(project, code).status == "in_progress"
    audits.record_item(project, items[1].id, result="OFI", evidence_seen="Risk register")
    with pytest.raises(BadArgumentsError, match="have no result yet"):
        audits.complete(project, code, summary="", signed_off_by="Grace")
    for item in items[2:]:
        audits.record_item(project, item.id, result="conforming")
    found = audits.complete(
        project, code, summary="Fine", signed_off_by="Grace", signed_off_on=dt.date(2025, 3, 2)
    )
    assert len(found) == 2
    rows = {r.code: r.values for r in registers.list_rows(project, "findings")}
    kinds = sorted(v["kind"] for v in rows.values())
    assert kinds == ["minor_nc", "ofi"]
    assert any(v["description"] == "Criteria not approved" for v in rows.values())
    assert audits.checklist(project, code)[0].finding in rows
    summary = audits.audit(project, code)
    assert summary.status == "completed" and summary.signed_off_by == "Grace"
    assert summary.results["conforming"] == len(items) - 2
    with pytest.raises(BadArgumentsError, match="completed"):
        audits.record_item(project, items[0].id, result="conforming")
    assert audits.raise_findings(project, code) == []  # nothing twice


def test_status_cannot_skip(project: Project) -> None:
    code = _plan(project)
    with pytest.raises(BadArgumentsError, match="planned to completed"):
        audits.set_status(project, code, "completed")
    audits.set_status(project, code, "cancelled")
    assert audits.audit(project, code).status == "cancelled"


def test_templates_are_saved_and_reused(project: Project) -> None:
    code = _plan(project)
    audits.add_item(project, code, "X.1", "Is the coffee machine secure?")
    n = audits.save_as_template(project, code, "Risk audit")
    assert ("Risk audit", n) in audits.templates(project)
    other = _plan(project, title="Second", clauses=[], controls=[])
    assert audits.checklist(project, other) == []
    assert audits.generate(project, other, template="Risk audit") == n
    questions = [i.question for i in audits.checklist(project, other)]
    assert questions[-1] == "Is the coffee machine secure?"
    items = audits.template(project, "Risk audit")
    audits.save_template(project, "Risk audit", items[:2])
    assert audits.templates(project) == [("Risk audit", 2)]
    audits.record_item(project, audits.checklist(project, other)[0].id, notes="started")
    with pytest.raises(BadArgumentsError, match="already has a checklist"):
        audits.generate(project, other, template="Risk audit", replace=True)
    audits.delete_template(project, "Risk audit")
    assert audits.templates(project) == []


def test_evidence_attached_to_an_item(project: Project, tmp_path: Path) -> None:
    code = _plan(project)
    item = audits.checklist(project, code)[0]
    source = tmp_path / "screenshot.png"
    source.write_bytes(b"\x89PNG fake")
    audits.attach_evidence(project, item.id, source)
    assert audits.checklist(project, code)[0].attachments == 1
    assert audits.item_attachments(project, item.id)[0][1:] == ("screenshot.png", 9)


def test_programme_coverage(project: Project) -> None:
    _plan(project, clauses=["9"], controls=["5.1"])
    cov = audits.programme_coverage(project)
    states = {(i.kind, i.number): i.state for i in cov.items}
    assert states[("clause", "9.2.2")] == "planned"
    assert states[("clause", "4.1")] == "not_covered"
    assert states[("control", "5.1")] == "planned"
    assert ("control", "5.2") not in states  # not applicable: nothing to audit
    programme = audits.programme(project)
    assert programme.start == dt.date(2025, 3, 1)
    assert programme.end == dt.date(2028, 2, 29)


def test_demo_has_a_programme_and_a_completed_audit(demo_path: Path) -> None:
    with open_project(demo_path, read_only=True) as demo:
        programme = audits.programme(demo)
        assert len(programme.audits) >= 5
        assert programme.end - programme.start > dt.timedelta(days=1000)
        done = [a for a in programme.audits if a.status == "completed"]
        assert len(done) == 1 and done[0].unanswered == 0
        assert set(done[0].results) >= {"conforming", "major_nc", "minor_nc", "observation"}
        kinds = {r.values["kind"] for r in registers.list_rows(demo, "findings")}
        assert kinds == {"major_nc", "minor_nc", "observation", "ofi"}
        assert programme.coverage.missing("control")  # the view has gaps to show

"""Finding → nonconformity → corrective action → verification → closed, on a real file."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from isms_desktop.domain.audit_nonconformity import NcTransitionError
from isms_desktop.domain.errors import BadArgumentsError, IsmsError
from isms_desktop.services import audits, nonconformities, registers
from isms_desktop.storage.project_file import Project, open_project

DAY = dt.date(2025, 5, 1)


@pytest.fixture
def project(project_path: Path) -> Iterator[Project]:
    with open_project(project_path) as opened:
        registers.create(opened, "people", {"code": "P-001", "name": "Ann Auditor"})
        registers.create(opened, "people", {"code": "P-002", "name": "Ivan Owner"})
        yield opened


def _finding(project: Project, result: str = "major_nc") -> str:
    code = audits.create_audit(
        project,
        {"title": "Backup audit", "clauses": ["7.5.3"], "lead_auditor": "P-001"},
    )
    items = audits.checklist(project, code)
    for item in items:
        audits.record_item(project, item.id, result="conforming")
    audits.record_item(project, items[0].id, result=result, notes="No restore test ever")
    (finding,) = audits.complete(project, code, summary="", signed_off_by="Ann", signed_off_on=DAY)
    return finding


def test_closed_loop_with_illegal_transitions_refused(project: Project) -> None:
    nc = nonconformities.raise_from_finding(project, _finding(project))
    detail = nonconformities.detail(project, nc)
    assert detail.status == "open" and detail.severity == "major"
    assert detail.description == "No restore test ever" and detail.finding.startswith("F-")
    assert registers.get(project, "nonconformities", nc).display["raised_by"] == "Ann Auditor"
    assert detail.next_steps == ()
    with pytest.raises(NcTransitionError, match="next step is cause analysed"):
        nonconformities.transition(project, nc, "closed")
    with pytest.raises(NcTransitionError, match="root cause"):
        nonconformities.transition(project, nc, "cause_analysed")
    detail = nonconformities.analyse_cause(
        project, nc, whys=["No test", "No owner", "Policy silent on owner"]
    )
    assert detail.status == "cause_analysed" and detail.root_cause == "Policy silent on owner"
    with pytest.raises(NcTransitionError, match="at least one corrective action"):
        nonconformities.plan_actions(project, nc)
    action = nonconformities.add_corrective_action(
        project, nc, title="Name an owner for restore tests", owner=None, due_date=None
    )
    with pytest.raises(NcTransitionError, match="owner and a due date"):
        nonconformities.plan_actions(project, nc)
    registers.update(project, "actions", action, "owner", "P-002")
    registers.update(project, "actions", action, "due_date", "2025-06-01")
    assert nonconformities.plan_actions(project, nc).status == "action_planned"
    # the corrective action is in the one action list
    row = registers.get(project, "actions", action)
    assert row.values["source"] == "corrective" and row.values["nonconformity"] == nc
    with pytest.raises(NcTransitionError, match="not done yet"):
        nonconformities.transition(project, nc, "implemented")
    with pytest.raises(NcTransitionError, match="effectiveness is verified once"):
        nonconformities.verify_effectiveness(
            project, nc, verified_by="P-001", verified_on=DAY, verification="x", effective=True
        )
    nonconformities.complete_action(project, action, DAY)
    assert nonconformities.detail(project, nc).status == "implemented"
    # not effective: back to planning, more action needed
    detail = nonconformities.verify_effectiveness(
        project,
        nc,
        verified_by="P-001",
        verified_on=DAY,
        verification="Restore test still not scheduled",
        effective=False,
    )
    assert detail.status == "action_planned"
    second = nonconformities.add_corrective_action(
        project, nc, title="Calendar entry", owner="P-002", due_date=DAY
    )
    nonconformities.complete_action(project, second, DAY)
    assert nonconformities.detail(project, nc).status == "implemented"
    detail = nonconformities.verify_effectiveness(
        project,
        nc,
        verified_by="Ann Auditor",
        verified_on=DAY,
        verification="Two quarterly tests done",
        effective=True,
    )
    assert detail.status == "verified" and detail.verified_by == "P-001"
    assert nonconformities.close(project, nc).status == "closed"
    with pytest.raises(NcTransitionError):
        nonconformities.transition(project, nc, "open")
    with pytest.raises(IsmsError, match="filled in automatically"):
        registers.update(project, "nonconformities", nc, "status", "open")


def test_observations_do_not_raise_nonconformities(project: Project) -> None:
    finding = _finding(project, "observation")
    with pytest.raises(BadArgumentsError, match="not a nonconformity"):
        nonconformities.raise_from_finding(project, finding)


def test_raise_for_whole_audit_once(project: Project) -> None:
    finding = _finding(project, "minor_nc")
    audit = registers.get(project, "findings", finding).values["audit"]
    (nc,) = nonconformities.raise_for_audit(project, audit)
    assert nonconformities.detail(project, nc).severity == "minor"
    assert nonconformities.raise_for_audit(project, audit) == []
    with pytest.raises(BadArgumentsError, match="already raised"):
        nonconformities.raise_from_finding(project, finding)


def test_raised_from_a_complaint(project: Project) -> None:
    nc = nonconformities.raise_nonconformity(
        project, {"source": "complaint", "description": "Client complaint", "requirement": "5.14"}
    )
    assert nonconformities.detail(project, nc).source == "complaint"


def test_demo_has_nonconformities_in_every_status(demo_path: Path) -> None:
    with open_project(demo_path, read_only=True) as demo:
        rows = registers.list_rows(demo, "nonconformities")
        statuses = {r.values["status"] for r in rows}
        assert statuses == {
            "open",
            "cause_analysed",
            "action_planned",
            "implemented",
            "verified",
            "closed",
        }
        closed = next(r for r in rows if r.values["status"] == "closed")
        detail = nonconformities.detail(demo, closed.code)
        assert detail.effective is True and detail.root_cause and detail.actions
        assert all(a.status == "done" for a in detail.actions)

"""Undo and redo of raising nonconformities from findings: ``nonconformities.withdraw_raised``
deletes what was raised (only while nothing was recorded on it), ``raise_again`` raises it
again with the same code and values; each in one transaction, in the audit trail."""

from __future__ import annotations

import dataclasses
import datetime as dt
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from isms_desktop.domain.audit_nonconformity import NcTransitionError
from isms_desktop.services import attachments, audits, nonconformities, registers
from isms_desktop.storage.project_file import Project, open_project

DAY = dt.date(2025, 5, 1)


@pytest.fixture
def project(project_path: Path) -> Iterator[Project]:
    with open_project(project_path) as opened:
        registers.create(opened, "people", {"code": "P-001", "name": "Ann Auditor"})
        yield opened


def _findings(project: Project, results: tuple[str, ...] = ("major_nc",)) -> list[str]:
    code = audits.create_audit(
        project, {"title": "Backup audit", "clauses": ["7.5.3"], "lead_auditor": "P-001"}
    )
    items = audits.checklist(project, code)
    assert len(items) > len(results)
    for item in items:
        audits.record_item(project, item.id, result="conforming")
    for item, result in zip(items, results, strict=False):
        audits.record_item(project, item.id, result=result, notes=f"Seen: {result}")
    return audits.complete(project, code, summary="", signed_off_by="Ann", signed_off_on=DAY)


def _raised(project: Project, findings: list[str]) -> list[nonconformities.RaisedNc]:
    made = [nonconformities.raise_from_finding(project, f) for f in findings]
    return nonconformities.raised(project, made)


def _nc_codes(project: Project) -> set[str]:
    return {r.code for r in registers.list_rows(project, "nonconformities")}


def test_undo_deletes_what_was_raised_and_redo_raises_it_again_the_same(
    project: Project,
) -> None:
    findings = _findings(project, ("major_nc", "minor_nc"))
    before = _nc_codes(project)
    raised = _raised(project, findings)
    codes = [r.code for r in raised]
    values = {c: registers.get(project, "nonconformities", c).values for c in codes}
    assert values[codes[0]]["raised_by"] == "P-001" and values[codes[0]]["finding"]

    nonconformities.withdraw_raised(project, raised)
    assert _nc_codes(project) == before
    assert nonconformities.raisable(project, findings) == findings  # can be raised again

    again = nonconformities.raise_again(project, raised)
    assert [r.code for r in again] == codes
    assert [dataclasses.replace(r, version=0) for r in again] == [
        dataclasses.replace(r, version=0) for r in raised
    ]
    for code in codes:
        assert registers.get(project, "nonconformities", code).values == values[code]
    assert nonconformities.raisable(project, findings) == []

    # undone again, from what the redo left
    nonconformities.withdraw_raised(project, again)
    assert _nc_codes(project) == before


def test_undo_and_redo_are_in_the_audit_trail(project: Project, project_path: Path) -> None:
    raised = _raised(project, _findings(project))
    code = raised[0].code
    nonconformities.withdraw_raised(project, raised)
    nonconformities.raise_again(project, raised)
    conn = sqlite3.connect(project_path)
    try:
        kinds = [
            kind
            for (kind,) in conn.execute(
                "SELECT kind FROM change_log WHERE register = 'nonconformities' "
                "AND record_code = ? AND field IS NULL ORDER BY id",
                (code,),
            )
        ]
    finally:
        conn.close()
    assert kinds[-3:] == ["created", "deleted", "created"]


@pytest.mark.parametrize(
    "record",
    [
        lambda p, c: nonconformities.record_correction(p, c, "Restore test run today"),
        lambda p, c: nonconformities.analyse_cause(p, c, whys=["No owner"]),
        lambda p, c: nonconformities.add_corrective_action(
            p, c, title="Name an owner", owner="P-001", due_date=DAY
        ),
        lambda p, c: registers.update(p, "nonconformities", c, "description", "Sharper"),
    ],
    ids=["correction", "root cause", "corrective action", "edited"],
)
def test_undo_is_refused_when_something_was_recorded_since(project: Project, record) -> None:
    findings = _findings(project, ("major_nc", "minor_nc"))
    raised = _raised(project, findings)
    code = raised[1].code
    record(project, code)
    with pytest.raises(NcTransitionError) as refused:
        nonconformities.withdraw_raised(project, raised)
    message = str(refused.value)
    assert code in message and "can no longer be undone" in message
    assert {r.code for r in raised} <= _nc_codes(project)  # none deleted, not even the first


def test_undo_names_what_was_recorded(project: Project, tmp_path: Path) -> None:
    raised = _raised(project, _findings(project))
    code = raised[0].code
    action = nonconformities.add_corrective_action(
        project, code, title="Name an owner", owner=None, due_date=None
    )
    nonconformities.record_correction(project, code, "Restored once by hand")
    with pytest.raises(NcTransitionError) as refused:
        nonconformities.withdraw_raised(project, raised)
    assert str(refused.value) == (
        f"Raising {code} can no longer be undone: corrective action {action} and a correction "
        "were recorded on it since. Keep it, or delete what was recorded first if it was "
        "raised by mistake"
    )
    other = _raised(project, _findings(project))
    evidence = tmp_path / "restore-log.txt"
    evidence.write_text("restored")
    attachments.add_attachment(project, "nonconformities", other[0].code, evidence)
    with pytest.raises(NcTransitionError, match="evidence was recorded on it since"):
        nonconformities.withdraw_raised(project, other)


def test_undo_of_a_nonconformity_deleted_meanwhile_is_refused(project: Project) -> None:
    raised = _raised(project, _findings(project))
    registers.delete(project, "nonconformities", raised[0].code)
    with pytest.raises(NcTransitionError, match="has been deleted since it was raised"):
        nonconformities.withdraw_raised(project, raised)


def test_redo_is_refused_when_the_finding_was_raised_again_or_the_code_taken(
    project: Project,
) -> None:
    findings = _findings(project)
    raised = _raised(project, findings)
    nonconformities.withdraw_raised(project, raised)
    other = nonconformities.raise_from_finding(project, findings[0])  # by hand, meanwhile
    assert other == raised[0].code  # (the code given out again)
    with pytest.raises(NcTransitionError, match=f"has had {other} raised from it since"):
        nonconformities.raise_again(project, raised)
    assert _nc_codes(project) >= {other}

    registers.delete(project, "nonconformities", other)
    registers.create(
        project, "nonconformities", {"code": other, "description": "A complaint", "source": "other"}
    )
    with pytest.raises(NcTransitionError, match="its code is now used by another"):
        nonconformities.raise_again(project, raised)
    assert nonconformities.detail(project, other).description == "A complaint"


def test_redo_is_refused_when_the_finding_is_gone(project: Project) -> None:
    findings = _findings(project)
    raised = _raised(project, findings)
    nonconformities.withdraw_raised(project, raised)
    registers.delete(project, "findings", findings[0])
    with pytest.raises(NcTransitionError, match="has been deleted since"):
        nonconformities.raise_again(project, raised)
    assert raised[0].code not in _nc_codes(project)


def test_a_step_taken_on_it_and_undone_since_does_not_stop_the_undo(project: Project) -> None:
    raised = _raised(project, _findings(project))
    code = raised[0].code
    # a correction recorded and undone in the Improvement panel (Edit > Undo, twice)
    before = nonconformities.state(project, code)
    nonconformities.record_correction(project, code, "Restored once by hand")
    after = nonconformities.state(project, code)
    nonconformities.restore_state(project, before, expected=after)
    assert nonconformities.raised(project, [code])[0].version > raised[0].version
    nonconformities.withdraw_raised(project, raised)
    assert code not in _nc_codes(project)

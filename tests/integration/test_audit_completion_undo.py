"""Undo and redo of completing an audit: ``audits.reopen`` and ``audits.complete_again``.

Reopening is the exact inverse of completing (status, summary, sign-off back; the findings
the completion raised deleted); completing again makes the same findings with the same
codes. Either refuses, changing nothing, when the audit changed since.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from isms_desktop.domain.errors import BadArgumentsError
from isms_desktop.services import attachments, audits, nonconformities, registers
from isms_desktop.storage.project_file import Project, open_project

DAY = dt.date(2025, 3, 2)


@pytest.fixture
def project(project_path: Path) -> Iterator[Project]:
    with open_project(project_path) as opened:
        registers.update(opened, "soa", "5.1", "applicable", True)
        yield opened


def _answered(project: Project) -> str:
    """An audit in progress, every item answered: one minor NC, one improvement."""
    code = audits.create_audit(
        project,
        {"title": "Audit of risk management", "clauses": ["6.1.2"], "controls": ["5.1"]},
    )
    items = audits.checklist(project, code)
    assert len(items) >= 3
    audits.record_item(project, items[0].id, result="minor_nc", notes="Criteria not approved")
    audits.record_item(project, items[1].id, result="ofi", evidence_seen="Risk register")
    for item in items[2:]:
        audits.record_item(project, item.id, result="conforming")
    return code


def _completed(project: Project) -> tuple[audits.AuditState, audits.AuditState, list[str]]:
    code = _answered(project)
    registers.update(project, "audits", code, "summary", "Draft notes")
    before = audits.state(project, code)
    found = audits.complete(project, code, summary="Fine", signed_off_by="Grace", signed_off_on=DAY)
    return before, audits.state(project, code), found


def _without_versions(state: audits.AuditState) -> audits.AuditState:
    findings = tuple(dataclasses.replace(f, version=0) for f in state.findings)
    return dataclasses.replace(state, version=0, findings=findings)


def _finding_codes(project: Project) -> set[str]:
    return {r.code for r in registers.list_rows(project, "findings")}


def test_reopen_puts_the_audit_back_exactly_and_complete_again_redoes_it(
    project: Project,
) -> None:
    before, after, found = _completed(project)
    assert len(found) == 2 and after.status == "completed" and after.version > before.version
    assert {f.code for f in after.raised_since(before)} == set(found)

    reopened = audits.reopen(project, before, expected=after)
    assert _without_versions(reopened) == _without_versions(before)
    assert reopened.status == "in_progress" and reopened.summary == "Draft notes"
    assert reopened.signed_off_by == "" and reopened.signed_off_on is None
    assert not _finding_codes(project) & set(found)
    assert all(e.finding == "" for e in audits.checklist(project, before.code))

    again = audits.complete_again(project, after, expected=reopened)
    assert _without_versions(again) == _without_versions(after)  # same codes, same values
    assert audits.audit(project, before.code).signed_off_on == DAY
    assert {e.finding for e in audits.checklist(project, before.code)} >= set(found)

    # and back again, from the state completing again left
    assert _without_versions(audits.reopen(project, before, expected=again)) == (
        _without_versions(before)
    )


def test_reopening_and_completing_again_are_in_the_audit_trail(
    project: Project, project_path: Path
) -> None:
    before, after, found = _completed(project)
    audits.reopen(project, before, expected=after)
    conn = sqlite3.connect(project_path)
    try:
        rows = conn.execute(
            "SELECT register, record_code, field, old_value, new_value, kind FROM change_log"
            " ORDER BY id"
        ).fetchall()
    finally:
        conn.close()
    *_, last_status = [r for r in rows if r[1] == before.code and r[2] == "status"]
    assert "completed" in str(last_status[3]) and "in_progress" in str(last_status[4])
    deleted = {r[1] for r in rows if r[0] == "findings" and r[5] == "deleted"}
    assert deleted == set(found)


def test_reopen_is_refused_when_the_audit_was_edited_since(project: Project) -> None:
    before, after, found = _completed(project)
    registers.update(project, "audits", before.code, "summary", "Rewritten")
    with pytest.raises(BadArgumentsError, match="changed since it was completed"):
        audits.reopen(project, before, expected=after)
    now = audits.audit(project, before.code)
    assert now.status == "completed" and now.summary == "Rewritten"
    assert set(found) <= _finding_codes(project)


def test_reopen_is_refused_when_a_finding_was_edited_or_given_evidence(
    project: Project, tmp_path: Path
) -> None:
    before, after, found = _completed(project)
    registers.update(project, "findings", found[0], "description", "Sharper wording")
    with pytest.raises(BadArgumentsError, match="changed since"):
        audits.reopen(project, before, expected=after)
    edited = audits.state(project, before.code)
    evidence = tmp_path / "screenshot.png"
    evidence.write_bytes(b"png")
    attachments.add_attachment(project, "findings", found[1], evidence)
    with pytest.raises(BadArgumentsError, match="changed since"):
        audits.reopen(project, before, expected=edited)
    assert audits.audit(project, before.code).status == "completed"


def test_reopen_is_refused_once_a_nonconformity_was_raised_from_a_finding(
    project: Project,
) -> None:
    before, after, found = _completed(project)
    minor = next(f.code for f in after.findings if f.kind == "minor_nc")
    nc = nonconformities.raise_from_finding(project, minor)
    with pytest.raises(BadArgumentsError, match=f"{nc} \\(from {minor}\\)"):
        audits.reopen(project, before, expected=after)
    assert audits.audit(project, before.code).status == "completed"
    assert set(found) <= _finding_codes(project)


def test_reopen_is_refused_for_an_audit_that_is_not_completed(project: Project) -> None:
    code = _answered(project)
    now = audits.state(project, code)
    with pytest.raises(BadArgumentsError, match="not completed"):
        audits.reopen(project, now, expected=now)


def test_complete_again_is_refused_when_the_checklist_or_a_code_changed(
    project: Project,
) -> None:
    before, after, found = _completed(project)
    reopened = audits.reopen(project, before, expected=after)
    item = audits.checklist(project, before.code)[2]
    audits.record_item(project, item.id, result="major_nc")
    with pytest.raises(BadArgumentsError, match="changed since it was reopened"):
        audits.complete_again(project, after, expected=reopened)
    assert audits.audit(project, before.code).status == "in_progress"

    audits.record_item(project, item.id, result="conforming")
    reopened = audits.state(project, before.code)
    registers.create(
        project,
        "findings",
        {"code": found[0], "audit": before.code, "kind": "observation", "description": "x"},
    )
    # the new finding is the audit's own: a change since, named as such
    with pytest.raises(BadArgumentsError, match="changed since"):
        audits.complete_again(project, after, expected=reopened)
    assert audits.audit(project, before.code).status == "in_progress"


def test_complete_again_is_refused_when_a_code_is_taken_by_another_audit(
    project: Project,
) -> None:
    before, after, found = _completed(project)
    reopened = audits.reopen(project, before, expected=after)
    other = audits.create_audit(project, {"title": "Other", "clauses": ["6.1.2"]})
    registers.create(
        project,
        "findings",
        {"code": found[0], "audit": other, "kind": "observation", "description": "x"},
    )
    with pytest.raises(BadArgumentsError, match=f"{found[0]} is now used"):
        audits.complete_again(project, after, expected=reopened)
    assert audits.audit(project, before.code).status == "in_progress"

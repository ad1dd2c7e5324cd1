"""The Statement of Applicability: derived reasons, warnings, versions, evidence."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from isms_desktop.domain.errors import IsmsError
from isms_desktop.services import attachments, registers, soa
from isms_desktop.services.registers import InvalidValueError
from isms_desktop.storage.project_file import Project, open_project


@pytest.fixture
def project(project_path: Path) -> Iterator[Project]:
    with open_project(project_path) as p:
        yield p


def test_the_soa_lists_all_93_controls_in_order(project: Project) -> None:
    rows = registers.list_rows(project, "soa")
    assert len(rows) == 93
    assert [r.code for r in rows[:3]] == ["5.1", "5.2", "5.3"]
    assert rows[9].code == "5.10"
    assert rows[-1].code == "8.34"
    assert rows[0].values["title"] == "Policies for information security"
    with pytest.raises(InvalidValueError):
        registers.create(project, "soa", {"code": "9.1"})
    with pytest.raises(IsmsError):
        registers.delete(project, "soa", "5.1")


def test_any_spelling_of_a_control_number_finds_its_row(project: Project) -> None:
    for spelling in ("5.1", "A.5.1", "A 5.1", "a5.1"):
        assert registers.get(project, "soa", spelling).code == "5.1"
    result = registers.upsert_rows(
        project, "soa", [(2, {"code": "A.8.5", "applicable": "Yes", "status": "Implemented"})]
    )
    assert result.written and result.updated == 1 and result.created == 0
    bad = registers.upsert_rows(project, "soa", [(3, {"code": "A.9.9", "applicable": "no"})])
    assert not bad.written and "9.9" in bad.problems[0].reason


def test_reasons_follow_risk_edits_immediately(project: Project) -> None:
    risk = registers.create(project, "risks", {"title": "Phishing", "controls": "8.5"}).code
    assert registers.get(project, "soa", "8.5").values["risks"] == [risk]
    registers.update(project, "risks", risk, "controls", "5.17")
    assert registers.get(project, "soa", "8.5").values["risks"] == []
    assert registers.get(project, "soa", "5.17").values["risks"] == [risk]
    registers.delete(project, "risks", risk)
    assert registers.get(project, "soa", "5.17").values["risks"] == []


def test_the_risks_behind_a_control_are_listed_in_code_order(project: Project) -> None:
    for code in ("R-120", "R-007", "R-045", "R-300"):
        registers.create(project, "risks", {"code": code, "title": code, "controls": "8.13"})
    registers.create(project, "risks", {"code": "R-001", "title": "Other", "controls": "5.1"})
    assert registers.get(project, "soa", "8.13").values["risks"] == [
        "R-007",
        "R-045",
        "R-120",
        "R-300",
    ]
    assert registers.get(project, "soa", "5.1").values["risks"] == ["R-001"]
    assert registers.get(project, "soa", "8.14").values["risks"] == []


def _rules(project: Project, code: str) -> set[str]:
    return {w.rule for w in soa.warnings(project) if w.code == code}


def test_each_warning_rule(project: Project, tmp_path: Path) -> None:
    assert _rules(project, "5.1") == {"undecided"}
    registers.create(project, "people", {"name": "Ana"})
    risk = registers.create(project, "risks", {"title": "R", "controls": "8.5"}).code
    registers.update(project, "soa", "8.5", "applicable", "no")
    assert _rules(project, "8.5") == {"selected_but_excluded", "no_justification"}
    registers.update(project, "soa", "8.5", "justification", "Not needed")
    assert _rules(project, "8.5") == {"selected_but_excluded"}
    registers.update(project, "risks", risk, "controls", "")
    assert _rules(project, "8.5") == set()
    registers.update(project, "soa", "5.2", "applicable", "yes")
    assert _rules(project, "5.2") == {"no_owner"}
    registers.update(project, "soa", "5.2", "owner", "Ana")
    registers.update(project, "soa", "5.2", "status", "implemented")
    assert _rules(project, "5.2") == {"no_evidence"}
    evidence = tmp_path / "minutes.pdf"
    evidence.write_bytes(b"%PDF-1.4 board minutes")
    attachments.add_attachment(project, "soa", "5.2", evidence)
    assert _rules(project, "5.2") == set()


def test_evidence_round_trip_keeps_bytes_and_hash(project: Project, tmp_path: Path) -> None:
    payload = os.urandom(3 * 1024 * 1024 + 17)
    source = tmp_path / "scan.bin"
    source.write_bytes(payload)
    info = attachments.add_attachment(project, "soa", "8.13", source)
    assert info.size == len(payload)
    assert info.sha256 == hashlib.sha256(payload).hexdigest()
    out = attachments.save_attachment(project, info.id, tmp_path / "out.bin")
    assert out.read_bytes() == payload
    listed = attachments.list_attachments(project, "soa", "8.13")
    assert [a.name for a in listed] == ["scan.bin"]
    copy = attachments.open_copy(project, info.id)
    assert copy.read_bytes() == payload and copy.name == "scan.bin"


@pytest.mark.parametrize(
    "name,expected",
    [
        ("../../etc/passwd", "passwd"),
        ("C:\\Windows\\evil.exe", "evil.exe"),
        ("CON.txt", "_CON.txt"),
        ("lpt1", "_lpt1"),
        ("a" * 4000 + ".pdf", "a" * 196 + ".pdf"),
        ("re:port?.pdf", "re_port_.pdf"),
    ],
)
def test_odd_file_names_are_stored_safely(
    project: Project, tmp_path: Path, name: str, expected: str
) -> None:
    source = tmp_path / "x"
    source.write_bytes(b"evidence")
    info = attachments.add_attachment(project, "soa", "5.1", source, name=name)
    assert info.name == expected
    copy = attachments.open_copy(project, info.id)
    assert copy.parent.name.startswith("isms-attachment-") and copy.name == expected


def test_approved_versions_are_frozen_and_comparable(project: Project) -> None:
    registers.update(project, "soa", "5.1", "applicable", "yes")
    first = soa.approve(project, "Helen Marsh", "initial approval")
    assert first.number == 1
    frozen = soa.version_rows(project, 1)
    assert len(frozen) == 93 and frozen[0]["applicable"] == "Yes"
    registers.update(project, "soa", "5.1", "applicable", "no")
    registers.update(project, "soa", "5.1", "justification", "changed our mind")
    assert soa.version_rows(project, 1) == frozen
    diff = {(d.code, d.field): (d.then, d.now) for d in soa.compare(project, 1)}
    assert diff[("5.1", "applicable")] == ("Yes", "No")
    assert diff[("5.1", "justification")] == ("", "changed our mind")
    assert soa.approve(project, "Helen Marsh").number == 2
    assert [v.number for v in soa.versions(project)] == [1, 2]


def test_an_approval_can_be_dated_when_it_was_given(project: Project) -> None:
    """E.g. the date of the management review; never in the future, never before the last."""
    today = dt.date.today()
    registers.update(project, "soa", "5.2", "last_review", today - dt.timedelta(days=3))
    first = soa.approve(project, "Helen Marsh", on=today - dt.timedelta(days=10))
    assert first.approved_on == today - dt.timedelta(days=10)
    assert soa.versions(project)[0].approved_on == first.approved_on
    reviewed = {r.code: r.values["last_review"] for r in registers.list_rows(project, "soa")}
    assert reviewed["5.1"] == today - dt.timedelta(days=10)
    assert reviewed["5.2"] == today - dt.timedelta(days=3)  # reviewed after the approval
    frozen = {row["code"]: row["last_review"] for row in soa.version_rows(project, 1)}
    assert frozen["5.2"] == (today - dt.timedelta(days=3)).isoformat()
    assert soa.compare(project, 1) == []
    with pytest.raises(IsmsError, match="future"):
        soa.approve(project, "Helen Marsh", on=today + dt.timedelta(days=1))
    with pytest.raises(IsmsError, match="cannot be dated earlier"):
        soa.approve(project, "Helen Marsh", on=today - dt.timedelta(days=11))
    assert [v.number for v in soa.versions(project)] == [1]


def test_the_demo_soa_was_approved_at_the_management_review(demo_path: Path) -> None:
    """Version 1, approved by the CEO at the review; 8.16 has moved on since."""
    with open_project(demo_path, read_only=True) as demo:
        review = registers.list_rows(demo, "reviews")[0]
        [version] = soa.versions(demo)
        assert (version.number, version.approved_by) == (1, "Helen Marsh")
        assert version.approved_on == review.values["date"] < dt.date.today()
        assert review.code in version.note
        changes = soa.compare(demo, 1)
        assert {(d.code, d.field) for d in changes} == {
            ("8.16", "status"),
            ("8.16", "implementation"),
        }
        status = next(d for d in changes if d.field == "status")
        assert (status.then, status.now) == ("Planned", "Partially implemented")
        assert registers.get(demo, "soa", "8.16").values["status"] == "partially_implemented"
        frozen = soa.version_rows(demo, 1)
        assert len(frozen) == 93
        assert all(row["last_review"] >= version.approved_on.isoformat() for row in frozen)


def test_the_demo_soa_is_fully_filled(demo_path: Path) -> None:
    with open_project(demo_path, read_only=True) as demo:
        rows = registers.list_rows(demo, "soa")
        assert len(rows) == 93
        for row in rows:
            assert row.values["applicable"] is not None, row.code
            assert row.values["owner"], row.code
            if row.values["applicable"]:
                assert row.values["implementation"], row.code
                assert row.values["status"] != "not_started", row.code
            else:
                assert len(row.values["justification"]) > 40, row.code
        rules = {w.rule for w in soa.warnings(demo)}
        assert "undecided" not in rules and "no_justification" not in rules
        evidence = attachments.list_attachments(demo, "soa", "5.1")
        assert evidence and all(a.size > 0 for a in evidence)


def test_an_outside_soa_workbook_updates_the_rows_in_any_spelling(
    project_path: Path, tmp_path: Path
) -> None:
    """A consultant's old SoA (their own headers, control numbers spelled three ways)."""
    import openpyxl

    from isms_desktop.cli import main

    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Statement of Applicability — Acme, draft"])
    sheet.append([])
    sheet.append(["Control", "Applicable?", "Justification for exclusion", "Status"])
    sheet.append(["A.5.1", "Yes", "", "Implemented"])
    sheet.append(["A 8.30", "No", "No software development is outsourced", ""])
    sheet.append(["7.4", "yes", "", "planned"])
    source = tmp_path / "old soa.xlsx"
    book.save(source)
    assert main(["import", str(project_path), "--register", "soa", "--from", str(source)]) == 0
    with open_project(project_path, read_only=True) as project:
        rows = {code: registers.get(project, "soa", code).values for code in ("5.1", "8.30", "7.4")}
        assert registers.count(project, "soa") == 93
    assert rows["5.1"]["applicable"] is True and rows["5.1"]["status"] == "implemented"
    assert rows["8.30"]["applicable"] is False
    assert rows["8.30"]["justification"] == "No software development is outsourced"
    assert rows["7.4"]["status"] == "planned"

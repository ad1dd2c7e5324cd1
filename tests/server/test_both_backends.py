"""The core storage and services use cases, run on a project file and on a PostgreSQL server
alike: the same calls must give the same results (team mode changes nothing else)."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from isms_desktop.domain.errors import IsmsError
from isms_desktop.reports.pdf.kinds import make_report
from isms_desktop.reports.xlsx_export import export_workbook
from isms_desktop.services import attachments, readiness, registers, risk_method, soa
from isms_desktop.services.projects import project_info
from isms_desktop.storage.models import ChangeLog
from isms_desktop.storage.project_file import Project, open_project

BACKENDS = ["sqlite", "postgresql"]

Opener = Callable[[str], Project]


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Opener]:
    """Opens a copy of a session template (``project`` or ``demo``) on one backend."""
    opened: list[Project] = []

    def open_copy(which: str) -> Project:
        if request.param == "sqlite":
            template = request.getfixturevalue(f"template_{which}")
            path = tmp_path / f"{which}-{len(opened)}.isms"
            shutil.copyfile(template, path)
            project = open_project(path)
        else:
            database = request.getfixturevalue(f"pg_template_{which}")
            url = request.getfixturevalue("new_pg_database")(database)
            project = open_project(url)
        opened.append(project)
        return project

    yield open_copy
    for project in opened:
        project.close()


def test_the_project_is_where_it_was_opened(backend: Opener) -> None:
    project = backend("project")
    if project.path is None:
        assert project.location.startswith("postgresql://")
        assert "team-mode-test" not in project.location  # never the password
    info = project_info(project)
    assert info["organisation"] == "Acme Test Ltd"
    assert info["counts"]["controls"] == 93
    assert info["counts"]["soa"] == 93


def test_registers_create_update_delete_restore(backend: Opener) -> None:
    project = backend("project")
    person = registers.create(project, "people", {"name": "Ann Example", "role": "CISO"})
    asset = registers.create(
        project, "assets", {"name": "CRM", "type": "software", "owner": person.code}
    )
    row = registers.get(project, "assets", asset.code)
    assert row.values["owner"] == person.code
    assert row.display["owner"] == "Ann Example"
    assert row.version == 1
    change = registers.update(project, "assets", asset.code, "name", "CRM (cloud)")
    assert (change.old, change.new, change.version) == ("CRM", "CRM (cloud)", 2)
    assert [r.code for r in registers.list_rows(project, "assets", text="cloud")] == [asset.code]
    with pytest.raises(IsmsError, match="still used by"):
        registers.delete(project, "people", person.code)
    deleted = registers.delete(project, "assets", asset.code)
    assert registers.list_rows(project, "assets") == []
    registers.restore(project, "assets", deleted.snapshot)
    assert registers.get(project, "assets", asset.code).values["name"] == "CRM (cloud)"


def test_an_import_upserts_all_or_nothing(backend: Opener) -> None:
    project = backend("project")
    result = registers.upsert_rows(
        project, "people", [(2, {"name": "A"}), (3, {"name": "B", "email": "b@example.com"})]
    )
    assert (result.created, result.written) == (2, True)
    bad = registers.upsert_rows(project, "assets", [(2, {"name": "X", "type": "no such type"})])
    assert bad.problems and not bad.written
    assert registers.count(project, "assets") == 0


def test_risks_are_scored_and_linked(backend: Opener) -> None:
    project = backend("project")
    method = risk_method.current_method(project)
    asset = registers.create(project, "assets", {"name": "Laptops", "type": "hardware"}).code
    code = registers.create(
        project,
        "risks",
        {
            "title": "Theft",
            "inherent_likelihood": 4,
            "inherent_impact": 5,
            "assets": asset,
            "controls": "A.8.1, 7.9",
        },
    ).code
    row = registers.get(project, "risks", code)
    assert row.values["inherent_level"] == method.level(4, 5)
    assert row.values["assets"] == [asset]
    assert row.values["controls"] == ["7.9", "8.1"] or sorted(row.values["controls"]) == [
        "7.9",
        "8.1",
    ]
    registers.update(project, "risks", code, "inherent_impact", 1)
    assert registers.get(project, "risks", code).values["inherent_level"] == method.level(4, 1)
    ordered = registers.query_ids(project, "risks", sort="inherent_level", descending=True)
    assert len(ordered) == 1


def test_statement_of_applicability(backend: Opener) -> None:
    project = backend("project")
    registers.update(project, "soa", "5.1", "applicable", "No")
    assert any("5.1" in w.code for w in soa.warnings(project))  # an exclusion needs a reason
    registers.update(project, "soa", "5.1", "justification", "Covered by the parent company")
    assert registers.get(project, "soa", "5.1").values["applicable"] is False
    version = soa.approve(project, "Ann Example", "first")
    assert [v.number for v in soa.versions(project)] == [version.number]
    assert soa.compare(project, version.number) == []


def test_attachments_keep_their_bytes(backend: Opener, tmp_path: Path) -> None:
    project = backend("project")
    asset = registers.create(project, "assets", {"name": "CRM", "type": "software"}).code
    data = bytes(range(256)) * 4096  # 1 MiB, every byte value
    source = tmp_path / "evidence.bin"
    source.write_bytes(data)
    info = attachments.add_attachment(project, "assets", asset, source, note="scan")
    assert [a.name for a in attachments.list_attachments(project, "assets", asset)] == [
        "evidence.bin"
    ]
    out = attachments.save_attachment(project, info.id, tmp_path / "out.bin")
    assert out.read_bytes() == data


def test_readiness_export_and_report_of_the_demo(backend: Opener, tmp_path: Path) -> None:
    project = backend("demo")
    figures = readiness.report(project)
    assert 0 < figures.overall_percent <= 100
    result = export_workbook(project, tmp_path / "demo.xlsx")
    assert result.rows["risks"] >= 40
    book = load_workbook(tmp_path / "demo.xlsx", read_only=True)
    assert "Risks" in book.sheetnames
    book.close()
    pdf = make_report(project, "soa", tmp_path / "soa.pdf")
    assert pdf.pages >= 3
    assert (tmp_path / "soa.pdf").read_bytes().startswith(b"%PDF")


def test_the_audit_trail_names_who_changed_what(backend: Opener) -> None:
    project = backend("project")
    code = registers.create(project, "people", {"name": "Ann"}).code
    registers.update(project, "people", code, "name", "Ann B")
    with project.reading() as session:
        entries = session.scalars(select(ChangeLog).order_by(ChangeLog.id)).all()
    assert [(e.kind, e.field) for e in entries] == [("created", None), ("updated", "name")]
    assert "row_version" not in (entries[0].new_value or "")
    if project.path is None:
        assert {e.os_user for e in entries} == {"isms"}  # the database user in team mode


def test_an_import_writes_records_links_and_their_log_alike(backend: Opener) -> None:
    """Imported records, their links and their log entries are written in bulk (one
    ``executemany`` per table): the same on both backends."""
    project = backend("project")
    person = registers.create(project, "people", {"name": "Ann Example"}).code
    asset = registers.create(project, "assets", {"name": "CRM", "type": "software"}).code
    rows = [
        (2, {"title": "Theft", "owner": person, "assets": asset, "controls": "A.8.1, 7.9"}),
        (3, {"title": "Flood", "inherent_likelihood": 2, "inherent_impact": 5}),
        (4, {"title": "Leak", "accepted_on": "2026-03-31", "confidentiality": "yes"}),
    ]
    result = registers.upsert_rows(project, "risks", rows)
    assert (result.created, result.written) == (3, True)
    theft, flood, leak = (registers.get(project, "risks", f"R-00{n}") for n in (1, 2, 3))
    assert (theft.values["owner"], theft.values["assets"]) == (person, [asset])
    assert sorted(theft.values["controls"]) == ["7.9", "8.1"]
    assert flood.values["inherent_level"] is not None
    assert leak.values["accepted_on"] == dt.date(2026, 3, 31)
    assert leak.values["confidentiality"] is True
    with project.reading() as session:
        entries = session.scalars(
            select(ChangeLog).where(ChangeLog.register == "risks").order_by(ChangeLog.id)
        ).all()
    assert [(e.record_code, e.kind, e.field) for e in entries] == [
        ("R-001", "created", None),
        ("R-002", "created", None),
        ("R-003", "created", None),
        ("R-001", "updated", "assets"),
        ("R-001", "updated", "controls"),
    ]
    assert '"owner": "Ann Example"' in (entries[0].new_value or "")
    assert '"accepted_on": "2026-03-31"' in (entries[2].new_value or "")
    assert '"confidentiality": true' in (entries[2].new_value or "")
    assert (entries[3].old_value, entries[3].new_value) == ("[]", f'["{asset}"]')
    assert entries[4].new_value == '["7.9", "8.1"]'
    assert len({(e.at, e.txn) for e in entries}) == 1

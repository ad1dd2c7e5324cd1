"""The audit trail: every change logged in the file (who, when, which record/field, old → new)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import getpass
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from sqlalchemy import delete, insert, text, update
from sqlalchemy.orm import Session

from isms_desktop.domain.errors import IsmsError
from isms_desktop.domain.register_specs import SPECS
from isms_desktop.services import attachments, history, registers, risk_method
from isms_desktop.storage import audit_trail
from isms_desktop.storage.models import Asset
from isms_desktop.storage.paths import settings_file
from isms_desktop.storage.project_file import Project, open_project


def _log(path: Path) -> list[tuple[str, ...]]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(
            "SELECT user_name, os_user, register, record_code, field, old_value, new_value, kind"
            " FROM change_log ORDER BY id"
        ).fetchall()
    finally:
        conn.close()


def test_a_scripted_editing_session_is_logged_field_by_field(project_path: Path) -> None:
    before = len(_log(project_path))
    with open_project(project_path) as project:
        person = registers.create(project, "people", {"name": "Dana Scully"}).code
        asset = registers.create(
            project, "assets", {"name": "File server", "owner": person, "type": "hardware"}
        )
        registers.update(project, "assets", asset.code, "name", "Main file server")
        risk = registers.create(
            project, "risks", {"title": "Server theft", "assets": [asset.code], "owner": person}
        )
        registers.update(project, "risks", risk.code, "controls", ["5.1", "8.7"])
        registers.update_many(project, "assets", [asset.code], "location", "Basement")
    entries = _log(project_path)[before:]
    me = getpass.getuser()
    assert all(e[0] == me and e[1] == me for e in entries)
    created = [e for e in entries if e[7] == "created"]
    assert {(e[2], e[3]) for e in created} >= {
        ("people", person),
        ("assets", asset.code),
        ("risks", risk.code),
    }
    renamed = [e for e in entries if e[4] == "name" and e[2] == "assets"]
    assert renamed == [
        (me, me, "assets", asset.code, "name", '"File server"', '"Main file server"', "updated")
    ]
    controls = [e for e in entries if e[4] == "controls"]
    assert len(controls) == 1
    assert controls[0][5:] == ("[]", '["5.1", "8.7"]', "updated")
    location = [e for e in entries if e[4] == "location"]
    assert location[0][6] == '"Basement"'


def test_history_of_a_record_shows_old_and_new_values_newest_first(project_path: Path) -> None:
    with open_project(project_path) as project:
        code = registers.create(project, "assets", {"name": "Laptop", "type": "hardware"}).code
        registers.update(project, "assets", code, "name", "Laptop 1")
        registers.update(project, "assets", code, "confidentiality", 3)
        entries = history.record_history(project, "assets", code)
    assert [e.kind for e in entries] == ["updated", "updated", "created"]
    assert entries[1].field == "name"
    assert (entries[1].old, entries[1].new) == ("Laptop", "Laptop 1")
    assert entries[0].field == "confidentiality" and entries[0].new == "3"
    assert "name: Laptop" in entries[2].new
    assert all(
        abs(e.at - dt.datetime.now(dt.UTC).replace(tzinfo=None)).seconds < 120 for e in entries
    )


def test_the_history_reads_in_the_registers_words(project_path: Path) -> None:
    """Beside the logged field names and stored values, each entry says the same as the
    register shows it: headers, choice labels, risk level names, a record's values."""
    with open_project(project_path) as project:
        code = registers.create(
            project,
            "risks",
            {"title": "Lost laptop", "inherent_likelihood": 1, "inherent_impact": 1},
        ).code
        registers.update(project, "risks", code, "treatment", "Retain (accept)")
        registers.update(project, "risks", code, "inherent_likelihood", 5)
        registers.update(project, "risks", code, "inherent_impact", 5)
        registers.update(project, "soa", "5.1", "applicable", True)
        registers.update(project, "soa", "5.1", "applicable", False)
        method = risk_method.current_method(project)
        entries = history.record_history(project, "risks", code)
        soa = history.record_history(project, "soa", "5.1")[0]
        changed_method = dataclasses.replace(method, acceptance_level=method.levels[0].code)
        risk_method.change_method(project, changed_method)
        acceptance = history.change_log(project, history.LogFilter(register="risk_methods"))[0]
    spec = SPECS["risks"]
    names = {level.code: level.label for level in method.levels}
    treatment = next(e for e in entries if e.field == "treatment")
    assert treatment.field_label == spec.field("treatment").header
    assert (treatment.old, treatment.new) == ("", "retain")
    assert treatment.new_label == "Retain (accept)"
    levels = [e for e in entries if e.field == "inherent_level"]
    assert levels and all(e.field_label == spec.field("inherent_level").header for e in levels)
    assert [e.new_label for e in levels] == [names[e.new] for e in levels]
    assert names[levels[0].new] != levels[0].new  # a label, not the stored code
    created = entries[-1]
    assert created.kind == "created" and created.field_label == ""
    assert f"{spec.field('title').header}: Lost laptop" in created.new_label
    assert f"{spec.field('code').header}: {code}" in created.new_label
    assert (soa.field, soa.old, soa.new) == ("applicable", "yes", "no")
    assert (soa.field_label, soa.old_label, soa.new_label) == (
        SPECS["soa"].field("applicable").header,
        "Yes",
        "No",
    )
    assert (acceptance.field, acceptance.field_label) == ("acceptance_level", "Acceptance level")


def test_the_configured_name_is_logged_beside_the_os_user(project_path: Path) -> None:
    settings_file().write_text("[user]\nname=Jane Officer\n", encoding="utf-8")
    with open_project(project_path) as project:
        code = registers.create(
            project, "context", {"kind": "external", "description": "New regulation"}
        ).code
        entries = history.record_history(project, "context", code)
    assert entries[0].user == "Jane Officer"
    assert entries[0].os_user == getpass.getuser()


def test_a_rolled_back_change_leaves_no_entry(project_path: Path) -> None:
    with open_project(project_path) as project:
        code = registers.create(project, "assets", {"name": "NAS", "type": "hardware"}).code
        before = history.count(project)
        with pytest.raises(IsmsError):
            registers.update_many(project, "assets", [code, "A-999"], "location", "Attic")
        assert history.count(project) == before
        assert registers.get(project, "assets", code).values["location"] == ""


def test_an_import_logs_every_row(project_path: Path) -> None:
    with open_project(project_path) as project:
        before = history.count(project)
        rows = [(i + 2, {"name": f"Asset {i}", "type": "software"}) for i in range(50)]
        result = registers.upsert_rows(project, "assets", rows)
        assert result.created == 50
        assert history.count(project, history.LogFilter(register="assets")) == 50
        assert history.count(project) == before + 50


def test_deletions_and_attachments_are_logged(project_path: Path, tmp_path: Path) -> None:
    evidence = tmp_path / "evidence.txt"
    evidence.write_text("signed", encoding="utf-8")
    with open_project(project_path) as project:
        code = registers.create(project, "assets", {"name": "Old printer", "type": "hardware"}).code
        info = attachments.add_attachment(project, "soa", "5.1", evidence)
        attachments.delete_attachment(project, info.id)
        registers.delete(project, "assets", code)
        deleted = history.change_log(project, history.LogFilter(text="old printer"))
        soa = history.record_history(project, "soa", "5.1")
    assert [e.kind for e in deleted] == ["deleted", "created"]
    assert "name: Old printer" in deleted[0].old
    assert [(e.kind, e.field) for e in soa[:2]] == [
        ("deleted", "attachment evidence.txt"),
        ("created", "attachment evidence.txt"),
    ]


def test_the_log_cannot_be_edited_from_the_application(project_path: Path) -> None:
    with open_project(project_path) as project:
        registers.create(project, "assets", {"name": "Zyxel router 7", "type": "hardware"})
        for statement in ("UPDATE change_log SET user_name = 'x'", "DELETE FROM change_log"):
            with pytest.raises(Exception, match="cannot be edited"), project.transaction() as s:
                s.execute(text(statement))
        assert history.count(project, history.LogFilter(text="zyxel router")) == 1
    assert not [name for name in dir(history) if name.startswith(("delete", "edit", "update"))]


def _filled(project: Project) -> None:
    registers.create(project, "assets", {"name": '=HYPERLINK("http://x")', "type": "hardware"})
    registers.create(project, "context", {"kind": "external", "description": "Market change"})


def test_change_log_filters_and_exports_to_excel(project_path: Path, tmp_path: Path) -> None:
    with open_project(project_path) as project:
        _filled(project)
        today = dt.datetime.now(dt.UTC).date()
        only_assets = history.LogFilter(register="assets", since=today, until=today)
        assert {e.register for e in history.change_log(project, only_assets)} == {"assets"}
        assert history.change_log(project, history.LogFilter(since=today + dt.timedelta(1))) == []
        assert history.change_log(project, history.LogFilter(user="nobody")) == []
        assert getpass.getuser() in history.users(project)
        assert "context" in history.registers(project)
        out = tmp_path / "log.xlsx"
        n = history.export_change_log(project, out, history.LogFilter(register="assets"))
    sheet = load_workbook(out).active
    assert sheet is not None
    rows = list(sheet.values)
    assert rows[0] == history.HEADERS
    assert len(rows) == n + 1 == 2
    assert rows[1][3] == "assets"
    assert str(rows[1][7]).startswith("'") or "HYPERLINK" not in str(rows[1][7])[:1]
    assert sheet["H2"].data_type == "s"


def test_export_to_a_missing_folder_is_a_clear_error(project_path: Path, tmp_path: Path) -> None:
    with open_project(project_path) as project, pytest.raises(IsmsError, match="could not be"):
        history.export_change_log(project, tmp_path / "missing" / "log.xlsx")


def _bulk_created(session: Session, codes: list[str]) -> list[int]:
    """Assets inserted by Core and handed to the trail with their values (as the importer
    does, every column given: no row needs reading at commit)."""
    table = Asset.__table__
    conn = session.connection()
    blank = {c.key: None for c in table.columns if c.key not in ("id", "row_version")}
    blank |= {"description": "", "location": "", "classification": "", "type": "hardware"}
    blank |= {"lifecycle": "in_use"}
    values = [{**blank, "code": code, "name": f"Asset {code}"} for code in codes]
    ids = [int(conn.execute(insert(table).values(v)).inserted_primary_key[0]) for v in values]
    audit_trail.note_created(session, "assets", ids, values)
    staged = audit_trail._state(session).created
    assert all(staged[("assets", i)] is not None for i in ids)
    return ids


def test_rows_inserted_with_their_values_are_logged_as_they_are_at_commit(
    project_path: Path,
) -> None:
    """A bulk insert hands the trail the values it inserted; rows changed or deleted later in
    the same transaction (by a flush or a statement) are logged as they are at commit."""
    with open_project(project_path) as project:
        with project.transaction() as session:
            ids = _bulk_created(session, ["BK-1", "BK-2"])
            session.get(Asset, ids[1]).location = "Basement"  # type: ignore[union-attr]
        with project.transaction() as session:
            _bulk_created(session, ["BK-3", "BK-4", "BK-5"])
            session.execute(update(Asset).where(Asset.code == "BK-4").values(name="Renamed"))
            session.execute(delete(Asset).where(Asset.code == "BK-5"))
        created = {
            e.record: e.new
            for e in history.change_log(project, history.LogFilter(register="assets"))
            if e.kind == "created"
        }
    assert set(created) == {"BK-1", "BK-2", "BK-3", "BK-4"}
    assert "name: Asset BK-1" in created["BK-1"] and "location" not in created["BK-1"]
    assert "location: Basement" in created["BK-2"]
    assert "name: Renamed" in created["BK-4"]


@settings(max_examples=300, deadline=None)
@given(
    st.one_of(
        st.lists(st.text(max_size=12), max_size=5),
        st.lists(st.text(alphabet='"\\\n\t\x00\x1f é→😀', max_size=6), max_size=4),
        st.lists(st.one_of(st.text(max_size=3), st.integers(), st.none()), max_size=3),
        st.just(["x" * 6_000, "y" * 6_000]),
    )
)
def test_lists_of_codes_are_encoded_as_the_json_encoder_encodes_them(value: list[Any]) -> None:
    expected = audit_trail._ENCODER.encode(value)
    if len(expected) > audit_trail._MAX_VALUE:
        expected = audit_trail._ENCODER.encode(expected[: audit_trail._MAX_VALUE] + " …")
    assert audit_trail.encode(value) == expected


def test_a_record_added_and_committed_without_a_flush_is_logged(project_path: Path) -> None:
    """A service that adds a record and commits (no flush before) is logged like one that
    flushed: the commit's own flush came after the trail's last look, which lost the entry."""
    with open_project(project_path) as project:
        before = history.count(project, history.LogFilter(register="assets"))
        with project.transaction() as session:
            session.add(Asset(code="A-900", name="Backup tape", type="hardware"))
        assert history.count(project, history.LogFilter(register="assets")) == before + 1
        entries = history.record_history(project, "assets", "A-900")
        assert [entry.kind for entry in entries] == ["created"]
        assert "Backup tape" in entries[0].new

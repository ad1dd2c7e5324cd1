"""Moving between modes, on the command line: a file published to a server and saved back
as a file is the same project (compared through Excel exports, attachments and history);
every sub-command takes a server URL; failures are one clear line and an exit status."""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from isms_desktop.cli import main
from isms_desktop.services import registers
from isms_desktop.storage.migrations_runner import HEAD_REVISION
from isms_desktop.storage.project_file import open_project


def _sheets(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    book = load_workbook(path, read_only=True)
    try:
        return {name: list(book[name].iter_rows(values_only=True)) for name in book.sheetnames}
    finally:
        book.close()


def _file_facts(path: Path) -> tuple[list[tuple[Any, ...]], int, int]:
    conn = sqlite3.connect(path)
    try:
        blobs = conn.execute(
            "SELECT a.name, a.sha256, length(d.data) FROM attachments a "
            "JOIN attachment_data d ON d.attachment_id = a.id ORDER BY a.id"
        ).fetchall()
        log = conn.execute("SELECT count(*) FROM change_log").fetchone()[0]
        ids = conn.execute("SELECT max(id) FROM risks").fetchone()[0]
    finally:
        conn.close()
    return blobs, log, ids


def test_file_to_server_to_file_keeps_everything(
    template_demo: Path,
    new_pg_database: Callable[[str | None], str],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    source = tmp_path / "demo.isms"
    shutil.copyfile(template_demo, source)
    with open_project(source) as project:  # some history to carry over
        code = registers.create(project, "people", {"name": "Ann Example"}).code
        registers.update(project, "people", code, "role", "Internal auditor")
    url = new_pg_database(None)
    assert main(["copy", str(source), url]) == 0
    assert url in capsys.readouterr().out
    back = tmp_path / "back.isms"
    assert main(["copy", url, str(back)]) == 0
    capsys.readouterr()

    original_xlsx, server_xlsx, back_xlsx = (tmp_path / f"{n}.xlsx" for n in "osb")
    assert main(["export", str(source), "--xlsx", str(original_xlsx)]) == 0
    assert main(["export", url, "--xlsx", str(server_xlsx)]) == 0
    assert main(["export", str(back), "--xlsx", str(back_xlsx)]) == 0
    original = _sheets(original_xlsx)
    assert sum(len(rows) for rows in original.values()) > 300
    assert _sheets(server_xlsx) == original
    assert _sheets(back_xlsx) == original

    blobs, log, _ids = _file_facts(source)
    assert blobs and log >= 2
    assert _file_facts(back)[:2] == (blobs, log)
    assert main(["check", str(back)]) == 0
    capsys.readouterr()
    assert main(["info", url, "--json"]) == 0
    from_server = json.loads(capsys.readouterr().out)
    assert main(["info", str(source), "--json"]) == 0
    from_file = json.loads(capsys.readouterr().out)
    assert from_server == from_file


def test_new_records_on_the_server_get_fresh_ids(
    pg_template_demo: str, new_pg_database: Callable[[str | None], str]
) -> None:
    url = new_pg_database(pg_template_demo)
    with open_project(url) as project:
        before = registers.count(project, "risks")
        code = registers.create(project, "risks", {"title": "New on the server"}).code
        assert registers.count(project, "risks") == before + 1
        assert registers.get(project, "risks", code).values["title"] == "New on the server"


def test_every_sub_command_takes_a_url(
    pg_template_demo: str,
    new_pg_database: Callable[[str | None], str],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    url = new_pg_database(pg_template_demo)
    assert main(["check", url]) == 0
    assert f"ok (schema {HEAD_REVISION})" in capsys.readouterr().out
    pdf = tmp_path / "risks.pdf"
    assert main(["report", url, "risks", "--pdf", str(pdf)]) == 0
    assert pdf.read_bytes().startswith(b"%PDF")
    sheet = tmp_path / "people.csv"
    sheet.write_text("Name,Role\nNew Person,Auditor\n", encoding="utf-8")
    assert main(["import", url, "--register", "people", "--from", str(sheet)]) == 0
    with open_project(url, read_only=True) as project:
        names = [r.values["name"] for r in registers.list_rows(project, "people")]
    assert "New Person" in names
    assert main(["update-catalogue", url]) == 0
    empty = new_pg_database(None)
    assert main(["new", empty, "--org", "Team Ltd"]) == 0
    capsys.readouterr()
    assert main(["info", empty, "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert (info["organisation"], info["counts"]["soa"]) == ("Team Ltd", 93)


def test_refusals_are_one_line_with_an_exit_status(
    pg_template_project: str,
    new_pg_database: Callable[[str | None], str],
    template_project: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    full = new_pg_database(pg_template_project)
    assert main(["copy", str(template_project), full]) == 2
    assert "is not empty" in capsys.readouterr().err
    empty = new_pg_database(None)
    assert main(["info", empty]) == 2
    assert "is empty" in capsys.readouterr().err
    with_password = full.replace("isms@", "isms:secret@")
    assert main(["info", with_password]) == 2
    err = capsys.readouterr().err
    assert "do not write the password" in err and "secret" not in err
    monkeypatch.setenv("PGPASSWORD", "wrong")
    assert main(["info", full]) == 7
    assert "refused the login" in capsys.readouterr().err
    monkeypatch.undo()
    port = int(full.split(":")[2].split("/")[0])
    unreachable = full.replace(f":{port}/", f":{_closed_port()}/")
    assert main(["info", unreachable]) == 4
    err = capsys.readouterr().err
    assert "cannot be reached" in err and len(err.strip().splitlines()) == 1
    missing = full.rsplit("/", 1)[0] + "/no_such_db"
    assert main(["info", missing]) == 2
    assert "has no database" in capsys.readouterr().err


def _closed_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_save_a_copy_of_a_server_project_as_a_file(
    pg_template_project: str, new_pg_database: Callable[[str | None], str], tmp_path: Path
) -> None:
    url = new_pg_database(pg_template_project)
    target = tmp_path / "copy.isms"
    with open_project(url) as project:
        registers.create(project, "people", {"name": "Only on the server"})
        project.save_copy(target)
        with pytest.raises(Exception, match="already exists"):
            project.save_copy(target)
    with open_project(target, read_only=True) as copy:
        assert [r.values["name"] for r in registers.list_rows(copy, "people")][-1:] == [
            "Only on the server"
        ]
    digest = hashlib.sha256(target.read_bytes()).hexdigest()
    assert digest  # a real file, written whole

"""Hostile input: project files with planted SQL, garbage files, and attachment names.

Each is refused with one clear message (or made harmless) and nothing is changed.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from isms_desktop.domain.errors import IsmsError
from isms_desktop.domain.filenames import MAX_BYTES, safe_filename
from isms_desktop.services import attachments
from isms_desktop.storage.project_file import open_project

_RESERVED = {"CON", "PRN", "AUX", "NUL"} | {f"{p}{n}" for p in ("COM", "LPT") for n in range(10)}


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _plant(path: Path, sql: str) -> None:
    conn = sqlite3.connect(path)
    try:
        conn.executescript(sql)
    finally:
        conn.close()


PLANTED = {
    "trigger": "CREATE TRIGGER evil AFTER INSERT ON assets BEGIN DELETE FROM people; END;",
    "view": "CREATE VIEW evil AS SELECT * FROM people;",
    "weakened log": (
        "DROP TRIGGER change_log_no_delete;"
        "CREATE TRIGGER change_log_no_delete BEFORE DELETE ON change_log BEGIN SELECT 1; END;"
    ),
    "foreign table": "CREATE TABLE evil (x TEXT DEFAULT (load_extension('x')));",
    "expression index": "CREATE INDEX evil ON assets (lower(name));",
    "computed default": (
        "CREATE TABLE evil2 (a); DROP TABLE evil2;"
        "ALTER TABLE people ADD COLUMN nick TEXT DEFAULT (random());"
    ),
    "generated column": (
        "ALTER TABLE people ADD COLUMN shout TEXT GENERATED ALWAYS AS (upper(name)) VIRTUAL;"
    ),
    "virtual table": "CREATE VIRTUAL TABLE evil USING fts5(x);",
}


@pytest.mark.parametrize("what", sorted(PLANTED))
def test_a_file_with_planted_sql_is_refused_untouched(project_path: Path, what: str) -> None:
    _plant(project_path, PLANTED[what])
    before = _digest(project_path)
    for read_only in (False, True):
        with pytest.raises(IsmsError, match="never creates") as caught:
            open_project(project_path, read_only=read_only)
        assert "\n" not in str(caught.value)
    assert _digest(project_path) == before


def test_our_own_file_passes_the_schema_check(demo_path: Path) -> None:
    with open_project(demo_path) as project:
        assert project.path == demo_path


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.binary(min_size=0, max_size=4096))
def test_random_bytes_are_refused_untouched(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "random.isms"
    path.write_bytes(data)
    with pytest.raises(IsmsError):
        open_project(path).close()
    assert path.read_bytes() == data


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(fraction=st.floats(min_value=0.0, max_value=0.99))
def test_a_truncated_project_is_refused_untouched(
    tmp_path: Path, template_project: Path, fraction: float
) -> None:
    path = tmp_path / "cut.isms"
    data = template_project.read_bytes()
    path.write_bytes(data[: int(len(data) * fraction)])
    before = path.read_bytes()
    with pytest.raises(IsmsError):
        open_project(path).close()
    assert path.read_bytes() == before


def test_a_valid_database_of_something_else_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.isms"
    _plant(path, "CREATE TABLE t (x); INSERT INTO t VALUES (1);")
    before = _digest(path)
    with pytest.raises(IsmsError, match="not an isms-desktop project"):
        open_project(path)
    assert _digest(path) == before


def _is_safe(name: str) -> bool:
    stem = name.split(".")[0].upper()
    return (
        bool(name)
        and "/" not in name
        and "\\" not in name
        and ":" not in name
        and "\0" not in name
        and name not in (".", "..")
        and not name.startswith(".")
        and stem not in _RESERVED
        and len(name.encode("utf-8")) <= MAX_BYTES
        and name == name.strip()
    )


@given(st.text(max_size=5000))
def test_any_attachment_name_becomes_a_safe_plain_name(name: str) -> None:
    assert _is_safe(safe_filename(name))


HOSTILE_NAMES: dict[str, Callable[[], str]] = {
    "parent": lambda: "../../../etc/passwd",
    "windows": lambda: "..\\..\\Windows\\System32\\evil.dll",
    "absolute": lambda: "/etc/shadow",
    "drive": lambda: "C:\\evil.exe",
    "reserved": lambda: "CON",
    "reserved ext": lambda: "lpt1.txt",
    "long": lambda: "A" * 4000 + ".pdf",
    "controls": lambda: "re\x00port\x1b.pdf",
}


@pytest.mark.parametrize("kind", sorted(HOSTILE_NAMES))
def test_hostile_attachment_names_are_stored_and_written_safely(
    project_path: Path, tmp_path: Path, kind: str
) -> None:
    source = tmp_path / "evidence.pdf"
    source.write_bytes(b"%PDF-1.4 evidence")
    with open_project(project_path) as project:
        info = attachments.add_attachment(project, "soa", "5.1", source, name=HOSTILE_NAMES[kind]())
        assert _is_safe(info.name)
        copy = attachments.open_copy(project, info.id)
    assert copy.name == info.name
    assert copy.read_bytes() == b"%PDF-1.4 evidence"
    assert copy.parent.name.startswith("isms-attachment-")

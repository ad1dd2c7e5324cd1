"""A server project carries a version mark like a file's header: the newest isms-desktop that
opened it for writing. An older version refuses a database a newer one set up (exit 5, naming
the version to install) and changes nothing; one upgraded by a newer version while an older
one has it open is refused at the older one's next save, with nothing written."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import text

from isms_desktop import __version__
from isms_desktop.cli import main
from isms_desktop.domain.errors import NewerVersionError
from isms_desktop.services import registers
from isms_desktop.storage import server
from isms_desktop.storage.migrations_runner import HEAD_REVISION
from isms_desktop.storage.project_file import open_project

FUTURE = "9999_from_the_future"


def _facts(url: str) -> tuple[str | None, str, int]:
    """The database's mark, schema revision and number of people (read as the admin)."""
    engine = server.make_engine(server.parse_url(url), writable=False)
    try:
        with engine.connect() as conn:
            revision = str(conn.scalar(text("SELECT version_num FROM alembic_version")))
            people = int(conn.scalar(text("SELECT count(*) FROM people")) or 0)
        return server.written_by(engine), revision, people
    finally:
        engine.dispose()


def _as_a_newer_version(pg_server: Any, url: str, mark: str | None) -> None:
    """What a newer version leaves: a schema revision this one does not know (and its mark,
    or none: a database from before the mark)."""
    database = url.rsplit("/", 1)[1]
    pg_server.admin(f"UPDATE alembic_version SET version_num = '{FUTURE}'", database)
    if mark is None:
        pg_server.admin(f"DROP TABLE {server.VERSION_TABLE}", database)
    else:
        pg_server.admin(f"UPDATE {server.VERSION_TABLE} SET written_by = '{mark}'", database)


def test_a_published_or_new_project_is_marked_with_this_version(
    pg_template_project: str,
    new_pg_database: Callable[[str | None], str],
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert _facts(new_pg_database(pg_template_project))[:2] == (__version__, HEAD_REVISION)
    empty = new_pg_database(None)
    assert main(["new", empty, "--org", "Team Ltd"]) == 0
    assert _facts(empty)[0] == __version__


@pytest.mark.parametrize(
    ("mark", "expected"),
    [
        (
            "98.7.6",
            "was set up by isms-desktop 98.7.6, a newer version (schema "
            f"{FUTURE}; this is {__version__}); install version 98.7.6 or later to open it",
        ),
        (
            None,
            f"was set up by a newer version of isms-desktop (schema {FUTURE}); install the "
            "latest version to open it",
        ),
    ],
)
def test_a_newer_versions_project_is_refused_and_left_as_it_is(
    pg_server: Any,
    pg_template_project: str,
    new_pg_database: Callable[[str | None], str],
    capsys: pytest.CaptureFixture[str],
    mark: str | None,
    expected: str,
) -> None:
    url = new_pg_database(pg_template_project)
    _as_a_newer_version(pg_server, url, mark)
    before = _facts(url)
    for command in (["info", url, "--json"], ["check", url], ["update-catalogue", url]):
        assert main(command) == 5, command
        err = capsys.readouterr().err
        assert err == f"isms-desktop: {url} {expected}\n", command
    with pytest.raises(NewerVersionError):
        open_project(url)
    assert _facts(url) == before


def test_opening_for_writing_raises_an_older_mark_and_keeps_a_newer_one(
    pg_server: Any, pg_template_project: str, new_pg_database: Callable[[str | None], str]
) -> None:
    url = new_pg_database(pg_template_project)
    database = url.rsplit("/", 1)[1]
    pg_server.admin(f"DROP TABLE {server.VERSION_TABLE}", database)  # set up before the mark
    with open_project(url, read_only=True):
        pass
    assert _facts(url)[0] is None  # only read: untouched
    with open_project(url):
        pass
    assert _facts(url)[0] == __version__
    pg_server.admin(f"UPDATE {server.VERSION_TABLE} SET written_by = '0.0.1'", database)
    with open_project(url):
        pass
    assert _facts(url)[0] == __version__
    # a newer version that kept the schema: this one works on, and leaves its mark
    pg_server.admin(f"UPDATE {server.VERSION_TABLE} SET written_by = '98.0.0'", database)
    with open_project(url) as project:
        registers.create(project, "people", {"name": "Still Works"})
    assert _facts(url)[0] == "98.0.0"


def test_a_team_member_opens_a_database_from_before_the_mark(
    pg_server: Any,
    pg_template_project: str,
    new_pg_database: Callable[[str | None], str],
    colleague_url: Callable[[str], str],
) -> None:
    """A login that may not create tables opens it all the same (the owner marks it)."""
    url = new_pg_database(pg_template_project)
    pg_server.admin(f"DROP TABLE {server.VERSION_TABLE}", url.rsplit("/", 1)[1])
    bob = colleague_url(url)
    pg_server.admin("REVOKE CREATE ON SCHEMA public FROM PUBLIC", url.rsplit("/", 1)[1])
    with open_project(bob) as project:
        registers.create(project, "people", {"name": "Bob's colleague"})
    assert _facts(url)[0] is None


def test_a_project_upgraded_by_a_newer_version_meanwhile_is_not_written(
    pg_server: Any, pg_template_project: str, new_pg_database: Callable[[str | None], str]
) -> None:
    url = new_pg_database(pg_template_project)
    with open_project(url) as project:
        registers.create(project, "people", {"name": "Before the upgrade"})
        _as_a_newer_version(pg_server, url, "98.7.6")
        before = _facts(url)
        with pytest.raises(NewerVersionError) as refused:
            registers.create(project, "people", {"name": "After the upgrade"})
    assert str(refused.value) == (
        f"{url} was upgraded to schema {FUTURE} by isms-desktop 98.7.6 while it was open "
        f"here (this is {__version__}); nothing was saved — install version 98.7.6 or later "
        "and open it again"
    )
    assert refused.value.exit_code == 5
    assert _facts(url) == before

"""Projects on a PostgreSQL server (team mode).

A project is addressed by a URL, ``postgresql://user@host:port/database`` (TLS options as
libpq query parameters, e.g. ``?sslmode=require``). The password never comes from the URL on
the command line: libpq reads ``PGPASSWORD`` or ``~/.pgpass`` itself, and failing those the
system keyring (the optional ``keyring`` package) is asked; the GUI may hand one over, which
is then kept in memory for this process only (and in the keyring if the user asks).

The same Alembic migrations create and upgrade the schema; there is no lock file (the
server arbitrates between users; concurrent edits of one record are detected by the row
versions of migration 0007). A server project is a ``Project`` like a file one, with
``path`` None and ``location`` the URL without its password.

Like a file's header (``storage.version_mark``), the database notes the newest version of
isms-desktop that opened it for writing, in a one-row table of its own (``VERSION_TABLE``,
outside the migrations: a file keeps the mark in its header): an older version that finds a
schema it does not know names the version to install. A project upgraded by a newer version
while an older one has it open is refused at the older one's next save (each write checks
the schema revision it opened), rather than written to with the old schema's assumptions.
"""

from __future__ import annotations

import contextlib
import importlib
import logging
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import URL, Connection, Engine, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, OperationalError
from sqlalchemy.orm import Session

from isms_desktop import __version__
from isms_desktop.domain.errors import (
    BadArgumentsError,
    DamagedFileError,
    IsmsError,
    NewerVersionError,
    ServerUnreachableError,
    WrongPasswordError,
)
from isms_desktop.storage import dialect, migrations_runner, version_mark
from isms_desktop.storage.project_file import Project

log = logging.getLogger(__name__)

SCHEMES = ("postgresql", "postgres", "postgresql+psycopg")
DRIVER = "postgresql+psycopg"
KEYRING_SERVICE = "isms-desktop"
CONNECT_TIMEOUT = 10  # seconds, unless the URL says otherwise
PROJECT_TABLES = ("alembic_version", "project")
# The newest version of isms-desktop that opened the database for writing (one row).
VERSION_TABLE = "isms_desktop_version"

# Passwords given in this process (the GUI's connect dialog), by display URL; never written.
_given_passwords: dict[str, str] = {}


def is_url(location: object) -> bool:
    """Whether a project location names a server (rather than a file)."""
    if not isinstance(location, str):
        return False
    scheme, sep, _rest = location.partition("://")
    return bool(sep) and scheme.lower() in SCHEMES


def parse_url(location: str, *, allow_password: bool = False) -> URL:
    """The SQLAlchemy URL (psycopg driver) of a location; refuses junk and, unless
    ``allow_password``, a password written into the URL."""
    try:
        url = make_url(location.strip())
    except ArgumentError:
        raise BadArgumentsError(
            f"{location!r} is not a server address like postgresql://user@host:5432/database"
        ) from None
    if url.drivername.lower() not in SCHEMES:
        raise BadArgumentsError(f"{location!r}: only PostgreSQL servers are supported")
    if not url.database:
        raise BadArgumentsError(f"{display(url)}: the URL names no database (…/DATABASE)")
    if url.password is not None and not allow_password:
        raise BadArgumentsError(
            f"{display(url)}: do not write the password into the URL (it would be seen in "
            "the process list and shell history); set PGPASSWORD, add it to ~/.pgpass or "
            "store it in the system keyring"
        )
    return url.set(drivername=DRIVER)


def display(url: URL) -> str:
    """The URL as shown to users and logged: ``postgresql://user@host:port/db``, no password."""
    return _without_password(url).set(drivername="postgresql").render_as_string()


def _without_password(url: URL) -> URL:
    # (URL.set(password=None) keeps the password: None there means "unchanged")
    return URL.create(
        url.drivername,
        username=url.username,
        host=url.host,
        port=url.port,
        database=url.database,
        query=url.query,
    )


def keyring_account(url: URL) -> str:
    """The keyring entry name of a server login: ``user@host:port/database``."""
    return f"{url.username or ''}@{url.host or 'localhost'}:{url.port or 5432}/{url.database}"


def _keyring() -> Any:
    try:  # optional: team mode works without it (PGPASSWORD, ~/.pgpass)
        return importlib.import_module("keyring")
    except ImportError:
        return None


def keyring_available() -> bool:
    return _keyring() is not None


def password_from_keyring(url: URL) -> str | None:
    module = _keyring()
    if module is None:
        return None
    try:
        found = module.get_password(KEYRING_SERVICE, keyring_account(url))
    except Exception as exc:  # no usable backend: as if nothing were stored
        log.info("the keyring could not be read (%s)", exc)
        return None
    return str(found) if found else None


def store_password(location: str, password: str) -> bool:
    """Keep a password in the system keyring; False when there is none to keep it in."""
    url = parse_url(location)
    module = _keyring()
    if module is None:
        return False
    try:
        module.set_password(KEYRING_SERVICE, keyring_account(url), password)
    except Exception as exc:
        log.info("the keyring could not store the password (%s)", exc)
        return False
    return True


def remember_password(url: URL, password: str) -> None:
    """Use ``password`` for this server in this process (e.g. background exports)."""
    _given_passwords[display(url)] = password


def _password(url: URL, given: str | None) -> str | None:
    if given:
        return given
    if url.password:
        return str(url.password)
    if display(url) in _given_passwords:
        return _given_passwords[display(url)]
    if os.environ.get("PGPASSWORD"):
        return None  # libpq reads it
    return password_from_keyring(url)  # None: libpq tries ~/.pgpass


def make_engine(url: URL, *, password: str | None = None, writable: bool = True) -> Engine:
    """An engine on the server (nothing is connected yet)."""
    secret = _password(url, password)
    connect_url = url.set(password=secret) if secret else _without_password(url)
    query = dict(connect_url.query)
    connect_args: dict[str, Any] = {"application_name": "isms-desktop"}
    if "connect_timeout" not in query:
        connect_args["connect_timeout"] = CONNECT_TIMEOUT
    engine = create_engine(connect_url, pool_pre_ping=True, connect_args=connect_args)
    dialect.install_postgresql_hooks(engine, writable=writable)
    return engine


def connection_error(exc: DBAPIError, url: URL) -> IsmsError:
    """The user-facing error for a failed connection."""
    detail = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
    message = detail.lower()
    where = display(url)
    if "password authentication failed" in message or "no password supplied" in message:
        return WrongPasswordError(
            f"{where}: the server refused the login of {url.username or 'this user'} "
            "(set PGPASSWORD, add the password to ~/.pgpass or store it in the keyring)"
        )
    if "does not exist" in message and "database" in message:
        return BadArgumentsError(
            f"{where}: the server has no database {url.database!r}; ask its administrator "
            "to create it (createdb)"
        )
    if "permission denied" in message:
        return BadArgumentsError(f"{where}: {detail}")
    return ServerUnreachableError(
        f"{where} cannot be reached ({detail}); check the host, the port and the network"
    )


def _revision(engine: Engine, url: URL) -> str | None:
    """The schema revision of the database, or None when it is empty; refuses others."""
    try:
        with engine.connect() as conn:
            tables = set(inspect(conn).get_table_names())
            if not tables:
                return None
            if not all(t in tables for t in PROJECT_TABLES):
                raise DamagedFileError(
                    f"{display(url)} holds tables that are not an isms-desktop project; "
                    "choose an empty database"
                )
            row = conn.execute(text("SELECT version_num FROM alembic_version")).first()
    except OperationalError as exc:
        raise connection_error(exc, url) from exc
    if row is None:
        raise DamagedFileError(f"{display(url)} has no schema revision; it is not usable")
    revision = str(row[0])
    if revision != migrations_runner.head_revision() and not migrations_runner.is_known(revision):
        raise NewerVersionError(
            version_mark.newer_refusal(display(url), revision, written_by(engine), done="set up")
        )
    return revision


def written_by(engine: Engine) -> str | None:
    """The newest version of isms-desktop that opened the database for writing, by its mark;
    None where there is none (a database set up before the mark) or it cannot be read."""
    try:
        with engine.connect() as conn:
            if conn.scalar(text("SELECT to_regclass(:t)"), {"t": VERSION_TABLE}) is None:
                return None
            found = conn.scalar(text(f"SELECT written_by FROM {VERSION_TABLE} WHERE id = 1"))
    except DBAPIError as exc:
        log.info("the version mark of the database cannot be read (%s)", exc)
        return None
    return str(found) if found else None


def mark_version(conn: Connection) -> None:
    """Note that this version writes to the database (``VERSION_TABLE``; a newer version's
    mark is left as it is). Within the caller's transaction: the schema's owner's, who may
    create the table."""
    if conn.scalar(text("SELECT to_regclass(:t)"), {"t": VERSION_TABLE}) is None:
        conn.execute(
            text(
                f"CREATE TABLE {VERSION_TABLE} (id integer PRIMARY KEY CHECK (id = 1), "
                "written_by varchar(40) NOT NULL)"
            )
        )
    found = conn.scalar(text(f"SELECT written_by FROM {VERSION_TABLE} WHERE id = 1"))
    if found is None:
        conn.execute(
            text(f"INSERT INTO {VERSION_TABLE} (id, written_by) VALUES (1, :v)"),
            {"v": __version__},
        )
    elif version_mark.encode(str(found)) < version_mark.OURS:
        conn.execute(text(f"UPDATE {VERSION_TABLE} SET written_by = :v"), {"v": __version__})


def _mark_opened(engine: Engine, url: URL) -> None:
    """On opening for writing: the mark, if this version is newer than the one it holds
    (in a transaction of its own: a team member who may not create or change the table --
    the schema's owner upgrades it and sets the mark -- still opens the project)."""
    mark = written_by(engine)
    if mark is not None and version_mark.encode(mark) >= version_mark.OURS:
        return
    try:
        with engine.begin() as conn:
            mark_version(conn)
    except OperationalError as exc:
        raise connection_error(exc, url) from exc
    except DBAPIError as exc:
        log.info("%s: the version mark cannot be written (%s)", display(url), exc)


class ServerProject(Project):
    """A project on a PostgreSQL server: no lock file, no path."""

    def __init__(
        self,
        url: URL,
        engine: Engine,
        *,
        read_only: bool,
        password: str | None,
        revision: str = migrations_runner.HEAD_REVISION,
    ):
        super().__init__(display(url), engine, path=None, read_only=read_only)
        self.url = url
        self._password = password
        self.revision = revision  # the schema revision it was opened at

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Session]:
        """A unit of work, as a file's; first checks that the schema is still the one opened
        (another user's newer version may have upgraded it meanwhile: then nothing is written,
        and the refusal says which version to install). Reading the revision holds off an
        upgrade (which locks that table) until this transaction ends."""
        with super().transaction() as session:
            found = session.execute(text("SELECT version_num FROM alembic_version")).scalar()
            if found != self.revision:
                raise self._upgraded_meanwhile(str(found))
            yield session

    def _upgraded_meanwhile(self, revision: str) -> NewerVersionError:
        saved_by = written_by(self.engine)
        if saved_by is None or version_mark.encode(saved_by) <= version_mark.OURS:
            return NewerVersionError(
                f"{self.location} was upgraded to schema {revision} by a newer version of "
                "isms-desktop while it was open here; nothing was saved — install the latest "
                "version and open it again"
            )
        return NewerVersionError(
            f"{self.location} was upgraded to schema {revision} by isms-desktop {saved_by} "
            f"while it was open here (this is {__version__}); nothing was saved — install "
            f"version {saved_by} or later and open it again"
        )

    @property
    def display_name(self) -> str:
        return f"{self.url.database} on {self.url.host or 'localhost'}"

    @property
    def database_user(self) -> str:
        return str(self.url.username or "")

    def save_copy(self, target: Path, *, cancelled: Callable[[], bool] | None = None) -> None:
        """Write the whole project into a new project file (``Save a copy as file``);
        ``cancelled`` is not asked (a server's projects get no automatic backups)."""
        from isms_desktop.storage.transfer import copy_to_file

        copy_to_file(self, Path(target))

    def reader(self) -> ServerProject:
        """A second, read-only connection to the same database (for background work)."""
        return open_server_project(self.location, read_only=True, password=self._password)


def open_server_project(
    location: str, *, read_only: bool = False, password: str | None = None
) -> ServerProject:
    """Open the project in the database at ``location``, upgrading its schema if it is
    older (when writable). An empty database is refused with what to do instead."""
    url = parse_url(location, allow_password=password is not None)
    if password is None:
        password = _password(url, None)
    if password:
        remember_password(url, password)
    engine = make_engine(url, password=password, writable=not read_only)
    try:
        revision = _revision(engine, url)
        if revision is None:
            raise BadArgumentsError(
                f"{display(url)} is empty: publish a project to it with "
                f"`isms-desktop copy PROJECT.isms {display(url)}` (or File ▸ Publish to Server…)"
                f", or create one with `isms-desktop new {display(url)} --org NAME`"
            )
        if revision != migrations_runner.head_revision():
            if read_only:
                raise BadArgumentsError(
                    f"{display(url)} has the older schema {revision}; open it for writing once "
                    "to upgrade it"
                )
            upgrade_schema(engine, url)
        if not read_only:
            _mark_opened(engine, url)
    except BaseException:
        engine.dispose()
        raise
    return ServerProject(url, engine, read_only=read_only, password=password)


def upgrade_schema(engine: Engine, url: URL) -> None:
    """Run the migrations up to head, one client at a time, in one transaction."""
    with connection_errors(url), engine.begin() as conn:
        if "alembic_version" in inspect(conn).get_table_names():
            conn.execute(text("LOCK TABLE alembic_version IN ACCESS EXCLUSIVE MODE"))
        log.info("upgrading the schema of %s", display(url))
        migrations_runner.upgrade(conn)
        mark_version(conn)


@contextlib.contextmanager
def connection_errors(url: URL) -> Iterator[None]:
    try:
        yield
    except OperationalError as exc:
        raise connection_error(exc, url) from exc


def create_empty_schema(location: str, *, password: str | None = None) -> Engine:
    """Create the schema (at head) in an empty database and return a writable engine on it;
    a database that holds anything is refused (exit 2)."""
    url = parse_url(location, allow_password=password is not None)
    engine = make_engine(url, password=password)
    try:
        with connection_errors(url), engine.connect() as conn:
            if inspect(conn).get_table_names():
                from isms_desktop.domain.errors import TargetExistsError

                raise TargetExistsError(
                    f"{display(url)} is not empty; choose an empty database (nothing was changed)"
                )
        upgrade_schema(engine, url)
    except BaseException:
        engine.dispose()
        raise
    return engine


@dataclass(frozen=True)
class ServerCheck:
    location: str
    revision: str
    head: str
    problems: tuple[str, ...]


def check_server(location: str) -> ServerCheck:
    """The ``check`` of a server project: reachable, ours, its schema revision, and the
    server's own consistency (it enforces references itself)."""
    url = parse_url(location)
    engine = make_engine(url, writable=False)
    try:
        revision = _revision(engine, url)
        if revision is None:
            raise BadArgumentsError(f"{display(url)} is empty: it holds no project")
        problems: list[str] = []
        with connection_errors(url), engine.connect() as conn:
            count = conn.scalar(text("SELECT count(*) FROM project"))
            if count != 1:
                problems.append(f"the project table holds {count} rows instead of 1")
    finally:
        engine.dispose()
    return ServerCheck(display(url), revision, migrations_runner.head_revision(), tuple(problems))


def location_argument(text: str) -> Path | str:
    """A PROJECT argument of the command line: a server URL as it is, else a file path."""
    return text if is_url(text) else Path(text)


def split_password(location: str) -> tuple[str, str | None]:
    """A URL typed with a password in it, as (the URL without it, the password)."""
    url = parse_url(location, allow_password=True)
    return display(url), (str(url.password) if url.password else None)


def build_location(host: str, port: int, database: str, user: str, sslmode: str = "") -> str:
    """The URL of the connect dialog's fields."""
    url = URL.create(
        DRIVER,
        username=user or None,
        host=host or "localhost",
        port=port,
        database=database,
        query={"sslmode": sslmode} if sslmode else {},
    )
    return display(url)

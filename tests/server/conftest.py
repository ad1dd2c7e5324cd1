"""A real PostgreSQL server for the team-mode tests: found (``pg_ctl``/``initdb`` on the PATH
or in Debian's /usr/lib/postgresql/*/bin), initialised in a temporary folder, started on a
free loopback port with its socket in that folder, and stopped at the end of the session.

When it cannot be started, every test here is skipped with the reason. Logins use a password
(scram-sha-256 over TCP), handed over as PGPASSWORD like a user would.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ADMIN = "isms"
PASSWORD = "team-mode-test"


@dataclass
class PgServer:
    port: int
    folder: Path
    bin_dir: Path
    _numbers: itertools.count[int]

    def url(self, database: str, user: str = ADMIN) -> str:
        return f"postgresql://{user}@127.0.0.1:{self.port}/{database}"

    def admin(self, sql: str, database: str = "postgres") -> None:
        import psycopg

        with psycopg.connect(
            host="127.0.0.1",
            port=self.port,
            user=ADMIN,
            password=PASSWORD,
            dbname=database,
            autocommit=True,
        ) as conn:
            conn.execute(sql)  # type: ignore[arg-type]

    def colleague(self, url: str, role: str = "bob") -> str:
        """The URL of ``url``'s database for a second login (a team member), created with
        the rights README.md tells administrators to grant."""
        database = url.rsplit("/", 1)[1]
        with contextlib.suppress(Exception):
            self.admin(f"CREATE ROLE {role} LOGIN PASSWORD '{PASSWORD}'")
        self.admin(
            f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}; "
            f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO {role}",
            database,
        )
        return self.url(database, role)

    def new_database(self, template: str | None = None) -> str:
        """A new database (empty, or a copy of ``template``); returns its URL."""
        name = f"t{next(self._numbers)}"
        self.admin(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
        return self.url(name)


def _find_bin_dir() -> Path | None:
    found = shutil.which("pg_ctl")
    if found and shutil.which("initdb"):
        return Path(found).resolve().parent
    candidates = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"),
        key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit() else 0,
    )
    return candidates[-1].parent if candidates else None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _runner() -> tuple[list[str], str | None]:
    """How to run the server's programs: as ourselves, or (as root, which initdb refuses)
    as the ``postgres`` user (or ``nobody``)."""
    if os.geteuid() != 0:
        return [], None
    for user in ("postgres", "nobody"):
        with contextlib.suppress(KeyError):
            pwd.getpwnam(user)
            if shutil.which("runuser"):
                return ["runuser", "-u", user, "--"], user
            if shutil.which("setpriv"):
                entry = pwd.getpwnam(user)
                return [
                    "setpriv",
                    f"--reuid={entry.pw_uid}",
                    f"--regid={entry.pw_gid}",
                    "--clear-groups",
                ], user
    raise RuntimeError("running as root, and there is no postgres or nobody user to run it as")


def _run(prefix: list[str], *args: str) -> None:
    result = subprocess.run([*prefix, *args], capture_output=True, text=True, timeout=120, cwd="/")
    if result.returncode != 0:
        raise RuntimeError(
            f"{Path(args[0]).name} failed: {(result.stderr or result.stdout)[-800:]}"
        )


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    bin_dir = _find_bin_dir()
    if bin_dir is None:
        pytest.skip(
            "PostgreSQL is not installed here (no pg_ctl/initdb on the PATH or in "
            "/usr/lib/postgresql/*/bin); install it, e.g. apt-get install postgresql"
        )
    folder = Path(tempfile.mkdtemp(prefix="isms-pg-"))
    data = folder / "data"
    started = False
    try:
        prefix, user = _runner()
        if user is not None:
            entry = pwd.getpwnam(user)
            os.chown(folder, entry.pw_uid, entry.pw_gid)
        folder.chmod(0o700)
        pwfile = folder / "pw"
        pwfile.write_text(PASSWORD + "\n", encoding="utf-8")
        if user is not None:
            os.chown(pwfile, pwd.getpwnam(user).pw_uid, -1)
        _run(
            prefix,
            str(bin_dir / "initdb"),
            "-D",
            str(data),
            "-U",
            ADMIN,
            f"--pwfile={pwfile}",
            "--auth-local=trust",
            "--auth-host=scram-sha-256",
            "-E",
            "UTF8",
            "--no-locale",
        )
        port = _free_port()
        options = (
            f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off -c max_connections=60"
        )
        _run(
            prefix,
            str(bin_dir / "pg_ctl"),
            "-D",
            str(data),
            "-o",
            options,
            "-l",
            str(folder / "server.log"),
            "-w",
            "-t",
            "60",
            "start",
        )
        started = True
        server = PgServer(port, folder, bin_dir, itertools.count(1))
        server.admin("SELECT 1")
    except (RuntimeError, OSError, subprocess.SubprocessError) as exc:
        log = folder / "server.log"
        tail = log.read_text(errors="replace")[-500:] if log.exists() else ""
        if started:
            _stop(bin_dir, data)
        shutil.rmtree(folder, ignore_errors=True)
        pytest.skip(f"PostgreSQL could not be started: {exc} {tail}".strip())
    old = os.environ.get("PGPASSWORD")
    os.environ["PGPASSWORD"] = PASSWORD
    try:
        yield server
    finally:
        if old is None:
            os.environ.pop("PGPASSWORD", None)
        else:
            os.environ["PGPASSWORD"] = old
        _stop(bin_dir, data)
        shutil.rmtree(folder, ignore_errors=True)


def _stop(bin_dir: Path, data: Path) -> None:
    with contextlib.suppress(Exception):
        prefix, _user = _runner()
        subprocess.run(
            [*prefix, str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"],
            capture_output=True,
            timeout=60,
            cwd="/",
        )


def _published(pg_server: PgServer, source: Path) -> str:
    """A template database holding the project file ``source``; returns its name."""
    from isms_desktop.storage.transfer import copy_project

    url = pg_server.new_database()
    copy_project(source, url)
    return url.rsplit("/", 1)[1]


@pytest.fixture(scope="session")
def pg_template_project(pg_server: PgServer, template_project: Path) -> str:
    return _published(pg_server, template_project)


@pytest.fixture(scope="session")
def pg_template_demo(pg_server: PgServer, template_demo: Path) -> str:
    return _published(pg_server, template_demo)


@pytest.fixture
def colleague_url(pg_server: PgServer) -> Callable[[str], str]:
    """The URL of a database for a second database user (a colleague)."""
    return pg_server.colleague


@pytest.fixture
def new_pg_database(pg_server: PgServer) -> Callable[[str | None], str]:
    """Make a fresh database (empty, or a copy of a template database); returns its URL."""
    return pg_server.new_database

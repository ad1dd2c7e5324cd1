"""The ``.isms`` project file: create, inspect, open (migrating if needed), lock, copy.

A project file is one SQLite database with ``PRAGMA application_id`` set to ours and its
schema managed by Alembic. Before SQLite opens a file for writing, its header, application
id, length and schema revision are checked read-only, so a file that is not ours, damaged
or from a newer version is refused without a single byte changing.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import sqlite3
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import QueuePool, StaticPool

from isms_desktop.domain.errors import (
    BadArgumentsError,
    CancelledError,
    DamagedFileError,
    IsmsError,
    NewerVersionError,
    ReadOnlyError,
    TargetExistsError,
)
from isms_desktop.storage import (
    audit_trail,
    db_errors,
    dialect,
    encryption,
    migrations_runner,
    schema_guard,
    version_mark,
)
from isms_desktop.storage.advice import (
    NO_ROOM_FOR_BACKUP,
    NOT_WRITABLE_HERE,
    NoRoomForBackupError,
    NotWritableHereError,
)
from isms_desktop.storage.encryption import FileKey
from isms_desktop.storage.lock import ProjectLock
from isms_desktop.storage.sqlite_header import read_header
from isms_desktop.storage.sqlite_uri import sqlite_uri

log = logging.getLogger(__name__)

APPLICATION_ID = 0x49534D53  # "ISMS"
SUFFIX = ".isms"
COPY_STEP_PAGES = 1024  # pages per step of a copy (4 MB of 4 KB pages)


@dataclass(frozen=True)
class FileStatus:
    """What a read-only look at a project file found."""

    path: Path
    revision: str
    head: str
    key: FileKey | None = None  # set when the file is encrypted (and was unlocked)
    written_by: int = 0  # the newest version that wrote to it (version_mark), 0 for none

    @property
    def needs_migration(self) -> bool:
        return self.revision != self.head


def backup_path(path: Path, revision: str) -> Path:
    return path.with_name(f"{path.name}.bak-{revision}")


def _damaged(path: Path, why: str) -> DamagedFileError:
    return DamagedFileError(f"{path} is damaged ({why}); restore it from a backup copy")


def _ro_uri(path: Path) -> str:
    return sqlite_uri(path, "ro")


def _connect_ro(path: Path, key: FileKey | None) -> Any:
    if key is not None:
        return encryption.connect(path, key, read_only=True)
    return sqlite3.connect(_ro_uri(path), uri=True)


def inspect_file(
    path: Path, password: str | None = None, *, key: FileKey | None = None
) -> FileStatus:
    """Check a project file read-only and report its schema revision.

    Raises DamagedFileError (not ours, truncated, unreadable), NewerVersionError (schema
    from a newer release), WrongPasswordError (an encrypted file that the password does not
    unlock) or BadArgumentsError (no such file).
    """
    if not path.exists():
        raise BadArgumentsError(f"{path}: no such file")
    if encryption.looks_encrypted(path):
        return _inspect_encrypted(path, key or encryption.unlock(path, password))
    _roll_back_hot_journal(path)
    header = read_header(path)
    if header.application_id != APPLICATION_ID:
        raise DamagedFileError(f"{path} is an SQLite database but not an isms-desktop project file")
    if header.page_count_valid and header.file_size < header.expected_size:
        raise _damaged(path, "the file is shorter than its header says: it was cut short")
    try:
        conn = sqlite3.connect(_ro_uri(path), uri=True)
    except sqlite3.Error as exc:
        raise DamagedFileError(f"{path} cannot be opened: {exc}") from exc
    return _inspect_schema(path, conn, None)


def _roll_back_hot_journal(path: Path) -> None:
    """Roll back a journal left by a crash (as SQLite does on the first read), so that the
    read-only checks see the last committed state instead of failing on a read-only handle."""
    journal = path.with_name(path.name + "-journal")
    # (os.path.exists: a name too long for "-journal" has no journal, and raises nothing)
    if not os.path.exists(journal) or not os.access(path, os.W_OK):
        return
    try:
        conn = sqlite3.connect(sqlite_uri(path, "rw"), uri=True)
        try:
            conn.execute("PRAGMA trusted_schema = OFF")
            conn.execute("PRAGMA schema_version").fetchone()
        finally:
            conn.close()
    except sqlite3.Error:
        return  # the checks that follow report what is wrong


def _inspect_encrypted(path: Path, key: FileKey) -> FileStatus:
    conn = encryption.connect(path, key, read_only=True)
    try:
        application_id = conn.execute("PRAGMA application_id").fetchone()[0]
    except Exception as exc:
        conn.close()
        raise _damaged(path, str(exc)) from exc
    if application_id != APPLICATION_ID:
        conn.close()
        raise DamagedFileError(f"{path} is an encrypted database but not an isms-desktop project")
    return _inspect_schema(path, conn, key)


def _inspect_schema(path: Path, conn: Any, key: FileKey | None) -> FileStatus:
    """Refuse planted triggers and views, and read the schema revision; closes ``conn``."""
    database_error: Any = sqlite3.DatabaseError if key is None else encryption.database_error()
    written_by = 0
    try:
        conn.execute("PRAGMA trusted_schema = OFF")
        written_by = int(conn.execute("PRAGMA user_version").fetchone()[0] or 0)
        objects = schema_guard.schema_problems(conn)
        if objects:
            names = ", ".join(objects[:5])
            raise DamagedFileError(
                f"{path} holds database objects isms-desktop never creates ({names}); "
                "it was not opened, for safety"
            )
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except database_error as exc:
        raise _damaged(path, str(exc)) from exc
    finally:
        conn.close()
    if row is None:
        raise _damaged(path, "it has no schema revision")
    revision = str(row[0])
    head = migrations_runner.head_revision()
    if revision != head and not migrations_runner.is_known(revision):
        saved_by = version_mark.decode(written_by)  # (None: a file from before the mark)
        raise NewerVersionError(version_mark.newer_refusal(str(path), revision, saved_by))
    return FileStatus(path=path, revision=revision, head=head, key=key, written_by=written_by)


def _install_sqlite_hooks(engine: Engine, *, writable: bool, durable: bool = True) -> None:
    """Let SQLAlchemy own transactions (BEGIN emitted explicitly), and set the pragmas."""
    dialect.install_sqlite_hooks(engine, writable=writable, durable=durable)


def _file_engine(
    path: Path,
    *,
    writable: bool,
    durable: bool = True,
    key: FileKey | None = None,
    new: bool = False,
) -> Engine:
    if key is not None:
        engine = create_engine(
            "sqlite+pysqlite://",
            module=encryption.dbapi(),
            creator=lambda: encryption.connect(path, key, read_only=not writable, new=new),
        )
    elif writable:
        # "rw", not SQLite's default "rwc": a file that has gone (deleted, renamed, its drive
        # removed) must not come back as a new empty file when the pool opens a connection
        uri = sqlite_uri(path, "rwc" if new else "rw")
        engine = create_engine(
            "sqlite+pysqlite://",
            creator=lambda: sqlite3.connect(uri, uri=True, check_same_thread=False),
            poolclass=QueuePool,
        )
    else:
        engine = create_engine(
            "sqlite+pysqlite://",
            creator=lambda: sqlite3.connect(_ro_uri(path), uri=True, check_same_thread=False),
        )
    _install_sqlite_hooks(engine, writable=writable, durable=durable)
    return engine


def _memory_engine(key: FileKey | None = None) -> Engine:
    if key is not None:
        engine = create_engine(
            "sqlite+pysqlite://",
            module=encryption.dbapi(),
            creator=lambda: encryption.memory_connection(key),
            poolclass=StaticPool,
        )
        _install_sqlite_hooks(engine, writable=False)
        return engine
    engine = create_engine(
        "sqlite+pysqlite://",
        creator=lambda: sqlite3.connect(":memory:", check_same_thread=False),
        poolclass=StaticPool,
    )
    _install_sqlite_hooks(engine, writable=False)
    return engine


class FileGoneError(IsmsError):
    """The open project's file is no longer where it was opened (exit 4: unreadable)."""

    exit_code = 4


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return (st.st_dev, st.st_ino)


class Project:
    """An open project: the engine, its sessions, and (for a writer) the lock."""

    def __init__(
        self,
        location: str,
        engine: Engine,
        *,
        path: Path | None,
        read_only: bool,
        lock: ProjectLock | None = None,
        key: FileKey | None = None,
        audited: bool = True,
        file_backed: bool = True,
    ) -> None:
        self.location = location
        # the file does not yet say that this version wrote to it (version_mark): noted
        # with its first change, so a project only opened and closed is left untouched
        self.unmarked = False
        # the schema revision the file itself is at, where it differs from the one read
        # through ``engine``: an older file opened read-only is upgraded in a copy in memory,
        # and stays at its own revision (``info`` and ``check`` report that one)
        self.stored_revision: str | None = None
        self.key = key
        self.path = path
        self.engine = engine
        self.read_only = read_only
        self._lock = lock
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        # the file as opened: an edit checks it is still there (a USB stick pulled, the file
        # moved or deleted by another program); None when the data is not read from the file
        self._identity = _identity(path) if path is not None and file_backed else None
        if not read_only and audited:
            # every change is logged in the file (not the building of a new project: its
            # history starts with the first edit after it was created)
            audit_trail.watch(self._sessions)
        # counts committed write transactions, so caches (search index) know they are stale
        self.generation = 0

    @property
    def encrypted(self) -> bool:
        return self.key is not None

    @property
    def concurrent_reads(self) -> bool:
        """Whether another thread may read at the same time, on a connection of its own
        (a pool of connections: a writable project file, a server; not an in-memory copy,
        whose one connection is shared)."""
        return isinstance(self.engine.pool, QueuePool)

    @property
    def display_name(self) -> str:
        return self.path.stem if self.path else self.location

    def session(self) -> Session:
        return self._sessions()

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Session]:
        """One unit of work: committed at the end, rolled back on any error."""
        if self.read_only:
            raise ReadOnlyError(f"{self.location} is open read-only; changes are not possible")
        gone = self.gone()
        if gone is not None:
            raise gone
        with self._translated(), self._sessions() as session, session.begin():
            if self.unmarked:  # this version's first change to the file: noted with it
                session.connection().exec_driver_sql(f"PRAGMA user_version = {version_mark.OURS}")
            yield session
        self.unmarked = False
        self.generation += 1

    @contextlib.contextmanager
    def reading(self) -> Iterator[Session]:
        with self._translated(), self._sessions() as session, session.begin():
            yield session

    @contextlib.contextmanager
    def writing_or_reading(self, dry_run: bool) -> Iterator[Session]:
        """A transaction that may write, or (dry run) one that is always rolled back."""
        if not dry_run:
            with self.transaction() as session:
                yield session
            return
        with self._translated(), self._sessions() as session:
            session.begin()
            try:
                yield session
            finally:
                session.rollback()

    @contextlib.contextmanager
    def _translated(self) -> Iterator[None]:
        try:
            yield
        except DBAPIError as exc:
            # (SQLite says "readonly database" or "disk I/O error" when the file has gone)
            error = self.gone() or db_errors.translate(exc, self.location)
            if error is None:
                raise
            raise error from exc

    def gone(self) -> FileGoneError | None:
        """The error to report if the project's file is no longer the one opened, else None."""
        if self._identity is None or self.path is None:
            return None
        if _identity(self.path) == self._identity:
            return None
        return FileGoneError(
            f"{self.path} is no longer there: it was moved, renamed or deleted, or its drive "
            "was removed. Nothing more was saved. Put the file back (or reconnect the drive) "
            "and open it again"
        )

    def save_copy(self, target: Path, *, cancelled: Callable[[], bool] | None = None) -> None:
        """Write a consistent copy with SQLite's backup API (atomically replacing target).

        The pages are copied a few MB at a time, so another thread may copy while this
        process goes on writing (SQLite starts the copy again when a change reaches the
        file between two steps). ``cancelled`` is asked between the steps; when it says
        yes the copy stops with :class:`CancelledError` and nothing is written.
        """
        target = target.resolve()
        if self.path is not None and target == self.path.resolve():
            raise BadArgumentsError("choose another file name than the project's own")
        try:
            self._save_copy(target, cancelled)
        except (OSError, sqlite3.Error) as exc:
            raise IsmsError(
                f"the copy could not be written to {target} ({exc}); nothing was changed "
                "there — check the folder exists, is writable and has space"
            ) from exc

    def _save_copy(self, target: Path, cancelled: Callable[[], bool] | None) -> None:
        def step(_status: int, _remaining: int, _total: int) -> None:
            if cancelled is not None and cancelled():
                raise CancelledError(f"the copy to {target} was stopped; nothing was written")

        fd, tmp_name = tempfile.mkstemp(prefix=".copy-", suffix=SUFFIX, dir=target.parent)
        os.close(fd)
        tmp = Path(tmp_name)
        try:
            raw = self.engine.raw_connection()
            try:
                if self.key is not None:
                    tmp.unlink()  # SQLCipher writes the salt into a file it creates itself
                    dest = encryption.connect(tmp, self.key, new=True)
                else:
                    dest = sqlite3.connect(tmp)
                try:
                    source: Any = raw.driver_connection
                    # (``step`` raising stops the copy and the error comes out of backup)
                    source.backup(dest, pages=COPY_STEP_PAGES, progress=step, sleep=0.05)
                    dest.execute("PRAGMA journal_mode = DELETE")
                finally:
                    dest.close()
            finally:
                raw.close()
            os.replace(tmp, target)
        finally:
            # the copy's own journal too, if SQLite was stopped halfway (e.g. a full disk)
            for leftover in (tmp, tmp.with_name(tmp.name + "-journal")):
                with contextlib.suppress(FileNotFoundError):
                    leftover.unlink()

    def close(self) -> None:
        self.engine.dispose()
        if self._lock is not None:
            self._lock.release()
            self._lock = None

    def __enter__(self) -> Project:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _backup_copy(path: Path, revision: str) -> Path:
    """Copy the file before migrating it; never overwrite an earlier backup of that revision."""
    target = backup_path(path, revision)
    if not target.exists():
        tmp = target.with_name(target.name + ".part")
        try:
            shutil.copy2(path, tmp)
            os.replace(tmp, target)
        except OSError as exc:
            with contextlib.suppress(OSError):
                tmp.unlink()
            raise NoRoomForBackupError(
                f"{path} needs upgrading to this version, but the backup copy kept before "
                f"that could not be written beside it ({exc.strerror or exc}); nothing was "
                "changed",
                NO_ROOM_FOR_BACKUP,
            ) from exc
    return target


# The files written beside a project add to its name: the lock (".~lock.NAME#") and
# SQLite's journal ("NAME-journal") 8 bytes; the backup before an upgrade ".bak-REV.part".
_SIBLING_EXTRA = len("-journal")
# and a new project is built as ".NAME.PID.part" (a process id has at most 7 digits)
NEW_NAME_EXTRA = len("..1234567.part")


def longest_name(folder: Path, extra: int = NEW_NAME_EXTRA + _SIBLING_EXTRA) -> int:
    """The longest file name (in bytes) a project may have in ``folder``."""
    return _name_max(folder) - max(extra, _SIBLING_EXTRA)


def _name_max(folder: Path) -> int:
    try:
        return int(os.pathconf(folder, "PC_NAME_MAX"))
    except (AttributeError, OSError, ValueError):  # (Windows has no pathconf)
        return 255


def write_refusal(path: Path, upgrading_from: str | None = None) -> str | None:
    """Why the project at ``path`` cannot be written where it is (None: it can).

    A read-only medium (CD, locked SD card or stick, read-only share), a write-protected
    file or folder (SQLite writes its journal, and we our lock, beside the file), or a name
    too long for the files written beside it.
    """
    if not os.access(path, os.W_OK):
        return "the file is write-protected, or on a read-only drive"
    folder = path.parent
    if not os.access(folder, os.W_OK):
        return "its folder is read-only (the lock and journal files cannot be written beside it)"
    extra = len(f".bak-{upgrading_from}.part") if upgrading_from else _SIBLING_EXTRA
    if len(os.fsencode(path.name)) > longest_name(folder, extra):
        return (
            "its file name is too long to write the lock and journal files beside it "
            "(rename it to a shorter name)"
        )
    return None


def create_project_file(path: Path, key: FileKey | None = None) -> None:
    """Create an empty project file with the schema at head (encrypted with ``key`` if
    given); refuse an existing path."""
    if path.exists():
        raise TargetExistsError(f"{path} already exists; choose another name (nothing was changed)")
    engine = _file_engine(path, writable=True, key=key, new=True)
    try:
        with engine.begin() as conn:
            conn.exec_driver_sql(f"PRAGMA application_id = {APPLICATION_ID}")
            conn.exec_driver_sql(f"PRAGMA user_version = {version_mark.OURS}")
            migrations_runner.upgrade(conn)
    finally:
        engine.dispose()


def open_project(
    path: Path | str,
    *,
    read_only: bool = False,
    durable: bool = True,
    password: str | None = None,
    key: FileKey | None = None,
) -> Project:
    """Open a project file for writing (locked, migrated) or for reading (untouched).

    ``durable=False`` skips waiting for the disk on each commit: only for building a new
    file under a temporary name. An encrypted file is unlocked with ``password`` (or the
    password source of ``storage.encryption``). A ``postgresql://`` URL opens a project
    on a server instead (``storage.server``).
    """
    if isinstance(path, str) and "://" in path:
        from isms_desktop.storage import server

        return server.open_server_project(path, read_only=read_only, password=password)
    path = Path(path)
    status = inspect_file(path, password, key=key)
    if read_only:
        return _open_for_reading(path, status)
    refusal = write_refusal(path, status.revision if status.needs_migration else None)
    if refusal is not None:
        raise NotWritableHereError(f"{path} cannot be changed here: {refusal}", NOT_WRITABLE_HERE)
    lock = ProjectLock(path)
    lock.acquire()
    try:
        if status.needs_migration:
            backup = _backup_copy(path, status.revision)
            log.info(
                "migrating %s from %s to %s (backup %s)", path, status.revision, status.head, backup
            )
        engine = _file_engine(path, writable=True, durable=durable, key=status.key)
        if status.needs_migration:
            with engine.begin() as conn:
                migrations_runner.upgrade(conn)
        project = Project(
            str(path),
            engine,
            path=path,
            read_only=False,
            lock=lock,
            key=status.key,
            audited=durable,
        )
        project.unmarked = status.written_by < version_mark.OURS
        return project
    except BaseException:
        lock.release()
        raise


def _open_for_reading(path: Path, status: FileStatus) -> Project:
    """Readers never touch the file; an older file is migrated in a copy held in memory."""
    if not status.needs_migration:
        engine = _file_engine(path, writable=False, key=status.key)
        return Project(str(path), engine, path=path, read_only=True, key=status.key)
    engine = _memory_engine(status.key)
    source = _connect_ro(path, status.key)
    try:
        raw = engine.raw_connection()
        try:
            source.backup(raw.driver_connection)  # type: ignore[arg-type]
        finally:
            raw.close()
    finally:
        source.close()
    with engine.begin() as conn:
        migrations_runner.upgrade(conn)
    project = Project(
        str(path), engine, path=path, read_only=True, key=status.key, file_backed=False
    )
    project.stored_revision = status.revision
    return project


@dataclass(frozen=True)
class IntegrityReport:
    path: Path
    revision: str
    head: str
    problems: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return not self.problems


def check_file(path: Path, password: str | None = None) -> IntegrityReport:
    """Full read-only integrity check: SQLite's own, foreign keys, schema revision."""
    status = inspect_file(path, password)
    conn = _connect_ro(path, status.key)
    problems: list[str] = []
    try:
        rows = [r[0] for r in conn.execute("PRAGMA integrity_check").fetchall()]
        if rows != ["ok"]:
            problems.extend(str(r) for r in rows[:20])
        fk = conn.execute("PRAGMA foreign_key_check").fetchall()
        problems.extend(f"broken reference in table {r[0]} row {r[1]}" for r in fk[:20])
    except (sqlite3.DatabaseError, encryption.database_error()) as exc:
        problems.append(str(exc))
    finally:
        conn.close()
    return IntegrityReport(path, status.revision, status.head, tuple(problems))


def quick_check(path: Path, key: FileKey | None = None) -> list[str]:
    """SQLite's quick check of a closed file (pages and indexes, not foreign keys): the
    problems found, empty when none. A backup is checked so, before the old ones are pruned."""
    try:
        conn = _connect_ro(path, key)
        try:
            rows = [str(r[0]) for r in conn.execute("PRAGMA quick_check").fetchall()]
        finally:
            conn.close()
    except (sqlite3.DatabaseError, encryption.database_error()) as exc:
        return [str(exc)]
    return [] if rows == ["ok"] else rows[:20]


def change_encryption(path: Path, *, password: str | None, new_password: str | None) -> None:
    """Encrypt a closed project file, change its password, or (``new_password=None``)
    store it in plaintext again.

    The file is rewritten under a temporary name and replaced in one step while its lock is
    held, so an interruption leaves the old file. ``password`` unlocks an encrypted file.
    """
    path = Path(path)
    status = inspect_file(path, password)
    if status.needs_migration:
        open_project(path, password=password).close()  # migrate first (with its backup)
        status = inspect_file(path, password)
    if status.key is None and new_password is None:
        raise BadArgumentsError(f"{path} is not encrypted; nothing was changed")
    lock = ProjectLock(path)
    lock.acquire()
    tmp = path.with_name(f".{path.name}.{os.getpid()}.crypt")
    try:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        if status.key is not None:
            source = encryption.connect(path, status.key)
        else:
            source = encryption.dbapi().connect(str(path), check_same_thread=False)
        try:
            new_key = encryption.new_key(new_password) if new_password else None
            encryption.export_to(source, tmp, new_key)
        finally:
            source.close()
        with tmp.open("rb+") as handle:
            os.fsync(handle.fileno())
        os.replace(tmp, path)
        log.info("encryption of %s %s", path, "set" if new_password else "removed")
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        lock.release()


def open_reader(project: Project) -> Project:
    """A second, read-only view of an open project's file (e.g. for a background export),
    unlocked with the same key when the file is encrypted."""
    if project.path is None:
        from isms_desktop.storage.server import ServerProject

        if isinstance(project, ServerProject):
            return project.reader()
        raise BadArgumentsError(f"{project.location} is not a file")
    return open_project(project.path, read_only=True, key=project.key)

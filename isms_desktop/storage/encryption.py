"""Encryption at rest for project files, with SQLCipher (through the maintained ``sqlcipher3``
binding, which bundles SQLCipher 4).

Design (see docs/encryption.md for the reasoning):

- An encrypted project is still one file: an SQLCipher database. Every page, the SQLite
  header included, is encrypted with AES-256 and authenticated with HMAC-SHA512; nothing of
  the project is on disk in plaintext, and no working copy is ever written elsewhere.
- The 256-bit key is derived from the password with scrypt (memory-hard; N=2^15, r=8, p=1,
  32 MiB) and a random 16-byte salt per file. SQLCipher keeps that salt in the first 16 bytes
  of the file, so the file carries its own salt: ``PRAGMA key = "x'<key><salt>'"`` when the
  file is created, ``PRAGMA key = "x'<key>'"`` when it is opened.
- The password is never stored: only the derived key lives in memory while the project is
  open. It comes from the caller (the GUI's password dialog) or from the password source
  the command line sets (``--password-file`` or the ``ISMS_PASSWORD`` variable).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from isms_desktop.domain.errors import BadArgumentsError, IsmsError, WrongPasswordError
from isms_desktop.storage.advice import PASSWORD_ENV, PASSWORD_NEEDED, PasswordNeededError
from isms_desktop.storage.sqlite_header import MAGIC
from isms_desktop.storage.sqlite_uri import sqlite_uri

SALT_BYTES = 16
KEY_BYTES = 32
SCRYPT_N = 2**15
SCRYPT_R = 8
SCRYPT_P = 1
PAGE_SIZE = 4096


@dataclass(frozen=True)
class FileKey:
    """The derived key of one encrypted file (never the password)."""

    key: bytes
    salt: bytes

    def pragma(self, *, with_salt: bool = False) -> str:
        raw = self.key.hex() + (self.salt.hex() if with_salt else "")
        return f"PRAGMA key = \"x'{raw}'\""


def derive_key(password: str, salt: bytes) -> FileKey:
    if not password:
        raise WrongPasswordError("the password is empty")
    key = hashlib.scrypt(
        password.encode("utf-8"),
        salt=salt,
        n=SCRYPT_N,
        r=SCRYPT_R,
        p=SCRYPT_P,
        maxmem=64 * 1024 * 1024,
        dklen=KEY_BYTES,
    )
    return FileKey(key, salt)


def new_key(password: str) -> FileKey:
    return derive_key(password, secrets.token_bytes(SALT_BYTES))


def looks_encrypted(path: Path) -> bool:
    """An SQLCipher file has no plaintext SQLite header and whole pages."""
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            head = handle.read(len(MAGIC))
    except OSError:
        return False
    # (a salt of zeros is no salt: that is a header overwritten with zeros, a damaged file)
    return size >= PAGE_SIZE and size % 1024 == 0 and head not in (MAGIC, bytes(len(MAGIC)))


def key_for_file(path: Path, password: str) -> FileKey:
    with path.open("rb") as handle:
        salt = handle.read(SALT_BYTES)
    return derive_key(password, salt)


# -- the password source of the command line -------------------------------------------------

PasswordSource = Callable[[Path], "str | None"]


def _environment_password(_path: Path) -> str | None:
    return os.environ.get(PASSWORD_ENV) or None


_source: PasswordSource = _environment_password


def set_password_source(source: PasswordSource | None) -> None:
    """Where passwords come from when a caller gives none (``None``: the environment)."""
    global _source
    _source = source or _environment_password


def password_for(path: Path) -> str | None:
    return _source(path)


def read_password_file(path: Path, *, option: str = "--password-file", new: bool = False) -> str:
    """The password on the first line of the file ``path``, given with ``option`` (named in
    the refusals, which are the command line's: only it takes password files, also for the
    window). A file that cannot be read is a wrong argument (exit 2), as is an empty one
    for a ``new`` password; an empty current password opens nothing: the wrong password
    (exit 7)."""
    where = f"{option} {path}"
    if path.is_dir():
        raise BadArgumentsError(f"{where} is a folder; give the file holding the password")
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise BadArgumentsError(
            f"{where} is not a text file (UTF-8); put the password on its first line"
        ) from None
    except OSError as exc:
        raise BadArgumentsError(
            f"{where} cannot be read ({exc.strerror or exc}); {option} names a file with the "
            "password on its first line"
        ) from exc
    password = text.splitlines()[0] if text else ""
    if not password:
        if new:
            raise BadArgumentsError(f"{where} is empty; put the new password on its first line")
        raise WrongPasswordError(
            f"{where} is empty: an empty password opens nothing; put the password on its first line"
        )
    return password


# -- connections ---------------------------------------------------------------------------------


def dbapi() -> Any:
    """The DB-API module of SQLCipher (for SQLAlchemy's ``module=``)."""
    return _module()


def database_error() -> type[Exception]:
    error: type[Exception] = _module().DatabaseError
    return error


def _module() -> Any:
    try:
        from sqlcipher3 import dbapi2
    except ImportError as exc:  # pragma: no cover - the dependency is declared
        raise IsmsError(
            "encrypted projects need the sqlcipher3 package; reinstall isms-desktop"
        ) from exc
    return dbapi2


def connect(path: Path | str, key: FileKey, *, read_only: bool = False, new: bool = False) -> Any:
    """An SQLCipher connection to ``path`` unlocked with ``key``.

    Raises WrongPasswordError when the key does not decrypt the file.
    """
    dbapi2 = _module()
    if read_only:
        target = sqlite_uri(path, "ro")
        conn = dbapi2.connect(target, uri=True, check_same_thread=False)
    else:
        # (never "rwc" for an existing project: a file that has gone is not made anew)
        target = sqlite_uri(path, "rwc" if new else "rw")
        conn = dbapi2.connect(target, uri=True, check_same_thread=False)
    try:
        with contextlib.suppress(dbapi2.DatabaseError):
            conn.execute("PRAGMA cipher_log_level = NONE")
        conn.execute(key.pragma(with_salt=new))
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except dbapi2.DatabaseError as exc:
        conn.close()
        raise WrongPasswordError(
            f"{path} could not be unlocked: the password is wrong, or the file is not an "
            "encrypted isms-desktop project"
        ) from exc
    return conn


def memory_connection(key: FileKey) -> Any:
    """An in-memory database keyed like the file (for the read-only migration of an older
    encrypted file: SQLCipher's backup API copies only between databases with one key)."""
    conn = _module().connect(":memory:", check_same_thread=False)
    conn.execute(key.pragma(with_salt=True))
    return conn


def export_to(source: Any, target: Path, key: FileKey | None) -> None:
    """Write the whole database behind ``source`` to a new file ``target``, encrypted with
    ``key`` (or in plaintext when ``key`` is None), keeping the application id."""
    application_id = source.execute("PRAGMA application_id").fetchone()[0]
    user_version = source.execute("PRAGMA user_version").fetchone()[0]
    raw = f"x'{key.key.hex()}{key.salt.hex()}'" if key is not None else ""
    source.execute(
        "ATTACH DATABASE ? AS export KEY " + (f'"{raw}"' if raw else "''"), (str(target),)
    )
    try:
        source.execute("SELECT sqlcipher_export('export')").fetchone()
        source.execute(f"PRAGMA export.application_id = {int(application_id)}")
        source.execute(f"PRAGMA export.user_version = {int(user_version)}")
    finally:
        source.execute("DETACH DATABASE export")


def unlock(path: Path, password: str | None) -> FileKey:
    """The key of an encrypted-looking file, from ``password`` or the password source."""
    password = password or password_for(path)
    if not password:
        raise PasswordNeededError(
            f"{path} is not a readable isms-desktop project: it is either encrypted or damaged",
            PASSWORD_NEEDED,
        )
    key = key_for_file(path, password)
    connect(path, key, read_only=True).close()
    return key

"""Errors the user can act on, each with the exit status CONTRACT.md gives it.

These are environment and input errors, not bugs: the CLI prints ``str(error)`` as one line,
the GUI shows it in a message box. Bugs are any other exception.
"""

from __future__ import annotations


class IsmsError(Exception):
    """Base of all errors that are reported to the user as one clear message."""

    exit_code = 1


class BadArgumentsError(IsmsError):
    """The request itself is wrong or refused (exit 2)."""

    exit_code = 2


class TargetExistsError(BadArgumentsError):
    """A file that would be created already exists (exit 2)."""


class NotAvailableError(BadArgumentsError):
    """A feature that has not been built yet (exit 2)."""


class RejectedInputError(IsmsError):
    """Input rows were rejected; nothing was written (exit 3)."""

    exit_code = 3


class DamagedFileError(IsmsError):
    """Not a project file, truncated, corrupted or unreadable (exit 4)."""

    exit_code = 4


class NewerVersionError(IsmsError):
    """The file was written by a newer version of the application (exit 5)."""

    exit_code = 5


class LockedError(IsmsError):
    """Another process holds the write lock (exit 6)."""

    exit_code = 6

    def __init__(self, message: str, *, user: str = "", host: str = "", since: str = "") -> None:
        super().__init__(message)
        self.user = user
        self.host = host
        self.since = since


class WrongPasswordError(IsmsError):
    """The password of an encrypted project is wrong (exit 7)."""

    exit_code = 7


class ReadOnlyError(IsmsError):
    """A change was attempted on a project opened read-only."""

    exit_code = 2


class CancelledError(IsmsError):
    """The user (or the program, closing) stopped a long job; nothing was written."""

    exit_code = 130  # the conventional status of an interrupted command


class ServerUnreachableError(IsmsError):
    """A PostgreSQL server could not be reached or refused the connection (exit 4)."""

    exit_code = 4


class ConflictError(IsmsError):
    """Someone else changed the record since it was read (team mode); nothing was written
    (exit 2). ``current`` holds the record's values as they are now, ``version`` its
    current row version (give it back to overwrite)."""

    exit_code = 2

    def __init__(
        self,
        message: str,
        *,
        register: str = "",
        code: str = "",
        field: str = "",
        mine: object = None,
        current: dict[str, object] | None = None,
        version: int = 0,
    ) -> None:
        super().__init__(message)
        self.register = register
        self.code = code
        self.field = field
        self.mine = mine
        self.current = dict(current or {})
        self.version = version

"""Turn the database driver's environment errors into messages a user can act on."""

from __future__ import annotations

from sqlalchemy.exc import DBAPIError

from isms_desktop.domain.errors import (
    DamagedFileError,
    IsmsError,
    LockedError,
    ServerUnreachableError,
)

_DAMAGED = ("malformed", "not a database", "file is encrypted", "disk i/o error")
_CONNECTION_LOST = ("server closed the connection", "connection refused", "could not connect")


def translate(exc: DBAPIError, location: str) -> IsmsError | None:
    """The user-facing error for a driver error, or None if it is a bug to report as such."""
    message = str(exc.orig).lower()
    if any(marker in message for marker in _DAMAGED):
        return DamagedFileError(
            f"{location} is damaged ({exc.orig}); restore it from a backup copy"
        )
    if "database or disk is full" in message:
        return IsmsError(
            f"the disk holding {location} is full; nothing was changed — free some space "
            "on it and try again"
        )
    if "unable to open database file" in message:
        return IsmsError(
            f"{location} cannot be opened any more ({exc.orig}); check that its folder and "
            "drive are still there, then try again"
        )
    if "database is locked" in message:
        return LockedError(f"{location} is busy in another program; try again in a moment")
    if "readonly database" in message or "read-only" in message:
        return IsmsError(f"{location} cannot be written (read-only); nothing was changed")
    # a PostgreSQL server (team mode)
    if "lock timeout" in message or "deadlock detected" in message:
        return LockedError(f"{location}: another user is saving the same records; try again")
    if exc.connection_invalidated or any(m in message for m in _CONNECTION_LOST):
        return ServerUnreachableError(
            f"the connection to {location} was lost ({str(exc.orig).strip().splitlines()[0]}); "
            "nothing more was saved — check the network and try again"
        )
    if "permission denied" in message:
        return IsmsError(f"{location}: {str(exc.orig).strip().splitlines()[0]}")
    return None

"""SQLite ``file:`` URIs of project files, whatever characters their paths hold.

SQLite reads ``?`` as the start of the query, ``#`` as a fragment and ``%HH`` as an escape,
so a path such as ``Client #2 (100%).isms`` must be percent-encoded, or SQLite opens (or
creates) another file than the one meant.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote


def sqlite_uri(path: Path | str, mode: str) -> str:
    """The URI that opens ``path`` in ``mode`` (``ro``, ``rw`` or ``rwc``)."""
    posix = Path(path).resolve().as_posix()
    if not posix.startswith("/"):
        posix = "/" + posix  # a Windows drive: file:///C:/...
    # "file://" with an empty authority; a UNC path (//server/share) keeps its two slashes
    return f"file://{quote(posix, safe='/:')}?mode={mode}"

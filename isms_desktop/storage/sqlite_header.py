"""Read the 100-byte SQLite file header without opening the database.

Checking the header first means a file that is not ours, or has been truncated, is refused
before SQLite touches it (and so it is never modified).
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path

from isms_desktop.domain.errors import DamagedFileError

MAGIC = b"SQLite format 3\x00"
HEADER_SIZE = 100


@dataclass(frozen=True)
class SqliteHeader:
    page_size: int
    page_count: int
    page_count_valid: bool
    application_id: int
    user_version: int
    file_size: int

    @property
    def expected_size(self) -> int:
        return self.page_size * self.page_count


def read_header(path: Path) -> SqliteHeader:
    """Parse the header of ``path``; raise DamagedFileError if it is not an SQLite database."""
    try:
        with path.open("rb") as handle:
            raw = handle.read(HEADER_SIZE)
        size = path.stat().st_size
    except IsADirectoryError as exc:
        raise DamagedFileError(f"{path} is a folder, not an isms-desktop project file") from exc
    except OSError as exc:
        raise DamagedFileError(f"{path} cannot be read: {exc.strerror or exc}") from exc
    if len(raw) < HEADER_SIZE or not raw.startswith(MAGIC):
        raise DamagedFileError(
            f"{path} is not an isms-desktop project file (it is not an SQLite database, "
            "or it is empty or cut short)"
        )
    (page_size,) = struct.unpack(">H", raw[16:18])
    if page_size == 1:
        page_size = 65536
    change_counter, page_count = struct.unpack(">II", raw[24:32])
    (user_version,) = struct.unpack(">I", raw[60:64])
    (application_id,) = struct.unpack(">I", raw[68:72])
    (version_valid_for,) = struct.unpack(">I", raw[92:96])
    if page_size < 512 or page_size & (page_size - 1):
        raise DamagedFileError(f"{path} is damaged: its header gives an impossible page size")
    return SqliteHeader(
        page_size=page_size,
        page_count=page_count,
        page_count_valid=version_valid_for == change_counter and page_count > 0,
        application_id=application_id,
        user_version=user_version,
        file_size=size,
    )

"""Attachment bytes in and out in chunks, never holding a whole file in memory twice.

SQLite's incremental blob I/O writes into a zero-filled blob of the final size and reads it
back piece by piece. Other databases (the dialect seam) take the bytes in one go.
"""

from __future__ import annotations

import hashlib
from typing import BinaryIO

from sqlalchemy import text
from sqlalchemy.orm import Session

CHUNK = 1 << 20


def _sqlite(session: Session) -> object | None:
    conn = session.connection()
    if conn.dialect.name != "sqlite":
        return None
    return conn.connection.driver_connection


def write_blob(session: Session, attachment_id: int, source: BinaryIO, size: int) -> str:
    """Store ``size`` bytes from ``source``; return their SHA-256 (hex)."""
    digest = hashlib.sha256()
    raw = _sqlite(session)
    if raw is None:
        data = source.read(size)
        digest.update(data)
        session.execute(
            text("INSERT INTO attachment_data (attachment_id, data) VALUES (:id, :data)"),
            {"id": attachment_id, "data": data},
        )
        return digest.hexdigest()
    session.execute(
        text("INSERT INTO attachment_data (attachment_id, data) VALUES (:id, zeroblob(:size))"),
        {"id": attachment_id, "size": size},
    )
    written = 0
    with raw.blobopen("attachment_data", "data", attachment_id) as blob:  # type: ignore[attr-defined]
        while written < size:
            chunk = source.read(min(CHUNK, size - written))
            if not chunk:
                raise OSError("the file became shorter while it was being read")
            blob.write(chunk)
            digest.update(chunk)
            written += len(chunk)
    return digest.hexdigest()


def read_blob(session: Session, attachment_id: int, sink: BinaryIO) -> str:
    """Copy the stored bytes into ``sink``; return their SHA-256 (hex)."""
    digest = hashlib.sha256()
    raw = _sqlite(session)
    if raw is None:
        data = session.execute(
            text("SELECT data FROM attachment_data WHERE attachment_id = :id"),
            {"id": attachment_id},
        ).scalar_one()
        sink.write(data)
        digest.update(data)
        return digest.hexdigest()
    with raw.blobopen("attachment_data", "data", attachment_id, readonly=True) as blob:  # type: ignore[attr-defined]
        while chunk := blob.read(CHUNK):
            sink.write(chunk)
            digest.update(chunk)
    return digest.hexdigest()

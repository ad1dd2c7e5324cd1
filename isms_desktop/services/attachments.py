"""Files kept inside the project: evidence for controls (and later other records)."""

from __future__ import annotations

import datetime as dt
import mimetypes
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from isms_desktop.domain.errors import BadArgumentsError, IsmsError
from isms_desktop.domain.filenames import safe_filename
from isms_desktop.services.registers import find_in
from isms_desktop.storage.blobs import read_blob, write_blob
from isms_desktop.storage.file_modes import as_user_file
from isms_desktop.storage.lock import current_user
from isms_desktop.storage.models import Attachment
from isms_desktop.storage.project_file import Project

MAX_SIZE = 100 * 1024 * 1024


@dataclass(frozen=True)
class AttachmentInfo:
    id: int
    register: str
    code: str
    name: str
    size: int
    sha256: str
    mime: str
    added_by: str
    added_at: dt.datetime
    expires_on: dt.date | None
    note: str

    @property
    def expired(self) -> bool:
        return self.expires_on is not None and self.expires_on < dt.date.today()


def _info(row: Attachment, code: str) -> AttachmentInfo:
    return AttachmentInfo(
        id=row.id,
        register=row.owner_register,
        code=code,
        name=row.name,
        size=row.size,
        sha256=row.sha256,
        mime=row.mime,
        added_by=row.added_by,
        added_at=row.added_at,
        expires_on=row.expires_on,
        note=row.note,
    )


def add_attachment(
    project: Project,
    register: str,
    code: str,
    source: Path,
    *,
    name: str | None = None,
    expires_on: dt.date | None = None,
    note: str = "",
    added_by: str | None = None,
) -> AttachmentInfo:
    """Copy a file into the project, attached to one record; stream it, hash it."""
    source = Path(source)
    try:
        size = source.stat().st_size
        handle = source.open("rb")
    except OSError as exc:
        raise BadArgumentsError(f"{source} cannot be read: {exc.strerror or exc}") from exc
    if size > MAX_SIZE:
        handle.close()
        raise BadArgumentsError(
            f"{source.name} is {size // (1024 * 1024)} MB; attachments may be up to 100 MB"
        )
    stored_name = safe_filename(name or source.name)
    with handle, project.transaction() as session:
        owner = find_in(session, register, code)
        row = Attachment(
            owner_register=register,
            owner_id=owner.id,
            name=stored_name,
            size=size,
            sha256="",
            mime=mimetypes.guess_type(stored_name)[0] or "application/octet-stream",
            added_by=added_by or current_user(),
            expires_on=expires_on,
            note=note,
        )
        session.add(row)
        session.flush()
        row.sha256 = write_blob(session, row.id, handle, size)
        return _info(row, owner.code)


def list_attachments(project: Project, register: str, code: str) -> list[AttachmentInfo]:
    with project.reading() as session:
        owner = find_in(session, register, code)
        rows = session.scalars(
            select(Attachment)
            .where(Attachment.owner_register == register, Attachment.owner_id == owner.id)
            .order_by(Attachment.added_at, Attachment.id)
        )
        return [_info(row, owner.code) for row in rows]


def counts_in(session: Session, register: str) -> dict[int, int]:
    """Number of attachments per owner id of a register."""
    stmt = (
        select(Attachment.owner_id, func.count())
        .where(Attachment.owner_register == register)
        .group_by(Attachment.owner_id)
    )
    return {int(owner): int(n) for owner, n in session.execute(stmt)}


@dataclass(frozen=True)
class EvidenceName:
    name: str
    expires_on: dt.date | None


def names_in(project: Project, register: str) -> dict[int, list[EvidenceName]]:
    """The attachments' names (and expiry) per owner id of a register, oldest first, read in
    one query (reports list them beside every record)."""
    stmt = (
        select(Attachment.owner_id, Attachment.name, Attachment.expires_on)
        .where(Attachment.owner_register == register)
        .order_by(Attachment.owner_id, Attachment.added_at, Attachment.id)
    )
    found: dict[int, list[EvidenceName]] = {}
    with project.reading() as session:
        for owner, name, expires_on in session.execute(stmt):
            found.setdefault(int(owner), []).append(EvidenceName(name, expires_on))
    return found


def _row(session: Session, attachment_id: int) -> Attachment:
    row = session.get(Attachment, attachment_id)
    if row is None:
        raise BadArgumentsError(f"there is no attachment {attachment_id}")
    return row


def save_attachment(project: Project, attachment_id: int, target: Path) -> Path:
    """Write an attachment's bytes to ``target`` (atomically), checking its hash."""
    target = Path(target)
    with project.reading() as session:
        row = _row(session, attachment_id)
        fd, tmp = tempfile.mkstemp(prefix=".att-", dir=target.parent)
        try:
            with os.fdopen(fd, "wb") as sink:
                digest = read_blob(session, attachment_id, sink)
            if digest != row.sha256:
                raise IsmsError(f"attachment {row.name} is damaged (its checksum does not match)")
            as_user_file(tmp)
            os.replace(tmp, target)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
    return target


def open_copy(project: Project, attachment_id: int) -> Path:
    """A temporary copy under its own (safe) name, for the system's viewer."""
    with project.reading() as session:
        name = safe_filename(_row(session, attachment_id).name)
    folder = Path(tempfile.mkdtemp(prefix="isms-attachment-"))
    return save_attachment(project, attachment_id, folder / name)


def delete_attachment(project: Project, attachment_id: int) -> None:
    with project.transaction() as session:
        session.delete(_row(session, attachment_id))


def set_expiry(project: Project, attachment_id: int, expires_on: dt.date | None) -> None:
    with project.transaction() as session:
        _row(session, attachment_id).expires_on = expires_on


def purge_orphans(project: Project) -> int:
    """Remove attachments whose record was deleted (kept until now so that undoing the
    delete could give them back); called when the project is closed. Returns how many."""
    from isms_desktop.storage.models import ChecklistItem
    from isms_desktop.storage.registers import EDITABLE_MODELS

    owners: dict[str, Any] = {**EDITABLE_MODELS, "checklist_items": ChecklistItem}
    removed = 0
    with project.transaction() as session:
        for register in session.scalars(select(Attachment.owner_register).distinct()).all():
            model = owners.get(register)
            if model is None:
                continue  # an owner this version does not know: leave it alone
            orphans = session.scalars(
                select(Attachment).where(
                    Attachment.owner_register == register,
                    ~select(model.id).where(model.id == Attachment.owner_id).exists(),
                )
            ).all()
            for row in orphans:
                session.delete(row)
            removed += len(orphans)
    return removed

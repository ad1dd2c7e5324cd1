"""Alembic environment: runs on the connection the application hands over.

The project file code passes its open connection in ``config.attributes["connection"]``;
all revisions run inside one transaction, so a migration interrupted half way leaves the
file at its old revision (SQLite DDL is transactional).
"""

from __future__ import annotations

from alembic import context

from isms_desktop.storage.models import Base

config = context.config
connection = config.attributes.get("connection")
if connection is None:  # pragma: no cover - only reached by a bare ``alembic`` command
    raise RuntimeError("isms-desktop migrations run through isms_desktop.storage, not alone")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,
    transactional_ddl=True,
)
with context.begin_transaction():
    context.run_migrations()

"""The audit trail: an append-only change log of every record

Revision ID: 0006_change_log
Revises: 0005_records
Create Date: 2026-12-02 10:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_change_log"
down_revision = "0005_records"
branch_labels = None
depends_on = None

# The application only ever appends to the log; these triggers refuse anything else, so a
# bug, a plug-in or a hand-written SQL statement through the application cannot rewrite it.
NO_UPDATE = (
    "CREATE TRIGGER change_log_no_update BEFORE UPDATE ON change_log "
    "BEGIN SELECT RAISE(ABORT, 'the change log cannot be edited'); END"
)
NO_DELETE = (
    "CREATE TRIGGER change_log_no_delete BEFORE DELETE ON change_log "
    "BEGIN SELECT RAISE(ABORT, 'the change log cannot be edited'); END"
)


def upgrade() -> None:
    op.create_table(
        "change_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("os_user", sa.String(length=200), nullable=False),
        sa.Column("user_name", sa.String(length=200), nullable=False),
        sa.Column("register", sa.String(length=60), nullable=False),
        sa.Column("table_name", sa.String(length=60), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=True),
        sa.Column("record_code", sa.String(length=200), nullable=False),
        sa.Column("field", sa.String(length=100), nullable=True),
        sa.Column("old_value", sa.Text(), nullable=True),
        sa.Column("new_value", sa.Text(), nullable=True),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("txn", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_change_log")),
    )
    with op.batch_alter_table("change_log", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_change_log_at"), ["at"], unique=False)
        batch_op.create_index(batch_op.f("ix_change_log_user_name"), ["user_name"], unique=False)
        batch_op.create_index(batch_op.f("ix_change_log_txn"), ["txn"], unique=False)
        batch_op.create_index(
            "ix_change_log_register_record_code", ["register", "record_code"], unique=False
        )
    if op.get_bind().dialect.name == "sqlite":
        op.execute(NO_UPDATE)
        op.execute(NO_DELETE)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS change_log_no_delete")
        op.execute("DROP TRIGGER IF EXISTS change_log_no_update")
    op.drop_table("change_log")

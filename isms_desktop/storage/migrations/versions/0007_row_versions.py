"""Row versions for optimistic concurrency (team mode), and an append-only change log on
PostgreSQL too

Revision ID: 0007_row_versions
Revises: 0006_change_log
Create Date: 2026-12-05 10:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007_row_versions"
down_revision = "0006_change_log"
branch_labels = None
depends_on = None

# The tables of the registers edited through the generic register services
# (storage.registers.EDITABLE_MODELS): every UPDATE checks and bumps their row_version.
VERSIONED_TABLES = (
    "actions",
    "assets",
    "audits",
    "commitments",
    "context_issues",
    "controls",
    "documents",
    "findings",
    "incidents",
    "interested_parties",
    "metrics",
    "nonconformities",
    "objectives",
    "party_requirements",
    "people",
    "process_interactions",
    "processes",
    "required_trainings",
    "reviews",
    "risks",
    "roles",
    "scope_items",
    "soa_entries",
    "training_records",
)

# The counterpart of migration 0006's SQLite triggers: the log only grows.
PG_FUNCTION = """
CREATE FUNCTION change_log_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'the change log cannot be edited';
END
$$ LANGUAGE plpgsql
"""
PG_TRIGGER = (
    "CREATE TRIGGER change_log_append_only BEFORE UPDATE OR DELETE ON change_log "
    "FOR EACH ROW EXECUTE FUNCTION change_log_append_only()"
)


def upgrade() -> None:
    for table in VERSIONED_TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(
                sa.Column("row_version", sa.Integer(), nullable=False, server_default="1")
            )
    if op.get_bind().dialect.name == "postgresql":
        op.execute(PG_FUNCTION)
        op.execute(PG_TRIGGER)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS change_log_append_only ON change_log")
        op.execute("DROP FUNCTION IF EXISTS change_log_append_only()")
    for table in reversed(VERSIONED_TABLES):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("row_version")

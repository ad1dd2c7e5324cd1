"""SoA as a register, SoA versions, attachments

Revision ID: 0004_soa
Revises: 0003_risks
Create Date: 2026-11-29 11:08:15.374819
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_soa"
down_revision = "0003_risks"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "attachments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("owner_register", sa.String(length=40), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("mime", sa.String(length=100), nullable=False),
        sa.Column("added_by", sa.String(length=200), nullable=False),
        sa.Column("added_at", sa.DateTime(), nullable=False),
        sa.Column("expires_on", sa.Date(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attachments")),
    )
    with op.batch_alter_table("attachments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_attachments_expires_on"), ["expires_on"], unique=False)
        batch_op.create_index("ix_attachments_owner", ["owner_register", "owner_id"], unique=False)

    op.create_table(
        "soa_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("approved_by", sa.String(length=200), nullable=False),
        sa.Column("approved_on", sa.Date(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("rows", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_soa_versions")),
        sa.UniqueConstraint("number", name=op.f("uq_soa_versions_number")),
    )
    op.create_table(
        "attachment_data",
        sa.Column("attachment_id", sa.Integer(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["attachment_id"],
            ["attachments.id"],
            name=op.f("fk_attachment_data_attachment_id_attachments"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("attachment_id", name=op.f("pk_attachment_data")),
    )
    op.create_table(
        "soa_requirements",
        sa.Column("soa_id", sa.Integer(), nullable=False),
        sa.Column("requirement_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["requirement_id"],
            ["party_requirements.id"],
            name=op.f("fk_soa_requirements_requirement_id_party_requirements"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["soa_id"],
            ["soa_entries.id"],
            name=op.f("fk_soa_requirements_soa_id_soa_entries"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("soa_id", "requirement_id", name=op.f("pk_soa_requirements")),
    )
    with op.batch_alter_table("soa_requirements", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_soa_requirements_requirement_id"), ["requirement_id"], unique=False
        )

    # Each SoA row takes its control's number as code, and its order.
    with op.batch_alter_table("soa_entries", schema=None) as batch_op:
        batch_op.add_column(sa.Column("code", sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column("sort_key", sa.Integer(), server_default="0", nullable=False))
    op.execute(
        "UPDATE soa_entries SET "
        "code = (SELECT number FROM controls WHERE controls.id = soa_entries.control_id), "
        "sort_key = (SELECT sort_key FROM controls WHERE controls.id = soa_entries.control_id)"
    )
    with op.batch_alter_table("soa_entries", schema=None) as batch_op:
        batch_op.alter_column("code", existing_type=sa.String(length=40), nullable=False)
        batch_op.create_unique_constraint(batch_op.f("uq_soa_entries_code"), ["code"])


def downgrade() -> None:
    with op.batch_alter_table("soa_entries", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_soa_entries_code"), type_="unique")
        batch_op.drop_column("sort_key")
        batch_op.drop_column("code")

    with op.batch_alter_table("soa_requirements", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_soa_requirements_requirement_id"))

    op.drop_table("soa_requirements")
    op.drop_table("attachment_data")
    op.drop_table("soa_versions")
    with op.batch_alter_table("attachments", schema=None) as batch_op:
        batch_op.drop_index("ix_attachments_owner")
        batch_op.drop_index(batch_op.f("ix_attachments_expires_on"))

    op.drop_table("attachments")

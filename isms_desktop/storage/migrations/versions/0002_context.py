"""Context, interested parties, scope, roles, management commitment; codes for interactions

Revision ID: 0002_context
Revises: 0001_initial
Create Date: 2026-11-29 10:57:05.564947
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_context"
down_revision = "0001_initial"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "context_issues",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("category", sa.String(length=40), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("effect", sa.Text(), nullable=False),
        sa.Column("climate_related", sa.Boolean(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_context_issues")),
        sa.UniqueConstraint("code", name=op.f("uq_context_issues_code")),
    )
    op.create_table(
        "interested_parties",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("relevant", sa.Boolean(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_interested_parties")),
        sa.UniqueConstraint("code", name=op.f("uq_interested_parties_code")),
    )
    op.create_table(
        "scope_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("counterpart", sa.String(length=300), nullable=False),
        sa.Column("justification", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scope_items")),
        sa.UniqueConstraint("code", name=op.f("uq_scope_items_code")),
    )
    with op.batch_alter_table("scope_items", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_scope_items_kind"), ["kind"], unique=False)

    op.create_table(
        "commitments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("evidence", sa.String(length=300), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_commitments_person_id_people"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_commitments")),
        sa.UniqueConstraint("code", name=op.f("uq_commitments_code")),
    )
    op.create_table(
        "party_requirements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("party_id", sa.Integer(), nullable=False),
        sa.Column("requirement", sa.Text(), nullable=False),
        sa.Column("type", sa.String(length=20), nullable=False),
        sa.Column("addressed", sa.Boolean(), nullable=True),
        sa.Column("how_addressed", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["party_id"],
            ["interested_parties.id"],
            name=op.f("fk_party_requirements_party_id_interested_parties"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_party_requirements")),
        sa.UniqueConstraint("code", name=op.f("uq_party_requirements_code")),
    )
    with op.batch_alter_table("party_requirements", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_party_requirements_party_id"), ["party_id"], unique=False
        )

    op.create_table(
        "roles",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("holder_id", sa.Integer(), nullable=True),
        sa.Column("deputy_id", sa.Integer(), nullable=True),
        sa.Column("responsibilities", sa.Text(), nullable=False),
        sa.Column("authorities", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["deputy_id"],
            ["people.id"],
            name=op.f("fk_roles_deputy_id_people"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["holder_id"],
            ["people.id"],
            name=op.f("fk_roles_holder_id_people"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_roles")),
        sa.UniqueConstraint("code", name=op.f("uq_roles_code")),
    )
    # Existing interactions get codes IX-001, IX-002 ... in the order they were created.
    with op.batch_alter_table("process_interactions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("code", sa.String(length=40), nullable=True))
    bind = op.get_bind()
    ids = bind.execute(sa.text("SELECT id FROM process_interactions ORDER BY id")).scalars()
    for number, row_id in enumerate(list(ids), start=1):
        bind.execute(
            sa.text("UPDATE process_interactions SET code = :code WHERE id = :id"),
            {"code": f"IX-{number:03d}", "id": row_id},
        )
    with op.batch_alter_table("process_interactions", schema=None) as batch_op:
        batch_op.alter_column("code", existing_type=sa.String(length=40), nullable=False)
        batch_op.create_unique_constraint(batch_op.f("uq_process_interactions_code"), ["code"])

    with op.batch_alter_table("project", schema=None) as batch_op:
        batch_op.add_column(sa.Column("logo", sa.LargeBinary(), nullable=True))
        batch_op.add_column(
            sa.Column("logo_mime", sa.String(length=60), server_default="", nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("project", schema=None) as batch_op:
        batch_op.drop_column("logo_mime")
        batch_op.drop_column("logo")

    with op.batch_alter_table("process_interactions", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_process_interactions_code"), type_="unique")
        batch_op.drop_column("code")

    op.drop_table("roles")
    with op.batch_alter_table("party_requirements", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_party_requirements_party_id"))

    op.drop_table("party_requirements")
    op.drop_table("commitments")
    with op.batch_alter_table("scope_items", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_scope_items_kind"))

    op.drop_table("scope_items")
    op.drop_table("interested_parties")
    op.drop_table("context_issues")

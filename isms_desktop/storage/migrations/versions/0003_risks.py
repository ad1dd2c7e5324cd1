"""Assets, risks, risk treatment and the unified action list

Revision ID: 0003_risks
Revises: 0002_context
Create Date: 2026-11-29 11:02:13.476919
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_risks"
down_revision = "0002_context"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "actions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("source", sa.String(length=30), nullable=False),
        sa.Column("title", sa.String(length=500), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=True),
        sa.Column("due_date", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=30), nullable=False),
        sa.Column("progress", sa.Integer(), nullable=True),
        sa.Column("completed_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["owner_id"],
            ["people.id"],
            name=op.f("fk_actions_owner_id_people"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_actions")),
        sa.UniqueConstraint("code", name=op.f("uq_actions_code")),
    )
    with op.batch_alter_table("actions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_actions_due_date"), ["due_date"], unique=False)
        batch_op.create_index(batch_op.f("ix_actions_owner_id"), ["owner_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_actions_source"), ["source"], unique=False)
        batch_op.create_index(batch_op.f("ix_actions_status"), ["status"], unique=False)

    op.create_table(
        "assets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("type", sa.String(length=40), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=True),
        sa.Column("custodian_id", sa.Integer(), nullable=True),
        sa.Column("location", sa.String(length=300), nullable=False),
        sa.Column("classification", sa.String(length=40), nullable=False),
        sa.Column("confidentiality", sa.Integer(), nullable=True),
        sa.Column("integrity", sa.Integer(), nullable=True),
        sa.Column("availability", sa.Integer(), nullable=True),
        sa.Column("lifecycle", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(
            ["custodian_id"],
            ["people.id"],
            name=op.f("fk_assets_custodian_id_people"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["people.id"], name=op.f("fk_assets_owner_id_people"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assets")),
        sa.UniqueConstraint("code", name=op.f("uq_assets_code")),
    )
    with op.batch_alter_table("assets", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_assets_name"), ["name"], unique=False)
        batch_op.create_index(batch_op.f("ix_assets_owner_id"), ["owner_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_assets_type"), ["type"], unique=False)

    op.create_table(
        "risks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("title", sa.String(length=500), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("threat", sa.String(length=300), nullable=False),
        sa.Column("vulnerability", sa.String(length=300), nullable=False),
        sa.Column("consequences", sa.Text(), nullable=False),
        sa.Column("confidentiality", sa.Boolean(), nullable=True),
        sa.Column("integrity", sa.Boolean(), nullable=True),
        sa.Column("availability", sa.Boolean(), nullable=True),
        sa.Column("owner_id", sa.Integer(), nullable=True),
        sa.Column("inherent_likelihood", sa.Integer(), nullable=True),
        sa.Column("inherent_impact", sa.Integer(), nullable=True),
        sa.Column("inherent_level", sa.String(length=40), nullable=True),
        sa.Column("inherent_rank", sa.Integer(), nullable=False),
        sa.Column("existing_controls", sa.Text(), nullable=False),
        sa.Column("treatment", sa.String(length=20), nullable=False),
        sa.Column("residual_likelihood", sa.Integer(), nullable=True),
        sa.Column("residual_impact", sa.Integer(), nullable=True),
        sa.Column("residual_level", sa.String(length=40), nullable=True),
        sa.Column("residual_rank", sa.Integer(), nullable=False),
        sa.Column("accepted_by_id", sa.Integer(), nullable=True),
        sa.Column("accepted_on", sa.Date(), nullable=True),
        sa.Column("acceptance_note", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=30), nullable=False),
        sa.Column("next_review", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["accepted_by_id"],
            ["people.id"],
            name=op.f("fk_risks_accepted_by_id_people"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["people.id"], name=op.f("fk_risks_owner_id_people"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_risks")),
        sa.UniqueConstraint("code", name=op.f("uq_risks_code")),
    )
    with op.batch_alter_table("risks", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_risks_inherent_rank"), ["inherent_rank"], unique=False)
        batch_op.create_index(batch_op.f("ix_risks_owner_id"), ["owner_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_risks_residual_rank"), ["residual_rank"], unique=False)
        batch_op.create_index(batch_op.f("ix_risks_status"), ["status"], unique=False)
        batch_op.create_index(batch_op.f("ix_risks_title"), ["title"], unique=False)
        batch_op.create_index(batch_op.f("ix_risks_treatment"), ["treatment"], unique=False)

    op.create_table(
        "action_controls",
        sa.Column("action_id", sa.Integer(), nullable=False),
        sa.Column("control_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["action_id"],
            ["actions.id"],
            name=op.f("fk_action_controls_action_id_actions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["control_id"],
            ["controls.id"],
            name=op.f("fk_action_controls_control_id_controls"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("action_id", "control_id", name=op.f("pk_action_controls")),
    )
    with op.batch_alter_table("action_controls", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_action_controls_control_id"), ["control_id"], unique=False
        )

    op.create_table(
        "action_risks",
        sa.Column("action_id", sa.Integer(), nullable=False),
        sa.Column("risk_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["action_id"],
            ["actions.id"],
            name=op.f("fk_action_risks_action_id_actions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["risk_id"],
            ["risks.id"],
            name=op.f("fk_action_risks_risk_id_risks"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("action_id", "risk_id", name=op.f("pk_action_risks")),
    )
    with op.batch_alter_table("action_risks", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_action_risks_risk_id"), ["risk_id"], unique=False)

    op.create_table(
        "asset_dependencies",
        sa.Column("asset_id", sa.Integer(), nullable=False),
        sa.Column("depends_on_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["asset_id"],
            ["assets.id"],
            name=op.f("fk_asset_dependencies_asset_id_assets"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["depends_on_id"],
            ["assets.id"],
            name=op.f("fk_asset_dependencies_depends_on_id_assets"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("asset_id", "depends_on_id", name=op.f("pk_asset_dependencies")),
    )
    with op.batch_alter_table("asset_dependencies", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_asset_dependencies_depends_on_id"), ["depends_on_id"], unique=False
        )

    op.create_table(
        "risk_assets",
        sa.Column("risk_id", sa.Integer(), nullable=False),
        sa.Column("asset_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["asset_id"],
            ["assets.id"],
            name=op.f("fk_risk_assets_asset_id_assets"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["risk_id"], ["risks.id"], name=op.f("fk_risk_assets_risk_id_risks"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("risk_id", "asset_id", name=op.f("pk_risk_assets")),
    )
    with op.batch_alter_table("risk_assets", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_risk_assets_asset_id"), ["asset_id"], unique=False)

    op.create_table(
        "risk_controls",
        sa.Column("risk_id", sa.Integer(), nullable=False),
        sa.Column("control_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["control_id"],
            ["controls.id"],
            name=op.f("fk_risk_controls_control_id_controls"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["risk_id"],
            ["risks.id"],
            name=op.f("fk_risk_controls_risk_id_risks"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("risk_id", "control_id", name=op.f("pk_risk_controls")),
    )
    with op.batch_alter_table("risk_controls", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_risk_controls_control_id"), ["control_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("risk_controls", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_risk_controls_control_id"))

    op.drop_table("risk_controls")
    with op.batch_alter_table("risk_assets", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_risk_assets_asset_id"))

    op.drop_table("risk_assets")
    with op.batch_alter_table("asset_dependencies", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_asset_dependencies_depends_on_id"))

    op.drop_table("asset_dependencies")
    with op.batch_alter_table("action_risks", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_action_risks_risk_id"))

    op.drop_table("action_risks")
    with op.batch_alter_table("action_controls", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_action_controls_control_id"))

    op.drop_table("action_controls")
    with op.batch_alter_table("risks", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_risks_treatment"))
        batch_op.drop_index(batch_op.f("ix_risks_title"))
        batch_op.drop_index(batch_op.f("ix_risks_status"))
        batch_op.drop_index(batch_op.f("ix_risks_residual_rank"))
        batch_op.drop_index(batch_op.f("ix_risks_owner_id"))
        batch_op.drop_index(batch_op.f("ix_risks_inherent_rank"))

    op.drop_table("risks")
    with op.batch_alter_table("assets", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_assets_type"))
        batch_op.drop_index(batch_op.f("ix_assets_owner_id"))
        batch_op.drop_index(batch_op.f("ix_assets_name"))

    op.drop_table("assets")
    with op.batch_alter_table("actions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_actions_status"))
        batch_op.drop_index(batch_op.f("ix_actions_source"))
        batch_op.drop_index(batch_op.f("ix_actions_owner_id"))
        batch_op.drop_index(batch_op.f("ix_actions_due_date"))

    op.drop_table("actions")

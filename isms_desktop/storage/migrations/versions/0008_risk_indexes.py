"""Indexes of the risks: a covering one of their scores, treatment and status, for the heat
maps and the readiness counts; and one of the next review date (with status and owner), for
the action list's earliest and due reviews

Revision ID: 0008_risk_indexes
Revises: 0007_row_versions
Create Date: 2026-12-07 10:00:00.000000
"""

from __future__ import annotations

from alembic import op

revision = "0008_risk_indexes"
down_revision = "0007_row_versions"
branch_labels = None
depends_on = None

# Kept equal to the index that storage/models.py declares on Risk (RISK_SUMMARY_COLUMNS).
COLUMNS = [
    "inherent_likelihood",
    "inherent_impact",
    "residual_likelihood",
    "residual_impact",
    "status",
    "treatment",
    "inherent_rank",
    "inherent_level",
    "residual_level",
    "owner_id",
    "accepted_by_id",
    "next_review",
]


def upgrade() -> None:
    op.create_index("ix_risks_summary", "risks", COLUMNS)
    op.create_index("ix_risks_next_review", "risks", ["next_review", "status", "owner_id"])


def downgrade() -> None:
    op.drop_index("ix_risks_next_review", table_name="risks")
    op.drop_index("ix_risks_summary", table_name="risks")

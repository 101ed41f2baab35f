"""Whole-organization exports of each tenant: `organization_exports` and the archive's
pieces, `organization_export_chunks`.

Revision ID: t0003
Revises: t0002
Create Date: 2026-12-06 00:00:07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "t0003"
down_revision: str | None = "t0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _stamps() -> list[sa.Column[object]]:
    return [
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
    ]


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "organization_exports",
        sa.Column("job_id", sa.Uuid(), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("sha256", sa.Text(), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        *_stamps(),
        sa.ForeignKeyConstraint(
            ["job_id"], ["jobs.id"], name=op.f("fk_organization_exports_job_id_jobs")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_organization_exports")),
    )
    op.create_index(
        "ix_organization_exports_created_by_id", "organization_exports", ["created_by_id"]
    )
    op.create_index("ix_organization_exports_expires_at", "organization_exports", ["expires_at"])
    op.create_index("ix_organization_exports_job_id", "organization_exports", ["job_id"])
    op.create_table(
        "organization_export_chunks",
        sa.Column("export_id", sa.Uuid(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        *_stamps(),
        sa.ForeignKeyConstraint(
            ["export_id"],
            ["organization_exports.id"],
            name=op.f("fk_organization_export_chunks_export_id_organization_exports"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_organization_export_chunks")),
        sa.UniqueConstraint(
            "export_id", "seq", name=op.f("uq_organization_export_chunks_export_id_seq")
        ),
    )


def downgrade() -> None:
    """Revert this revision."""
    op.drop_table("organization_export_chunks")
    op.drop_table("organization_exports")

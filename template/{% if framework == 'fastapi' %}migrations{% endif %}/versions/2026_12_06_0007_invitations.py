"""Invitations: an e-mail address invited to join an organization with a role.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06 00:00:02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "invitations",
        sa.Column("organization_id", sa.Uuid(), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("role_id", sa.Uuid(), nullable=False),
        sa.Column("invited_by_id", sa.Uuid(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=True),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("accepted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("accepted_by_id", sa.Uuid(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
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
        sa.ForeignKeyConstraint(
            ["accepted_by_id"], ["users.id"], name=op.f("fk_invitations_accepted_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["invited_by_id"], ["users.id"], name=op.f("fk_invitations_invited_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_invitations_organization_id_organizations"),
        ),
        sa.ForeignKeyConstraint(
            ["role_id"], ["roles.id"], name=op.f("fk_invitations_role_id_roles")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_invitations")),
    )
    op.create_index(
        "ix_invitations_accepted_by_id", "invitations", ["accepted_by_id"], unique=False
    )
    op.create_index("ix_invitations_invited_by_id", "invitations", ["invited_by_id"], unique=False)
    op.create_index(
        "ix_invitations_organization_id_id", "invitations", ["organization_id", "id"], unique=False
    )
    op.create_index("ix_invitations_role_id", "invitations", ["role_id"], unique=False)
    op.create_index("uq_invitations_token_hash", "invitations", ["token_hash"], unique=True)
    # One open invitation per address and organization; the index decides races (409).
    op.create_index(
        "uq_invitations_organization_id_email",
        "invitations",
        ["organization_id", "email"],
        unique=True,
        postgresql_where=sa.text("deleted_at IS NULL AND accepted_at IS NULL"),
    )


def downgrade() -> None:
    """Revert this revision."""
    op.drop_index(
        "uq_invitations_organization_id_email",
        table_name="invitations",
        postgresql_where=sa.text("deleted_at IS NULL AND accepted_at IS NULL"),
    )
    op.drop_index("uq_invitations_token_hash", table_name="invitations")
    op.drop_index("ix_invitations_role_id", table_name="invitations")
    op.drop_index("ix_invitations_organization_id_id", table_name="invitations")
    op.drop_index("ix_invitations_invited_by_id", table_name="invitations")
    op.drop_index("ix_invitations_accepted_by_id", table_name="invitations")
    op.drop_table("invitations")

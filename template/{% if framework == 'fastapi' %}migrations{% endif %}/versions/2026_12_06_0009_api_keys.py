"""API keys: machine credentials of an organization, stored as hashes; owners and admins
manage them (api_keys:manage).

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06 00:00:04
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "api_keys",
        sa.Column("organization_id", sa.Uuid(), nullable=False),
        sa.Column("created_by_id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("prefix", sa.String(length=64), nullable=False),
        sa.Column("key_hash", sa.String(length=64), nullable=False),
        sa.Column("permissions", postgresql.ARRAY(sa.String(length=100)), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("requests_per_minute", sa.Integer(), nullable=True),
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
            ["created_by_id"], ["users.id"], name=op.f("fk_api_keys_created_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_api_keys_organization_id_organizations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_keys")),
    )
    op.create_index("ix_api_keys_created_by_id", "api_keys", ["created_by_id"], unique=False)
    op.create_index(
        "ix_api_keys_organization_id_id", "api_keys", ["organization_id", "id"], unique=False
    )
    op.create_index("uq_api_keys_key_hash", "api_keys", ["key_hash"], unique=True)
    # Owners and admins manage keys; a team's own roles stay as the team set them.
    op.execute(
        "UPDATE roles SET permissions = array_append(permissions, 'api_keys:manage') "
        "WHERE name IN ('owner', 'admin') AND deleted_at IS NULL "
        "AND NOT 'api_keys:manage' = ANY(permissions)"
    )


def downgrade() -> None:
    """Revert this revision."""
    op.execute("UPDATE roles SET permissions = array_remove(permissions, 'api_keys:manage')")
    op.drop_index("uq_api_keys_key_hash", table_name="api_keys")
    op.drop_index("ix_api_keys_organization_id_id", table_name="api_keys")
    op.drop_index("ix_api_keys_created_by_id", table_name="api_keys")
    op.drop_table("api_keys")

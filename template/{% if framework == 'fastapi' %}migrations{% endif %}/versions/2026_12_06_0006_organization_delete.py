"""Roles: owners may delete their organization (organization:delete).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06 00:00:01
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    # Only the owner role is granted it; a team's own roles stay as the team set them.
    op.execute(
        "UPDATE roles SET permissions = array_append(permissions, 'organization:delete') "
        "WHERE name = 'owner' AND deleted_at IS NULL "
        "AND NOT 'organization:delete' = ANY(permissions)"
    )


def downgrade() -> None:
    """Revert this revision."""
    op.execute("UPDATE roles SET permissions = array_remove(permissions, 'organization:delete')")

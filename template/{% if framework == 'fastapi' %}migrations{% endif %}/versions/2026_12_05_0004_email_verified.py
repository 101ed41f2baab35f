"""Users: when the e-mail address was proven theirs (only verified accounts join by e-mail).

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-05 00:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    # Existing accounts start unverified: nothing ever proved they own their address.
    op.add_column(
        "users", sa.Column("email_verified_at", sa.DateTime(timezone=True), nullable=True)
    )


def downgrade() -> None:
    """Revert this revision."""
    op.drop_column("users", "email_verified_at")

"""Outbound webhooks of each tenant (placeholder: filled in by the change that builds it).

Revision ID: t0004
Revises: t0003
Create Date: 2026-12-06 00:00:07
"""

from collections.abc import Sequence

revision: str = "t0004"
down_revision: str | None = "t0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""


def downgrade() -> None:
    """Revert this revision."""

"""Whole-organization exports of each tenant (placeholder: filled in by the change that builds it).

Revision ID: t0003
Revises: t0002
Create Date: 2026-12-06 00:00:07
"""

from collections.abc import Sequence

revision: str = "t0003"
down_revision: str | None = "t0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""


def downgrade() -> None:
    """Revert this revision."""

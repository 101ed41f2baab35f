"""Plans: limits and features as data; every organization is on one plan.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06 00:00:03
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Frozen seed: later changes to plans are new migrations, so every database agrees.
# The first one is the default: new organizations start on it.
PLANS = {
    "free": (
        {"projects": 3, "members": 3, "requests_per_minute": 600},
        [],
    ),
    "team": (
        {"projects": 100, "members": 25, "requests_per_minute": 3000},
        ["project_export"],
    ),
    "enterprise": (
        {"projects": None, "members": None, "requests_per_minute": None},
        ["project_export"],
    ),
}


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "plans",
        sa.Column("name", sa.String(length=50), nullable=False),
        sa.Column("limits", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("features", postgresql.ARRAY(sa.String(length=100)), nullable=False),
        sa.Column("is_default", sa.Boolean(), nullable=False),
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
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plans")),
    )
    op.create_index(
        "uq_plans_name",
        "plans",
        ["name"],
        unique=True,
        postgresql_where=sa.text("deleted_at IS NULL"),
    )
    # Exactly one default plan among the live ones.
    op.create_index(
        "uq_plans_is_default",
        "plans",
        ["is_default"],
        unique=True,
        postgresql_where=sa.text("is_default AND deleted_at IS NULL"),
    )
    plans = sa.table(
        "plans",
        sa.column("id", sa.Uuid()),
        sa.column("name", sa.String()),
        sa.column("limits", postgresql.JSONB()),
        sa.column("features", postgresql.ARRAY(sa.String())),
        sa.column("is_default", sa.Boolean()),
    )
    op.bulk_insert(
        plans,
        [
            {
                "id": f"00000000-0000-7000-8000-0000000001{n:02d}",
                "name": name,
                "limits": limits,
                "features": features,
                "is_default": n == 1,
            }
            for n, (name, (limits, features)) in enumerate(PLANS.items(), start=1)
        ],
    )
    op.add_column("organizations", sa.Column("plan_id", sa.Uuid(), nullable=True))
    op.add_column(
        "organizations",
        sa.Column(
            "limit_overrides",
            postgresql.JSONB(astext_type=sa.Text()),
            server_default=sa.text("'{}'::jsonb"),
            nullable=False,
        ),
    )
    op.add_column(
        "organizations",
        sa.Column(
            "feature_overrides",
            postgresql.JSONB(astext_type=sa.Text()),
            server_default=sa.text("'{}'::jsonb"),
            nullable=False,
        ),
    )
    # Organizations that existed before plans keep working as they did: they go on the
    # plan without limits. New ones start on the default plan.
    op.execute(
        "UPDATE organizations SET plan_id = (SELECT id FROM plans WHERE name = 'enterprise')"
    )
    op.alter_column("organizations", "plan_id", nullable=False)
    op.create_foreign_key(
        op.f("fk_organizations_plan_id_plans"), "organizations", "plans", ["plan_id"], ["id"]
    )
    op.create_index("ix_organizations_plan_id", "organizations", ["plan_id"], unique=False)


def downgrade() -> None:
    """Revert this revision."""
    op.drop_index("ix_organizations_plan_id", table_name="organizations")
    op.drop_constraint(op.f("fk_organizations_plan_id_plans"), "organizations", type_="foreignkey")
    op.drop_column("organizations", "feature_overrides")
    op.drop_column("organizations", "limit_overrides")
    op.drop_column("organizations", "plan_id")
    op.drop_index(
        "uq_plans_is_default",
        table_name="plans",
        postgresql_where=sa.text("is_default AND deleted_at IS NULL"),
    )
    op.drop_index(
        "uq_plans_name", table_name="plans", postgresql_where=sa.text("deleted_at IS NULL")
    )
    op.drop_table("plans")

"""rate_limit_counters: each rate limit bucket's count of its current minute (core/ratelimit.py).

UNLOGGED (counter state, not data: a crash may empty it, which at worst lets a minute start
over) and shared by every tenant, with no tenant policy: the limiter reads it on its own
connection, outside any request's tenant binding. No foreign keys (an unlogged table cannot
reference a logged one): purge deletes counters a day old, those of deleted keys and
organizations included.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import migrations

if TYPE_CHECKING:
    from django.db.backends.base.schema import BaseDatabaseSchemaEditor
    from django.db.migrations.state import StateApps

CREATE_TABLE = """
CREATE UNLOGGED TABLE rate_limit_counters (
    organization_id uuid NOT NULL,
    subject uuid NOT NULL,
    "window" bigint NOT NULL,
    used integer NOT NULL,
    granted integer NOT NULL,
    CONSTRAINT pk_rate_limit_counters PRIMARY KEY (organization_id, subject)
)
"""


def grant_app_role(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    """The app role leases and purges counters (explicit, not only by default privileges)."""
    del apps
    role = settings.DB_APP_ROLE  # a validated identifier (core/config.py)
    schema_editor.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON rate_limit_counters TO {role}")


class Migration(migrations.Migration):
    dependencies = [("organizations", "0003_plans")]

    operations = [
        migrations.RunSQL(CREATE_TABLE, "DROP TABLE rate_limit_counters"),
        migrations.RunPython(grant_app_role, migrations.RunPython.noop),
    ]

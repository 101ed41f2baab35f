"""replica_fences: where each caller's last write ended in the WAL (core/replica.py).

Unlogged: it is read and written on the primary only, so it needs no WAL. A crash of the
primary empties it: for a few seconds a caller may then read a replica that has not
replayed their last write yet (one at most REPLICA_MAX_LAG_SECONDS behind).
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [
        migrations.RunSQL(
            """
            CREATE UNLOGGED TABLE replica_fences (
                actor_id uuid PRIMARY KEY,
                lsn pg_lsn NOT NULL,
                written_at timestamptz NOT NULL DEFAULT now()
            )
            """,
            "DROP TABLE replica_fences",
        )
    ]

"""A new app's first migration, as `makemigrations` writes it, without a database.

Run in a process of its own (`python -m <package>.scaffold.migration <label>`), after the
app is registered in domains.py, so Django loads it like every other app.
"""

from __future__ import annotations

import sys
from pathlib import Path


def write_initial(label: str) -> Path:
    """Write `<label>/migrations/0001_initial.py` from the app's models; its path."""
    import django  # noqa: PLC0415 - after DJANGO_SETTINGS_MODULE is set
    from django.apps import apps  # noqa: PLC0415
    from django.db.migrations.autodetector import MigrationAutodetector  # noqa: PLC0415
    from django.db.migrations.loader import MigrationLoader  # noqa: PLC0415
    from django.db.migrations.questioner import NonInteractiveMigrationQuestioner  # noqa: PLC0415
    from django.db.migrations.state import ProjectState  # noqa: PLC0415
    from django.db.migrations.writer import MigrationWriter  # noqa: PLC0415

    django.setup()
    # No connection: the history on disk is all a first migration needs.
    loader = MigrationLoader(None, ignore_no_migrations=True)
    questioner = NonInteractiveMigrationQuestioner(specified_apps={label}, dry_run=False)
    detector = MigrationAutodetector(
        loader.project_state(), ProjectState.from_apps(apps), questioner
    )
    changes = detector.changes(
        graph=loader.graph, trim_to_apps={label}, convert_apps={label}, migration_name="initial"
    )
    writer = MigrationWriter(changes[label][0])
    path = Path(writer.path)
    path.write_text(writer.as_string(), encoding="utf-8")
    return path


if __name__ == "__main__":
    write_initial(sys.argv[1])

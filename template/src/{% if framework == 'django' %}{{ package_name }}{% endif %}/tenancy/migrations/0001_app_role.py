"""The app role every request runs as: not superuser, no BYPASSRLS, owns no table."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import migrations

if TYPE_CHECKING:
    from django.db.backends.base.schema import BaseDatabaseSchemaEditor
    from django.db.migrations.state import StateApps


def create_app_role(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    """Create the role and grant it what later tables need (default privileges)."""
    del apps
    role = settings.DB_APP_ROLE  # a validated identifier (core/config.py)
    for statement in (
        f"""
        DO $$
        BEGIN
            IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{role}') THEN
                CREATE ROLE {role} NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
            END IF;
        END
        $$
        """,
        f"GRANT USAGE ON SCHEMA public TO {role}",
        # Tables created later by this (owner) role are granted automatically.
        (
            f"ALTER DEFAULT PRIVILEGES IN SCHEMA public"
            f" GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {role}"
        ),
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO {role}",
    ):
        schema_editor.execute(statement)


def drop_app_role_grants(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    """The reverse: revoke what create_app_role granted (the role itself stays)."""
    del apps
    role = settings.DB_APP_ROLE
    for statement in (
        (
            f"ALTER DEFAULT PRIVILEGES IN SCHEMA public"
            f" REVOKE SELECT, INSERT, UPDATE, DELETE ON TABLES FROM {role}"
        ),
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE USAGE, SELECT ON SEQUENCES FROM {role}",  # noqa: S608 - a validated identifier
        f"REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {role}",
        f"REVOKE USAGE ON SCHEMA public FROM {role}",
    ):
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    """First of all migrations, so every table after it is granted to the app role."""

    initial = True
    dependencies: list[tuple[str, str]] = []
    run_before = [("procrastinate", "0001_initial")]
    operations = [migrations.RunPython(create_app_role, drop_app_role_grants)]

"""Owners and admins manage outbound webhooks: `webhooks:manage`, granted to those roles (data)."""

from django.db import migrations

# Granted to the roles the template seeds; a role edited by hand keeps its other permissions.
GRANTS = {"owner": ["webhooks:manage"], "admin": ["webhooks:manage"]}


def grant(apps, schema_editor) -> None:
    """Add each role's new permissions (once, however often this runs)."""
    for role in apps.get_model("authz", "Role").objects.filter(name__in=GRANTS):
        added = [p for p in GRANTS[role.name] if p not in role.permissions]
        role.permissions = [*role.permissions, *added]
        role.save(update_fields=["permissions"])


def revoke(apps, schema_editor) -> None:
    """Remove them again."""
    for role in apps.get_model("authz", "Role").objects.filter(name__in=GRANTS):
        role.permissions = [p for p in role.permissions if p not in GRANTS[role.name]]
        role.save(update_fields=["permissions"])


class Migration(migrations.Migration):
    dependencies = [("authz", "0004_audit_read")]

    operations = [migrations.RunPython(grant, revoke)]

"""The files of what a domain stores: apps.py, models.py, the access migration (isolation
and the roles' grants) and permissions.py."""

from __future__ import annotations

from . import tenancy
from .kinds import COLUMNS
from .spec import PACKAGE, Spec


def _ref_model(ref: str) -> tuple[str, str]:
    """The import line and the class of the model a reference points to."""
    if ref == "projects":
        return f"from {PACKAGE}.projects.models import Project", "Project"
    target = Spec(ref, ())
    return f"from {PACKAGE}.{ref}.models import {target.model}", target.model


def apps_py(spec: Spec) -> str:
    """apps.py."""
    return f'''"""The {spec.name} app."""

from __future__ import annotations

from django.apps import AppConfig


class {spec.model}Config(AppConfig):
    """Registers the {spec.name} models and migrations."""

    name = "{PACKAGE}.{spec.name}"
    label = "{spec.name}"
'''


def models_py(spec: Spec) -> str:
    """models.py."""
    imports = {"from django.db import models", f"from {PACKAGE}.tenancy.models import TenantEntity"}
    imports.add(f"from {PACKAGE}.users.models import User")
    columns = []
    for field in spec.fields:
        if field.ref:
            line, model = _ref_model(field.ref)
            imports.add(line)
            columns.append(f"    {field.name} = {tenancy.reference(model)}")
        else:
            columns.append(f"    {field.name} = {COLUMNS[field.kind][0]}")
    columns.append(f"    created_by = {tenancy.author()}")
    refs = [field.name for field in spec.fields if field.ref]
    author_index = tenancy.indexed("created_by", reference=False)
    index_lines = [
        f'            models.Index(fields={author_index!r}, name="ix_{spec.name}_created_by_id"),'
    ] + [
        f"            models.Index(fields={tenancy.indexed(name, reference=True)!r},"
        f' name="ix_{spec.name}_{name}_id"),'
        for name in refs
    ]
    third_party = sorted(line for line in imports if line.startswith("from django"))
    own = sorted(line for line in imports if not line.startswith("from django"))
    return f'''"""{spec.model}: a row of one organization (written by new-domain)."""

from __future__ import annotations

{chr(10).join(third_party)}

{chr(10).join(own)}


class {spec.model}(TenantEntity):
    """One of an organization's {spec.name}."""

{chr(10).join(columns)}

    class Meta:
        db_table = "{spec.name}"
        indexes = [
{chr(10).join(index_lines)}
        ]
        constraints = [
{tenancy.constraints(spec.name)}        ]

    def __str__(self) -> str:
        """The {spec.singular} id."""
        return str(self.id)
'''


def access_migration(spec: Spec) -> str:
    """migrations/0002_access.py: tenant isolation, references and the role grants."""
    permissions = [f"{spec.name}:{action}" for action in ("read", "write", "delete")]
    grants = {
        "owner": permissions,
        "admin": permissions,
        "member": permissions,
        "viewer": permissions[:1],
    }
    refs = [(field.name, field.ref) for field in spec.fields if field.ref]
    operations = tenancy.operations(spec.name, refs)
    what = "Its isolation, and the roles' grants" if operations else "The roles' grants"
    return f'''"""{what} (data)."""

from django.db import migrations

{tenancy.OPERATION_IMPORTS if operations else ""}
# Granted to the roles the template seeds; a role edited by hand keeps its other permissions.
GRANTS = {grants!r}


def grant(apps, schema_editor) -> None:
    """Add each role's permissions on {spec.name} (once, however often this runs)."""
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
    dependencies = [("authz", "0001_initial"), ("{spec.name}", "0001_initial")]

    operations = [
{operations}        migrations.RunPython(grant, revoke),
    ]
'''


def permissions_py(spec: Spec) -> str:
    """permissions.py."""
    upper = spec.name.upper()
    return f'''"""The permissions views name and roles grant (migrations/0002_access.py)."""

from __future__ import annotations

from typing import Final

{upper}_READ: Final = "{spec.name}:read"
{upper}_WRITE: Final = "{spec.name}:write"
{upper}_DELETE: Final = "{spec.name}:delete"
PERMISSIONS: Final = frozenset({{{upper}_READ, {upper}_WRITE, {upper}_DELETE}})
'''

"""The files of a domain's reads and rules: policies.py, selectors.py and services.py."""

from __future__ import annotations

from .spec import PACKAGE, Spec


def _ref_get(ref: str) -> tuple[str, str]:
    """The import line and the name of the selector reading one live row the caller may see."""
    singular = Spec(ref, ()).singular
    return f"from {PACKAGE}.{ref}.selectors import {singular}_get", f"{singular}_get"


def policies_py(spec: Spec) -> str:
    """policies.py: the seams of per-row rules, empty until the team adds one."""
    return f'''"""Who may see and change which row: the caller's role decides, whatever the row.

Every view checks the role's permission. Narrow reads in `readable` (a filter) and
changes in `require_update` / `require_delete` when a per-row rule is needed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from {PACKAGE}.core.selectors import EVERY_ROW

if TYPE_CHECKING:
    from django.db.models import Q

    from {PACKAGE}.{spec.name}.models import {spec.model}
    from {PACKAGE}.core.principal import Principal


def readable(principal: Principal) -> Q:
    """The {spec.name} `principal` may see: all of the organization's."""
    del principal
    return EVERY_ROW


def require_update(principal: Principal, {spec.singular}: {spec.model}) -> None:
    """Nothing beyond the role's permission."""
    del principal, {spec.singular}


def require_delete(principal: Principal, {spec.singular}: {spec.model}) -> None:
    """Nothing beyond the role's permission."""
    del principal, {spec.singular}
'''


def _fields_tuple(spec: Spec) -> str:
    names = ["id", *(field.column for field in spec.fields)]
    names += ["created_by_id", "created_at", "updated_at"]
    return "".join(f'    "{name}",\n' for name in names)


def selectors_py(spec: Spec) -> str:
    """selectors.py."""
    s, m, upper = spec.singular, spec.model, spec.singular.upper()
    return f'''"""Reads: the live rows of the active organization that the caller may see."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from {PACKAGE}.{spec.name} import policies
from {PACKAGE}.{spec.name}.models import {m}
from {PACKAGE}.core.selectors import get_live, live_page
from {PACKAGE}.core.serialization import instance_body

if TYPE_CHECKING:
    import uuid

    from {PACKAGE}.core.pagination import PageParams
    from {PACKAGE}.core.principal import Principal

# What the API shows of a {s} (serializers.{m}Read), in its order.
{upper}_FIELDS = (
{_fields_tuple(spec)})


def {s}_body({s}: {m}) -> dict[str, Any]:
    """The JSON of a {s}."""
    return instance_body({s}, {upper}_FIELDS)


def {s}_get(*, principal: Principal, {s}_id: uuid.UUID) -> {m}:
    """A live {s} the caller may see; 404 otherwise."""
    visible = {m}.objects.filter(policies.readable(principal))
    return get_live(visible, row_id={s}_id, missing="No such {s}.")


def {s}_list(*, principal: Principal, params: PageParams) -> dict[str, Any]:
    """A page of the {spec.name} the caller may see, newest first."""
    visible = {m}.objects.filter(policies.readable(principal))
    return live_page(visible, params, fields={upper}_FIELDS)
'''


def services_py(spec: Spec) -> str:
    """services.py."""
    s, m = spec.singular, spec.model
    refs = [field for field in spec.fields if field.ref]
    imports = [f"from {PACKAGE}.core.services import create_row, soft_delete_row, update_row"]
    imports += [f"from {PACKAGE}.{spec.name} import policies"]
    imports += [f"from {PACKAGE}.{spec.name}.models import {m}"]
    imports += [f"from {PACKAGE}.{spec.name}.selectors import {s}_get"]
    checks = []
    for field in refs:
        line, getter = _ref_get(field.ref or "")
        imports.append(line)
        param = getter.removesuffix("_get") + "_id"
        checks.append(f'    {getter}(principal=principal, {param}=values["{field.column}"])\n')
    check_create = "".join(checks)
    check_update = "".join(
        f'    if "{field.column}" in changes:\n'
        f"        {_ref_get(field.ref or '')[1]}(principal=principal, "
        f'{_ref_get(field.ref or "")[1].removesuffix("_get")}_id=changes["{field.column}"])\n'
        for field in refs
    )
    return f'''"""The rules of {spec.name}."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

{chr(10).join(sorted(imports))}

if TYPE_CHECKING:
    import uuid

    from {PACKAGE}.core.principal import Principal


def {s}_create(*, principal: Principal, values: dict[str, Any]) -> {m}:
    """Create a {s}{"; what it references is a live row the caller may see" if refs else ""}."""
{check_create}    return create_row({m}, values={{**values, "created_by_id": principal.user_id}})


def {s}_update(*, principal: Principal, {s}_id: uuid.UUID, changes: dict[str, Any]) -> {m}:
    """Apply the given field changes, if the caller may change this {s}."""
    {s} = {s}_get(principal=principal, {s}_id={s}_id)
    policies.require_update(principal, {s})
{check_update}    return update_row({s}, changes=changes)


def {s}_delete(*, principal: Principal, {s}_id: uuid.UUID) -> None:
    """Soft-delete a {s}, if the caller may delete it."""
    {s} = {s}_get(principal=principal, {s}_id={s}_id)
    policies.require_delete(principal, {s})
    soft_delete_row({s})
'''

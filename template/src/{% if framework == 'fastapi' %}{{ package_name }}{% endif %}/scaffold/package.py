"""The domain package `new-domain` writes: models, schemas, repository, policies,
service, dependencies and router, in the sample domain's (projects/) pattern."""

from __future__ import annotations

from collections.abc import Iterable
from string import Template

from .kinds import KINDS, STDLIB
from .spec import Field, Spec


def _stdlib(types: list[str]) -> list[str]:
    return sorted({STDLIB[t] for t in types if t in STDLIB})


def _block(lines: Iterable[str]) -> str:
    return "\n".join(lines)


def models(spec: Spec, package: str, table_args: list[str], imports: set[str]) -> str:
    """models.py: the table, its indexes and its foreign keys."""
    columns = []
    for field in spec.fields:
        kind = KINDS[field.kind]
        imports.update(kind.column_imports)
        value = f" = {kind.column}" if kind.column else ""
        columns.append(f"    {field.column}: Mapped[{kind.python}]{value}")
    columns.append("    created_by_id: Mapped[uuid.UUID] = user_reference()")
    stdlib = _stdlib([KINDS[f.kind].python for f in spec.fields] + ["uuid.UUID"])
    return Template(
        '''"""${Title}: a tenant-owned domain, written by `new-domain`."""

from __future__ import annotations

${stdlib}

from sqlalchemy import ${sqlalchemy}
from sqlalchemy.orm import Mapped, mapped_column

from ${package}.tenancy.models import TenantEntity, user_reference


class ${Model}(TenantEntity):
    """One ${label} of an organization."""

    __tablename__ = "${name}"
    __table_args__ = (
${args}
    )

${columns}
'''
    ).substitute(
        names(spec, package),
        Title=spec.name.replace("_", " ").capitalize(),
        stdlib=_block(stdlib),
        sqlalchemy=", ".join(sorted(imports)),
        package=package,
        Model=spec.model,
        label=spec.singular.replace("_", " "),
        name=spec.name,
        args=_block(f"        {arg}" + ("" if arg.startswith("#") else ",") for arg in table_args),
        columns=_block(columns),
    )


def _request_type(field: Field) -> str:
    return KINDS[field.kind].request


def schemas(spec: Spec, package: str) -> str:
    """schemas.py: the create, update and read bodies; each field declared by its type."""
    core: dict[str, set[str]] = {}
    types = []
    for field in spec.fields:
        kind = KINDS[field.kind]
        if kind.request_module:
            core.setdefault(kind.request_module, set()).add(kind.request)
        types += [kind.request, kind.read]
    core.setdefault("core.schemas", set()).update({"RequestBody", "ResponseBody", "UtcDatetime"})
    imports = [
        f"from {package}.{module} import {', '.join(sorted(names))}"
        for module, names in sorted(core.items())
    ]
    create = [f"    {f.column}: {_request_type(f)}" for f in spec.fields]
    update = [f"    {f.column}: {_request_type(f)} | None = None" for f in spec.fields]
    read = [f"    {f.column}: {KINDS[f.kind].read}" for f in spec.fields]
    return Template(
        '''"""Request and response bodies of ${label_plural}."""

from __future__ import annotations

${stdlib}

${imports}


class ${Model}Create(RequestBody):
    """A new ${label}."""

${create}


class ${Model}Update(RequestBody):
    """Changes to ${a_label}; absent fields stay as they are."""

${update}


class ${Model}Read(ResponseBody):
    """${A_label} as the API returns it."""

    id: uuid.UUID
${read}
    created_by_id: uuid.UUID
    created_at: UtcDatetime
    updated_at: UtcDatetime
'''
    ).substitute(
        names(spec, package),
        label_plural=spec.name.replace("_", " "),
        label=spec.singular.replace("_", " "),
        stdlib=_block(_stdlib([*types, "uuid.UUID"])),
        imports=_block(imports),
        Model=spec.model,
        create=_block(create),
        update=_block(update),
        read=_block(read),
    )


def repository(spec: Spec, package: str) -> str:
    """repository.py: the table declared to the shared machinery."""
    model = spec.model
    shows = ["id", *(f.column for f in spec.fields), "created_by_id", "created_at", "updated_at"]
    writes = [*(f.column for f in spec.fields), "created_by_id"]
    return Template(
        '''"""Queries on ${label_plural}: the machinery (core/repository.py) declared for them."""

from __future__ import annotations

from ${package}.core.repository import Repository
from ${package}.${name}.models import ${Model}

${name} = Repository(
    ${Model},
    shows=(
${shows}
    ),
    writes=(${writes}),
)
'''
    ).substitute(
        names(spec, package),
        label_plural=spec.name.replace("_", " "),
        package=package,
        name=spec.name,
        Model=model,
        shows=_block(f"        {model}.{column}," for column in shows),
        writes=", ".join(f'"{column}"' for column in writes) + ("," if len(writes) == 1 else ""),
    )


def policies(spec: Spec, package: str) -> str:
    """policies.py: the permissions its routes declare, and which rows a caller reaches."""
    return Template(
        '''"""Who may do what with ${label_plural}: the permissions its routes declare (roles hold
them in data, granted by the migration that created the table), and the rows each reaches."""

from __future__ import annotations

from ${package}.${name}.models import ${Model}
from ${package}.core.access import Access

READ = "${name}:read"
WRITE = "${name}:write"
DELETE = "${name}:delete"

# The route's permission is the whole rule: every ${label} of the organization. Narrow it
# here (a SQL filter for lists and a check of one row), as projects/policies.py can.
${CONSTANT}_ACCESS: Access[${Model}] = Access()
'''
    ).substitute(
        names(spec, package),
        label_plural=spec.name.replace("_", " "),
        label=spec.singular.replace("_", " "),
        package=package,
        name=spec.name,
        Model=spec.model,
        CONSTANT=spec.singular.upper(),
    )


def service(spec: Spec, package: str) -> str:
    """service.py: the rules; functions flush, the request's transaction commits."""
    required = ", ".join(f'"{f.column}"' for f in spec.fields)
    if len(spec.fields) == 1:
        required += ","
    return Template(
        '''"""The rules of ${label_plural}. Functions flush; the request's transaction commits.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from ${package}.core.errors import NotFound
from ${package}.core.idempotency import Idempotency
from ${package}.core.pagination import PageParams, RowPage
from ${package}.core.principal import Principal
from ${package}.core.schemas import changed_fields
from ${package}.${name}.models import ${Model}
from ${package}.${name}.policies import ${CONSTANT}_ACCESS
from ${package}.${name}.repository import ${name}
from ${package}.${name}.schemas import ${Model}Create, ${Model}Update


async def list_${name}(
    *, session: AsyncSession, principal: Principal, params: PageParams
) -> RowPage:
    """One page of the live ${label_plural} the caller may see, newest first."""
    visible = ${CONSTANT}_ACCESS.read_filter(principal)
    return await ${name}.page(session, params, where=visible)


async def create_${singular}(
    *, idempotency: Idempotency, principal: Principal, fields: ${Model}Create
) -> dict[str, Any]:
    """Create ${a_label}; its fields as the API shows them."""
    values = {**fields.model_dump(), "created_by_id": principal.user_id}
    return await ${name}.create(idempotency, values)


async def get_${singular}(
    *, session: AsyncSession, principal: Principal, ${singular}_id: uuid.UUID
) -> ${Model}:
    """A live ${label} the caller may see, or 404: a 403 would reveal that it exists."""
    ${singular} = await ${name}.get(session, ${singular}_id)
    if ${singular} is None or not ${CONSTANT}_ACCESS.can_read(principal, ${singular}):
        raise NotFound("No such ${label}.")
    return ${singular}


async def update_${singular}(
    *,
    session: AsyncSession,
    principal: Principal,
    ${singular}: ${Model},
    changes: ${Model}Update,
) -> ${Model}:
    """Apply the fields the client sent, if the caller may change this ${label}."""
    ${CONSTANT}_ACCESS.require_update(principal, ${singular})
    values = changed_fields(changes, required=(${required}))
    return await ${name}.update(session, ${singular}, values)


async def delete_${singular}(
    *, session: AsyncSession, principal: Principal, ${singular}: ${Model}
) -> None:
    """Soft-delete ${a_label}, if the caller may delete it."""
    ${CONSTANT}_ACCESS.require_delete(principal, ${singular})
    await ${name}.soft_delete(session, ${singular}.id)
'''
    ).substitute(names(spec, package), required=required)


def dependencies(spec: Spec, package: str) -> str:
    """dependencies.py: the row named by the path, or 404."""
    return Template(
        '''"""Dependencies that load ${a_label} from the path, or 404."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Depends

from ${package}.auth.dependencies import PrincipalDep
from ${package}.core.dependencies import SessionDep
from ${package}.${name} import service
from ${package}.${name}.models import ${Model}


async def ${singular}_from_path(
    session: SessionDep, principal: PrincipalDep, ${singular}_id: uuid.UUID
) -> ${Model}:
    """The live ${label} named by the path, if the caller may see it."""
    return await service.get_${singular}(
        session=session, principal=principal, ${singular}_id=${singular}_id
    )


${Model}Dep = Annotated[${Model}, Depends(${singular}_from_path)]
'''
    ).substitute(names(spec, package))


def router(spec: Spec, package: str) -> str:
    """router.py: thin routes, each declaring its permission."""
    return Template(
        '''"""HTTP routes of ${label_plural}. Thin: parse, call the service, shape the answer.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Response, status

from ${package}.authz.dependencies import InsertingIdempotencyDep, allowed
from ${package}.core.dependencies import SessionDep
from ${package}.core.errors import API_PROBLEMS
from ${package}.core.pagination import Page, PageDep
from ${package}.core.principal import Principal
from ${package}.core.routing import API_V1
from ${package}.core.serialization import json_response
from ${package}.${name} import service
from ${package}.${name}.dependencies import ${Model}Dep
from ${package}.${name}.policies import DELETE, READ, WRITE
from ${package}.${name}.schemas import ${Model}Create, ${Model}Read, ${Model}Update

router = APIRouter(prefix=f"{API_V1}/${url}", tags=["${name}"], responses=API_PROBLEMS)


# Lists and creates answer straight from rows (`json_response`); the response model
# documents them, and the tests hold every body to it.
@router.get("", response_model=Page[${Model}Read])
async def list_${name}(
    session: SessionDep, principal: Annotated[Principal, allowed(READ)], page: PageDep
) -> Response:
    """The ${label_plural} the caller may see, newest first."""
    rows = await service.list_${name}(session=session, principal=principal, params=page)
    return json_response(rows)


@router.post("", status_code=status.HTTP_201_CREATED, response_model=${Model}Read)
async def create_${singular}(
    body: ${Model}Create,
    principal: Annotated[Principal, allowed(WRITE)],
    idempotency: InsertingIdempotencyDep,
) -> Response:
    """Create ${a_label}."""
    created = await service.create_${singular}(
        idempotency=idempotency, principal=principal, fields=body
    )
    return json_response(created, status_code=status.HTTP_201_CREATED)


@router.get("/{${singular}_id}")
async def get_${singular}(
    ${singular}: ${Model}Dep, _: Annotated[Principal, allowed(READ)]
) -> ${Model}Read:
    """One ${label}."""
    return ${Model}Read.model_validate(${singular})


@router.patch("/{${singular}_id}")
async def update_${singular}(
    body: ${Model}Update,
    session: SessionDep,
    ${singular}: ${Model}Dep,
    principal: Annotated[Principal, allowed(WRITE)],
) -> ${Model}Read:
    """Change ${a_label}."""
    ${singular} = await service.update_${singular}(
        session=session, principal=principal, ${singular}=${singular}, changes=body
    )
    return ${Model}Read.model_validate(${singular})


@router.delete("/{${singular}_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_${singular}(
    session: SessionDep,
    ${singular}: ${Model}Dep,
    principal: Annotated[Principal, allowed(DELETE)],
) -> Response:
    """Soft-delete ${a_label}."""
    await service.delete_${singular}(
        session=session, principal=principal, ${singular}=${singular}
    )
    return Response(status_code=status.HTTP_204_NO_CONTENT)
'''
    ).substitute(names(spec, package))


def names(spec: Spec, package: str) -> dict[str, str]:
    """The names the generated code uses for the domain (`singular` avoids its plural)."""
    return {
        "label_plural": spec.name.replace("_", " "),
        "label": spec.singular.replace("_", " "),
        "package": package,
        "name": spec.name,
        "singular": spec.singular if spec.singular != spec.name else f"one_{spec.name}",
        "url": spec.name.replace("_", "-"),
        "Model": spec.model,
        "CONSTANT": spec.singular.upper(),
        "a_label": _article(spec.singular.replace("_", " ")),
        "A_label": _article(spec.singular.replace("_", " ")).capitalize(),
    }


def _article(label: str) -> str:
    return f"{'an' if label[0] in 'aeiou' else 'a'} {label}"

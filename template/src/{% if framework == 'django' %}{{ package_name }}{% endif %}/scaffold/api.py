"""The files of a domain's HTTP API: serializers.py, views.py and urls.py."""

from __future__ import annotations

from .kinds import COLUMNS
from .spec import PACKAGE, Field, Spec


def _request_field(field: Field, *, update: bool) -> str:
    extra = ", required=False" if update else ""
    text = COLUMNS[field.kind][1].format(extra=extra)
    return text.replace("(, ", "(")


def serializers_py(spec: Spec) -> str:
    """serializers.py."""
    m = spec.model
    create = "\n".join(f"    {f.column} = {_request_field(f, update=False)}" for f in spec.fields)
    update = "\n".join(f"    {f.column} = {_request_field(f, update=True)}" for f in spec.fields)
    read = "\n".join(f"    {f.column} = {COLUMNS[f.kind][2]}" for f in spec.fields)
    uses_name = any(f.kind == "str" for f in spec.fields)
    core = "Page, RequestSerializer, visible_name" if uses_name else "Page, RequestSerializer"
    return f'''"""Request bodies, validated here, and responses, for the OpenAPI document."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from {PACKAGE}.core.serializers import {core}


class {m}CreateIn(RequestSerializer):
    """Body of creating a {spec.singular}."""

{create}


class {m}UpdateIn(RequestSerializer):
    """Body of changing a {spec.singular} (only the fields sent change)."""

{update}


class {m}Read(serializers.Serializer[Any]):
    """A {spec.singular} as the API returns it."""

    id = serializers.UUIDField()
{read}
    created_by_id = serializers.UUIDField()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


class {m}Page(Page):
    """A page of {spec.name}."""

    items = {m}Read(many=True)
'''


def views_py(spec: Spec) -> str:
    """views.py."""
    s, m, upper = spec.singular, spec.model, spec.name.upper()
    return f'''"""HTTP views: each reads its input, calls one selector or service, answers."""

from __future__ import annotations

from typing import TYPE_CHECKING

from drf_spectacular.utils import extend_schema
from rest_framework.response import Response

from {PACKAGE}.{spec.name} import selectors, services
from {PACKAGE}.{spec.name}.permissions import {upper}_DELETE, {upper}_READ, {upper}_WRITE
from {PACKAGE}.{spec.name}.serializers import {m}CreateIn, {m}Page, {m}Read, {m}UpdateIn
from {PACKAGE}.core import inputs
from {PACKAGE}.core.idempotency import begin
from {PACKAGE}.core.pagination import page_params
from {PACKAGE}.core.views import ApiView

if TYPE_CHECKING:
    import uuid

    from rest_framework.request import Request


class {m}ListView(ApiView):
    """GET and POST /{spec.name}."""

    paginated = True
    creates = True

    required_permissions = {{"GET": {upper}_READ, "POST": {upper}_WRITE}}

    @extend_schema(responses={{200: {m}Page}})
    def get(self, request: Request) -> Response:
        """A page of {spec.name}, newest first."""
        page = selectors.{s}_list(principal=self.principal(request), params=page_params(request))
        return Response(page)

    @extend_schema(request={m}CreateIn, responses={{201: {m}Read}})
    def post(self, request: Request) -> Response:
        """201 with the new {s} (once per Idempotency-Key)."""
        principal = self.principal(request)
        idempotency = begin(request, user_id=principal.user_id)
        values = inputs.body(request, {m}CreateIn)
        {s} = services.{s}_create(principal=principal, values=values)
        return idempotency.respond(selectors.{s}_body({s}))


class {m}DetailView(ApiView):
    """GET, PATCH and DELETE /{spec.name}/{{id}}."""

    required_permissions = {{"GET": {upper}_READ, "PATCH": {upper}_WRITE, "DELETE": {upper}_DELETE}}

    @extend_schema(responses={{200: {m}Read}})
    def get(self, request: Request, {s}_id: uuid.UUID) -> Response:
        """One {s}; 404 if deleted or of another organization."""
        {s} = selectors.{s}_get(principal=self.principal(request), {s}_id={s}_id)
        return Response(selectors.{s}_body({s}))

    @extend_schema(request={m}UpdateIn, responses={{200: {m}Read}})
    def patch(self, request: Request, {s}_id: uuid.UUID) -> Response:
        """200 with the changed {s}."""
        changes = inputs.body(request, {m}UpdateIn)
        {s} = services.{s}_update(principal=self.principal(request), {s}_id={s}_id, changes=changes)
        return Response(selectors.{s}_body({s}))

    @extend_schema(responses={{204: None}})
    def delete(self, request: Request, {s}_id: uuid.UUID) -> Response:
        """204 (soft)."""
        services.{s}_delete(principal=self.principal(request), {s}_id={s}_id)
        return Response(status=204)
'''


def urls_py(spec: Spec) -> str:
    """urls.py."""
    s, m = spec.singular, spec.model
    return f'''"""The routes of {spec.name}, under /api/v1/."""

from __future__ import annotations

from django.urls import URLPattern, path

from {PACKAGE}.{spec.name} import views

urlpatterns: list[URLPattern] = [
    path("{spec.name}", views.{m}ListView.as_view()),
    path("{spec.name}/<uuid:{s}_id>", views.{m}DetailView.as_view()),
]
'''

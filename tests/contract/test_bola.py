"""Broken object-level authorization: every id route, every method, from another organization."""

from __future__ import annotations

import re
import uuid
from typing import TYPE_CHECKING, Any

import pytest

from tests.contract.client import new_email
from tests.contract.test_export import export

if TYPE_CHECKING:
    from tests.contract.client import Api, Caller
    from tests.serving import Process

pytestmark = pytest.mark.full

# The collection a path parameter follows names the kind of object it identifies.
PARAMETER = re.compile(r"/([\w-]+)/\{(\w+)\}")
# Id routes the sweep must find, so it can never silently cover nothing.
KNOWN = {
    ("GET", "projects"),
    ("PATCH", "projects"),
    ("DELETE", "projects"),
    ("POST", "projects"),  # export and task creation under /projects/{id}/...
    ("GET", "tasks"),
    ("PATCH", "tasks"),
    ("DELETE", "tasks"),
    ("PATCH", "members"),
    ("DELETE", "members"),
    ("GET", "jobs"),
    ("DELETE", "invitations"),
    ("DELETE", "api-keys"),
}
SAMPLE_STRINGS = {"email": "someone@example.com", "uuid": str(uuid.uuid4())}


def objects_of(owner: Caller, other_member: dict[str, Any]) -> dict[str, str]:
    """The id of an object of each kind in the owner's organization."""
    project = owner.project()
    task = owner.task(project["id"])
    job = owner.post(f"/api/v1/projects/{project['id']}/export").json()["job_id"]
    invitation = owner.create("/api/v1/invitations", {"email": new_email(), "role": "member"})
    key = owner.create("/api/v1/api-keys", {"name": "sweep", "permissions": ["projects:read"]})
    hook = {"url": "http://127.0.0.1:9/sweep", "events": ["project.created"]}
    endpoint = owner.create("/api/v1/webhook-endpoints", hook)
    return {
        "projects": project["id"],
        "tasks": task["id"],
        "members": other_member["id"],
        "jobs": job,
        "invitations": invitation["id"],
        "api-keys": key["id"],
        "webhook-endpoints": endpoint["id"],
    }


def resolve(schema: dict[str, Any], document: dict[str, Any]) -> dict[str, Any]:
    """Follow a local $ref."""
    while "$ref" in schema:
        node: Any = document
        for part in schema["$ref"].removeprefix("#/").split("/"):
            node = node[part]
        schema = node
    return schema


def minimal(schema: dict[str, Any], document: dict[str, Any], name: str = "") -> Any:
    """The smallest valid-looking instance of a JSON schema (so the id check comes first)."""
    schema = resolve(schema, document)
    for key in ("anyOf", "oneOf", "allOf"):
        if key in schema:
            options = [s for s in schema[key] if resolve(s, document).get("type") != "null"]
            return minimal(options[0], document, name)
    if "enum" in schema:
        return schema["enum"][0]
    if schema.get("type") == "object":
        properties = schema.get("properties", {})
        return {key: minimal(properties[key], document, key) for key in schema.get("required", [])}
    scalars = {"integer": schema.get("minimum", 1), "number": 1, "boolean": True, "array": []}
    if schema.get("type") in scalars:
        return scalars[schema["type"]]
    return "member" if name == "role" else SAMPLE_STRINGS.get(schema.get("format", ""), "sample")


def id_operations(openapi: dict[str, Any]) -> list[tuple[str, str, str, dict[str, Any]]]:
    """(method, path template, kind of object, operation) for every id route."""
    found = []
    for path, item in openapi["paths"].items():
        match = PARAMETER.search(path)
        if match is None:
            continue
        for method, operation in item.items():
            if method in {"get", "post", "put", "patch", "delete"}:
                found.append((method.upper(), path, match.group(1), operation))
    return found


def body_of(operation: dict[str, Any], openapi: dict[str, Any]) -> Any:
    """A minimal body for an operation that takes one."""
    content = operation.get("requestBody", {}).get("content", {})
    schema = content.get("application/json", {}).get("schema")
    return None if schema is None else minimal(schema, openapi)


def intact(owner: Caller, kind: str, object_id: str) -> bool:
    """Whether the owner still sees the object unchanged in kind and role."""
    if kind == "members":
        members = {m["id"]: m["role"] for m in owner.get("/api/v1/members").json()["items"]}
        return members.get(object_id) == "member"
    if kind == "invitations":
        listed = owner.get("/api/v1/invitations", params={"status": "pending"}).json()["items"]
        return object_id in {invitation["id"] for invitation in listed}
    if kind == "api-keys":
        return object_id in {key["id"] for key in owner.get("/api/v1/api-keys").json()["items"]}
    if kind == "exports":
        return owner.get(f"/api/v1/organization/exports/{object_id}").status_code == 200
    return owner.get(f"/api/v1/{kind}/{object_id}").status_code == 200


def test_every_id_route_is_404_from_another_organization(
    api: Api, owner: Caller, outsider: Caller, openapi: dict[str, Any], worker: Process
) -> None:
    del worker
    operations = id_operations(openapi)
    assert {(method, kind) for method, _, kind, _ in operations} >= KNOWN
    # An archive is only read, so one (made by the worker) serves every operation.
    job, _ = export(owner)
    archive = job["result"]["download_url"].rsplit("/", 1)[-1]
    failures = []
    for method, template, kind, operation in operations:
        # Fresh objects for each operation: one operation's effect cannot mask another's.
        objects = objects_of(owner, owner.add_member(api.register(), "member"))
        objects["exports"] = archive
        assert kind in objects, f"the sweep does not know how to make a {kind} for {template}"
        path = PARAMETER.sub(f"/{kind}/{objects[kind]}", template, count=1)
        path = re.sub(r"\{\w+\}", str(uuid.uuid4()), path)
        body = body_of(operation, openapi)
        response = outsider.request(method, path, **({} if body is None else {"json": body}))
        if response.status_code != 404:
            failures.append(f"{method} {template}: {response.status_code} {response.text[:200]}")
        elif not intact(owner, kind, objects[kind]):
            failures.append(f"{method} {template}: 404, yet the owner's {kind} object changed")
    assert not failures, "\n".join(failures)

"""/api/v1/projects: create, read, update, soft delete, list, and tenant isolation."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from tests.factories import create_project, create_task, signup
from tests.problems import assert_problem

RFC3339_UTC = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$")


def assert_utc_timestamp(value: Any) -> datetime:
    """`value` is an RFC 3339 timestamp in UTC ending in Z; return it parsed."""
    assert isinstance(value, str)
    assert RFC3339_UTC.match(value), value
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    assert parsed.utcoffset() == timedelta(0)
    return parsed


async def test_create_project_returns_every_field(client: httpx.AsyncClient) -> None:
    account = await signup(client)
    response = await client.post(
        "/api/v1/projects",
        json={"name": "Apollo", "description": "To the moon", "visibility": "private"},
        headers=account.headers,
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert set(body) == {
        "id",
        "name",
        "description",
        "status",
        "visibility",
        "created_by_id",
        "created_at",
        "updated_at",
    }
    assert body["name"] == "Apollo"
    assert body["description"] == "To the moon"
    assert body["visibility"] == "private"
    assert body["status"] == "active"
    assert body["created_by_id"] == account.user_id


async def test_create_project_defaults_visibility_and_status(client: httpx.AsyncClient) -> None:
    account = await signup(client)
    response = await client.post(
        "/api/v1/projects", json={"name": "Gemini"}, headers=account.headers
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["visibility"] == "organization"
    assert body["status"] == "active"
    assert body["description"] is None


async def test_project_ids_are_uuid7_and_timestamps_rfc3339_utc(
    client: httpx.AsyncClient,
) -> None:
    account = await signup(client)
    project = await create_project(client, account)
    assert str(uuid.UUID(project["id"])) == project["id"]
    assert uuid.UUID(project["id"]).version == 7
    created = assert_utc_timestamp(project["created_at"])
    assert_utc_timestamp(project["updated_at"])
    assert abs((datetime.now(UTC) - created).total_seconds()) < 60


async def test_create_project_refuses_extra_fields(client: httpx.AsyncClient) -> None:
    account = await signup(client)
    stranger = await signup(client)
    response = await client.post(
        "/api/v1/projects",
        json={
            "name": "Mass assignment",
            "tenant_id": stranger.organization_id,
            "created_by_id": stranger.user_id,
        },
        headers=account.headers,
    )
    body = assert_problem(response, 422)
    assert {error["loc"][-1] for error in body["errors"]} >= {"tenant_id", "created_by_id"}
    assert (await client.get("/api/v1/projects", headers=account.headers)).json()["items"] == []


async def test_create_project_refuses_an_unknown_visibility(client: httpx.AsyncClient) -> None:
    account = await signup(client)
    response = await client.post(
        "/api/v1/projects", json={"name": "Odd", "visibility": "public"}, headers=account.headers
    )
    assert_problem(response, 422)


async def test_create_project_refuses_a_blank_name(client: httpx.AsyncClient) -> None:
    account = await signup(client)
    response = await client.post("/api/v1/projects", json={"name": "  "}, headers=account.headers)
    assert_problem(response, 422)


async def test_get_project(client: httpx.AsyncClient) -> None:
    account = await signup(client)
    project = await create_project(client, account, description="Read me")
    response = await client.get(f"/api/v1/projects/{project['id']}", headers=account.headers)
    assert response.status_code == 200
    assert response.json() == project


async def test_get_unknown_project_is_not_found(client: httpx.AsyncClient) -> None:
    account = await signup(client)
    response = await client.get(f"/api/v1/projects/{uuid.uuid4()}", headers=account.headers)
    assert_problem(response, 404)


async def test_patch_project_archives_it(client: httpx.AsyncClient) -> None:
    account = await signup(client)
    project = await create_project(client, account)
    response = await client.patch(
        f"/api/v1/projects/{project['id']}", json={"status": "archived"}, headers=account.headers
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["status"] == "archived"
    assert body["name"] == project["name"]
    assert body["visibility"] == project["visibility"]
    read = await client.get(f"/api/v1/projects/{project['id']}", headers=account.headers)
    assert read.json()["status"] == "archived"


async def test_patch_project_changes_visibility_name_and_description(
    client: httpx.AsyncClient,
) -> None:
    account = await signup(client)
    project = await create_project(client, account)
    response = await client.patch(
        f"/api/v1/projects/{project['id']}",
        json={"visibility": "private", "name": "Renamed", "description": "New words"},
        headers=account.headers,
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["visibility"], body["name"], body["description"]) == (
        "private",
        "Renamed",
        "New words",
    )
    assert body["status"] == "active"


async def test_patch_project_moves_updated_at_forward(client: httpx.AsyncClient) -> None:
    account = await signup(client)
    project = await create_project(client, account)
    response = await client.patch(
        f"/api/v1/projects/{project['id']}", json={"description": "Later"}, headers=account.headers
    )
    body = response.json()
    assert assert_utc_timestamp(body["updated_at"]) > assert_utc_timestamp(project["updated_at"])
    assert body["created_at"] == project["created_at"]


async def test_patch_project_refuses_an_unknown_status(client: httpx.AsyncClient) -> None:
    account = await signup(client)
    project = await create_project(client, account)
    response = await client.patch(
        f"/api/v1/projects/{project['id']}", json={"status": "deleted"}, headers=account.headers
    )
    assert_problem(response, 422)


async def test_patch_project_refuses_extra_fields(client: httpx.AsyncClient) -> None:
    account = await signup(client)
    project = await create_project(client, account)
    response = await client.patch(
        f"/api/v1/projects/{project['id']}",
        json={"created_by_id": str(uuid.uuid4())},
        headers=account.headers,
    )
    assert_problem(response, 422)


async def test_delete_project_hides_it(client: httpx.AsyncClient) -> None:
    account = await signup(client)
    project = await create_project(client, account)
    kept = await create_project(client, account)
    response = await client.delete(f"/api/v1/projects/{project['id']}", headers=account.headers)
    assert response.status_code == 204
    assert response.content == b""
    read = await client.get(f"/api/v1/projects/{project['id']}", headers=account.headers)
    assert_problem(read, 404)
    listed = await client.get("/api/v1/projects", headers=account.headers)
    assert [p["id"] for p in listed.json()["items"]] == [kept["id"]]


async def test_delete_project_twice_is_not_found(client: httpx.AsyncClient) -> None:
    account = await signup(client)
    project = await create_project(client, account)
    await client.delete(f"/api/v1/projects/{project['id']}", headers=account.headers)
    again = await client.delete(f"/api/v1/projects/{project['id']}", headers=account.headers)
    assert_problem(again, 404)


async def test_delete_project_soft_deletes_its_tasks(client: httpx.AsyncClient) -> None:
    account = await signup(client)
    project = await create_project(client, account)
    task = await create_task(client, account, project["id"])
    await client.delete(f"/api/v1/projects/{project['id']}", headers=account.headers)
    assert_problem(await client.get(f"/api/v1/tasks/{task['id']}", headers=account.headers), 404)


async def test_project_name_is_unique_among_live_projects(client: httpx.AsyncClient) -> None:
    account = await signup(client)
    await create_project(client, account, name="Unique")
    response = await client.post(
        "/api/v1/projects", json={"name": "Unique"}, headers=account.headers
    )
    assert_problem(response, 409)


async def test_rename_to_a_taken_project_name_is_a_conflict(client: httpx.AsyncClient) -> None:
    account = await signup(client)
    await create_project(client, account, name="Taken")
    project = await create_project(client, account, name="Free")
    response = await client.patch(
        f"/api/v1/projects/{project['id']}", json={"name": "Taken"}, headers=account.headers
    )
    assert_problem(response, 409)


async def test_project_name_is_reusable_after_delete(client: httpx.AsyncClient) -> None:
    account = await signup(client)
    first = await create_project(client, account, name="Phoenix")
    await client.delete(f"/api/v1/projects/{first['id']}", headers=account.headers)
    second = await client.post(
        "/api/v1/projects", json={"name": "Phoenix"}, headers=account.headers
    )
    assert second.status_code == 201, second.text
    assert second.json()["id"] != first["id"]


async def test_same_project_name_in_two_organizations_is_allowed(
    client: httpx.AsyncClient,
) -> None:
    first = await signup(client)
    second = await signup(client)
    await create_project(client, first, name="Shared name")
    await create_project(client, second, name="Shared name")


async def test_projects_are_listed_newest_first(client: httpx.AsyncClient) -> None:
    account = await signup(client)
    created = [await create_project(client, account) for _ in range(3)]
    response = await client.get("/api/v1/projects", headers=account.headers)
    assert response.status_code == 200
    body = response.json()
    assert [p["id"] for p in body["items"]] == [p["id"] for p in reversed(created)]
    assert body["next_cursor"] is None


async def test_projects_filtered_by_status(client: httpx.AsyncClient) -> None:
    account = await signup(client)
    active = await create_project(client, account)
    archived = await create_project(client, account)
    await client.patch(
        f"/api/v1/projects/{archived['id']}", json={"status": "archived"}, headers=account.headers
    )
    only_archived = await client.get("/api/v1/projects?status=archived", headers=account.headers)
    assert [p["id"] for p in only_archived.json()["items"]] == [archived["id"]]
    only_active = await client.get("/api/v1/projects?status=active", headers=account.headers)
    assert [p["id"] for p in only_active.json()["items"]] == [active["id"]]


async def test_projects_refuse_an_unknown_status_filter(client: httpx.AsyncClient) -> None:
    account = await signup(client)
    response = await client.get("/api/v1/projects?status=gone", headers=account.headers)
    assert_problem(response, 422)


async def test_projects_list_only_the_callers_organization(client: httpx.AsyncClient) -> None:
    account = await signup(client)
    stranger = await signup(client)
    mine = await create_project(client, account)
    await create_project(client, stranger)
    listed = await client.get("/api/v1/projects", headers=account.headers)
    assert [p["id"] for p in listed.json()["items"]] == [mine["id"]]


@pytest.mark.parametrize(
    ("method", "suffix", "payload"),
    [
        ("GET", "", None),
        ("PATCH", "", {"name": "Hijacked"}),
        ("DELETE", "", None),
        ("GET", "/tasks", None),
        ("POST", "/tasks", {"title": "Planted"}),
        ("POST", "/export", None),
    ],
    ids=["get", "patch", "delete", "list-tasks", "create-task", "export"],
)
async def test_another_organizations_project_is_not_found(
    client: httpx.AsyncClient, method: str, suffix: str, payload: dict[str, str] | None
) -> None:
    owner = await signup(client)
    stranger = await signup(client)
    project = await create_project(client, owner)
    response = await client.request(
        method,
        f"/api/v1/projects/{project['id']}{suffix}",
        json=payload,
        headers=stranger.headers,
    )
    assert_problem(response, 404)
    # Nothing changed for the owner.
    read = await client.get(f"/api/v1/projects/{project['id']}", headers=owner.headers)
    assert read.json() == project
    tasks = await client.get(f"/api/v1/projects/{project['id']}/tasks", headers=owner.headers)
    assert tasks.json()["items"] == []

"""Role-based access: permissions come from the roles table; missing ones are 403."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
import psycopg

from tests.factories import Account, create_project, member_of, signup
from tests.problems import assert_problem

Owner = psycopg.AsyncConnection[tuple[object, ...]]


async def membership_id(client: httpx.AsyncClient, account: Account, user_id: str) -> str:
    """The id of `user_id`'s membership in `account`'s organization."""
    response = await client.get("/api/v1/members?limit=100", headers=account.headers)
    assert response.status_code == 200, response.text
    for member in response.json()["items"]:
        if member["user"]["id"] == user_id:
            found: str = member["id"]
            return found
    raise AssertionError(f"user {user_id} is not a member")


@asynccontextmanager
async def role_permissions(owner: Owner, role: str, permissions: list[str]) -> AsyncIterator[None]:
    """Give `role` exactly `permissions` in the roles table, restoring them afterwards."""
    cursor = await owner.execute("SELECT permissions FROM roles WHERE name = %s", (role,))
    row = await cursor.fetchone()
    assert row is not None
    original: Any = row[0]
    await owner.execute("UPDATE roles SET permissions = %s WHERE name = %s", (permissions, role))
    try:
        yield
    finally:
        await owner.execute("UPDATE roles SET permissions = %s WHERE name = %s", (original, role))


async def test_viewer_can_list_and_read_projects(client: httpx.AsyncClient) -> None:
    owner = await signup(client)
    project = await create_project(client, owner)
    viewer = await member_of(client, owner, "viewer")
    listed = await client.get("/api/v1/projects", headers=viewer.headers)
    assert listed.status_code == 200
    assert [p["id"] for p in listed.json()["items"]] == [project["id"]]
    read = await client.get(f"/api/v1/projects/{project['id']}", headers=viewer.headers)
    assert read.status_code == 200
    assert read.json()["name"] == project["name"]


async def test_viewer_cannot_create_a_project(client: httpx.AsyncClient) -> None:
    owner = await signup(client)
    viewer = await member_of(client, owner, "viewer")
    response = await client.post(
        "/api/v1/projects", json={"name": "Not allowed"}, headers=viewer.headers
    )
    assert_problem(response, 403)
    listed = await client.get("/api/v1/projects", headers=owner.headers)
    assert listed.json()["items"] == []


async def test_viewer_cannot_update_a_project(client: httpx.AsyncClient) -> None:
    owner = await signup(client)
    project = await create_project(client, owner)
    viewer = await member_of(client, owner, "viewer")
    response = await client.patch(
        f"/api/v1/projects/{project['id']}", json={"name": "Renamed"}, headers=viewer.headers
    )
    assert_problem(response, 403)
    read = await client.get(f"/api/v1/projects/{project['id']}", headers=owner.headers)
    assert read.json()["name"] == project["name"]


async def test_viewer_cannot_delete_a_project(client: httpx.AsyncClient) -> None:
    owner = await signup(client)
    project = await create_project(client, owner)
    viewer = await member_of(client, owner, "viewer")
    response = await client.delete(f"/api/v1/projects/{project['id']}", headers=viewer.headers)
    assert_problem(response, 403)
    read = await client.get(f"/api/v1/projects/{project['id']}", headers=owner.headers)
    assert read.status_code == 200


async def test_viewer_cannot_create_a_task(client: httpx.AsyncClient) -> None:
    owner = await signup(client)
    project = await create_project(client, owner)
    viewer = await member_of(client, owner, "viewer")
    response = await client.post(
        f"/api/v1/projects/{project['id']}/tasks", json={"title": "No"}, headers=viewer.headers
    )
    assert_problem(response, 403)


async def test_member_can_read_members(client: httpx.AsyncClient) -> None:
    owner = await signup(client)
    member = await member_of(client, owner, "member")
    response = await client.get("/api/v1/members", headers=member.headers)
    assert response.status_code == 200
    assert {m["user"]["id"] for m in response.json()["items"]} == {owner.user_id, member.user_id}


async def test_member_cannot_add_members(client: httpx.AsyncClient) -> None:
    owner = await signup(client)
    member = await member_of(client, owner, "member")
    outsider = await signup(client)
    response = await client.post(
        "/api/v1/members", json={"email": outsider.email, "role": "viewer"}, headers=member.headers
    )
    assert_problem(response, 403)


async def test_member_cannot_change_roles(client: httpx.AsyncClient) -> None:
    owner = await signup(client)
    member = await member_of(client, owner, "member")
    viewer = await member_of(client, owner, "viewer")
    target = await membership_id(client, owner, viewer.user_id)
    response = await client.patch(
        f"/api/v1/members/{target}", json={"role": "admin"}, headers=member.headers
    )
    assert_problem(response, 403)


async def test_member_cannot_remove_members(client: httpx.AsyncClient) -> None:
    owner = await signup(client)
    member = await member_of(client, owner, "member")
    viewer = await member_of(client, owner, "viewer")
    target = await membership_id(client, owner, viewer.user_id)
    response = await client.delete(f"/api/v1/members/{target}", headers=member.headers)
    assert_problem(response, 403)


async def test_admin_can_add_a_member(client: httpx.AsyncClient) -> None:
    owner = await signup(client)
    admin = await member_of(client, owner, "admin")
    newcomer = await signup(client)
    response = await client.post(
        "/api/v1/members", json={"email": newcomer.email, "role": "member"}, headers=admin.headers
    )
    assert response.status_code == 201, response.text


async def test_admin_cannot_grant_the_owner_role(client: httpx.AsyncClient) -> None:
    owner = await signup(client)
    admin = await member_of(client, owner, "admin")
    newcomer = await signup(client)
    response = await client.post(
        "/api/v1/members", json={"email": newcomer.email, "role": "owner"}, headers=admin.headers
    )
    assert_problem(response, 403)


async def test_admin_cannot_promote_a_member_to_owner(client: httpx.AsyncClient) -> None:
    owner = await signup(client)
    admin = await member_of(client, owner, "admin")
    member = await member_of(client, owner, "member")
    target = await membership_id(client, owner, member.user_id)
    response = await client.patch(
        f"/api/v1/members/{target}", json={"role": "owner"}, headers=admin.headers
    )
    assert_problem(response, 403)


async def test_admin_cannot_demote_an_owner(client: httpx.AsyncClient) -> None:
    owner = await signup(client)
    admin = await member_of(client, owner, "admin")
    target = await membership_id(client, owner, owner.user_id)
    response = await client.patch(
        f"/api/v1/members/{target}", json={"role": "viewer"}, headers=admin.headers
    )
    assert_problem(response, 403)


async def test_owner_can_grant_the_owner_role(client: httpx.AsyncClient) -> None:
    owner = await signup(client)
    newcomer = await signup(client)
    response = await client.post(
        "/api/v1/members", json={"email": newcomer.email, "role": "owner"}, headers=owner.headers
    )
    assert response.status_code == 201, response.text
    assert response.json()["role"] == "owner"


async def test_last_owner_cannot_be_demoted(client: httpx.AsyncClient) -> None:
    owner = await signup(client)
    target = await membership_id(client, owner, owner.user_id)
    response = await client.patch(
        f"/api/v1/members/{target}", json={"role": "admin"}, headers=owner.headers
    )
    assert_problem(response, 409)
    me = await client.get("/api/v1/me", headers=owner.headers)
    assert me.json()["role"] == "owner"


async def test_last_owner_cannot_be_removed(client: httpx.AsyncClient) -> None:
    owner = await signup(client)
    await member_of(client, owner, "admin")
    target = await membership_id(client, owner, owner.user_id)
    response = await client.delete(f"/api/v1/members/{target}", headers=owner.headers)
    assert_problem(response, 409)
    assert (await client.get("/api/v1/me", headers=owner.headers)).status_code == 200


async def test_an_owner_can_step_down_when_another_owner_remains(
    client: httpx.AsyncClient,
) -> None:
    owner = await signup(client)
    co_owner = await member_of(client, owner, "owner")
    target = await membership_id(client, co_owner, owner.user_id)
    response = await client.patch(
        f"/api/v1/members/{target}", json={"role": "admin"}, headers=owner.headers
    )
    assert response.status_code == 200, response.text
    assert response.json()["role"] == "admin"


async def test_role_permissions_are_read_from_the_roles_table(
    client: httpx.AsyncClient, owner: Owner
) -> None:
    account = await signup(client)
    viewer = await member_of(client, account, "viewer")
    assert (await client.get("/api/v1/projects", headers=viewer.headers)).status_code == 200

    async with role_permissions(owner, "viewer", ["members:read"]):
        assert_problem(await client.get("/api/v1/projects", headers=viewer.headers), 403)
        me = await client.get("/api/v1/me", headers=viewer.headers)
        assert me.json()["permissions"] == ["members:read"]

    assert (await client.get("/api/v1/projects", headers=viewer.headers)).status_code == 200


async def test_permission_granted_in_the_roles_table_takes_effect(
    client: httpx.AsyncClient, owner: Owner
) -> None:
    account = await signup(client)
    viewer = await member_of(client, account, "viewer")
    granted = ["projects:read", "projects:write", "members:read"]
    async with role_permissions(owner, "viewer", granted):
        response = await client.post(
            "/api/v1/projects", json={"name": "Granted"}, headers=viewer.headers
        )
        assert response.status_code == 201, response.text
    response = await client.post(
        "/api/v1/projects", json={"name": "Revoked again"}, headers=viewer.headers
    )
    assert_problem(response, 403)


async def test_unknown_role_is_unprocessable(client: httpx.AsyncClient) -> None:
    owner = await signup(client)
    newcomer = await signup(client)
    response = await client.post(
        "/api/v1/members",
        json={"email": newcomer.email, "role": "superuser"},
        headers=owner.headers,
    )
    assert_problem(response, 422)

"""GET /api/v1/organizations: the caller's memberships, paginated."""

from __future__ import annotations

import httpx

from tests.factories import Account, signup
from tests.problems import assert_problem


async def join(client: httpx.AsyncClient, user: Account, organization: Account, role: str) -> None:
    """Add `user` to `organization`'s organization with `role`."""
    response = await client.post(
        "/api/v1/members", json={"email": user.email, "role": role}, headers=organization.headers
    )
    assert response.status_code == 201, response.text


async def test_organizations_lists_every_membership_with_its_role(
    client: httpx.AsyncClient,
) -> None:
    user = await signup(client)
    first = await signup(client)
    second = await signup(client)
    await join(client, user, first, "viewer")
    await join(client, user, second, "admin")
    response = await client.get("/api/v1/organizations", headers=user.headers)
    assert response.status_code == 200
    body = response.json()
    assert body["next_cursor"] is None
    roles = {item["organization"]["id"]: item["role"] for item in body["items"]}
    assert roles == {
        user.organization_id: "owner",
        first.organization_id: "viewer",
        second.organization_id: "admin",
    }


async def test_organizations_are_paginated(client: httpx.AsyncClient) -> None:
    user = await signup(client)
    for _ in range(2):
        await join(client, user, await signup(client), "member")
    first = await client.get("/api/v1/organizations?limit=2", headers=user.headers)
    assert first.status_code == 200
    assert len(first.json()["items"]) == 2
    cursor = first.json()["next_cursor"]
    assert cursor
    second = await client.get(
        "/api/v1/organizations", params={"limit": 2, "cursor": cursor}, headers=user.headers
    )
    assert second.status_code == 200
    assert len(second.json()["items"]) == 1
    assert second.json()["next_cursor"] is None
    seen = [item["id"] for item in first.json()["items"] + second.json()["items"]]
    assert len(set(seen)) == 3


async def test_organizations_omit_memberships_that_ended(client: httpx.AsyncClient) -> None:
    user = await signup(client)
    other = await signup(client)
    await join(client, user, other, "member")
    members = await client.get("/api/v1/members", headers=other.headers)
    membership = next(m for m in members.json()["items"] if m["user"]["id"] == user.user_id)
    removed = await client.delete(f"/api/v1/members/{membership['id']}", headers=other.headers)
    assert removed.status_code == 204
    listed = await client.get("/api/v1/organizations", headers=user.headers)
    assert [item["organization"]["id"] for item in listed.json()["items"]] == [user.organization_id]


async def test_organizations_need_credentials(client: httpx.AsyncClient) -> None:
    assert_problem(await client.get("/api/v1/organizations"), 401)

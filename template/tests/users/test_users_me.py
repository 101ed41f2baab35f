"""GET /api/v1/me: the caller, their organization, role and permissions."""

from __future__ import annotations

import httpx

from tests.factories import member_of, signup

OWNER_PERMISSIONS = {
    "projects:read",
    "projects:write",
    "projects:delete",
    "members:read",
    "members:manage",
    "organization:manage",
}


async def test_me_shows_user_organization_role_and_permissions(
    client: httpx.AsyncClient,
) -> None:
    account = await signup(client)
    response = await client.get("/api/v1/me", headers=account.headers)
    assert response.status_code == 200
    body = response.json()
    assert body["user"]["id"] == account.user_id
    assert body["user"]["email"] == account.email
    assert body["organization"]["id"] == account.organization_id
    assert body["role"] == "owner"
    assert set(body["permissions"]) == OWNER_PERMISSIONS


async def test_me_of_a_viewer_lists_only_read_permissions(client: httpx.AsyncClient) -> None:
    owner = await signup(client)
    viewer = await member_of(client, owner, "viewer")
    body = (await client.get("/api/v1/me", headers=viewer.headers)).json()
    assert body["role"] == "viewer"
    assert set(body["permissions"]) == {"projects:read", "members:read"}
    assert body["organization"]["id"] == owner.organization_id

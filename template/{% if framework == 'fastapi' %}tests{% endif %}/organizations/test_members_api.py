"""/api/v1/members: list, add, change role, remove."""

from __future__ import annotations

import uuid
from typing import Any

import httpx

from tests.factories import Account, member_of, signup, unique_email
from tests.problems import assert_problem


async def members(client: httpx.AsyncClient, account: Account) -> list[dict[str, Any]]:
    """Every member of `account`'s organization (one page of 100)."""
    response = await client.get("/api/v1/members?limit=100", headers=account.headers)
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["items"]
    return items


async def add(client: httpx.AsyncClient, account: Account, email: str, role: str) -> httpx.Response:
    """POST /members."""
    return await client.post(
        "/api/v1/members", json={"email": email, "role": role}, headers=account.headers
    )


async def test_members_lists_the_organization_members_with_roles(
    client: httpx.AsyncClient,
) -> None:
    owner = await signup(client)
    viewer = await member_of(client, owner, "viewer")
    listed = await members(client, owner)
    assert {(m["user"]["id"], m["user"]["email"], m["role"]) for m in listed} == {
        (owner.user_id, owner.email, "owner"),
        (viewer.user_id, viewer.email, "viewer"),
    }


async def test_members_are_paginated_newest_first(client: httpx.AsyncClient) -> None:
    owner = await signup(client)
    added = [await member_of(client, owner, "member") for _ in range(3)]
    first = await client.get("/api/v1/members?limit=2", headers=owner.headers)
    assert first.status_code == 200
    cursor = first.json()["next_cursor"]
    assert cursor
    second = await client.get(
        "/api/v1/members", params={"limit": 2, "cursor": cursor}, headers=owner.headers
    )
    assert second.json()["next_cursor"] is None
    order = [m["user"]["id"] for m in first.json()["items"] + second.json()["items"]]
    expected = [a.user_id for a in reversed(added)] + [owner.user_id]
    assert order == expected


async def test_add_member_returns_the_new_membership(client: httpx.AsyncClient) -> None:
    owner = await signup(client)
    newcomer = await signup(client)
    response = await add(client, owner, newcomer.email, "member")
    assert response.status_code == 201, response.text
    body = response.json()
    assert uuid.UUID(body["id"]).version == 7
    assert body["user"] == {
        "id": newcomer.user_id,
        "email": newcomer.email,
        "email_verified": True,
    }
    assert body["role"] == "member"
    assert body["created_at"].endswith("Z")
    assert any(m["id"] == body["id"] for m in await members(client, owner))


async def test_added_member_can_sign_in_to_the_organization(client: httpx.AsyncClient) -> None:
    owner = await signup(client)
    newcomer = await member_of(client, owner, "member")
    me = await client.get("/api/v1/me", headers=newcomer.headers)
    assert me.status_code == 200
    assert me.json()["organization"]["id"] == owner.organization_id
    assert me.json()["role"] == "member"


async def test_add_member_with_an_unknown_email_is_not_found(client: httpx.AsyncClient) -> None:
    owner = await signup(client)
    assert_problem(await add(client, owner, unique_email(), "member"), 404)


async def test_add_member_who_is_already_a_member_is_a_conflict(
    client: httpx.AsyncClient,
) -> None:
    owner = await signup(client)
    member = await member_of(client, owner, "member")
    assert_problem(await add(client, owner, member.email, "viewer"), 409)
    assert_problem(await add(client, owner, owner.email, "viewer"), 409)


async def test_add_member_refuses_extra_fields(client: httpx.AsyncClient) -> None:
    owner = await signup(client)
    newcomer = await signup(client)
    response = await client.post(
        "/api/v1/members",
        json={"email": newcomer.email, "role": "member", "organization_id": str(uuid.uuid4())},
        headers=owner.headers,
    )
    assert_problem(response, 422)


async def test_change_member_role(client: httpx.AsyncClient) -> None:
    owner = await signup(client)
    member = await member_of(client, owner, "member")
    target = next(m for m in await members(client, owner) if m["user"]["id"] == member.user_id)
    response = await client.patch(
        f"/api/v1/members/{target['id']}", json={"role": "viewer"}, headers=owner.headers
    )
    assert response.status_code == 200, response.text
    assert response.json()["role"] == "viewer"
    assert response.json()["id"] == target["id"]
    me = await client.get("/api/v1/me", headers=member.headers)
    assert me.json()["role"] == "viewer"
    assert "projects:write" not in me.json()["permissions"]


async def test_change_role_of_an_unknown_membership_is_not_found(
    client: httpx.AsyncClient,
) -> None:
    owner = await signup(client)
    response = await client.patch(
        f"/api/v1/members/{uuid.uuid4()}", json={"role": "viewer"}, headers=owner.headers
    )
    assert_problem(response, 404)


async def test_membership_of_another_organization_is_not_found(
    client: httpx.AsyncClient,
) -> None:
    owner = await signup(client)
    stranger = await signup(client)
    theirs = (await members(client, stranger))[0]
    patched = await client.patch(
        f"/api/v1/members/{theirs['id']}", json={"role": "viewer"}, headers=owner.headers
    )
    assert_problem(patched, 404)
    removed = await client.delete(f"/api/v1/members/{theirs['id']}", headers=owner.headers)
    assert_problem(removed, 404)


async def test_remove_member(client: httpx.AsyncClient) -> None:
    owner = await signup(client)
    member = await member_of(client, owner, "member")
    target = next(m for m in await members(client, owner) if m["user"]["id"] == member.user_id)
    response = await client.delete(f"/api/v1/members/{target['id']}", headers=owner.headers)
    assert response.status_code == 204
    assert response.content == b""
    assert all(m["id"] != target["id"] for m in await members(client, owner))


async def test_removed_member_credentials_stop_working(client: httpx.AsyncClient) -> None:
    owner = await signup(client)
    member = await member_of(client, owner, "member")
    target = next(m for m in await members(client, owner) if m["user"]["id"] == member.user_id)
    assert (await client.get("/api/v1/projects", headers=member.headers)).status_code == 200
    await client.delete(f"/api/v1/members/{target['id']}", headers=owner.headers)
    assert_problem(await client.get("/api/v1/projects", headers=member.headers), 401)


async def test_removed_member_can_be_added_again(client: httpx.AsyncClient) -> None:
    owner = await signup(client)
    member = await member_of(client, owner, "member")
    target = next(m for m in await members(client, owner) if m["user"]["id"] == member.user_id)
    await client.delete(f"/api/v1/members/{target['id']}", headers=owner.headers)
    again = await add(client, owner, member.email, "viewer")
    assert again.status_code == 201, again.text
    assert again.json()["id"] != target["id"]

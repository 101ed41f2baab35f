"""Refresh-token rotation, reuse detection, logout and switching organization."""

from __future__ import annotations

from typing import Any

import httpx

from tests.factories import Account, signup
from tests.problems import assert_problem


def bearer(access_token: str) -> dict[str, str]:
    """The Authorization header of an access token."""
    return {"Authorization": f"Bearer {access_token}"}


async def refresh(client: httpx.AsyncClient, refresh_token: str) -> httpx.Response:
    """POST /auth/refresh."""
    return await client.post("/api/v1/auth/refresh", json={"refresh_token": refresh_token})


async def rotated(client: httpx.AsyncClient, refresh_token: str) -> dict[str, Any]:
    """A successful refresh's new pair."""
    response = await refresh(client, refresh_token)
    assert response.status_code == 200, response.text
    pair: dict[str, Any] = response.json()
    return pair


async def test_refresh_returns_a_new_working_pair(client: httpx.AsyncClient) -> None:
    account = await signup(client)
    pair = await rotated(client, account.refresh_token)
    assert pair["token_type"] == "bearer"
    assert pair["expires_in"] > 0
    assert pair["refresh_token"] != account.refresh_token
    assert pair["access_token"] != account.access_token
    me = await client.get("/api/v1/me", headers=bearer(pair["access_token"]))
    assert me.status_code == 200
    assert me.json()["organization"]["id"] == account.organization_id


async def test_refresh_spends_the_old_refresh_token(client: httpx.AsyncClient) -> None:
    account = await signup(client)
    await rotated(client, account.refresh_token)
    assert_problem(await refresh(client, account.refresh_token), 401)


async def test_reusing_a_spent_refresh_token_revokes_the_whole_family(
    client: httpx.AsyncClient,
) -> None:
    account = await signup(client)
    newest = await rotated(client, account.refresh_token)
    assert (
        await client.get("/api/v1/me", headers=bearer(newest["access_token"]))
    ).status_code == 200

    assert_problem(await refresh(client, account.refresh_token), 401)

    # The legitimate holder's newest tokens die with the family.
    assert_problem(await refresh(client, newest["refresh_token"]), 401)
    assert_problem(await client.get("/api/v1/me", headers=bearer(newest["access_token"])), 401)


async def test_refresh_reuse_leaves_other_logins_of_the_user_alone(
    client: httpx.AsyncClient,
) -> None:
    account = await signup(client)
    second = await client.post(
        "/api/v1/auth/token", json={"email": account.email, "password": account.password}
    )
    assert second.status_code == 200
    await rotated(client, account.refresh_token)
    assert_problem(await refresh(client, account.refresh_token), 401)
    me = await client.get("/api/v1/me", headers=bearer(second.json()["access_token"]))
    assert me.status_code == 200


async def test_refresh_with_an_unknown_token_is_unauthorized(client: httpx.AsyncClient) -> None:
    assert_problem(await refresh(client, "no-such-refresh-token"), 401)


async def test_logout_ends_the_login(client: httpx.AsyncClient) -> None:
    account = await signup(client)
    response = await client.post("/api/v1/auth/logout", headers=account.headers)
    assert response.status_code == 204
    assert response.content == b""
    assert_problem(await client.get("/api/v1/me", headers=account.headers), 401)
    assert_problem(await refresh(client, account.refresh_token), 401)


async def test_logout_needs_an_access_token(client: httpx.AsyncClient) -> None:
    assert_problem(await client.post("/api/v1/auth/logout"), 401)


async def _join(client: httpx.AsyncClient, user: Account, organization: Account, role: str) -> None:
    response = await client.post(
        "/api/v1/members", json={"email": user.email, "role": role}, headers=organization.headers
    )
    assert response.status_code == 201, response.text


async def test_switch_returns_tokens_for_the_other_organization(
    client: httpx.AsyncClient,
) -> None:
    user = await signup(client)
    other = await signup(client)
    await _join(client, user, other, "member")
    response = await client.post(
        "/api/v1/auth/switch",
        json={"organization_id": other.organization_id},
        headers=user.headers,
    )
    assert response.status_code == 200, response.text
    pair = response.json()
    assert pair["token_type"] == "bearer"
    me = await client.get("/api/v1/me", headers=bearer(pair["access_token"]))
    assert me.status_code == 200
    assert me.json()["organization"]["id"] == other.organization_id
    assert me.json()["role"] == "member"
    # The new refresh token stays in the new organization.
    again = await rotated(client, pair["refresh_token"])
    me_again = await client.get("/api/v1/me", headers=bearer(again["access_token"]))
    assert me_again.json()["organization"]["id"] == other.organization_id


async def test_switch_to_an_organization_the_user_is_not_in_is_forbidden(
    client: httpx.AsyncClient,
) -> None:
    user = await signup(client)
    stranger = await signup(client)
    response = await client.post(
        "/api/v1/auth/switch",
        json={"organization_id": stranger.organization_id},
        headers=user.headers,
    )
    assert_problem(response, 403)
    # The caller's own login still works.
    me = await client.get("/api/v1/me", headers=user.headers)
    assert me.status_code == 200
    assert me.json()["organization"]["id"] == user.organization_id


async def test_switch_needs_an_access_token(client: httpx.AsyncClient) -> None:
    user = await signup(client)
    response = await client.post(
        "/api/v1/auth/switch", json={"organization_id": user.organization_id}
    )
    assert_problem(response, 401)

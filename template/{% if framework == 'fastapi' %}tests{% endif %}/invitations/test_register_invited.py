"""POST /api/v1/auth/register with an invitation token: the new account joins the inviting
organization with the invited role, its address counted as verified."""

from __future__ import annotations

import httpx
import psycopg

from tests.factories import PASSWORD, Account, login, signup, unique_email
from tests.invitations.conftest import Mint
from tests.invitations.test_invitations_api import expire, invitations, invited
from tests.problems import assert_problem

Owner = psycopg.AsyncConnection[tuple[object, ...]]


async def register_with(
    client: httpx.AsyncClient, email: str, token: str, **extra: str
) -> httpx.Response:
    """POST /auth/register with an invitation token."""
    return await client.post(
        "/api/v1/auth/register",
        json={"email": email, "password": PASSWORD, "invitation_token": token, **extra},
    )


async def pending_token(client: httpx.AsyncClient, mint: Mint, owner: Account, email: str) -> str:
    """The token of a new invitation of `email` to `owner`'s organization, as a viewer."""
    return await mint((await invited(client, owner, email, "viewer"))["id"])


async def test_registering_with_the_token_joins_the_inviting_organization(
    client: httpx.AsyncClient, owner: Owner, mint: Mint
) -> None:
    account = await signup(client)
    email = unique_email()
    token = await pending_token(client, mint, account, email)
    response = await register_with(client, email.upper(), token)
    assert response.status_code == 201, response.text
    body = response.json()
    assert set(body) == {"user", "organization"}
    assert body["user"]["email"] == email
    assert body["user"]["email_verified"] is True
    assert body["organization"]["id"] == account.organization_id
    # No organization of their own, no verification e-mail: the link proved the address.
    cursor = await owner.execute(
        "SELECT count(*) FROM memberships WHERE user_id = %s", (body["user"]["id"],)
    )
    assert await cursor.fetchone() == (1,)
    cursor = await owner.execute(
        "SELECT count(*) FROM procrastinate_jobs"
        " WHERE task_name = 'send_verification_email' AND args->>'user_id' = %s",
        (body["user"]["id"],),
    )
    assert await cursor.fetchone() == (0,)
    [shown] = await invitations(client, account)
    assert shown["status"] == "accepted"
    credentials = await login(client, email)
    me = (await client.get("/api/v1/me", headers=credentials.headers)).json()
    assert me["organization"]["id"] == account.organization_id
    assert me["role"] == "viewer"
    assert me["user"]["email_verified"] is True


async def test_the_token_is_spent_by_registering(client: httpx.AsyncClient, mint: Mint) -> None:
    account = await signup(client)
    email = unique_email()
    token = await pending_token(client, mint, account, email)
    assert (await register_with(client, email, token)).status_code == 201
    again = await register_with(client, unique_email(), token)
    assert assert_problem(again, 400)["type"].endswith("invalid-token")


async def test_another_address_is_unprocessable_and_leaves_the_invitation_usable(
    client: httpx.AsyncClient, mint: Mint
) -> None:
    account = await signup(client)
    email = unique_email()
    token = await pending_token(client, mint, account, email)
    assert_problem(await register_with(client, unique_email(), token), 422)
    [shown] = await invitations(client, account)
    assert shown["status"] == "pending"
    assert (await register_with(client, email, token)).status_code == 201


async def test_a_token_that_no_longer_works_is_invalid(
    client: httpx.AsyncClient, owner: Owner, mint: Mint
) -> None:
    account = await signup(client)
    email = unique_email()
    expired = await invited(client, account, email)
    token = await mint(expired["id"])
    await expire(owner, expired["id"])
    for tried in (token, "no-such-token"):
        response = await register_with(client, email, tried)
        assert assert_problem(response, 400)["type"].endswith("invalid-token")
    # Nothing was created: the address is still free.
    free = await client.post(
        "/api/v1/auth/register",
        json={"email": email, "password": PASSWORD, "organization_name": "Own"},
    )
    assert free.status_code == 201, free.text


async def test_exactly_one_of_organization_name_and_token(
    client: httpx.AsyncClient, mint: Mint
) -> None:
    account = await signup(client)
    email = unique_email()
    token = await pending_token(client, mint, account, email)
    both = await register_with(client, email, token, organization_name="Both")
    assert_problem(both, 422)
    neither = await client.post(
        "/api/v1/auth/register", json={"email": email, "password": PASSWORD}
    )
    assert_problem(neither, 422)
    [shown] = await invitations(client, account)
    assert shown["status"] == "pending"


async def test_a_taken_address_is_a_conflict(client: httpx.AsyncClient, mint: Mint) -> None:
    account = await signup(client)
    existing = await signup(client)
    token = await pending_token(client, mint, account, existing.email)
    assert_problem(await register_with(client, existing.email, token), 409)
    [shown] = await invitations(client, account)
    assert shown["status"] == "pending"

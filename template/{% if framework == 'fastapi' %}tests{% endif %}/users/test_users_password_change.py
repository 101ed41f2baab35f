"""POST /api/v1/me/password: a new password, and every login of the user ends."""

from __future__ import annotations

import httpx

from tests.credentials import LOGIN_PATH
from tests.factories import PASSWORD, Account, login, signup
from tests.problems import assert_problem

NEW_PASSWORD = "a brand new passphrase"
ACCOUNT_LIMIT = 5


async def change(
    client: httpx.AsyncClient, account: Account, current: str, new: str = NEW_PASSWORD
) -> httpx.Response:
    """POST /me/password as `account`."""
    return await client.post(
        "/api/v1/me/password",
        json={"current_password": current, "new_password": new},
        headers=account.headers,
    )


async def test_new_password_signs_in_and_the_old_one_no_longer_does(
    client: httpx.AsyncClient,
) -> None:
    account = await signup(client)
    response = await change(client, account, PASSWORD)
    assert response.status_code == 204, response.text
    assert response.content == b""
    old = await client.post(LOGIN_PATH, json={"email": account.email, "password": PASSWORD})
    assert_problem(old, 401)
    fresh = await login(client, account.email, NEW_PASSWORD)
    assert (await client.get("/api/v1/me", headers=fresh.headers)).status_code == 200


async def test_password_change_ends_every_login_of_the_user(client: httpx.AsyncClient) -> None:
    account = await signup(client)
    elsewhere = await login(client, account.email)
    assert (await change(client, account, PASSWORD)).status_code == 204
    # The caller's own login ends too: they sign in again with the new password.
    assert_problem(await client.get("/api/v1/me", headers=account.headers), 401)
    assert_problem(await client.get("/api/v1/me", headers=elsewhere.headers), 401)


async def test_password_change_leaves_other_users_signed_in(client: httpx.AsyncClient) -> None:
    account = await signup(client)
    bystander = await signup(client)
    assert (await change(client, account, PASSWORD)).status_code == 204
    assert (await client.get("/api/v1/me", headers=bystander.headers)).status_code == 200


async def test_wrong_current_password_is_forbidden_and_changes_nothing(
    client: httpx.AsyncClient,
) -> None:
    account = await signup(client)
    assert_problem(await change(client, account, "not the password"), 403)
    assert (await client.get("/api/v1/me", headers=account.headers)).status_code == 200
    await login(client, account.email, PASSWORD)


async def test_guessing_the_current_password_is_throttled(client: httpx.AsyncClient) -> None:
    account = await signup(client)
    for _ in range(ACCOUNT_LIMIT):
        assert_problem(await change(client, account, "not the password"), 403)
    blocked = await change(client, account, PASSWORD)
    assert_problem(blocked, 429)
    assert int(blocked.headers["retry-after"]) > 0


async def test_new_password_must_be_long_enough(client: httpx.AsyncClient) -> None:
    account = await signup(client)
    body = assert_problem(await change(client, account, PASSWORD, new="short"), 422)
    assert any(error["loc"][-1] == "new_password" for error in body["errors"])
    assert (await client.get("/api/v1/me", headers=account.headers)).status_code == 200


async def test_password_change_needs_credentials(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/api/v1/me/password",
        json={"current_password": PASSWORD, "new_password": NEW_PASSWORD},
    )
    assert_problem(response, 401)

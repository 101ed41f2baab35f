"""Logging in: credentials checked alike for every transport, and login throttling."""

from __future__ import annotations

import httpx
from fastapi import FastAPI

from tests.clients import client_at, random_address
from tests.credentials import LOGIN_PATH, credentials_of
from tests.factories import PASSWORD, register, signup, unique_email
from tests.problems import assert_problem

ACCOUNT_LIMIT = 5
ACCOUNT_GLOBAL_LIMIT = 50
CLIENT_LIMIT = 20


async def test_login_accepts_the_email_in_any_case(client: httpx.AsyncClient) -> None:
    email = unique_email()
    await register(client, email=email)
    response = await client.post(LOGIN_PATH, json={"email": email.upper(), "password": PASSWORD})
    assert response.status_code == 200, response.text


async def test_wrong_password_and_unknown_email_get_the_same_401(
    client: httpx.AsyncClient,
) -> None:
    email = unique_email()
    await register(client, email=email)
    wrong_password = await client.post(
        LOGIN_PATH, json={"email": email, "password": "not the password"}
    )
    unknown_email = await client.post(
        LOGIN_PATH, json={"email": unique_email(), "password": "not the password"}
    )
    assert assert_problem(wrong_password, 401) == assert_problem(unknown_email, 401)
    assert wrong_password.headers.get("www-authenticate") == unknown_email.headers.get(
        "www-authenticate"
    )


async def test_sixth_failed_login_for_one_account_is_throttled(
    client: httpx.AsyncClient,
) -> None:
    email = unique_email()
    await register(client, email=email)
    for _ in range(ACCOUNT_LIMIT):
        failed = await client.post(
            LOGIN_PATH, json={"email": email, "password": "not the password"}
        )
        assert_problem(failed, 401)
    # Even the right password is refused while the account is blocked.
    blocked = await client.post(LOGIN_PATH, json={"email": email, "password": PASSWORD})
    assert_problem(blocked, 429)
    assert int(blocked.headers["retry-after"]) > 0


async def test_an_attackers_failures_do_not_lock_the_owner_out_from_another_address(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    email = unique_email()
    await register(client, email=email)
    for _ in range(ACCOUNT_LIMIT):
        await client.post(LOGIN_PATH, json={"email": email, "password": "not the password"})
    # The attacker's address is blocked for this account, even with the right password ...
    blocked = await client.post(LOGIN_PATH, json={"email": email, "password": PASSWORD})
    assert_problem(blocked, 429)
    assert int(blocked.headers["retry-after"]) > 0
    # ... while the owner, from their own address, signs in.
    async with client_at(app, random_address()) as elsewhere:
        allowed = await elsewhere.post(LOGIN_PATH, json={"email": email, "password": PASSWORD})
    assert allowed.status_code == 200, allowed.text


async def test_failures_from_many_addresses_reach_the_accounts_global_ceiling(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    email = unique_email()
    await register(client, email=email)
    for _ in range(ACCOUNT_GLOBAL_LIMIT // ACCOUNT_LIMIT):
        async with client_at(app, random_address()) as attacker:
            for _ in range(ACCOUNT_LIMIT):
                failed = await attacker.post(
                    LOGIN_PATH, json={"email": email, "password": "not the password"}
                )
                assert_problem(failed, 401)
    async with client_at(app, random_address()) as elsewhere:
        blocked = await elsewhere.post(LOGIN_PATH, json={"email": email, "password": PASSWORD})
    assert_problem(blocked, 429)
    assert int(blocked.headers["retry-after"]) > 0


async def test_account_throttle_does_not_block_other_accounts(client: httpx.AsyncClient) -> None:
    victim = unique_email()
    await register(client, email=victim)
    bystander = await signup(client)
    for _ in range(ACCOUNT_LIMIT + 1):
        await client.post(LOGIN_PATH, json={"email": victim, "password": "not the password"})
    response = await client.post(LOGIN_PATH, json={"email": bystander.email, "password": PASSWORD})
    assert response.status_code == 200, response.text


async def test_failures_below_the_limit_do_not_block_the_right_password(
    client: httpx.AsyncClient,
) -> None:
    email = unique_email()
    await register(client, email=email)
    for _ in range(ACCOUNT_LIMIT - 1):
        await client.post(LOGIN_PATH, json={"email": email, "password": "not the password"})
    response = await client.post(LOGIN_PATH, json={"email": email, "password": PASSWORD})
    assert response.status_code == 200, response.text


async def test_twenty_first_failed_login_from_one_client_address_is_throttled(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    account = await signup(client)
    address = random_address()
    async with client_at(app, address) as attacker:
        for _ in range(CLIENT_LIMIT):
            failed = await attacker.post(
                LOGIN_PATH,
                json={"email": unique_email(), "password": "not the password"},
            )
            assert_problem(failed, 401)
        blocked = await attacker.post(
            LOGIN_PATH, json={"email": account.email, "password": PASSWORD}
        )
    assert_problem(blocked, 429)
    assert int(blocked.headers["retry-after"]) > 0
    # The account itself is not blocked: another address signs in.
    async with client_at(app, random_address()) as elsewhere:
        allowed = await elsewhere.post(
            LOGIN_PATH, json={"email": account.email, "password": PASSWORD}
        )
    assert allowed.status_code == 200, allowed.text


async def test_login_to_an_organization_of_the_user_binds_to_it(
    client: httpx.AsyncClient,
) -> None:
    user = await signup(client)
    other = await signup(client)
    added = await client.post(
        "/api/v1/members", json={"email": user.email, "role": "viewer"}, headers=other.headers
    )
    assert added.status_code == 201, added.text
    response = await client.post(
        LOGIN_PATH,
        json={"email": user.email, "password": PASSWORD, "organization_id": other.organization_id},
    )
    assert response.status_code == 200, response.text
    me = await client.get("/api/v1/me", headers=credentials_of(client, response).headers)
    assert me.json()["organization"]["id"] == other.organization_id
    assert me.json()["role"] == "viewer"


async def test_login_to_an_organization_the_user_is_not_in_is_forbidden(
    client: httpx.AsyncClient,
) -> None:
    user = await signup(client)
    stranger = await signup(client)
    response = await client.post(
        LOGIN_PATH,
        json={
            "email": user.email,
            "password": PASSWORD,
            "organization_id": stranger.organization_id,
        },
    )
    assert_problem(response, 403)

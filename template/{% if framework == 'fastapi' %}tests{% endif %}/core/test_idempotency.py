"""Idempotency-Key on creating POSTs: replay, mismatch, scope, and concurrent retries."""

from __future__ import annotations

import asyncio
import secrets
from typing import Any

import httpx
import psycopg

from tests.factories import (
    PASSWORD,
    Account,
    create_project,
    login,
    member_of,
    signup,
    switch,
    unique_email,
)
from tests.problems import assert_problem

Owner = psycopg.AsyncConnection[tuple[object, ...]]
REPLAYED = "idempotent-replayed"


def key() -> str:
    """A fresh idempotency key."""
    return secrets.token_urlsafe(16)


def with_key(account: Account, value: str) -> dict[str, str]:
    """The account's headers plus an Idempotency-Key."""
    return {**account.headers, "Idempotency-Key": value}


async def projects(client: httpx.AsyncClient, account: Account) -> list[dict[str, Any]]:
    """The live projects of the account's organization."""
    response = await client.get("/api/v1/projects?limit=100", headers=account.headers)
    items: list[dict[str, Any]] = response.json()["items"]
    return items


async def count(owner: Owner, sql: str, *params: object) -> int:
    """The single integer a counting query returns."""
    cursor = await owner.execute(sql, params)
    row = await cursor.fetchone()
    assert row is not None
    value = row[0]
    assert isinstance(value, int)
    return value


async def test_same_key_and_body_replays_the_first_response(client: httpx.AsyncClient) -> None:
    account = await signup(client)
    headers = with_key(account, key())
    first = await client.post("/api/v1/projects", json={"name": "Once"}, headers=headers)
    second = await client.post("/api/v1/projects", json={"name": "Once"}, headers=headers)
    assert first.status_code == 201, first.text
    assert REPLAYED not in first.headers
    assert second.status_code == 201, second.text
    assert second.headers[REPLAYED] == "true"
    assert second.json() == first.json()
    assert [p["id"] for p in await projects(client, account)] == [first.json()["id"]]


async def test_replay_ignores_json_key_order_and_spacing(client: httpx.AsyncClient) -> None:
    account = await signup(client)
    headers = {**with_key(account, key()), "Content-Type": "application/json"}
    first = await client.post(
        "/api/v1/projects",
        content=b'{"name": "Ordered", "visibility": "private"}',
        headers=headers,
    )
    second = await client.post(
        "/api/v1/projects",
        content=b'{"visibility":"private","name":"Ordered"}',
        headers=headers,
    )
    assert first.status_code == 201, first.text
    assert second.headers.get(REPLAYED) == "true"
    assert second.json() == first.json()


async def test_same_key_with_another_body_is_unprocessable(client: httpx.AsyncClient) -> None:
    account = await signup(client)
    headers = with_key(account, key())
    first = await client.post("/api/v1/projects", json={"name": "First"}, headers=headers)
    assert first.status_code == 201
    second = await client.post("/api/v1/projects", json={"name": "Second"}, headers=headers)
    assert_problem(second, 422)
    assert [p["name"] for p in await projects(client, account)] == ["First"]


async def test_key_longer_than_255_characters_is_unprocessable(client: httpx.AsyncClient) -> None:
    account = await signup(client)
    response = await client.post(
        "/api/v1/projects", json={"name": "Long key"}, headers=with_key(account, "k" * 256)
    )
    assert_problem(response, 422)
    assert await projects(client, account) == []


async def test_key_of_255_characters_is_accepted(client: httpx.AsyncClient) -> None:
    account = await signup(client)
    headers = with_key(account, "k" * 255)
    first = await client.post("/api/v1/projects", json={"name": "Max key"}, headers=headers)
    second = await client.post("/api/v1/projects", json={"name": "Max key"}, headers=headers)
    assert first.status_code == 201, first.text
    assert second.headers.get(REPLAYED) == "true"


async def test_requests_without_a_key_are_not_deduplicated(client: httpx.AsyncClient) -> None:
    account = await signup(client)
    project = await create_project(client, account)
    url = f"/api/v1/projects/{project['id']}/tasks"
    first = await client.post(url, json={"title": "Twice"}, headers=account.headers)
    second = await client.post(url, json={"title": "Twice"}, headers=account.headers)
    assert first.status_code == second.status_code == 201
    assert first.json()["id"] != second.json()["id"]


async def test_keys_are_scoped_per_user(client: httpx.AsyncClient) -> None:
    owner = await signup(client)
    colleague = await member_of(client, owner, "member")
    project = await create_project(client, owner)
    shared = key()
    url = f"/api/v1/projects/{project['id']}/tasks"
    mine = await client.post(url, json={"title": "Same"}, headers=with_key(owner, shared))
    theirs = await client.post(url, json={"title": "Same"}, headers=with_key(colleague, shared))
    assert mine.status_code == theirs.status_code == 201
    assert REPLAYED not in theirs.headers
    assert theirs.json()["id"] != mine.json()["id"]
    assert theirs.json()["created_by_id"] == colleague.user_id
    listed = await client.get(url, headers=owner.headers)
    assert len(listed.json()["items"]) == 2


async def test_keys_are_scoped_per_organization(client: httpx.AsyncClient) -> None:
    user = await signup(client)
    other = await signup(client)
    joined = await client.post(
        "/api/v1/members", json={"email": user.email, "role": "member"}, headers=other.headers
    )
    assert joined.status_code == 201
    elsewhere = (await switch(client, user.credentials, other.organization_id)).headers
    shared = key()
    home = (await login(client, user.email)).headers
    first = await client.post(
        "/api/v1/projects", json={"name": "Per org"}, headers={**home, "Idempotency-Key": shared}
    )
    second = await client.post(
        "/api/v1/projects",
        json={"name": "Per org"},
        headers={**elsewhere, "Idempotency-Key": shared},
    )
    assert first.status_code == second.status_code == 201
    assert REPLAYED not in second.headers
    assert second.json()["id"] != first.json()["id"]


async def test_concurrent_retries_with_one_key_create_one_project(
    client: httpx.AsyncClient,
) -> None:
    account = await signup(client)
    headers = with_key(account, key())
    responses = await asyncio.gather(
        *(
            client.post("/api/v1/projects", json={"name": "Raced"}, headers=headers)
            for _ in range(20)
        )
    )
    statuses = [r.status_code for r in responses]
    assert set(statuses) <= {201, 409}, statuses
    created = [r for r in responses if r.status_code == 201]
    assert created
    assert len({r.json()["id"] for r in created}) == 1
    assert sum(1 for r in created if REPLAYED not in r.headers) == 1
    for response in responses:
        if response.status_code == 409:
            assert_problem(response, 409)
    assert [p["id"] for p in await projects(client, account)] == [created[0].json()["id"]]


async def test_concurrent_retries_with_one_key_create_one_task(
    client: httpx.AsyncClient,
) -> None:
    # Tasks have no unique column: only the key can stop a second task.
    account = await signup(client)
    project = await create_project(client, account)
    url = f"/api/v1/projects/{project['id']}/tasks"
    headers = with_key(account, key())
    responses = await asyncio.gather(
        *(client.post(url, json={"title": "Raced"}, headers=headers) for _ in range(20))
    )
    statuses = [r.status_code for r in responses]
    assert set(statuses) <= {201, 409}, statuses
    created = {r.json()["id"] for r in responses if r.status_code == 201}
    assert len(created) == 1
    listed = await client.get(url, headers=account.headers)
    assert [t["id"] for t in listed.json()["items"]] == list(created)


async def test_register_with_a_key_replays_without_a_second_account(
    client: httpx.AsyncClient, owner: Owner
) -> None:
    email = unique_email()
    body = {"email": email, "password": PASSWORD, "organization_name": "Idempotent Inc"}
    headers = {"Idempotency-Key": key()}
    first = await client.post("/api/v1/auth/register", json=body, headers=headers)
    second = await client.post("/api/v1/auth/register", json=body, headers=headers)
    assert first.status_code == 201, first.text
    assert second.status_code == 201, second.text
    assert second.headers[REPLAYED] == "true"
    assert second.json() == first.json()
    assert await count(owner, "SELECT count(*) FROM users WHERE email = %s", email) == 1
    welcome_emails = await count(
        owner,
        "SELECT count(*) FROM procrastinate_jobs"
        " WHERE task_name = 'send_email' AND args->>'to' = %s",
        email,
    )
    assert welcome_emails == 1


async def test_add_member_with_a_key_replays(client: httpx.AsyncClient) -> None:
    owner = await signup(client)
    newcomer = await signup(client)
    headers = with_key(owner, key())
    payload = {"email": newcomer.email, "role": "member"}
    first = await client.post("/api/v1/members", json=payload, headers=headers)
    second = await client.post("/api/v1/members", json=payload, headers=headers)
    assert first.status_code == 201, first.text
    assert second.status_code == 201, second.text
    assert second.headers[REPLAYED] == "true"
    assert second.json() == first.json()


async def test_create_task_with_a_key_replays(client: httpx.AsyncClient) -> None:
    account = await signup(client)
    project = await create_project(client, account)
    headers = with_key(account, key())
    url = f"/api/v1/projects/{project['id']}/tasks"
    first = await client.post(url, json={"title": "Only once"}, headers=headers)
    second = await client.post(url, json={"title": "Only once"}, headers=headers)
    assert first.status_code == 201, first.text
    assert second.status_code == 201
    assert second.headers[REPLAYED] == "true"
    assert second.json() == first.json()
    listed = await client.get(url, headers=account.headers)
    assert [t["id"] for t in listed.json()["items"]] == [first.json()["id"]]


async def test_same_key_on_another_route_is_unprocessable(client: httpx.AsyncClient) -> None:
    account = await signup(client)
    shared = key()
    project = await client.post(
        "/api/v1/projects", json={"name": "Keyed"}, headers=with_key(account, shared)
    )
    assert project.status_code == 201
    url = f"/api/v1/projects/{project.json()['id']}/tasks"
    task = await client.post(url, json={"title": "Keyed"}, headers=with_key(account, shared))
    assert_problem(task, 422)
    assert (await client.get(url, headers=account.headers)).json()["items"] == []


async def test_export_with_a_key_replays_the_same_job(client: httpx.AsyncClient) -> None:
    account = await signup(client)
    project = await create_project(client, account)
    headers = with_key(account, key())
    url = f"/api/v1/projects/{project['id']}/export"
    first = await client.post(url, headers=headers)
    second = await client.post(url, headers=headers)
    assert first.status_code == 202, first.text
    assert second.status_code == 202
    assert second.headers[REPLAYED] == "true"
    assert second.json() == first.json()

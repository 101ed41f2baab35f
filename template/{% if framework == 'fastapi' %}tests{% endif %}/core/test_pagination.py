"""Keyset pagination, through the projects list: limits, cursors, complete walks."""

from __future__ import annotations

import base64
import json
import uuid
from typing import Any

import httpx
import pytest

from tests.factories import Account, create_project, signup
from tests.problems import assert_problem


def cursor_of(data: object) -> str:
    """A cursor-shaped string encoding `data` the way real cursors are encoded."""
    raw = json.dumps(data).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


async def page(client: httpx.AsyncClient, account: Account, **params: Any) -> httpx.Response:
    """GET /projects with query `params`."""
    return await client.get("/api/v1/projects", params=params, headers=account.headers)


async def test_page_has_items_and_next_cursor(client: httpx.AsyncClient) -> None:
    account = await signup(client)
    response = await page(client, account)
    assert response.status_code == 200
    assert response.json() == {"items": [], "next_cursor": None}


async def test_limit_defaults_to_fifty(client: httpx.AsyncClient) -> None:
    account = await signup(client)
    for _ in range(51):
        await create_project(client, account)
    body = (await page(client, account)).json()
    assert len(body["items"]) == 50
    assert body["next_cursor"] is not None
    rest = (await page(client, account, cursor=body["next_cursor"])).json()
    assert len(rest["items"]) == 1
    assert rest["next_cursor"] is None


async def test_limit_of_a_hundred_is_accepted(client: httpx.AsyncClient) -> None:
    account = await signup(client)
    await create_project(client, account)
    response = await page(client, account, limit=100)
    assert response.status_code == 200
    assert len(response.json()["items"]) == 1


@pytest.mark.parametrize("limit", [0, -1, 101, 1000])
async def test_limit_outside_one_to_a_hundred_is_unprocessable(
    client: httpx.AsyncClient, limit: int
) -> None:
    account = await signup(client)
    body = assert_problem(await page(client, account, limit=limit), 422)
    assert any("limit" in error["loc"] for error in body["errors"])


@pytest.mark.parametrize(
    "cursor",
    [
        "not a cursor",
        "%%%",
        "bm90IGpzb24",  # base64 of "not json"
        cursor_of([1, 2]),
        cursor_of({"v": 2, "id": str(uuid.uuid4())}),
        cursor_of({"v": 1, "id": "not-a-uuid"}),
        cursor_of({"v": 1, "id": 7}),
        "x" * 300,
    ],
    ids=[
        "spaces",
        "symbols",
        "not-json",
        "json-list",
        "wrong-version",
        "bad-id",
        "numeric-id",
        "too-long",
    ],
)
async def test_malformed_cursor_is_unprocessable(client: httpx.AsyncClient, cursor: str) -> None:
    account = await signup(client)
    assert_problem(await page(client, account, cursor=cursor), 422)


async def test_walking_next_cursor_yields_every_project_once_newest_first(
    client: httpx.AsyncClient,
) -> None:
    account = await signup(client)
    created = [(await create_project(client, account))["id"] for _ in range(7)]
    seen: list[str] = []
    sizes: list[int] = []
    cursor: str | None = None
    for _ in range(10):  # bounded: a broken cursor must not loop forever
        params: dict[str, Any] = {"limit": 3}
        if cursor:
            params["cursor"] = cursor
        response = await page(client, account, **params)
        assert response.status_code == 200, response.text
        body = response.json()
        sizes.append(len(body["items"]))
        seen.extend(item["id"] for item in body["items"])
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert cursor is None
    assert sizes == [3, 3, 1]
    assert seen == list(reversed(created))


async def test_exactly_full_last_page_has_no_next_cursor(client: httpx.AsyncClient) -> None:
    account = await signup(client)
    for _ in range(3):
        await create_project(client, account)
    body = (await page(client, account, limit=3)).json()
    assert len(body["items"]) == 3
    assert body["next_cursor"] is None


async def test_cursor_stays_valid_when_newer_rows_arrive(client: httpx.AsyncClient) -> None:
    account = await signup(client)
    created = [(await create_project(client, account))["id"] for _ in range(4)]
    first = (await page(client, account, limit=2)).json()
    await create_project(client, account)  # newer than everything: must not shift page two
    second = (await page(client, account, limit=2, cursor=first["next_cursor"])).json()
    assert [p["id"] for p in second["items"]] == [created[1], created[0]]

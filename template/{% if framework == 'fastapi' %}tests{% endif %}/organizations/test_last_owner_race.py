"""Two owners demoting or removing each other at once leave exactly one owner."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from tests.clients import client_at, random_address
from tests.factories import Account, member_of, signup

TRIALS = 5


async def owners(client: httpx.AsyncClient, account: Account) -> list[dict[str, Any]]:
    """The owner memberships of `account`'s organization."""
    response = await client.get("/api/v1/members?limit=100", headers=account.headers)
    assert response.status_code == 200, response.text
    return [m for m in response.json()["items"] if m["role"] == "owner"]


async def at_once(
    app: FastAPI, requests: list[tuple[str, str, Account, dict[str, Any] | None]]
) -> list[int]:
    """Send `requests` (method, path, as whom, body) together, each on its own connection."""
    barrier = asyncio.Barrier(len(requests))

    async def one(method: str, path: str, account: Account, body: dict[str, Any] | None) -> int:
        async with client_at(app, random_address()) as http:
            await barrier.wait()
            response = await http.request(method, path, json=body, headers=account.headers)
            return response.status_code

    return list(await asyncio.gather(*(one(*request) for request in requests)))


@pytest.mark.parametrize("action", ["demote", "remove"])
async def test_two_owners_acting_on_each_other_at_once_leave_one_owner(
    app: FastAPI, client: httpx.AsyncClient, action: str
) -> None:
    for _ in range(TRIALS):
        async with client_at(app, random_address()) as fresh:  # under the sign-up limit
            first = await signup(fresh)
            second = await member_of(fresh, first, "owner")
        ids = {m["user"]["id"]: m["id"] for m in await owners(client, first)}
        method, body = ("PATCH", {"role": "member"}) if action == "demote" else ("DELETE", None)
        statuses = await at_once(
            app,
            [
                (method, f"/api/v1/members/{ids[second.user_id]}", first, body),
                (method, f"/api/v1/members/{ids[first.user_id]}", second, body),
            ],
        )
        success = 200 if action == "demote" else 204
        # The loser is refused by the owner check (409), or, if the winner committed before
        # its credentials were read, as no longer an owner (403) or member (401).
        assert statuses.count(success) == 1, statuses
        assert {*statuses} - {success} <= {401, 403, 409}, statuses
        survivor = first if statuses[0] == success else second
        assert [m["user"]["id"] for m in await owners(client, survivor)] == [survivor.user_id]

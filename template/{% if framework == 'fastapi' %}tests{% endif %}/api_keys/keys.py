"""Making API keys and calling with them, for the tests."""

from __future__ import annotations

from typing import Any

import httpx

from tests.factories import Account

KEYS = "/api/v1/api-keys"


async def create_key(
    client: httpx.AsyncClient, account: Account, *permissions: str, **fields: Any
) -> httpx.Response:
    """POST /api-keys as `account`."""
    body = {"name": "ci", "permissions": list(permissions), **fields}
    return await client.post(KEYS, json=body, headers=account.headers)


async def new_key(
    client: httpx.AsyncClient, account: Account, *permissions: str, **fields: Any
) -> dict[str, Any]:
    """A new key of `account`'s organization: its creation's body."""
    response = await create_key(client, account, *permissions, **fields)
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def bearer(key: dict[str, Any]) -> dict[str, str]:
    """The only header a request with `key` carries: nothing of a person's login."""
    return {"Authorization": f"Bearer {key['key']}"}


async def listed(client: httpx.AsyncClient, account: Account) -> list[dict[str, Any]]:
    """The first page of `account`'s organization's keys."""
    response = await client.get(KEYS, params={"limit": 100}, headers=account.headers)
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["items"]
    return items

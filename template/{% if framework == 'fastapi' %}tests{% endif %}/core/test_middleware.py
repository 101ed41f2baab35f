"""X-Request-ID: echoed when the client sends a safe one, generated otherwise."""

from __future__ import annotations

import re

import httpx

HEX_ID = re.compile(r"^[0-9a-f]{32}$")


async def test_request_id_is_echoed(client: httpx.AsyncClient) -> None:
    response = await client.get("/health/live", headers={"X-Request-ID": "trace-123.abc:9"})
    assert response.headers["x-request-id"] == "trace-123.abc:9"


async def test_request_id_is_generated_when_absent(client: httpx.AsyncClient) -> None:
    first = await client.get("/health/live")
    second = await client.get("/health/live")
    assert HEX_ID.match(first.headers["x-request-id"])
    assert HEX_ID.match(second.headers["x-request-id"])
    assert first.headers["x-request-id"] != second.headers["x-request-id"]


async def test_unsafe_request_id_is_replaced(client: httpx.AsyncClient) -> None:
    response = await client.get("/health/live", headers={"X-Request-ID": "<script>alert(1)"})
    assert HEX_ID.match(response.headers["x-request-id"])


async def test_overlong_request_id_is_replaced(client: httpx.AsyncClient) -> None:
    response = await client.get("/health/live", headers={"X-Request-ID": "a" * 129})
    assert HEX_ID.match(response.headers["x-request-id"])


async def test_error_responses_carry_a_request_id(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/v1/projects", headers={"X-Request-ID": "err-1"})
    assert response.status_code == 401
    assert response.headers["x-request-id"] == "err-1"

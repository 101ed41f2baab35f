"""Without DATABASE_REPLICA_URL nothing is routed: no replica, no fences written."""

from __future__ import annotations

import httpx
import psycopg
from fastapi import FastAPI

from tests.factories import create_project, signup


async def test_without_a_replica_nothing_is_routed_or_fenced(
    app: FastAPI, client: httpx.AsyncClient, owner: psycopg.AsyncConnection[tuple[object, ...]]
) -> None:
    assert app.state.replica is None
    account = await signup(client)
    await create_project(client, account)
    cursor = await owner.execute("SELECT count(*) FROM replica_fences")
    assert await cursor.fetchone() == (0,)

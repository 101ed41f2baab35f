"""Registration is throttled per client address, counted in the database."""

from __future__ import annotations

import httpx
from fastapi import FastAPI

from tests.clients import client_at, random_address
from tests.factories import PASSWORD, unique_email
from tests.problems import assert_problem

REGISTRATION_LIMIT = 10


def new_registration() -> dict[str, str]:
    """A registration body no other test sends."""
    return {"email": unique_email(), "password": PASSWORD, "organization_name": "Signup"}


async def test_registrations_over_the_limit_from_one_address_get_429_with_retry_after(
    app: FastAPI,
) -> None:
    async with client_at(app, random_address()) as flooder:
        for _ in range(REGISTRATION_LIMIT):
            created = await flooder.post("/api/v1/auth/register", json=new_registration())
            assert created.status_code == 201, created.text
        refused = await flooder.post("/api/v1/auth/register", json=new_registration())
    assert_problem(refused, 429)
    assert 0 < int(refused.headers["retry-after"]) <= 3600
    async with client_at(app, random_address()) as other:
        allowed = await other.post("/api/v1/auth/register", json=new_registration())
    assert allowed.status_code == 201, allowed.text


async def test_a_refused_registration_creates_nothing(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    body = new_registration()
    async with client_at(app, random_address()) as flooder:
        for _ in range(REGISTRATION_LIMIT):
            await flooder.post("/api/v1/auth/register", json=new_registration())
        assert_problem(await flooder.post("/api/v1/auth/register", json=body), 429)
    # The refused e-mail address is still free.
    retried = await client.post("/api/v1/auth/register", json=body)
    assert retried.status_code == 201, retried.text

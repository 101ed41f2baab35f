"""E-mail addresses are normalized before use: one account per address however it is spelt."""

from __future__ import annotations

import httpx
import pytest

from tests.credentials import LOGIN_PATH
from tests.factories import PASSWORD, register, unique_email
from tests.problems import assert_problem


@pytest.mark.parametrize(
    "domain",
    [
        pytest.param("\uff45xample.com", id="full-width-e"),
        pytest.param("EXAMPLE.COM", id="upper-case"),
    ],
)
async def test_a_domain_spelt_otherwise_is_the_same_account(
    client: httpx.AsyncClient, domain: str
) -> None:
    local = unique_email().split("@")[0]
    await register(client, email=f"{local}@example.com")
    body = {"email": f"{local}@{domain}", "password": PASSWORD, "organization_name": "Twin"}
    response = await client.post("/api/v1/auth/register", json=body)
    assert_problem(response, 409)
    login = await client.post(LOGIN_PATH, json={"email": f"{local}@{domain}", "password": PASSWORD})
    assert login.status_code == 200, login.text

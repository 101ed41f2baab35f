"""POST /api/v1/auth/register: a user and their organization."""

from __future__ import annotations

import uuid

import httpx

from tests.factories import PASSWORD, login, register, unique_email
from tests.problems import assert_problem


async def test_register_returns_the_user_and_their_organization(
    client: httpx.AsyncClient,
) -> None:
    email = unique_email()
    response = await client.post(
        "/api/v1/auth/register",
        json={"email": email, "password": PASSWORD, "organization_name": "Umbrella"},
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert set(body) == {"user", "organization"}
    assert body["user"]["email"] == email
    assert uuid.UUID(body["user"]["id"]).version == 7
    assert body["organization"]["name"] == "Umbrella"
    assert uuid.UUID(body["organization"]["id"]).version == 7
    assert "password" not in body["user"]
    assert "password_hash" not in body["user"]


async def test_registered_user_owns_the_new_organization(client: httpx.AsyncClient) -> None:
    email = unique_email()
    registered = await register(client, email=email)
    credentials = await login(client, email)
    me = await client.get("/api/v1/me", headers=credentials.headers)
    assert me.status_code == 200
    assert me.json()["organization"]["id"] == registered["organization"]["id"]
    assert me.json()["role"] == "owner"


async def test_register_stores_the_email_lower_cased(client: httpx.AsyncClient) -> None:
    local = unique_email().split("@")[0]
    body = await register(client, email=f"{local.upper()}@Example.COM")
    assert body["user"]["email"] == f"{local}@example.com"


async def test_register_with_a_taken_email_is_a_conflict(client: httpx.AsyncClient) -> None:
    email = unique_email()
    await register(client, email=email)
    response = await client.post(
        "/api/v1/auth/register",
        json={"email": email, "password": PASSWORD, "organization_name": "Second"},
    )
    assert_problem(response, 409)


async def test_register_email_conflict_ignores_case(client: httpx.AsyncClient) -> None:
    email = unique_email()
    await register(client, email=email)
    response = await client.post(
        "/api/v1/auth/register",
        json={"email": email.upper(), "password": PASSWORD, "organization_name": "Second"},
    )
    assert_problem(response, 409)


async def test_register_refuses_a_tenant_id_field(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/api/v1/auth/register",
        json={
            "email": unique_email(),
            "password": PASSWORD,
            "organization_name": "Mass assignment",
            "tenant_id": str(uuid.uuid4()),
        },
    )
    body = assert_problem(response, 422)
    assert any(error["loc"][-1] == "tenant_id" for error in body["errors"])


async def test_register_refuses_a_role_field(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/api/v1/auth/register",
        json={
            "email": unique_email(),
            "password": PASSWORD,
            "organization_name": "Mass assignment",
            "role": "owner",
        },
    )
    body = assert_problem(response, 422)
    assert any(error["loc"][-1] == "role" for error in body["errors"])


async def test_register_refuses_a_short_password(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/api/v1/auth/register",
        json={"email": unique_email(), "password": "short", "organization_name": "Weak"},
    )
    body = assert_problem(response, 422)
    assert any(error["loc"][-1] == "password" for error in body["errors"])


async def test_register_refuses_an_invalid_email(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/api/v1/auth/register",
        json={"email": "not-an-email", "password": PASSWORD, "organization_name": "Nowhere"},
    )
    body = assert_problem(response, 422)
    assert any(error["loc"][-1] == "email" for error in body["errors"])

"""Signing up and in over HTTP with either transport, as any client of the contract would."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

import httpx

PASSWORD = "correct horse battery staple"  # noqa: S105 - a test account's
# Longer than any request may take; a request still open after this counts as hung.
REQUEST_TIMEOUT_SECONDS = 15.0


def unique_email(prefix: str = "fault") -> str:
    """An e-mail address no other test uses."""
    return f"{prefix}-{secrets.token_hex(6)}@example.com"


@dataclass
class Account:
    """A user signed in to their own organization; `http` carries the credentials."""

    email: str
    organization_id: str
    http: httpx.AsyncClient


async def _sign_up_from_an_address_of_its_own(request: httpx.Request) -> None:
    # Sign-ups are throttled per client address; the app trusts X-Forwarded-For from
    # 127.0.0.1, so each sign-up names an address of its own, as real ones come.
    if request.url.path.endswith("/auth/register"):
        a, b, c = secrets.token_bytes(3)
        request.headers["X-Forwarded-For"] = f"10.{a}.{b}.{1 + c % 254}"


def client(base_url: str) -> httpx.AsyncClient:
    """An HTTP client without credentials."""
    # Idle connections are dropped before the servers' 5 s keep-alive can close them
    # under a request being sent, a race no server can prevent.
    limits = httpx.Limits(max_connections=64, max_keepalive_connections=64, keepalive_expiry=2.0)
    return httpx.AsyncClient(
        base_url=base_url,
        timeout=REQUEST_TIMEOUT_SECONDS,
        limits=limits,
        event_hooks={"request": [_sign_up_from_an_address_of_its_own]},
    )


def register_body(email: str) -> dict[str, str]:
    """The body of POST /auth/register for `email`."""
    return {"email": email, "password": PASSWORD, "organization_name": f"Org of {email}"}


async def sign_in(base_url: str, transport: str, email: str) -> httpx.AsyncClient:
    """A client signed in as `email` (JWT bearer token, or session cookie and CSRF header)."""
    http = client(base_url)
    credentials = {"email": email, "password": PASSWORD}
    if transport == "jwt":
        response = await http.post("/api/v1/auth/token", json=credentials)
        assert response.status_code == 200, response.text
        http.headers["Authorization"] = f"Bearer {response.json()['access_token']}"
        return http
    response = await http.post("/api/v1/auth/login", json=credentials)
    assert response.status_code == 200, response.text
    # The cookie is Secure outside development, which httpx keeps off plain http://;
    # a browser behind TLS would send it, so send it by hand.
    http.headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in response.cookies.items())
    http.cookies.clear()
    http.headers["X-CSRF-Token"] = response.json()["csrf_token"]
    return http


async def sign_up(base_url: str, transport: str, prefix: str = "fault") -> Account:
    """Register a new user and organization, then sign in to it."""
    email = unique_email(prefix)
    async with client(base_url) as anonymous:
        response = await anonymous.post("/api/v1/auth/register", json=register_body(email))
    assert response.status_code == 201, response.text
    organization_id: str = response.json()["organization"]["id"]
    return Account(email, organization_id, await sign_in(base_url, transport, email))


async def all_items(account: Account, path: str) -> list[dict[str, object]]:
    """Every item of a paginated list, following `next_cursor`."""
    items: list[dict[str, object]] = []
    params: dict[str, str | int] = {"limit": 100}
    while True:
        response = await account.http.get(path, params=params)
        assert response.status_code == 200, response.text
        page = response.json()
        items.extend(page["items"])
        if page["next_cursor"] is None:
            return items
        params = {"limit": 100, "cursor": page["next_cursor"]}

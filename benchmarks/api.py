"""The few API calls the benchmark makes itself, through the contract (CONTRACT.md) only."""

# ruff: noqa: TRY003 - a failed measurement says what went wrong inline

from __future__ import annotations

import base64
import binascii
import uuid
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import httpx

PASSWORD = "correct horse battery staple"  # noqa: S105 - a throwaway benchmark user


@dataclass(frozen=True)
class Member:
    """A registered user and the organization they own."""

    email: str
    user_id: str
    organization_id: str


@dataclass(frozen=True)
class Credentials:
    """What wrk sends: static headers, and the extra ones an unsafe method needs."""

    headers: dict[str, str]
    unsafe_headers: dict[str, str] = field(default_factory=dict)


def register(client: httpx.Client, label: str) -> Member:
    """A new user owning a new organization."""
    email = f"bench-{label}-{uuid.uuid4().hex[:10]}@example.com"
    # Sign-ups are throttled per client address: each from an address of its own.
    a, b, c = uuid.uuid4().bytes[:3]
    address = f"10.{a}.{b}.{1 + c % 254}"
    response = client.post(
        "/api/v1/auth/register",
        json={"email": email, "password": PASSWORD, "organization_name": f"Bench {label}"},
        headers={"X-Forwarded-For": address},
    )
    response.raise_for_status()
    body = response.json()
    return Member(email, str(body["user"]["id"]), str(body["organization"]["id"]))


def sign_in(client: httpx.Client, member: Member, transport: str) -> Credentials:
    """JWT: a bearer header. Session: the cookie, and X-CSRF-Token for unsafe methods."""
    body = {"email": member.email, "password": PASSWORD}
    if transport == "jwt":
        response = client.post("/api/v1/auth/token", json=body)
        response.raise_for_status()
        return Credentials({"Authorization": f"Bearer {response.json()['access_token']}"})
    response = client.post("/api/v1/auth/login", json=body)
    response.raise_for_status()
    cookie = "; ".join(f"{name}={value}" for name, value in response.cookies.items())
    return Credentials({"Cookie": cookie}, {"X-CSRF-Token": str(response.json()["csrf_token"])})


def _b64decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def cursor_after(client: httpx.Client, credentials: Credentials, target_id: str) -> str:
    """A cursor pointing after `target_id`, in the format the project's own cursors use.

    Cursors are opaque, so the benchmark asks for one (after the newest project),
    finds that project's id inside it and swaps in the target: walking 9,000 pages
    to reach row 900,000 would take longer than the measurement.
    """
    response = client.get("/api/v1/projects", params={"limit": 1}, headers=credentials.headers)
    response.raise_for_status()
    page = response.json()
    cursor, newest = page["next_cursor"], str(page["items"][0]["id"])
    if cursor is None:
        raise RuntimeError("the first page has no next_cursor: were projects seeded?")
    if newest in cursor:
        return str(cursor).replace(newest, target_id)
    try:
        raw = _b64decode(cursor).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError) as exc:
        raise RuntimeError(f"cannot read the cursor format: {cursor!r}") from exc
    if newest not in raw:
        raise RuntimeError(f"the cursor {cursor!r} does not carry the row's id")
    encoded = base64.urlsafe_b64encode(raw.replace(newest, target_id).encode()).decode()
    return encoded if cursor.endswith("=") else encoded.rstrip("=")

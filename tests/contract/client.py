"""A transport-neutral client of the contract: register, sign in, call as that member."""

from __future__ import annotations

import random
import secrets
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import httpx
import pytest

if TYPE_CHECKING:
    from collections.abc import Callable

PASSWORD = "correct horse battery staple"
CSRF_HEADER = "X-CSRF-Token"


def new_email() -> str:
    """An e-mail address no other test uses."""
    return f"user-{secrets.token_hex(6)}@example.com"


def client_address() -> str:
    """A random client address: login throttling counts per address, so tests do not share one."""
    rng = random.SystemRandom()
    return f"10.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}"


@dataclass(frozen=True)
class Account:
    """A registered user and the organization registration created for them."""

    email: str
    password: str
    user_id: str
    organization_id: str


@dataclass
class Caller:
    """One signed-in member, bound to one active organization, as the transport carries it."""

    api: Api
    account: Account
    organization_id: str
    login_body: dict[str, Any]
    # JWT: the bearer token and refresh token; session: the cookie value and CSRF token.
    access_token: str | None = None
    refresh_token: str | None = None
    session: str | None = None
    csrf_token: str | None = None
    extra_headers: dict[str, str] = field(default_factory=dict)

    def auth_headers(self, *, csrf: bool = True) -> dict[str, str]:
        """The headers that carry this caller's credentials."""
        if self.access_token is not None:
            return {"Authorization": f"Bearer {self.access_token}"}
        headers = {"Cookie": f"{self.api.session_cookie}={self.session}"}
        if csrf and self.csrf_token is not None:
            headers[CSRF_HEADER] = self.csrf_token
        return headers

    def request(
        self, method: str, path: str, *, csrf: bool = True, **kwargs: Any
    ) -> httpx.Response:
        """Call the API as this member."""
        headers = {**self.auth_headers(csrf=csrf), **kwargs.pop("headers", {})}
        return self.api.request(method, path, headers=headers, **kwargs)

    def get(self, path: str, **kwargs: Any) -> httpx.Response:
        """GET as this member."""
        return self.request("GET", path, **kwargs)

    def post(self, path: str, **kwargs: Any) -> httpx.Response:
        """POST as this member."""
        return self.request("POST", path, **kwargs)

    def patch(self, path: str, **kwargs: Any) -> httpx.Response:
        """PATCH as this member."""
        return self.request("PATCH", path, **kwargs)

    def delete(self, path: str, **kwargs: Any) -> httpx.Response:
        """DELETE as this member."""
        return self.request("DELETE", path, **kwargs)

    def create(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        """POST that must create (201); the created object."""
        response = self.post(path, json=body)
        assert response.status_code == 201, response.text
        created: dict[str, Any] = response.json()
        return created

    def project(self, **body: Any) -> dict[str, Any]:
        """A new project of the active organization."""
        return self.create("/api/v1/projects", {"name": f"project {secrets.token_hex(4)}", **body})

    def task(self, project_id: str, **body: Any) -> dict[str, Any]:
        """A new task of a project."""
        path = f"/api/v1/projects/{project_id}/tasks"
        return self.create(path, {"title": f"task {secrets.token_hex(4)}", **body})

    def add_member(self, account: Account, role: str) -> dict[str, Any]:
        """Verify an existing user's e-mail address (only verified accounts can be added by
        e-mail), then add them to the active organization with `role`."""
        self.api.verify_email(account.email)
        return self.create("/api/v1/members", {"email": account.email, "role": role})

    def switch(self, organization_id: str) -> httpx.Response:
        """Switch to another organization; on success this caller carries the new credentials."""
        response = self.post("/api/v1/auth/switch", json={"organization_id": organization_id})
        if response.status_code == 200:
            self.organization_id = organization_id
            self.api.adopt(self, response)
        return response


def cannot_verify(email: str) -> None:
    """The default e-mail verifier of an `Api` that was not told how to verify."""
    pytest.fail(f"this Api cannot verify {email}: give it a verify_email callable")


class Api:
    """An HTTP client of one served project, speaking its auth transport."""

    def __init__(
        self,
        base_url: str,
        answers: dict[str, Any],
        verify_email: Callable[[str], object] = cannot_verify,
    ) -> None:
        # How an operator marks an address verified: the project's `verify-email` command.
        self.verify_email = verify_email
        self.transport: str = answers["auth_transport"]
        self.authorization: str = answers["authorization"]
        # Each Api is one client address (login throttling counts per address); the app
        # trusts X-Forwarded-For from its local proxy, which is what this client is.
        self.http = httpx.Client(
            base_url=base_url, timeout=30, headers={"X-Forwarded-For": client_address()}
        )
        self.session_cookie = "session"

    @property
    def jwt(self) -> bool:
        """Whether the transport is bearer tokens."""
        return self.transport == "jwt"

    def close(self) -> None:
        """Close the connection pool."""
        self.http.close()

    def request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        """One request; cookies are only what the caller sends (Secure cookies over http)."""
        self.http.cookies.clear()
        return self.http.request(method, path, **kwargs)

    def register(self, email: str | None = None, organization_name: str | None = None) -> Account:
        """Register a new user and organization (from an address of its own)."""
        email = email or new_email()
        body = {
            "email": email,
            "password": PASSWORD,
            "organization_name": organization_name or f"Org {secrets.token_hex(4)}",
        }
        # Registration is throttled per client address, and suites sign up many accounts:
        # each from an address of its own, as sign-ups come in real life.
        headers = {"X-Forwarded-For": client_address()}
        response = self.request("POST", "/api/v1/auth/register", json=body, headers=headers)
        assert response.status_code == 201, response.text
        data = response.json()
        return Account(email, PASSWORD, data["user"]["id"], data["organization"]["id"])

    def login_response(
        self, account: Account, organization_id: str | None = None, **kwargs: Any
    ) -> httpx.Response:
        """The raw sign-in response of the transport (token or login)."""
        body: dict[str, Any] = {"email": account.email, "password": account.password}
        if organization_id is not None:
            body["organization_id"] = organization_id
        path = "/api/v1/auth/token" if self.jwt else "/api/v1/auth/login"
        return self.request("POST", path, json=body, **kwargs)

    def login(self, account: Account, organization_id: str | None = None) -> Caller:
        """Sign in (in `organization_id`, else the default organization)."""
        response = self.login_response(account, organization_id)
        assert response.status_code == 200, response.text
        caller = Caller(
            api=self,
            account=account,
            organization_id=organization_id or account.organization_id,
            login_body=response.json(),
        )
        self.adopt(caller, response)
        return caller

    def adopt(self, caller: Caller, response: httpx.Response) -> None:
        """Take the credentials a sign-in or switch response hands out."""
        body = response.json()
        caller.login_body = body
        if self.jwt:
            caller.access_token = body["access_token"]
            caller.refresh_token = body["refresh_token"]
            return
        caller.session = session_cookie(response, self.session_cookie)
        caller.csrf_token = body.get("csrf_token", caller.csrf_token)

    def signup(self) -> Caller:
        """A new user, signed in to their new organization as its owner."""
        return self.login(self.register())


def session_cookie(response: httpx.Response, name: str) -> str:
    """The value the response sets for cookie `name`."""
    for header in response.headers.get_list("set-cookie"):
        key, _, rest = header.partition("=")
        if key.strip() == name:
            return rest.split(";", 1)[0]
    pytest.fail(f"no {name} cookie in {response.headers.get_list('set-cookie')}")


PROBLEM_JSON = "application/problem+json"


def problem(response: httpx.Response, status: int) -> dict[str, Any]:
    """Assert `response` is an RFC 9457 problem with `status`; its body."""
    assert response.status_code == status, f"{response.status_code}: {response.text}"
    assert response.headers["content-type"].startswith(PROBLEM_JSON), response.headers
    body: dict[str, Any] = response.json()
    assert body["status"] == status, body
    assert isinstance(body["title"], str), body
    assert "type" in body, body
    assert "detail" in body, body
    return body


def page(response: httpx.Response) -> tuple[list[dict[str, Any]], str | None]:
    """A list response's items and next cursor."""
    assert response.status_code == 200, response.text
    body = response.json()
    assert set(body) == {"items", "next_cursor"}, body
    return body["items"], body["next_cursor"]


def ids(response: httpx.Response) -> list[str]:
    """The ids of a list response's items."""
    return [item["id"] for item in page(response)[0]]

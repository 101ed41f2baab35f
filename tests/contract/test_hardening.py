"""Issue 18 (hardening), as any client sees it: the same answers from every combination."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import pytest

from tests.contract.client import PASSWORD, Account, Api, Caller, client_address, new_email, problem

if TYPE_CHECKING:
    from collections.abc import Iterator

    from tests.serving import Served

pytestmark = pytest.mark.full

MAX_BODY_BYTES = 1024 * 1024  # MAX_REQUEST_BODY_BYTES's default
REGISTRATIONS_PER_CLIENT = 10  # REGISTRATION_MAX_PER_CLIENT's default
LOGIN_FAILURES_PER_PAIR = 5  # LOGIN_MAX_FAILURES_PER_ACCOUNT's default
SECURITY_HEADERS = {
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
}
INVISIBLE = ["Pay\u202eroll", "Pay\u200broll", "\ufeff", "Pay\x07roll", "\u200b \u200b"]


def registration(size: int = 0) -> bytes:
    """A valid registration body, padded with JSON whitespace to `size` bytes."""
    body = json.dumps(
        {"email": new_email(), "password": PASSWORD, "organization_name": "Padded"}
    ).encode()
    return body + b" " * max(0, size - len(body))


def test_adding_an_unverified_account_by_email_is_409(
    api: Api, owner: Caller, served: Served
) -> None:
    account = api.register()
    response = owner.post("/api/v1/members", json={"email": account.email, "role": "member"})
    assert problem(response, 409)["type"].endswith("email-unverified")
    served.verify_email(account.email)  # the operator's command, as documented
    created = owner.create("/api/v1/members", {"email": account.email, "role": "member"})
    assert created["user"]["email_verified"] is True


def test_the_user_object_says_whether_the_address_is_verified(api: Api) -> None:
    response = api.request(
        "POST", "/api/v1/auth/register", content=registration(), headers=json_type()
    )
    assert response.status_code == 201, response.text
    assert response.json()["user"]["email_verified"] is False
    caller = api.signup()
    assert caller.get("/api/v1/me").json()["user"]["email_verified"] is False
    api.verify_email(caller.account.email)
    assert caller.get("/api/v1/me").json()["user"]["email_verified"] is True


def json_type() -> dict[str, str]:
    """The content type of a JSON body sent as bytes."""
    return {"Content-Type": "application/json"}


def test_a_body_over_the_limit_is_413(api: Api) -> None:
    response = api.request(
        "POST",
        "/api/v1/auth/register",
        content=registration(MAX_BODY_BYTES + 1),
        headers=json_type(),
    )
    assert problem(response, 413)["type"].endswith("content-too-large")


def test_a_streamed_body_over_the_limit_is_413(api: Api) -> None:
    def chunks() -> Iterator[bytes]:
        body = registration(2 * MAX_BODY_BYTES)
        for start in range(0, len(body), 64 * 1024):
            yield body[start : start + 64 * 1024]

    # A generator has no length: the body goes chunked, without Content-Length.
    response = api.request("POST", "/api/v1/auth/register", content=chunks(), headers=json_type())
    assert "content-length" not in response.request.headers
    assert problem(response, 413)["type"].endswith("content-too-large")


def test_a_body_under_the_limit_is_served(api: Api) -> None:
    response = api.request(
        "POST",
        "/api/v1/auth/register",
        content=registration(64 * 1024),
        headers=json_type(),
    )
    assert response.status_code == 201, response.text


def test_json_nested_200000_levels_deep_is_a_400_problem(api: Api) -> None:
    deep = b"[" * 200_000 + b"]" * 200_000
    response = api.request("POST", "/api/v1/auth/register", content=deep, headers=json_type())
    problem(response, 400)


def test_an_oversized_header_is_refused(api: Api) -> None:
    response = api.request("GET", "/health/live", headers={"X-Padding": "x" * 64 * 1024})
    assert 400 <= response.status_code < 500, response.status_code


def test_registrations_over_the_limit_from_one_address_get_429(api: Api) -> None:
    for _ in range(REGISTRATIONS_PER_CLIENT):
        response = api.request(
            "POST", "/api/v1/auth/register", content=registration(), headers=json_type()
        )
        assert response.status_code == 201, response.text
    refused = api.request(
        "POST", "/api/v1/auth/register", content=registration(), headers=json_type()
    )
    problem(refused, 429)
    assert int(refused.headers["Retry-After"]) > 0
    elsewhere = {**json_type(), "X-Forwarded-For": client_address()}
    response = api.request(
        "POST", "/api/v1/auth/register", content=registration(), headers=elsewhere
    )
    assert response.status_code == 201, response.text


@pytest.mark.parametrize("name", INVISIBLE)
def test_names_with_control_or_format_characters_are_422(
    api: Api, owner: Caller, name: str
) -> None:
    problem(owner.post("/api/v1/projects", json={"name": name}), 422)
    project = owner.project()
    problem(owner.patch(f"/api/v1/projects/{project['id']}", json={"name": name}), 422)
    problem(owner.post(f"/api/v1/projects/{project['id']}/tasks", json={"title": name}), 422)
    body = {"email": new_email(), "password": PASSWORD, "organization_name": name}
    problem(api.request("POST", "/api/v1/auth/register", json=body), 422)


def test_an_email_domain_is_normalized(api: Api) -> None:
    local = new_email().split("@")[0]
    api.register(email=f"{local}@example.com")
    # A full-width "e": the same domain once normalized (IDNA, NFKC), so the same account.
    body = {"email": f"{local}@\uff45xample.com", "password": PASSWORD, "organization_name": "Twin"}
    problem(api.request("POST", "/api/v1/auth/register", json=body), 409)


def test_another_members_job_is_404(api: Api, owner: Caller) -> None:
    account = api.register()
    owner.add_member(account, "admin")
    admin = api.login(account, owner.account.organization_id)
    project = owner.project(visibility="private")
    response = owner.post(f"/api/v1/projects/{project['id']}/export")
    assert response.status_code == 202, response.text
    job_id = response.json()["job_id"]
    assert owner.get(f"/api/v1/jobs/{job_id}").status_code == 200
    problem(admin.get(f"/api/v1/jobs/{job_id}"), 404)


@pytest.mark.parametrize("path", ["/health/live", "/api/v1/me", "/api/v1/no-such-route"])
def test_every_response_carries_the_security_headers(api: Api, path: str) -> None:
    response = api.request("GET", path)
    for name, value in SECURITY_HEADERS.items():
        assert response.headers.get(name) == value, (name, response.headers)
    # APP_ENV=test: HSTS is production's alone.
    assert "strict-transport-security" not in response.headers


def test_failed_logins_block_the_account_only_from_that_address(api: Api, owner: Caller) -> None:
    wrong = Account(owner.account.email, "not the password", "", "")
    for _ in range(LOGIN_FAILURES_PER_PAIR):
        problem(api.login_response(wrong), 401)
    blocked = api.login_response(owner.account)
    problem(blocked, 429)
    assert int(blocked.headers["Retry-After"]) > 0
    elsewhere = api.login_response(owner.account, headers={"X-Forwarded-For": client_address()})
    assert elsewhere.status_code == 200, elsewhere.text

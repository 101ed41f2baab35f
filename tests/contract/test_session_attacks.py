"""Session fixation and cross-site request forgery (session transport)."""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING

import pytest

from tests.contract.client import CSRF_HEADER, ids, problem, session_cookie

if TYPE_CHECKING:
    from tests.contract.client import Api, Caller

pytestmark = [pytest.mark.full, pytest.mark.combination(auth_transport="session")]


def cookie(api: Api, value: str | None) -> dict[str, str]:
    """A Cookie header carrying session `value`."""
    return {"Cookie": f"{api.session_cookie}={value}"}


def test_a_planted_session_id_is_not_adopted_at_login(api: Api) -> None:
    planted = secrets.token_urlsafe(32)
    account = api.register()
    response = api.login_response(account, headers=cookie(api, planted))
    assert response.status_code == 200, response.text
    assert session_cookie(response, api.session_cookie) != planted
    problem(api.request("GET", "/api/v1/me", headers=cookie(api, planted)), 401)


def test_an_attackers_own_session_is_not_upgraded_by_a_victims_login(api: Api) -> None:
    attacker = api.signup()
    victim = api.register()
    response = api.login_response(victim, headers=cookie(api, attacker.session))
    assert session_cookie(response, api.session_cookie) != attacker.session
    # The planted session may end at login, or live on as the attacker's: never the victim's.
    me = api.request("GET", "/api/v1/me", headers=cookie(api, attacker.session))
    if me.status_code != 401:
        assert me.json()["user"]["id"] == attacker.account.user_id


def test_the_session_id_changes_at_login(api: Api) -> None:
    account = api.register()
    first, second = api.login(account), api.login(account)
    assert first.session != second.session


def test_the_session_id_changes_at_switch_and_the_old_one_ends(api: Api, owner: Caller) -> None:
    other = api.signup()
    other.add_member(owner.account, "member")
    before = owner.session
    assert owner.switch(other.account.organization_id).status_code == 200
    assert owner.session != before
    assert owner.get("/api/v1/me").json()["organization"]["id"] == other.account.organization_id
    problem(api.request("GET", "/api/v1/me", headers=cookie(api, before)), 401)


@pytest.mark.parametrize("method", ["POST", "PATCH", "DELETE"])
def test_an_unsafe_method_without_the_csrf_header_is_403(owner: Caller, method: str) -> None:
    project = owner.project()
    path = "/api/v1/projects" if method == "POST" else f"/api/v1/projects/{project['id']}"
    problem(owner.request(method, path, json={"name": "forged"}, csrf=False), 403)
    assert owner.get(f"/api/v1/projects/{project['id']}").json()["name"] == project["name"]


def test_a_wrong_csrf_token_is_403_and_changes_nothing(owner: Caller) -> None:
    headers = {CSRF_HEADER: secrets.token_urlsafe(32)}
    response = owner.request(
        "POST", "/api/v1/projects", json={"name": "forged"}, csrf=False, headers=headers
    )
    problem(response, 403)
    assert "forged" not in [p["name"] for p in owner.get("/api/v1/projects").json()["items"]]


def test_another_sessions_csrf_token_is_403(api: Api, owner: Caller) -> None:
    other = api.signup()
    assert other.csrf_token is not None
    headers = {CSRF_HEADER: other.csrf_token}
    response = owner.request(
        "POST", "/api/v1/projects", json={"name": "x"}, csrf=False, headers=headers
    )
    problem(response, 403)


def test_logout_needs_the_csrf_header(owner: Caller) -> None:
    problem(owner.post("/api/v1/auth/logout", csrf=False), 403)
    assert owner.get("/api/v1/me").status_code == 200


def test_safe_methods_need_no_csrf_header(owner: Caller) -> None:
    project = owner.project()
    assert project["id"] in ids(owner.get("/api/v1/projects", csrf=False))

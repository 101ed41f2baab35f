"""Registration, sign-in, refresh, switch and logout, for either transport."""

from __future__ import annotations

import pytest

from tests.contract.client import PASSWORD, Account, Api, Caller, new_email, problem

pytestmark = pytest.mark.full


def test_register_returns_the_user_and_their_organization(api: Api) -> None:
    email = new_email()
    response = api.request(
        "POST",
        "/api/v1/auth/register",
        json={"email": email, "password": PASSWORD, "organization_name": "Initech"},
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["user"]["email"] == email
    assert body["organization"]["name"] == "Initech"


def test_register_with_a_taken_email_is_409(api: Api, owner: Caller) -> None:
    body = {"email": owner.account.email, "password": PASSWORD, "organization_name": "Again"}
    problem(api.request("POST", "/api/v1/auth/register", json=body), 409)


def test_wrong_password_and_unknown_email_get_the_same_401(api: Api, owner: Caller) -> None:
    wrong = Account(owner.account.email, "not the password", "", "")
    unknown = Account(new_email(), PASSWORD, "", "")
    first = problem(api.login_response(wrong), 401)
    second = problem(api.login_response(unknown), 401)
    assert first == second


def test_repeated_failed_logins_for_one_account_get_429_with_retry_after(
    api: Api, owner: Caller
) -> None:
    wrong = Account(owner.account.email, "not the password", "", "")
    statuses = [api.login_response(wrong).status_code for _ in range(12)]
    assert set(statuses) <= {401, 429}, statuses
    assert statuses[-1] == 429, statuses
    throttled = api.login_response(owner.account)
    problem(throttled, 429)
    assert int(throttled.headers["Retry-After"]) > 0


def test_sign_in_to_a_named_organization(api: Api, owner: Caller) -> None:
    other = api.signup()
    other.add_member(owner.account, "viewer")
    caller = api.login(owner.account, other.account.organization_id)
    me = caller.get("/api/v1/me").json()
    assert me["organization"]["id"] == other.account.organization_id
    assert me["role"] == "viewer"


def test_sign_in_to_an_organization_of_which_one_is_not_a_member_fails(
    api: Api, owner: Caller, outsider: Caller
) -> None:
    response = api.login_response(owner.account, outsider.account.organization_id)
    assert response.status_code in {401, 403}, response.text
    problem(response, response.status_code)


def test_switch_to_an_organization_one_belongs_to(api: Api, owner: Caller) -> None:
    other = api.signup()
    other.add_member(owner.account, "member")
    assert owner.switch(other.account.organization_id).status_code == 200
    me = owner.get("/api/v1/me").json()
    assert me["organization"]["id"] == other.account.organization_id
    assert me["role"] == "member"


def test_switch_to_an_organization_one_does_not_belong_to_is_403(
    owner: Caller, outsider: Caller
) -> None:
    problem(owner.switch(outsider.account.organization_id), 403)
    assert owner.get("/api/v1/me").json()["organization"]["id"] == owner.account.organization_id


def test_logout_ends_the_credentials(owner: Caller) -> None:
    assert owner.post("/api/v1/auth/logout").status_code == 204
    problem(owner.get("/api/v1/me"), 401)


def test_unauthenticated_requests_get_401(api: Api) -> None:
    problem(api.request("GET", "/api/v1/me"), 401)
    problem(api.request("GET", "/api/v1/projects"), 401)


@pytest.mark.combination(auth_transport="jwt")
def test_token_response_is_a_bearer_pair(api: Api) -> None:
    response = api.login_response(api.register())
    body = response.json()
    assert body["token_type"] == "bearer"
    assert isinstance(body["expires_in"], int)
    assert body["expires_in"] > 0
    assert body["access_token"] != body["refresh_token"]


@pytest.mark.combination(auth_transport="jwt")
def test_refresh_hands_out_a_new_working_pair(api: Api, owner: Caller) -> None:
    response = api.request(
        "POST", "/api/v1/auth/refresh", json={"refresh_token": owner.refresh_token}
    )
    assert response.status_code == 200, response.text
    pair = response.json()
    assert pair["refresh_token"] != owner.refresh_token
    me = api.request(
        "GET", "/api/v1/me", headers={"Authorization": f"Bearer {pair['access_token']}"}
    )
    assert me.status_code == 200


@pytest.mark.combination(auth_transport="jwt")
def test_a_spent_refresh_token_is_401_and_revokes_its_family(api: Api, owner: Caller) -> None:
    spent = owner.refresh_token
    rotated = api.request("POST", "/api/v1/auth/refresh", json={"refresh_token": spent}).json()
    problem(api.request("POST", "/api/v1/auth/refresh", json={"refresh_token": spent}), 401)
    reuse = {"refresh_token": rotated["refresh_token"]}
    problem(api.request("POST", "/api/v1/auth/refresh", json=reuse), 401)


@pytest.mark.combination(auth_transport="jwt")
def test_logout_revokes_the_refresh_family(api: Api, owner: Caller) -> None:
    assert owner.post("/api/v1/auth/logout").status_code == 204
    body = {"refresh_token": owner.refresh_token}
    problem(api.request("POST", "/api/v1/auth/refresh", json=body), 401)


@pytest.mark.combination(auth_transport="session")
def test_session_cookie_is_httponly_samesite_lax_and_secure(api: Api) -> None:
    response = api.login_response(api.register())
    cookie = next(
        header
        for header in response.headers.get_list("set-cookie")
        if header.startswith(f"{api.session_cookie}=")
    )
    attributes = {part.strip().lower() for part in cookie.split(";")[1:]}
    assert "httponly" in attributes
    assert "samesite=lax" in attributes
    # The served project runs with APP_ENV=test: only development omits Secure.
    assert "secure" in attributes


@pytest.mark.combination(auth_transport="session")
def test_logout_deletes_the_session_server_side(api: Api, owner: Caller) -> None:
    cookie = owner.session
    assert owner.post("/api/v1/auth/logout").status_code == 204
    replayed = api.request(
        "GET", "/api/v1/me", headers={"Cookie": f"{api.session_cookie}={cookie}"}
    )
    problem(replayed, 401)

"""E-mail verification and password reset (CONTRACT.md "E-mail" and "Accounts"), as any
client sees them: the same answers from every combination, links read from the .eml files
the served project's worker writes."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

import pytest

from tests.contract.client import Account, Api, new_email, problem
from tests.contract.mail import invalid_token, link_tokens

if TYPE_CHECKING:
    from tests.serving import Process, Served

pytestmark = pytest.mark.full

VERIFY = "/api/v1/auth/email/verify"
RESEND = "/api/v1/auth/email/resend"
FORGOT = "/api/v1/auth/password/forgot"
RESET = "/api/v1/auth/password/reset"
NEW_PASSWORD = "a brand new passphrase"


def test_forgot_answers_the_same_for_an_unknown_address(api: Api) -> None:
    known = api.register()
    answers = [
        api.request("POST", FORGOT, json={"email": email}) for email in (known.email, new_email())
    ]
    assert [r.status_code for r in answers] == [202, 202]
    assert answers[0].content == answers[1].content == b""


def test_forgot_with_a_malformed_address_is_422(api: Api) -> None:
    problem(api.request("POST", FORGOT, json={"email": "not an address"}), 422)


def test_reset_with_a_bogus_token_is_invalid_token(api: Api) -> None:
    invalid_token(
        api.request("POST", RESET, json={"token": "bogus-token", "password": NEW_PASSWORD})
    )


def test_verify_with_a_bogus_token_is_invalid_token(api: Api) -> None:
    invalid_token(api.request("POST", VERIFY, json={"token": "bogus-token"}))


def test_resend_needs_credentials(api: Api) -> None:
    problem(api.request("POST", RESEND), 401)


def test_the_verification_email_link_verifies_the_address(
    served: Served, api: Api, worker: Process
) -> None:
    del worker
    caller = api.signup()
    assert caller.get("/api/v1/me").json()["user"]["email_verified"] is False

    [token] = link_tokens(served, caller.account.email, "verify-email", count=1)
    verified = api.request("POST", VERIFY, json={"token": token})

    assert verified.status_code == 204, verified.text
    assert caller.get("/api/v1/me").json()["user"]["email_verified"] is True
    invalid_token(api.request("POST", VERIFY, json={"token": token}))  # used once


def test_resend_sends_a_new_link_and_the_old_one_stops_working(
    served: Served, api: Api, worker: Process
) -> None:
    del worker
    caller = api.signup()
    [first] = link_tokens(served, caller.account.email, "verify-email", count=1)

    resent = caller.post(RESEND)

    assert resent.status_code == 202, resent.text
    tokens = link_tokens(served, caller.account.email, "verify-email", count=2)
    [second] = [token for token in tokens if token != first]
    invalid_token(api.request("POST", VERIFY, json={"token": first}))
    assert api.request("POST", VERIFY, json={"token": second}).status_code == 204


def test_the_reset_email_link_sets_a_new_password(
    served: Served, api: Api, worker: Process
) -> None:
    del worker
    account: Account = api.register()
    assert api.request("POST", FORGOT, json={"email": account.email}).status_code == 202

    # The verification e-mail of the registration, and this one.
    [token] = link_tokens(served, account.email, "reset-password", count=2)
    reset = api.request("POST", RESET, json={"token": token, "password": NEW_PASSWORD})

    assert reset.status_code == 204, reset.text
    problem(api.login_response(account), 401)
    api.login(dataclasses.replace(account, password=NEW_PASSWORD))
    invalid_token(api.request("POST", RESET, json={"token": token, "password": "another one!"}))


def test_a_reset_ends_the_logins_of_the_account(served: Served, api: Api, worker: Process) -> None:
    del worker
    caller = api.signup()
    assert caller.get("/api/v1/me").status_code == 200
    api.request("POST", FORGOT, json={"email": caller.account.email})
    [token] = link_tokens(served, caller.account.email, "reset-password", count=2)

    reset = api.request("POST", RESET, json={"token": token, "password": NEW_PASSWORD})

    assert reset.status_code == 204, reset.text
    problem(caller.get("/api/v1/me"), 401)
    if api.jwt:
        refresh = {"refresh_token": caller.refresh_token}
        problem(api.request("POST", "/api/v1/auth/refresh", json=refresh), 401)

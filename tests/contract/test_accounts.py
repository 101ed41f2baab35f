"""E-mail verification and password reset (CONTRACT.md "E-mail" and "Accounts"), as any
client sees them: the same answers from every combination, links read from the .eml files
the served project's worker writes."""

from __future__ import annotations

import dataclasses
import re
from typing import TYPE_CHECKING

import pytest

from tests.contract.client import Account, Api, new_email, problem
from tests.serving import PUBLIC_BASE_URL

if TYPE_CHECKING:
    from collections.abc import Iterator
    from email.message import EmailMessage

    import httpx

    from tests.serving import Process, Served

pytestmark = pytest.mark.full

VERIFY = "/api/v1/auth/email/verify"
RESEND = "/api/v1/auth/email/resend"
FORGOT = "/api/v1/auth/password/forgot"
RESET = "/api/v1/auth/password/reset"
NEW_PASSWORD = "a brand new passphrase"
MAIL_TIMEOUT_SECONDS = 90


@pytest.fixture(scope="module")
def worker(served: Served) -> Iterator[Process]:
    """The served project's job worker, which sends (here: writes) the e-mails."""
    process = served.start_worker()
    yield process
    process.stop()


def invalid_token(response: httpx.Response) -> None:
    """A 400 problem whose type ends in invalid-token."""
    assert problem(response, 400)["type"].endswith("invalid-token")


def text_of(message: EmailMessage) -> str:
    """The plain-text part, decoded."""
    text = message.get_body(preferencelist=("plain",))
    assert text is not None, message
    return str(text.get_content())


def link_token(message: EmailMessage, page: str) -> str:
    """The token of the message's link to `page` (in the text part, as a reader follows
    it; the HTML part carries the same link)."""
    assert message.get_content_type() == "multipart/alternative"
    html = message.get_body(preferencelist=("html",))
    assert html is not None
    pattern = rf"{re.escape(PUBLIC_BASE_URL)}/{page}\?token=([A-Za-z0-9_\-]+)"
    match = re.search(pattern, text_of(message))
    assert match is not None, text_of(message)
    assert match.group(1) in str(html.get_content())
    return match.group(1)


def link_tokens(served: Served, to: str, page: str, count: int) -> list[str]:
    """The tokens of the links to `page` in the e-mails to `to`, oldest first, once
    `count` e-mails to `to` (of any kind) were written."""
    messages = served.mail(to=to, count=count, timeout=MAIL_TIMEOUT_SECONDS)
    return [link_token(m, page) for m in messages if f"/{page}?token=" in text_of(m)]


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

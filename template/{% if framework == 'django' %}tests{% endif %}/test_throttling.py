"""Throttles: failed logins per (account, address) with a global ceiling, sign-ups per address."""

from __future__ import annotations

import json
import uuid
from typing import TYPE_CHECKING, Any

from django.db import connection
from django.test import override_settings

from tests.conftest import LOGIN_PATH, PASSWORD, Api

if TYPE_CHECKING:
    from tests.conftest import Account


def _from(address: str) -> dict[str, str]:
    # The test client's peer (127.0.0.1) is a trusted proxy: it names the client.
    return {"X-Forwarded-For": address}


def _login(account: Account, password: str, address: str) -> Any:
    return Api().post(
        LOGIN_PATH, {"email": account.email, "password": password}, headers=_from(address)
    )


def test_failures_block_the_account_only_from_that_address(alice: Account) -> None:
    for _ in range(5):
        assert _login(alice, "not the password", "203.0.113.1").status_code == 401
    blocked = _login(alice, PASSWORD, "203.0.113.1")
    assert blocked.status_code == 429
    assert int(blocked.headers["Retry-After"]) > 0
    # The owner, somewhere else, still signs in.
    assert _login(alice, PASSWORD, "198.51.100.7").status_code == 200


@override_settings(LOGIN_MAX_FAILURES_PER_ACCOUNT_GLOBAL=6)
def test_failures_from_many_addresses_reach_the_accounts_global_ceiling(alice: Account) -> None:
    for index in range(6):
        assert _login(alice, "not the password", f"203.0.113.{index}").status_code == 401
    blocked = _login(alice, PASSWORD, "198.51.100.7")
    assert blocked.status_code == 429
    assert int(blocked.headers["Retry-After"]) > 0


def _sign_up(address: str, organization_name: str = "Acme") -> Any:
    body = {
        "email": f"{uuid.uuid4().hex[:12]}@example.com",
        "password": PASSWORD,
        "organization_name": organization_name,
    }
    return Api().post("auth/register", body, headers=_from(address))


@override_settings(REGISTRATION_MAX_PER_CLIENT=3, REGISTRATION_WINDOW_SECONDS=3600)
def test_sign_ups_over_the_limit_from_one_address_are_429(db: None) -> None:
    del db
    for _ in range(3):
        assert _sign_up("203.0.113.5").status_code == 201
    refused = _sign_up("203.0.113.5")
    assert refused.status_code == 429
    assert refused.headers["Content-Type"] == "application/problem+json"
    assert 0 < int(refused.headers["Retry-After"]) <= 3600
    assert _sign_up("198.51.100.7").status_code == 201


def test_the_verification_email_carries_no_user_written_text(db: None) -> None:
    del db
    lure = "Your account is locked, verify at https://evil.example"
    assert _sign_up("203.0.113.6", organization_name=lure).status_code == 201
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT args::text FROM procrastinate_jobs WHERE task_name = 'send_account_email'"
        )
        mails = [json.loads(args) for (args,) in cursor.fetchall()]
    assert mails
    for args in mails:
        # Only the user and the purpose are queued: the worker builds the message from the
        # project's templates, a link and its lifetime, never from what the sign-up said.
        assert set(args) == {"user_id", "purpose"}
        assert "evil.example" not in json.dumps(args)

"""Forged and misused bearer tokens are 401 problems (JWT transport)."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from tests.contract.client import problem

if TYPE_CHECKING:
    from tests.contract.client import Api, Caller
    from tests.serving import Served

pytestmark = [pytest.mark.full, pytest.mark.combination(auth_transport="jwt")]


def parts(caller: Caller) -> tuple[dict[str, Any], dict[str, Any]]:
    """The header and claims of the caller's real access token."""
    assert caller.access_token is not None
    header = jwt.get_unverified_header(caller.access_token)
    claims = jwt.decode(caller.access_token, options={"verify_signature": False})
    return header, claims


def forge(
    served: Served,
    caller: Caller,
    *,
    claims: dict[str, Any] | None = None,
    header: dict[str, Any] | None = None,
    signer: tuple[Any, str | None] = (None, None),
) -> str:
    """The caller's token with changed claims or header, signed by `signer` (key, algorithm).

    The defaults are the served project's real key and the token's own algorithm.
    """
    real_header, real_claims = parts(caller)
    kid, secret = served.signing_keys[0]
    fields = {**real_header, "kid": kid, **(header or {})}
    fields.pop("alg", None)
    fields.pop("typ", None)
    key, algorithm = signer
    return jwt.encode(
        {**real_claims, **(claims or {})},
        secret if key is None else key,
        algorithm=algorithm or real_header["alg"],
        headers=fields,
    )


def call(api: Api, token: str) -> Any:
    """GET /me with `token`."""
    return api.request("GET", "/api/v1/me", headers={"Authorization": f"Bearer {token}"})


def b64(data: dict[str, Any]) -> str:
    """Base64url of compact JSON, unpadded."""
    raw = json.dumps(data, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def test_a_token_re_signed_with_the_real_key_is_accepted(
    api: Api, served: Served, owner: Caller
) -> None:
    # The control: forging works, so each 401 below is the attack being refused.
    assert call(api, forge(served, owner)).status_code == 200


def test_alg_none_is_401(api: Api, owner: Caller) -> None:
    header, claims = parts(owner)
    token = f"{b64({**header, 'alg': 'none'})}.{b64(claims)}."
    problem(call(api, token), 401)


def test_a_token_signed_with_rs256_is_401(api: Api, served: Served, owner: Caller) -> None:
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    problem(call(api, forge(served, owner, signer=(private, "RS256"))), 401)


def test_another_hmac_algorithm_with_the_real_key_is_401(
    api: Api, served: Served, owner: Caller
) -> None:
    algorithm = "HS512" if parts(owner)[0]["alg"] != "HS512" else "HS384"
    problem(call(api, forge(served, owner, signer=(None, algorithm))), 401)


def test_a_wrong_key_is_401(api: Api, served: Served, owner: Caller) -> None:
    problem(call(api, forge(served, owner, signer=("k" * 64, None))), 401)


def test_an_unknown_kid_is_401(api: Api, served: Served, owner: Caller) -> None:
    problem(call(api, forge(served, owner, header={"kid": "no-such-key"})), 401)


def test_an_expired_token_is_401(api: Api, served: Served, owner: Caller) -> None:
    past = datetime.now(UTC) - timedelta(hours=1)
    claims = {
        "iat": int(past.timestamp()) - 60,
        "nbf": int(past.timestamp()) - 60,
        "exp": int(past.timestamp()),
    }
    problem(call(api, forge(served, owner, claims=claims)), 401)


def test_a_token_for_another_audience_is_401(api: Api, served: Served, owner: Caller) -> None:
    problem(call(api, forge(served, owner, claims={"aud": "someone-else"})), 401)


def test_a_refresh_token_used_as_an_access_token_is_401(api: Api, owner: Caller) -> None:
    assert owner.refresh_token is not None
    problem(call(api, owner.refresh_token), 401)


def test_a_tampered_signature_is_401(api: Api, owner: Caller) -> None:
    assert owner.access_token is not None
    head, body, signature = owner.access_token.split(".")
    flipped = ("A" if signature[0] != "A" else "B") + signature[1:]
    problem(call(api, f"{head}.{body}.{flipped}"), 401)


def test_an_access_token_stops_working_after_logout(api: Api, owner: Caller) -> None:
    assert owner.access_token is not None
    owner.post("/api/v1/auth/logout")
    problem(call(api, owner.access_token), 401)


def test_a_token_naming_an_organization_one_left_is_refused(api: Api, owner: Caller) -> None:
    account = api.register()
    membership = owner.add_member(account, "admin")
    member = api.login(account, owner.account.organization_id)
    owner.delete(f"/api/v1/members/{membership['id']}")
    response = member.get("/api/v1/projects")
    assert response.status_code in {401, 403}, response.text
    problem(response, response.status_code)

"""API keys (CONTRACT.md "API keys"): shown once, scoped to the organization and to listed
permissions the creator holds, sent as a bearer token in both transports, stopped at once."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from tests.contract.client import ids, page, problem

if TYPE_CHECKING:
    import httpx

    from tests.contract.client import Api, Caller
    from tests.serving import Served

pytestmark = pytest.mark.full

KEYS = "/api/v1/api-keys"


def new_key(caller: Caller, *permissions: str, **body: Any) -> dict[str, Any]:
    """A new key of the caller's organization with `permissions`."""
    return caller.create(KEYS, {"name": "ci", "permissions": list(permissions), **body})


def with_key(
    api: Api, key: dict[str, Any], method: str, path: str, **kwargs: Any
) -> httpx.Response:
    """A request carrying only the key: no cookie, no CSRF token."""
    headers = {"Authorization": f"Bearer {key['key']}"}
    return api.request(method, path, headers=headers, **kwargs)


def test_a_key_is_shown_once_and_listed_without_it(served: Served, owner: Caller) -> None:
    key = new_key(owner, "projects:read")

    assert key["key"].startswith(f"{served.answers['project_slug']}_")
    assert key["key"].startswith(key["prefix"])
    assert key["permissions"] == ["projects:read"]
    items, _ = page(owner.get(KEYS))
    [listed] = [item for item in items if item["id"] == key["id"]]
    assert "key" not in listed
    assert key["key"] not in str(listed)
    assert "last_used_at" in listed


def test_a_key_acts_with_exactly_its_permissions(api: Api, owner: Caller) -> None:
    project = owner.project()
    reader = new_key(owner, "projects:read")

    listed = with_key(api, reader, "GET", "/api/v1/projects")
    assert project["id"] in ids(listed)
    problem(with_key(api, reader, "POST", "/api/v1/projects", json={"name": "by key"}), 403)
    me = with_key(api, reader, "GET", "/api/v1/me").json()
    assert me["organization"]["id"] == owner.organization_id
    assert me["permissions"] == ["projects:read"]


def test_a_key_writes_without_cookie_or_csrf_token(api: Api, owner: Caller) -> None:
    writer = new_key(owner, "projects:read", "projects:write")
    created = with_key(api, writer, "POST", "/api/v1/projects", json={"name": "from CI"})
    assert created.status_code == 201, created.text
    assert owner.get(f"/api/v1/projects/{created.json()['id']}").status_code == 200


def test_keys_grant_only_what_their_creator_holds(api: Api, owner: Caller) -> None:
    account = api.register()
    owner.add_member(account, "member")
    member = api.login(account, owner.organization_id)
    problem(member.post(KEYS, json={"name": "x", "permissions": ["projects:read"]}), 403)
    problem(owner.post(KEYS, json={"name": "x", "permissions": ["api_keys:manage"]}), 422)
    problem(owner.post(KEYS, json={"name": "x", "permissions": ["no:such"]}), 422)
    past = {"name": "x", "permissions": ["projects:read"], "expires_at": "2020-01-01T00:00:00Z"}
    problem(owner.post(KEYS, json=past), 422)


def test_a_revoked_or_expired_key_stops_at_once(served: Served, api: Api, owner: Caller) -> None:
    revoked, expired = new_key(owner, "projects:read"), new_key(owner, "projects:read")
    assert with_key(api, revoked, "GET", "/api/v1/projects").status_code == 200

    assert owner.delete(f"{KEYS}/{revoked['id']}").status_code == 204
    served.database.psql(
        "UPDATE api_keys SET expires_at = now() - interval '1 second'"  # noqa: S608
        f" WHERE id = '{expired['id']}'"
    )

    problem(with_key(api, revoked, "GET", "/api/v1/projects"), 401)
    problem(with_key(api, expired, "GET", "/api/v1/projects"), 401)
    assert revoked["id"] not in ids(owner.get(KEYS))


def test_a_key_stops_when_its_creator_leaves(api: Api, owner: Caller) -> None:
    account = api.register()
    membership = owner.add_member(account, "admin")
    admin = api.login(account, owner.organization_id)
    key = new_key(admin, "projects:read")
    assert with_key(api, key, "GET", "/api/v1/projects").status_code == 200

    assert owner.delete(f"/api/v1/members/{membership['id']}").status_code == 204

    problem(with_key(api, key, "GET", "/api/v1/projects"), 401)


def test_an_unknown_key_is_401(served: Served, api: Api) -> None:
    fake = {"key": f"{served.answers['project_slug']}_{'A' * 43}"}
    problem(with_key(api, fake, "GET", "/api/v1/projects"), 401)


def test_a_key_cannot_act_as_a_person(api: Api, owner: Caller) -> None:
    key = new_key(owner, "projects:read")
    # Joining another organization, e-mails to the creator, closing or signing out: people only.
    problem(with_key(api, key, "POST", "/api/v1/invitations/accept", json={"token": "x"}), 403)
    problem(with_key(api, key, "POST", "/api/v1/auth/email/resend"), 403)
    problem(with_key(api, key, "DELETE", "/api/v1/me"), 403)
    problem(with_key(api, key, "POST", "/api/v1/auth/logout"), 403)
    assert owner.get("/api/v1/me").status_code == 200

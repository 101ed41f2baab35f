"""GET, PATCH and DELETE /api/v1/organization: the active organization."""

from __future__ import annotations

import uuid

import httpx
import psycopg
import pytest

from tests.credentials import LOGIN_PATH
from tests.factories import PASSWORD, Account, login, member_of, signup
from tests.problems import assert_problem

ORGANIZATION = "/api/v1/organization"
Owner = psycopg.AsyncConnection[tuple[object, ...]]


async def join(client: httpx.AsyncClient, user: Account, organization: Account, role: str) -> None:
    """Add `user` (signed in to their own organization) to `organization`'s with `role`."""
    response = await client.post(
        "/api/v1/members", json={"email": user.email, "role": role}, headers=organization.headers
    )
    assert response.status_code == 201, response.text


async def test_any_member_reads_the_active_organization(client: httpx.AsyncClient) -> None:
    owner = await signup(client)
    viewer = await member_of(client, owner, "viewer")
    response = await client.get(ORGANIZATION, headers=viewer.headers)
    assert response.status_code == 200, response.text
    body = response.json()
    assert set(body) == {"id", "name", "plan", "limits", "features", "created_at"}
    assert body["id"] == owner.organization_id
    # As /me and registration show it, with its plan (tests/organizations/test_plans.py).
    me = (await client.get("/api/v1/me", headers=owner.headers)).json()
    assert me["organization"] == {key: body[key] for key in ("id", "name", "created_at")}


async def test_the_organization_needs_credentials(client: httpx.AsyncClient) -> None:
    assert_problem(await client.get(ORGANIZATION), 401)
    assert_problem(await client.patch(ORGANIZATION, json={"name": "Mine"}), 401)
    assert_problem(await client.delete(ORGANIZATION), 401)


async def test_an_owner_renames_the_organization_for_every_member(
    client: httpx.AsyncClient,
) -> None:
    owner = await signup(client)
    viewer = await member_of(client, owner, "viewer")
    response = await client.patch(
        ORGANIZATION, json={"name": "  Renamed Inc.  "}, headers=owner.headers
    )
    assert response.status_code == 200, response.text
    assert response.json()["name"] == "Renamed Inc."
    assert response.json()["id"] == owner.organization_id
    assert (await client.get(ORGANIZATION, headers=viewer.headers)).json() == response.json()
    listed = (await client.get("/api/v1/organizations", headers=viewer.headers)).json()
    shown = [m["organization"] for m in listed["items"]]
    assert {key: response.json()[key] for key in ("id", "name", "created_at")} in shown


@pytest.mark.parametrize("role", ["admin", "member", "viewer"])
async def test_only_owners_rename_the_organization(client: httpx.AsyncClient, role: str) -> None:
    owner = await signup(client)
    caller = await member_of(client, owner, role)
    before = (await client.get(ORGANIZATION, headers=owner.headers)).json()
    body = assert_problem(
        await client.patch(ORGANIZATION, json={"name": "Mine now"}, headers=caller.headers), 403
    )
    assert "organization:manage" in body["detail"]
    assert (await client.get(ORGANIZATION, headers=owner.headers)).json() == before


@pytest.mark.parametrize(
    "payload",
    [
        {"name": ""},
        {"name": "   "},
        {"name": "x" * 201},
        {"name": "\u202eevil"},
        {"name": None},
        {},
        {"name": "Fine", "id": str(uuid.uuid4())},
    ],
    ids=["empty", "blank", "too-long", "bidi", "null", "missing", "unknown-field"],
)
async def test_a_bad_name_is_422_and_changes_nothing(
    client: httpx.AsyncClient, payload: dict[str, object]
) -> None:
    owner = await signup(client)
    before = (await client.get(ORGANIZATION, headers=owner.headers)).json()
    assert_problem(await client.patch(ORGANIZATION, json=payload, headers=owner.headers), 422)
    assert (await client.get(ORGANIZATION, headers=owner.headers)).json() == before


@pytest.mark.parametrize("role", ["admin", "member", "viewer"])
async def test_only_owners_delete_the_organization(client: httpx.AsyncClient, role: str) -> None:
    owner = await signup(client)
    caller = await member_of(client, owner, role)
    body = assert_problem(await client.delete(ORGANIZATION, headers=caller.headers), 403)
    assert "organization:delete" in body["detail"]
    assert (await client.get(ORGANIZATION, headers=owner.headers)).status_code == 200
    assert (await client.get(ORGANIZATION, headers=caller.headers)).status_code == 200


async def test_deleting_the_organization_answers_202_without_a_body(
    client: httpx.AsyncClient,
) -> None:
    owner = await signup(client)
    response = await client.delete(ORGANIZATION, headers=owner.headers)
    assert response.status_code == 202, response.text
    assert response.content == b""


async def test_every_members_credentials_stop_at_once(client: httpx.AsyncClient) -> None:
    owner = await signup(client)
    admin = await member_of(client, owner, "admin")
    viewer = await member_of(client, owner, "viewer")
    assert (await client.delete(ORGANIZATION, headers=owner.headers)).status_code == 202
    for account in (owner, admin, viewer):
        assert_problem(await client.get("/api/v1/me", headers=account.headers), 401)
        assert_problem(await client.get("/api/v1/projects", headers=account.headers), 401)
        assert_problem(await client.get(ORGANIZATION, headers=account.headers), 401)


async def test_signing_in_to_a_deleted_organization_is_refused(client: httpx.AsyncClient) -> None:
    owner = await signup(client)
    admin = await signup(client)
    await join(client, admin, owner, "admin")
    assert (await client.delete(ORGANIZATION, headers=owner.headers)).status_code == 202
    # Asked for by id, it is refused as for a non-member; the admin's own still works.
    refused = await client.post(
        LOGIN_PATH,
        json={"email": admin.email, "password": PASSWORD, "organization_id": owner.organization_id},
    )
    assert_problem(refused, 403)
    assert (await login(client, admin.email)).headers
    # The owner's only organization is gone: by default there is none to sign in to.
    alone = await client.post(LOGIN_PATH, json={"email": owner.email, "password": PASSWORD})
    assert_problem(alone, 403)


async def test_switching_into_a_deleted_organization_is_refused(
    client: httpx.AsyncClient,
) -> None:
    owner = await signup(client)
    admin = await signup(client)
    await join(client, admin, owner, "admin")
    assert (await client.delete(ORGANIZATION, headers=owner.headers)).status_code == 202
    refused = await client.post(
        "/api/v1/auth/switch",
        json={"organization_id": owner.organization_id},
        headers=admin.headers,
    )
    assert_problem(refused, 403)
    me = await client.get("/api/v1/me", headers=admin.headers)
    assert me.status_code == 200
    assert me.json()["organization"]["id"] == admin.organization_id


async def test_a_deleted_organization_is_no_longer_listed(client: httpx.AsyncClient) -> None:
    owner = await signup(client)
    admin = await signup(client)
    await join(client, admin, owner, "admin")
    listed = (await client.get("/api/v1/organizations", headers=admin.headers)).json()
    assert {m["organization"]["id"] for m in listed["items"]} == {
        owner.organization_id,
        admin.organization_id,
    }
    assert (await client.delete(ORGANIZATION, headers=owner.headers)).status_code == 202
    listed = (await client.get("/api/v1/organizations", headers=admin.headers)).json()
    assert [m["organization"]["id"] for m in listed["items"]] == [admin.organization_id]


async def test_deleting_leaves_the_memberships_for_the_purge(
    client: httpx.AsyncClient, owner: Owner
) -> None:
    account = await signup(client)
    await member_of(client, account, "member")
    assert (await client.delete(ORGANIZATION, headers=account.headers)).status_code == 202
    cursor = await owner.execute(
        "SELECT o.deleted_at IS NOT NULL, count(m.id) FILTER (WHERE m.deleted_at IS NULL)"
        " FROM organizations o JOIN memberships m ON m.organization_id = o.id"
        " WHERE o.id = %s GROUP BY o.id",
        (uuid.UUID(account.organization_id),),
    )
    assert await cursor.fetchone() == (True, 2)


async def test_other_organizations_are_untouched(client: httpx.AsyncClient) -> None:
    owner = await signup(client)
    bystander = await signup(client)
    assert (await client.delete(ORGANIZATION, headers=owner.headers)).status_code == 202
    response = await client.get(ORGANIZATION, headers=bystander.headers)
    assert response.status_code == 200
    assert response.json()["id"] == bystander.organization_id

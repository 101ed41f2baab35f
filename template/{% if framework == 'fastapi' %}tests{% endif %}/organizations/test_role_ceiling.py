"""The role ceiling: nobody grants a role above their own (a role holding a permission the
caller does not), nor changes or removes a member whose role is above it."""

from __future__ import annotations

import secrets
import uuid

import httpx
import psycopg

from tests.factories import Account, member_of, signup, unique_email
from tests.invitations.test_invitations_api import invite
from tests.organizations.test_members_api import add, members
from tests.problems import assert_problem

Owner = psycopg.AsyncConnection[tuple[object, ...]]


async def new_role(owner: Owner, permissions: list[str]) -> str:
    """A role of its own for this test, holding `permissions`; its name."""
    name = f"role-{secrets.token_hex(4)}"
    await owner.execute(
        "INSERT INTO roles (id, name, permissions) VALUES (%s, %s, %s)",
        (uuid.uuid4(), name, permissions),
    )
    return name


async def membership_of(client: httpx.AsyncClient, account: Account, user_id: str) -> str:
    """The membership id of `user_id` in `account`'s organization."""
    listed = await members(client, account)
    return str(next(m["id"] for m in listed if m["user"]["id"] == user_id))


async def test_a_role_with_a_permission_the_caller_lacks_cannot_be_granted(
    client: httpx.AsyncClient, owner: Owner
) -> None:
    # Not only owner: any role reaching beyond the caller's permissions.
    account = await signup(client)
    admin = await member_of(client, account, "admin")
    above = await new_role(owner, ["members:read", "organization:manage"])
    newcomer = await signup(client)
    assert_problem(await add(client, admin, newcomer.email, above), 403)
    assert_problem(await invite(client, admin, unique_email(), above), 403)
    granted = await add(client, account, newcomer.email, above)
    assert granted.status_code == 201, granted.text


async def test_a_manager_without_project_permissions_cannot_grant_viewer(
    client: httpx.AsyncClient, owner: Owner
) -> None:
    account = await signup(client)
    manager_role = await new_role(owner, ["members:read", "members:manage"])
    reader_role = await new_role(owner, ["members:read"])
    manager = await member_of(client, account, manager_role)
    newcomer = await signup(client)
    # viewer holds projects:read, which the manager does not.
    assert_problem(await add(client, manager, newcomer.email, "viewer"), 403)
    assert_problem(await invite(client, manager, unique_email(), "viewer"), 403)
    # A role within the manager's own permissions, and the manager's own role, may be.
    assert (await add(client, manager, newcomer.email, reader_role)).status_code == 201
    assert (await invite(client, manager, unique_email(), manager_role)).status_code == 201


async def test_promoting_beyond_the_callers_role_is_forbidden(
    client: httpx.AsyncClient, owner: Owner
) -> None:
    account = await signup(client)
    admin = await member_of(client, account, "admin")
    member = await member_of(client, account, "member")
    above = await new_role(owner, ["projects:read", "organization:manage"])
    target = await membership_of(client, account, member.user_id)
    for role in ("owner", above):
        response = await client.patch(
            f"/api/v1/members/{target}", json={"role": role}, headers=admin.headers
        )
        assert_problem(response, 403)
    allowed = await client.patch(
        f"/api/v1/members/{target}", json={"role": "admin"}, headers=admin.headers
    )
    assert allowed.status_code == 200, allowed.text


async def test_a_member_whose_role_is_above_the_callers_is_out_of_reach(
    client: httpx.AsyncClient, owner: Owner
) -> None:
    account = await signup(client)
    admin = await member_of(client, account, "admin")
    above = await new_role(owner, ["members:read", "organization:manage"])
    special = await member_of(client, account, above)
    target = await membership_of(client, account, special.user_id)
    demoted = await client.patch(
        f"/api/v1/members/{target}", json={"role": "viewer"}, headers=admin.headers
    )
    assert_problem(demoted, 403)
    assert_problem(await client.delete(f"/api/v1/members/{target}", headers=admin.headers), 403)
    me = await client.get("/api/v1/me", headers=special.headers)
    assert me.json()["role"] == above
    # The owner holds every permission: nothing is above them.
    changed = await client.patch(
        f"/api/v1/members/{target}", json={"role": "viewer"}, headers=account.headers
    )
    assert changed.status_code == 200, changed.text


async def test_an_unknown_role_is_unprocessable_before_the_ceiling(
    client: httpx.AsyncClient,
) -> None:
    owner = await signup(client)
    admin = await member_of(client, owner, "admin")
    newcomer = await signup(client)
    assert_problem(await add(client, admin, newcomer.email, "no-such-role"), 422)

"""Who the caller is, their organizations, and the members of the active one."""

from __future__ import annotations

import pytest

from tests.contract.client import Api, Caller, ids, page, problem

pytestmark = pytest.mark.full

CONTRACT_PERMISSIONS = {
    "projects:read",
    "projects:write",
    "projects:delete",
    "members:read",
    "members:manage",
    "organization:manage",
    "organization:delete",
}


def test_me_names_user_organization_role_and_permissions(owner: Caller) -> None:
    me = owner.get("/api/v1/me").json()
    assert me["user"]["id"] == owner.account.user_id
    assert me["user"]["email"] == owner.account.email
    assert me["organization"]["id"] == owner.account.organization_id
    assert me["role"] == "owner"
    assert set(me["permissions"]) >= CONTRACT_PERMISSIONS


def test_a_viewer_holds_read_permissions_only(api: Api, owner: Caller) -> None:
    viewer_account = api.register()
    owner.add_member(viewer_account, "viewer")
    viewer = api.login(viewer_account, owner.account.organization_id)
    permissions = set(viewer.get("/api/v1/me").json()["permissions"])
    assert "projects:read" in permissions
    assert not permissions & {
        "projects:write",
        "projects:delete",
        "members:manage",
        "organization:manage",
        "organization:delete",
    }


def test_organizations_lists_every_membership(api: Api, owner: Caller) -> None:
    other = api.signup()
    other.add_member(owner.account, "member")
    items, _ = page(owner.get("/api/v1/organizations"))
    organizations = {item["organization"]["id"]: item["role"] for item in items}
    assert organizations == {
        owner.account.organization_id: "owner",
        other.account.organization_id: "member",
    }


def test_adding_a_member_lists_them_with_their_role(api: Api, owner: Caller) -> None:
    account = api.register()
    membership = owner.add_member(account, "admin")
    items, _ = page(owner.get("/api/v1/members"))
    listed = {item["id"]: item for item in items}
    assert listed[membership["id"]]["role"] == "admin"
    assert listed[membership["id"]]["user"]["email"] == account.email


def test_changing_a_members_role_takes_effect(api: Api, owner: Caller) -> None:
    account = api.register()
    membership = owner.add_member(account, "viewer")
    response = owner.patch(f"/api/v1/members/{membership['id']}", json={"role": "member"})
    assert response.status_code == 200, response.text
    assert response.json()["role"] == "member"
    member = api.login(account, owner.account.organization_id)
    assert member.get("/api/v1/me").json()["role"] == "member"


def test_removing_a_member_drops_them_from_the_list(api: Api, owner: Caller) -> None:
    membership = owner.add_member(api.register(), "member")
    assert owner.delete(f"/api/v1/members/{membership['id']}").status_code == 204
    assert membership["id"] not in ids(owner.get("/api/v1/members"))


def test_a_removed_member_cannot_act_in_the_organization(api: Api, owner: Caller) -> None:
    account = api.register()
    membership = owner.add_member(account, "member")
    member = api.login(account, owner.account.organization_id)
    owner.delete(f"/api/v1/members/{membership['id']}")
    response = member.get("/api/v1/projects")
    assert response.status_code in {401, 403}, response.text


def test_adding_an_existing_member_again_is_409(api: Api, owner: Caller) -> None:
    account = api.register()
    owner.add_member(account, "member")
    response = owner.post("/api/v1/members", json={"email": account.email, "role": "viewer"})
    problem(response, 409)


def test_a_member_without_members_manage_cannot_add_members(api: Api, owner: Caller) -> None:
    account = api.register()
    owner.add_member(account, "member")
    member = api.login(account, owner.account.organization_id)
    response = member.post("/api/v1/members", json={"email": api.register().email, "role": "admin"})
    problem(response, 403)


def test_a_viewer_cannot_create_projects(api: Api, owner: Caller) -> None:
    account = api.register()
    owner.add_member(account, "viewer")
    viewer = api.login(account, owner.account.organization_id)
    problem(viewer.post("/api/v1/projects", json={"name": "nope"}), 403)
    assert viewer.get("/api/v1/projects").status_code == 200

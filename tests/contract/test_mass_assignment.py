"""Fields a client must not set (tenant, organization, role, author, id) never take effect."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

import pytest

from tests.contract.client import PASSWORD, ids, new_email, page, problem

if TYPE_CHECKING:
    import httpx

    from tests.contract.client import Api, Caller

pytestmark = pytest.mark.full


def smuggled(victim: Caller) -> dict[str, Any]:
    """Server-owned fields, pointing at the victim's organization and user."""
    return {
        "tenant_id": victim.account.organization_id,
        "organization_id": victim.account.organization_id,
        "created_by_id": victim.account.user_id,
        "user_id": victim.account.user_id,
        "role": "owner",
        "id": str(uuid.uuid4()),
        "deleted_at": "2020-01-01T00:00:00Z",
        "created_at": "2020-01-01T00:00:00Z",
        "is_superuser": True,
    }


def rejected_or_created(response: httpx.Response) -> dict[str, Any] | None:
    """None if the body was refused with 422; else the created object."""
    if response.status_code == 422:
        problem(response, 422)
        return None
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


def test_register_cannot_join_or_claim_another_organization(api: Api, outsider: Caller) -> None:
    email = new_email()
    body = {"email": email, "password": PASSWORD, "organization_name": "Mine", **smuggled(outsider)}
    created = rejected_or_created(api.request("POST", "/api/v1/auth/register", json=body))
    if created is not None:
        assert created["organization"]["id"] != outsider.account.organization_id
        assert created["user"]["id"] != outsider.account.user_id
    emails = [m["user"]["email"] for m in page(outsider.get("/api/v1/members"))[0]]
    assert email not in emails


def test_a_project_lands_in_the_callers_organization(owner: Caller, outsider: Caller) -> None:
    body = {"name": "smuggled", **smuggled(outsider)}
    created = rejected_or_created(owner.post("/api/v1/projects", json=body))
    if created is not None:
        assert created["created_by_id"] == owner.account.user_id
        assert created["id"] != body["id"]
        assert created["deleted_at" if "deleted_at" in created else "id"] != body["deleted_at"]
        assert owner.get(f"/api/v1/projects/{created['id']}").status_code == 200
    assert ids(outsider.get("/api/v1/projects")) == []


def test_a_task_lands_in_the_callers_project(owner: Caller, outsider: Caller) -> None:
    project, foreign = owner.project(), outsider.project()
    body = {"title": "smuggled", "project_id": foreign["id"], **smuggled(outsider)}
    created = rejected_or_created(owner.post(f"/api/v1/projects/{project['id']}/tasks", json=body))
    if created is not None:
        assert created["project_id"] == project["id"]
        assert created["created_by_id"] == owner.account.user_id
    assert ids(outsider.get(f"/api/v1/projects/{foreign['id']}/tasks")) == []


def test_adding_a_member_cannot_target_another_organization(
    api: Api, owner: Caller, outsider: Caller
) -> None:
    account = api.register()
    api.verify_email(account.email)
    body = {**smuggled(outsider), "email": account.email, "role": "member"}
    created = rejected_or_created(owner.post("/api/v1/members", json=body))
    if created is not None:
        assert created["role"] == "member"
        assert created["id"] in ids(owner.get("/api/v1/members"))
    emails = [m["user"]["email"] for m in page(outsider.get("/api/v1/members"))[0]]
    assert account.email not in emails


def test_a_member_cannot_raise_their_own_role(api: Api, owner: Caller) -> None:
    account = api.register()
    membership = owner.add_member(account, "member")
    member = api.login(account, owner.account.organization_id)
    problem(member.patch(f"/api/v1/members/{membership['id']}", json={"role": "owner"}), 403)
    assert member.get("/api/v1/me").json()["role"] == "member"


def test_updating_a_project_cannot_move_or_reassign_it(owner: Caller, outsider: Caller) -> None:
    project = owner.project()
    body = {"name": "moved", **smuggled(outsider)}
    response = owner.patch(f"/api/v1/projects/{project['id']}", json=body)
    assert response.status_code in {200, 422}, response.text
    problem(outsider.get(f"/api/v1/projects/{project['id']}"), 404)
    fetched = owner.get(f"/api/v1/projects/{project['id']}").json()
    assert fetched["created_by_id"] == owner.account.user_id
    assert fetched["id"] == project["id"]

"""The sample domain: projects and tasks, soft delete and uniqueness among live rows."""

from __future__ import annotations

import pytest

from tests.contract.client import Api, Caller, ids, problem

pytestmark = pytest.mark.full


def test_create_and_read_a_project(owner: Caller) -> None:
    created = owner.project(name="Apollo", description="to the moon")
    fetched = owner.get(f"/api/v1/projects/{created['id']}").json()
    assert fetched == created
    assert fetched["status"] == "active"
    assert fetched["visibility"] == "organization"
    assert fetched["created_by_id"] == owner.account.user_id


def test_update_a_project(owner: Caller) -> None:
    project = owner.project()
    body = {"name": "renamed", "status": "archived", "description": "done"}
    response = owner.patch(f"/api/v1/projects/{project['id']}", json=body)
    assert response.status_code == 200, response.text
    assert {key: response.json()[key] for key in body} == body
    assert response.json()["updated_at"] >= project["updated_at"]


def test_list_filters_by_status(owner: Caller) -> None:
    active = owner.project()
    archived = owner.project()
    owner.patch(f"/api/v1/projects/{archived['id']}", json={"status": "archived"})
    listed = ids(owner.get("/api/v1/projects", params={"status": "archived"}))
    assert archived["id"] in listed
    assert active["id"] not in listed


def test_a_deleted_project_vanishes_from_every_read(owner: Caller) -> None:
    project = owner.project()
    assert owner.delete(f"/api/v1/projects/{project['id']}").status_code == 204
    problem(owner.get(f"/api/v1/projects/{project['id']}"), 404)
    assert project["id"] not in ids(owner.get("/api/v1/projects"))
    problem(owner.delete(f"/api/v1/projects/{project['id']}"), 404)


def test_a_live_project_name_is_unique_in_its_organization(owner: Caller) -> None:
    owner.project(name="Unique")
    problem(owner.post("/api/v1/projects", json={"name": "Unique"}), 409)


def test_a_deleted_projects_name_can_be_used_again(owner: Caller) -> None:
    project = owner.project(name="Phoenix")
    owner.delete(f"/api/v1/projects/{project['id']}")
    assert owner.post("/api/v1/projects", json={"name": "Phoenix"}).status_code == 201


def test_another_organization_may_use_the_same_name(owner: Caller, outsider: Caller) -> None:
    owner.project(name="Shared name")
    assert outsider.post("/api/v1/projects", json={"name": "Shared name"}).status_code == 201


def test_a_project_of_another_organization_is_404(owner: Caller, outsider: Caller) -> None:
    project = owner.project()
    problem(outsider.get(f"/api/v1/projects/{project['id']}"), 404)
    assert project["id"] not in ids(outsider.get("/api/v1/projects"))


def test_create_read_update_and_delete_a_task(owner: Caller) -> None:
    project = owner.project()
    task = owner.task(project["id"], title="write tests")
    assert task["project_id"] == project["id"]
    assert owner.get(f"/api/v1/tasks/{task['id']}").json() == task
    updated = owner.patch(f"/api/v1/tasks/{task['id']}", json={"title": "write more tests"})
    assert updated.status_code == 200, updated.text
    assert updated.json()["title"] == "write more tests"
    assert owner.delete(f"/api/v1/tasks/{task['id']}").status_code == 204
    problem(owner.get(f"/api/v1/tasks/{task['id']}"), 404)
    assert task["id"] not in ids(owner.get(f"/api/v1/projects/{project['id']}/tasks"))


def test_a_task_can_be_assigned_to_a_member(api: Api, owner: Caller) -> None:
    account = api.register()
    owner.add_member(account, "member")
    task = owner.task(owner.project()["id"], assignee_id=account.user_id)
    assert task["assignee_id"] == account.user_id


def test_deleting_a_project_soft_deletes_its_tasks(owner: Caller) -> None:
    project = owner.project()
    task = owner.task(project["id"])
    owner.delete(f"/api/v1/projects/{project['id']}")
    problem(owner.get(f"/api/v1/tasks/{task['id']}"), 404)


def test_tasks_of_a_deleted_project_cannot_be_created(owner: Caller) -> None:
    project = owner.project()
    owner.delete(f"/api/v1/projects/{project['id']}")
    problem(owner.post(f"/api/v1/projects/{project['id']}/tasks", json={"title": "x"}), 404)


@pytest.mark.combination(authorization="abac")
def test_a_private_project_is_hidden_from_other_members(api: Api, owner: Caller) -> None:
    account = api.register()
    owner.add_member(account, "member")
    member = api.login(account, owner.account.organization_id)
    private = owner.project(visibility="private")
    problem(member.get(f"/api/v1/projects/{private['id']}"), 404)
    assert private["id"] not in ids(member.get("/api/v1/projects"))


@pytest.mark.combination(authorization="abac")
def test_a_private_project_is_visible_to_admins(api: Api, owner: Caller) -> None:
    member_account, admin_account = api.register(), api.register()
    owner.add_member(member_account, "member")
    owner.add_member(admin_account, "admin")
    private = api.login(member_account, owner.account.organization_id).project(visibility="private")
    admin = api.login(admin_account, owner.account.organization_id)
    assert admin.get(f"/api/v1/projects/{private['id']}").status_code == 200
    assert private["id"] in ids(admin.get("/api/v1/projects"))


@pytest.mark.combination(authorization="abac")
def test_a_member_may_change_only_projects_they_created(api: Api, owner: Caller) -> None:
    account = api.register()
    owner.add_member(account, "member")
    member = api.login(account, owner.account.organization_id)
    theirs, others = member.project(), owner.project()
    assert (
        member.patch(f"/api/v1/projects/{theirs['id']}", json={"name": "mine"}).status_code == 200
    )
    problem(member.patch(f"/api/v1/projects/{others['id']}", json={"name": "taken"}), 403)
    problem(member.delete(f"/api/v1/projects/{others['id']}"), 403)


@pytest.mark.combination(authorization="rbac")
def test_a_member_may_change_any_project_of_the_organization(api: Api, owner: Caller) -> None:
    account = api.register()
    owner.add_member(account, "member")
    member = api.login(account, owner.account.organization_id)
    others = owner.project()
    response = member.patch(f"/api/v1/projects/{others['id']}", json={"name": "team's"})
    assert response.status_code == 200, response.text

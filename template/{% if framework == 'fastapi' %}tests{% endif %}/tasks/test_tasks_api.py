"""Tasks: create, list, read, update, delete, assignees, and their project's fate."""

from __future__ import annotations

import uuid

import httpx

from tests.factories import create_project, create_task, member_of, signup
from tests.problems import assert_problem


async def test_create_task_returns_every_field(client: httpx.AsyncClient) -> None:
    account = await signup(client)
    project = await create_project(client, account)
    response = await client.post(
        f"/api/v1/projects/{project['id']}/tasks",
        json={"title": "Write the docs"},
        headers=account.headers,
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert set(body) == {
        "id",
        "project_id",
        "title",
        "status",
        "assignee_id",
        "created_by_id",
        "created_at",
        "updated_at",
    }
    assert uuid.UUID(body["id"]).version == 7
    assert body["project_id"] == project["id"]
    assert body["title"] == "Write the docs"
    assert body["status"] == "open"
    assert body["assignee_id"] is None
    assert body["created_by_id"] == account.user_id
    assert body["created_at"].endswith("Z")


async def test_create_task_with_a_member_as_assignee(client: httpx.AsyncClient) -> None:
    owner = await signup(client)
    member = await member_of(client, owner, "member")
    project = await create_project(client, owner)
    task = await create_task(client, owner, project["id"], assignee_id=member.user_id)
    assert task["assignee_id"] == member.user_id


async def test_create_task_with_a_non_member_assignee_is_unprocessable(
    client: httpx.AsyncClient,
) -> None:
    owner = await signup(client)
    outsider = await signup(client)
    project = await create_project(client, owner)
    response = await client.post(
        f"/api/v1/projects/{project['id']}/tasks",
        json={"title": "Nope", "assignee_id": outsider.user_id},
        headers=owner.headers,
    )
    assert_problem(response, 422)
    listed = await client.get(f"/api/v1/projects/{project['id']}/tasks", headers=owner.headers)
    assert listed.json()["items"] == []


async def test_create_task_with_an_unknown_assignee_is_unprocessable(
    client: httpx.AsyncClient,
) -> None:
    owner = await signup(client)
    project = await create_project(client, owner)
    response = await client.post(
        f"/api/v1/projects/{project['id']}/tasks",
        json={"title": "Nope", "assignee_id": str(uuid.uuid4())},
        headers=owner.headers,
    )
    assert_problem(response, 422)


async def test_create_task_refuses_extra_fields(client: httpx.AsyncClient) -> None:
    owner = await signup(client)
    project = await create_project(client, owner)
    other = await create_project(client, owner)
    response = await client.post(
        f"/api/v1/projects/{project['id']}/tasks",
        json={"title": "Moved", "project_id": other["id"]},
        headers=owner.headers,
    )
    assert_problem(response, 422)


async def test_list_tasks_of_a_project_newest_first(client: httpx.AsyncClient) -> None:
    account = await signup(client)
    project = await create_project(client, account)
    other = await create_project(client, account)
    created = [await create_task(client, account, project["id"]) for _ in range(3)]
    await create_task(client, account, other["id"])
    response = await client.get(f"/api/v1/projects/{project['id']}/tasks", headers=account.headers)
    assert response.status_code == 200
    body = response.json()
    assert [t["id"] for t in body["items"]] == [t["id"] for t in reversed(created)]
    assert body["next_cursor"] is None


async def test_list_tasks_is_paginated(client: httpx.AsyncClient) -> None:
    account = await signup(client)
    project = await create_project(client, account)
    created = [await create_task(client, account, project["id"]) for _ in range(3)]
    url = f"/api/v1/projects/{project['id']}/tasks"
    first = (await client.get(url, params={"limit": 2}, headers=account.headers)).json()
    assert first["next_cursor"]
    second = (
        await client.get(
            url, params={"limit": 2, "cursor": first["next_cursor"]}, headers=account.headers
        )
    ).json()
    assert second["next_cursor"] is None
    ids = [t["id"] for t in first["items"] + second["items"]]
    assert ids == [t["id"] for t in reversed(created)]
    limit_too_big = await client.get(url, params={"limit": 101}, headers=account.headers)
    assert_problem(limit_too_big, 422)


async def test_get_task(client: httpx.AsyncClient) -> None:
    account = await signup(client)
    project = await create_project(client, account)
    task = await create_task(client, account, project["id"])
    response = await client.get(f"/api/v1/tasks/{task['id']}", headers=account.headers)
    assert response.status_code == 200
    assert response.json() == task


async def test_patch_task_changes_title_and_status(client: httpx.AsyncClient) -> None:
    account = await signup(client)
    project = await create_project(client, account)
    task = await create_task(client, account, project["id"])
    response = await client.patch(
        f"/api/v1/tasks/{task['id']}",
        json={"title": "Renamed", "status": "done"},
        headers=account.headers,
    )
    assert response.status_code == 200, response.text
    assert response.json()["title"] == "Renamed"
    assert response.json()["status"] == "done"
    read = await client.get(f"/api/v1/tasks/{task['id']}", headers=account.headers)
    assert (read.json()["title"], read.json()["status"]) == ("Renamed", "done")


async def test_patch_task_refuses_an_unknown_status(client: httpx.AsyncClient) -> None:
    account = await signup(client)
    project = await create_project(client, account)
    task = await create_task(client, account, project["id"])
    response = await client.patch(
        f"/api/v1/tasks/{task['id']}", json={"status": "someday"}, headers=account.headers
    )
    assert_problem(response, 422)


async def test_patch_task_assigns_a_member(client: httpx.AsyncClient) -> None:
    owner = await signup(client)
    member = await member_of(client, owner, "member")
    project = await create_project(client, owner)
    task = await create_task(client, owner, project["id"])
    response = await client.patch(
        f"/api/v1/tasks/{task['id']}", json={"assignee_id": member.user_id}, headers=owner.headers
    )
    assert response.status_code == 200, response.text
    assert response.json()["assignee_id"] == member.user_id


async def test_patch_task_refuses_a_non_member_assignee(client: httpx.AsyncClient) -> None:
    owner = await signup(client)
    outsider = await signup(client)
    project = await create_project(client, owner)
    task = await create_task(client, owner, project["id"])
    response = await client.patch(
        f"/api/v1/tasks/{task['id']}",
        json={"assignee_id": outsider.user_id},
        headers=owner.headers,
    )
    assert_problem(response, 422)
    read = await client.get(f"/api/v1/tasks/{task['id']}", headers=owner.headers)
    assert read.json()["assignee_id"] is None


async def test_patch_task_with_null_assignee_unassigns(client: httpx.AsyncClient) -> None:
    owner = await signup(client)
    member = await member_of(client, owner, "member")
    project = await create_project(client, owner)
    task = await create_task(client, owner, project["id"], assignee_id=member.user_id)
    response = await client.patch(
        f"/api/v1/tasks/{task['id']}", json={"assignee_id": None}, headers=owner.headers
    )
    assert response.status_code == 200, response.text
    assert response.json()["assignee_id"] is None
    read = await client.get(f"/api/v1/tasks/{task['id']}", headers=owner.headers)
    assert read.json()["assignee_id"] is None


async def test_patch_task_without_assignee_keeps_it(client: httpx.AsyncClient) -> None:
    owner = await signup(client)
    member = await member_of(client, owner, "member")
    project = await create_project(client, owner)
    task = await create_task(client, owner, project["id"], assignee_id=member.user_id)
    response = await client.patch(
        f"/api/v1/tasks/{task['id']}", json={"title": "Only the title"}, headers=owner.headers
    )
    assert response.json()["assignee_id"] == member.user_id


async def test_delete_task_hides_it(client: httpx.AsyncClient) -> None:
    account = await signup(client)
    project = await create_project(client, account)
    task = await create_task(client, account, project["id"])
    kept = await create_task(client, account, project["id"])
    response = await client.delete(f"/api/v1/tasks/{task['id']}", headers=account.headers)
    assert response.status_code == 204
    assert_problem(await client.get(f"/api/v1/tasks/{task['id']}", headers=account.headers), 404)
    listed = await client.get(f"/api/v1/projects/{project['id']}/tasks", headers=account.headers)
    assert [t["id"] for t in listed.json()["items"]] == [kept["id"]]


async def test_tasks_of_a_deleted_project_are_gone(client: httpx.AsyncClient) -> None:
    account = await signup(client)
    project = await create_project(client, account)
    task = await create_task(client, account, project["id"])
    await client.delete(f"/api/v1/projects/{project['id']}", headers=account.headers)
    assert_problem(await client.get(f"/api/v1/tasks/{task['id']}", headers=account.headers), 404)
    patched = await client.patch(
        f"/api/v1/tasks/{task['id']}", json={"title": "Zombie"}, headers=account.headers
    )
    assert_problem(patched, 404)
    listed = await client.get(f"/api/v1/projects/{project['id']}/tasks", headers=account.headers)
    assert_problem(listed, 404)


async def test_another_organizations_task_is_not_found(client: httpx.AsyncClient) -> None:
    owner = await signup(client)
    stranger = await signup(client)
    project = await create_project(client, owner)
    task = await create_task(client, owner, project["id"])
    url = f"/api/v1/tasks/{task['id']}"
    assert_problem(await client.get(url, headers=stranger.headers), 404)
    assert_problem(await client.patch(url, json={"title": "x"}, headers=stranger.headers), 404)
    assert_problem(await client.delete(url, headers=stranger.headers), 404)
    read = await client.get(url, headers=owner.headers)
    assert read.json() == task

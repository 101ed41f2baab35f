"""Projects and tasks: CRUD, tenant isolation, soft delete, pagination, idempotency."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tests.conftest import Account


def test_create_read_update_delete_a_project(alice: Account) -> None:
    created = alice.api.post("projects", {"name": "Apollo", "description": "to the moon"})
    assert created.status_code == 201
    project = created.json()
    assert uuid.UUID(project["id"]).version == 7
    assert project["status"] == "active"
    assert project["visibility"] == "organization"
    assert project["created_at"].endswith("Z")
    assert alice.api.get(f"projects/{project['id']}").json() == project
    changed = alice.api.patch(f"projects/{project['id']}", {"status": "archived"})
    assert changed.status_code == 200
    assert changed.json()["status"] == "archived"
    assert alice.api.delete(f"projects/{project['id']}").status_code == 204
    assert alice.api.get(f"projects/{project['id']}").status_code == 404
    assert alice.api.get("projects").json()["items"] == []


def test_another_organizations_project_is_404(alice: Account, bob: Account) -> None:
    project = alice.api.post("projects", {"name": "Private"}).json()
    assert bob.api.get(f"projects/{project['id']}").status_code == 404
    assert bob.api.patch(f"projects/{project['id']}", {"name": "x"}).status_code == 404
    assert bob.api.delete(f"projects/{project['id']}").status_code == 404
    assert bob.api.post(f"projects/{project['id']}/tasks", {"title": "x"}).status_code == 404


def test_a_live_name_is_unique_but_a_deleted_one_is_free(alice: Account, bob: Account) -> None:
    first = alice.api.post("projects", {"name": "Same"}).json()
    assert alice.api.post("projects", {"name": "Same"}).status_code == 409
    assert bob.api.post("projects", {"name": "Same"}).status_code == 201
    alice.api.delete(f"projects/{first['id']}")
    assert alice.api.post("projects", {"name": "Same"}).status_code == 201


def test_pages_walk_newest_first_without_gaps(alice: Account) -> None:
    names = [f"P{i}" for i in range(5)]
    for name in names:
        alice.api.post("projects", {"name": name})
    seen: list[str] = []
    cursor = None
    while True:
        query = f"projects?limit=2&cursor={cursor}" if cursor else "projects?limit=2"
        page = alice.api.get(query).json()
        seen += [item["name"] for item in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == list(reversed(names))


def test_status_filter(alice: Account) -> None:
    kept = alice.api.post("projects", {"name": "Kept"}).json()
    old = alice.api.post("projects", {"name": "Old"}).json()
    alice.api.patch(f"projects/{old['id']}", {"status": "archived"})
    active = alice.api.get("projects?status=active").json()["items"]
    assert [p["id"] for p in active] == [kept["id"]]
    assert alice.api.get("projects?status=nope").status_code == 422


def test_idempotency_key_replays_refuses_other_body_and_creates_once(alice: Account) -> None:
    key = {"Idempotency-Key": "create-apollo"}
    first = alice.api.post("projects", {"name": "Apollo"}, headers=key)
    again = alice.api.post("projects", {"name": "Apollo"}, headers=key)
    assert again.status_code == 201
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    assert alice.api.post("projects", {"name": "Gemini"}, headers=key).status_code == 422
    assert len(alice.api.get("projects").json()["items"]) == 1
    too_long = {"Idempotency-Key": "k" * 256}
    assert alice.api.post("projects", {"name": "X"}, headers=too_long).status_code == 422


def test_keys_are_scoped_to_the_organization(alice: Account, bob: Account) -> None:
    key = {"Idempotency-Key": "shared"}
    assert alice.api.post("projects", {"name": "A"}, headers=key).status_code == 201
    bobs = bob.api.post("projects", {"name": "A"}, headers=key)
    assert bobs.status_code == 201
    assert "Idempotent-Replayed" not in bobs.headers


def test_tasks_live_and_die_with_their_project(alice: Account) -> None:
    project = alice.api.post("projects", {"name": "Tasks"}).json()
    task = alice.api.post(
        f"projects/{project['id']}/tasks", {"title": "Write", "assignee_id": alice.user_id}
    )
    assert task.status_code == 201
    task_id = task.json()["id"]
    done = alice.api.patch(f"tasks/{task_id}", {"status": "done"})
    assert done.json()["status"] == "done"
    listed = alice.api.get(f"projects/{project['id']}/tasks").json()["items"]
    assert [t["id"] for t in listed] == [task_id]
    alice.api.delete(f"projects/{project['id']}")
    assert alice.api.get(f"tasks/{task_id}").status_code == 404


def test_an_assignee_outside_the_organization_is_refused(alice: Account, bob: Account) -> None:
    project = alice.api.post("projects", {"name": "Assign"}).json()
    refused = alice.api.post(
        f"projects/{project['id']}/tasks", {"title": "x", "assignee_id": bob.user_id}
    )
    assert refused.status_code == 422


def test_export_returns_a_job_at_once(alice: Account) -> None:
    project = alice.api.post("projects", {"name": "Export"}).json()
    accepted = alice.api.post(f"projects/{project['id']}/export")
    assert accepted.status_code == 202
    job = alice.api.get(f"jobs/{accepted.json()['job_id']}").json()
    assert job["status"] == "queued"
    assert job["result"] is None


def test_a_json_value_that_is_not_a_string_is_refused_where_a_string_is_expected(
    alice: Account,
) -> None:
    not_a_string = {"msg": "Input should be a valid string", "type": "string_type"}
    for value in (5, 1.5, True, {"a": 1}, ["x"]):
        refused = alice.api.post("projects", {"name": value, "description": 7})
        assert refused.status_code == 422, value
        assert refused["Content-Type"] == "application/problem+json"
        assert refused.json()["errors"] == [
            {"loc": ["body", "name"], **not_a_string},
            {"loc": ["body", "description"], **not_a_string},
        ]
    assert alice.api.get("projects").json()["items"] == []
    project = alice.api.post("projects", {"name": "Typed"}).json()
    title = alice.api.post(f"projects/{project['id']}/tasks", {"title": 42})
    assert title.json()["errors"] == [{"loc": ["body", "title"], **not_a_string}]
    assignee = alice.api.post(f"projects/{project['id']}/tasks", {"title": "t", "assignee_id": 1})
    assert assignee.json()["errors"][0]["type"] == "uuid_type"
    renamed = alice.api.patch(f"projects/{project['id']}", {"name": 5})
    assert renamed.status_code == 422
    assert alice.api.get(f"projects/{project['id']}").json()["name"] == "Typed"

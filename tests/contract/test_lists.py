"""Every list paginates the same way: limit 1-100, opaque cursors, no unbounded lists."""

from __future__ import annotations

import pytest

from tests.contract.client import Caller, ids, page, problem

pytestmark = pytest.mark.full

LISTS = ("/api/v1/projects", "/api/v1/organizations", "/api/v1/members", "tasks")


def list_path(owner: Caller, name: str) -> str:
    """The path of a list; tasks belong to a new project."""
    if name == "tasks":
        return f"/api/v1/projects/{owner.project()['id']}/tasks"
    return name


@pytest.mark.parametrize("name", LISTS)
@pytest.mark.parametrize("limit", [0, 101, -1])
def test_a_limit_outside_1_to_100_is_422(owner: Caller, name: str, limit: int) -> None:
    body = problem(owner.get(list_path(owner, name), params={"limit": limit}), 422)
    assert body["errors"], body


@pytest.mark.parametrize("name", LISTS)
@pytest.mark.parametrize("limit", [1, 100])
def test_limits_at_the_bounds_are_accepted(owner: Caller, name: str, limit: int) -> None:
    items, _ = page(owner.get(list_path(owner, name), params={"limit": limit}))
    assert len(items) <= limit


@pytest.mark.parametrize("name", LISTS)
@pytest.mark.parametrize("cursor", ["not-a-cursor", "%%%", "eyJpZCI6IDF9", "A" * 300])
def test_a_malformed_cursor_is_422(owner: Caller, name: str, cursor: str) -> None:
    problem(owner.get(list_path(owner, name), params={"cursor": cursor}), 422)


def test_the_default_page_holds_at_most_50(owner: Caller) -> None:
    for _ in range(51):
        owner.project()
    items, cursor = page(owner.get("/api/v1/projects"))
    assert len(items) == 50
    assert cursor is not None


def test_walking_cursors_visits_every_project_once_newest_first(owner: Caller) -> None:
    created = [owner.project()["id"] for _ in range(7)]
    seen: list[str] = []
    cursor: str | None = None
    pages = 0
    while True:
        params = {"limit": 3, **({"cursor": cursor} if cursor else {})}
        items, cursor = page(owner.get("/api/v1/projects", params=params))
        seen += [item["id"] for item in items]
        pages += 1
        if cursor is None:
            break
    assert seen == list(reversed(created))
    assert pages == 3


def test_walking_task_cursors_visits_every_task_once(owner: Caller) -> None:
    project = owner.project()
    created = {owner.task(project["id"])["id"] for _ in range(5)}
    path = f"/api/v1/projects/{project['id']}/tasks"
    first, cursor = page(owner.get(path, params={"limit": 2}))
    second, cursor = page(owner.get(path, params={"limit": 2, "cursor": cursor}))
    third, cursor = page(owner.get(path, params={"limit": 2, "cursor": cursor}))
    walked = [item["id"] for item in first + second + third]
    assert len(walked) == len(set(walked)) == 5
    assert set(walked) == created
    assert cursor is None


def test_a_deleted_project_leaves_no_gap_in_the_next_page(owner: Caller) -> None:
    created = [owner.project()["id"] for _ in range(4)]
    first, cursor = page(owner.get("/api/v1/projects", params={"limit": 2}))
    owner.delete(f"/api/v1/projects/{created[1]}")
    rest = ids(owner.get("/api/v1/projects", params={"limit": 2, "cursor": cursor}))
    assert [item["id"] for item in first] == [created[3], created[2]]
    assert rest == [created[0]]

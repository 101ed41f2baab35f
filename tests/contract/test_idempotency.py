"""Idempotent creates: replays, conflicts, and 50 concurrent retries of one request."""

from __future__ import annotations

import secrets
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING

import httpx
import pytest

from tests.contract.client import ids, problem

if TYPE_CHECKING:
    from tests.contract.client import Api, Caller

pytestmark = pytest.mark.full

RETRIES = 50


def key() -> dict[str, str]:
    """A fresh Idempotency-Key header."""
    return {"Idempotency-Key": secrets.token_urlsafe(16)}


def test_a_replay_returns_the_stored_response_and_creates_nothing(owner: Caller) -> None:
    headers = key()
    first = owner.post("/api/v1/projects", json={"name": "once"}, headers=headers)
    second = owner.post("/api/v1/projects", json={"name": "once"}, headers=headers)
    assert first.status_code == second.status_code == 201
    assert second.json() == first.json()
    assert second.headers["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first.headers
    assert ids(owner.get("/api/v1/projects")) == [first.json()["id"]]


def test_the_same_key_with_another_body_is_422(owner: Caller) -> None:
    headers = key()
    owner.post("/api/v1/projects", json={"name": "first"}, headers=headers)
    problem(owner.post("/api/v1/projects", json={"name": "second"}, headers=headers), 422)


def test_keys_are_scoped_to_the_caller(owner: Caller, outsider: Caller) -> None:
    headers = key()
    mine = owner.post("/api/v1/projects", json={"name": "scoped"}, headers=headers)
    theirs = outsider.post("/api/v1/projects", json={"name": "scoped"}, headers=headers)
    assert mine.status_code == theirs.status_code == 201
    assert "Idempotent-Replayed" not in theirs.headers
    assert mine.json()["id"] != theirs.json()["id"]


def test_a_task_create_replays(owner: Caller) -> None:
    project, headers = owner.project(), key()
    path = f"/api/v1/projects/{project['id']}/tasks"
    first = owner.post(path, json={"title": "t"}, headers=headers)
    second = owner.post(path, json={"title": "t"}, headers=headers)
    assert second.json()["id"] == first.json()["id"]
    assert len(ids(owner.get(path))) == 1


@pytest.mark.parametrize("bad", ["", "k" * 256])
def test_a_key_outside_1_to_255_characters_is_422(owner: Caller, bad: str) -> None:
    headers = {"Idempotency-Key": bad}
    problem(owner.post("/api/v1/projects", json={"name": "k"}, headers=headers), 422)


def test_concurrent_retries_create_exactly_one_project(api: Api, owner: Caller) -> None:
    headers = {**owner.auth_headers(), **key(), **api.http.headers}
    body = {"name": f"raced {secrets.token_hex(3)}"}
    start = threading.Barrier(RETRIES)

    def attempt(_: int) -> httpx.Response:
        with httpx.Client(base_url=str(api.http.base_url), timeout=60) as client:
            start.wait()
            return client.post("/api/v1/projects", json=body, headers=headers)

    with ThreadPoolExecutor(max_workers=RETRIES) as pool:
        responses = list(pool.map(attempt, range(RETRIES)))
    statuses = sorted(response.status_code for response in responses)
    assert set(statuses) <= {201, 409}, statuses
    created = {r.json()["id"] for r in responses if r.status_code == 201}
    assert len(created) == 1, statuses
    for response in responses:
        if response.status_code == 409:
            problem(response, 409)
    assert ids(owner.get("/api/v1/projects")) == list(created)

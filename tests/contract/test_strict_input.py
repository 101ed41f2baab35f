"""A JSON value of the wrong type where a string is expected is refused, the same way in both
frameworks: 422 problem+json naming the field, pydantic's `string_type`, and nothing created."""

from __future__ import annotations

from typing import Any

import pytest

from tests.contract.client import Caller, page, problem

pytestmark = pytest.mark.full

NOT_STRINGS = [5, 1.5, True, {"a": 1}, ["x"]]
STRING_ERROR = {
    "loc": ["body", "name"],
    "msg": "Input should be a valid string",
    "type": "string_type",
}


@pytest.mark.parametrize("value", NOT_STRINGS, ids=repr)
def test_a_project_name_that_is_not_a_string_is_refused(owner: Caller, value: Any) -> None:
    body = problem(owner.post("/api/v1/projects", json={"name": value}), 422)
    assert body["errors"] == [STRING_ERROR]
    items, _ = page(owner.get("/api/v1/projects"))
    assert items == []


def test_every_mistyped_field_is_reported_in_one_problem(owner: Caller) -> None:
    body = problem(owner.post("/api/v1/projects", json={"name": 5, "description": False}), 422)
    assert [(e["loc"], e["type"]) for e in body["errors"]] == [
        (["body", "name"], "string_type"),
        (["body", "description"], "string_type"),
    ]


def test_a_task_title_that_is_a_number_is_refused(owner: Caller) -> None:
    project = owner.project(name="Strict")
    response = owner.post(f"/api/v1/projects/{project['id']}/tasks", json={"title": 42})
    body = problem(response, 422)
    assert body["errors"] == [{**STRING_ERROR, "loc": ["body", "title"]}]

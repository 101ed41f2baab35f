"""Wire formats: problem+json errors, UUIDv7 ids, RFC 3339 UTC timestamps."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from tests.contract.client import Api, Caller, problem

pytestmark = pytest.mark.full

RFC3339_UTC = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|\+00:00)$")


def assert_uuid7(value: str) -> None:
    """`value` is a UUIDv7 in canonical text form."""
    parsed = uuid.UUID(value)
    assert str(parsed) == value
    assert parsed.version == 7, value


def assert_recent_utc(value: str) -> None:
    """`value` is an RFC 3339 UTC timestamp within the last hour."""
    assert RFC3339_UTC.match(value), value
    moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    assert abs(datetime.now(UTC) - moment) < timedelta(hours=1), value


def assert_formats(obj: dict[str, Any]) -> None:
    """Every id and timestamp field of `obj` (and nested objects) is well formed."""
    for key, value in obj.items():
        if isinstance(value, dict):
            assert_formats(value)
        elif value is not None and (key == "id" or key.endswith("_id")):
            assert_uuid7(value)
        elif value is not None and key.endswith("_at"):
            assert_recent_utc(value)


def test_registration_ids_and_timestamps(api: Api) -> None:
    response = api.request(
        "POST",
        "/api/v1/auth/register",
        json={
            "email": f"fmt-{uuid.uuid4().hex[:8]}@example.com",
            "password": "x" * 16,
            "organization_name": "Formats",
        },
    )
    assert response.status_code == 201, response.text
    assert_formats(response.json())


def test_project_and_task_ids_and_timestamps(owner: Caller) -> None:
    project = owner.project()
    assert_formats(project)
    assert_formats(owner.task(project["id"]))


def test_member_and_me_ids_and_timestamps(api: Api, owner: Caller) -> None:
    assert_formats(owner.add_member(api.register(), "member"))
    assert_formats(owner.get("/api/v1/me").json())


def test_ids_are_time_ordered(owner: Caller) -> None:
    first, second = owner.project(), owner.project()
    assert uuid.UUID(first["id"]) < uuid.UUID(second["id"])


def test_validation_errors_are_problems_with_errors(owner: Caller) -> None:
    body = problem(owner.post("/api/v1/projects", json={"name": 42, "visibility": "public"}), 422)
    assert isinstance(body["errors"], list)
    assert body["errors"]


def test_a_nul_character_in_a_string_is_a_422_problem(owner: Caller) -> None:
    problem(owner.post("/api/v1/projects", json={"name": "nul\x00name"}), 422)


def test_malformed_json_is_a_422_problem(owner: Caller) -> None:
    response = owner.post(
        "/api/v1/projects", content=b"{not json", headers={"Content-Type": "application/json"}
    )
    problem(response, 422)


def test_a_malformed_id_in_the_path_is_a_problem_not_a_500(owner: Caller) -> None:
    response = owner.get("/api/v1/projects/not-a-uuid")
    assert response.status_code in {404, 422}, response.text
    problem(response, response.status_code)


def test_an_unknown_id_is_a_404_problem(owner: Caller) -> None:
    problem(owner.get(f"/api/v1/projects/{uuid.uuid4()}"), 404)


def test_an_unknown_route_is_a_404_problem(owner: Caller) -> None:
    problem(owner.get("/api/v1/no-such-thing"), 404)


def test_a_wrong_method_is_a_405_problem(owner: Caller) -> None:
    problem(owner.request("PUT", "/api/v1/projects"), 405)

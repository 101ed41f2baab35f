"""Every error is problem+json; bad input is never a 500."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tests.conftest import CHALLENGE

if TYPE_CHECKING:
    from tests.conftest import Account, Api


def _is_problem(response: object, status: int) -> dict[str, object]:
    assert response.status_code == status  # type: ignore[attr-defined]
    assert response.headers["Content-Type"] == "application/problem+json"  # type: ignore[attr-defined]
    body = response.json()  # type: ignore[attr-defined]
    assert {"type", "title", "status", "detail"} <= set(body)
    assert body["status"] == status
    return body  # type: ignore[no-any-return]


def test_unknown_route_is_a_problem(api: Api) -> None:
    _is_problem(api.get("/nope"), 404)
    _is_problem(api.get("does-not-exist"), 404)


def test_wrong_method_is_a_problem(alice: Account) -> None:
    _is_problem(alice.api.call("PUT", "projects", {}), 405)


def test_missing_credentials_is_a_401_problem(api: Api) -> None:
    response = api.get("projects")
    _is_problem(response, 401)
    assert response.headers.get("WWW-Authenticate") == CHALLENGE


def test_validation_errors_are_422_with_errors(alice: Account) -> None:
    body = _is_problem(alice.api.post("projects", {"name": ""}), 422)
    assert body["errors"]
    _is_problem(alice.api.post("projects", {"name": "x", "unknown": 1}), 422)
    _is_problem(alice.api.post("projects", [1, 2]), 422)
    _is_problem(alice.api.get("projects/not-a-uuid"), 404)


def test_malformed_json_is_422(alice: Account) -> None:
    _is_problem(alice.api.call("POST", "projects", raw=b"{not json"), 422)


def test_health_and_metrics(api: Api, alice: Account) -> None:
    alice.api.get("projects")
    assert api.get("/health/live").status_code == 200
    assert api.get("/health/ready").status_code == 200
    metrics = api.get("/metrics").content.decode()
    assert 'route="/api/v1/projects"' in metrics
    assert "db_pool_connections_in_use" in metrics
    assert "jobs_queue_depth" in metrics


def test_openapi_document(api: Api) -> None:
    response = api.get("openapi.json")
    assert response.status_code == 200
    assert "/api/v1/projects" in response.json()["paths"]

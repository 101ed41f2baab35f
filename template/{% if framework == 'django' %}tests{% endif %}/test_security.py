"""Production hardening over HTTP: body limits, deep JSON, hosts, docs, metrics, headers."""

from __future__ import annotations

import io
import json
from typing import TYPE_CHECKING, Any

import pytest
from django.test import Client, override_settings

if TYPE_CHECKING:
    from tests.conftest import Account, Api

LIMIT = 1024


def _problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.content
    assert response.headers["Content-Type"] == "application/problem+json"
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    return body


@override_settings(MAX_REQUEST_BODY_BYTES=LIMIT, DATA_UPLOAD_MAX_MEMORY_SIZE=LIMIT)
def test_a_body_over_the_limit_is_413_before_it_is_read(alice: Account) -> None:
    body = json.dumps({"name": "big", "description": "x" * LIMIT})
    problem = _problem(alice.api.call("POST", "projects", raw=body.encode()), 413)
    assert problem["type"].endswith("/problems/content-too-large")
    assert alice.api.get("projects").json()["items"] == []
    # At the limit the body is read as usual.
    fits = json.dumps({"name": "fits", "description": "y" * (LIMIT - 40)})
    assert len(fits) <= LIMIT
    assert alice.api.call("POST", "projects", raw=fits.encode()).status_code == 201


def _chunked(path: str, body: bytes) -> Any:
    """A request as gunicorn passes a chunked body on: no Content-Length, a terminated stream."""
    environ: dict[str, Any] = {
        "CONTENT_LENGTH": "",
        "CONTENT_TYPE": "application/json",
        "HTTP_TRANSFER_ENCODING": "chunked",
        "wsgi.input": io.BytesIO(body),
        "wsgi.input_terminated": True,
    }
    return Client().generic("POST", path, b"", content_type="application/json", **environ)


@override_settings(MAX_REQUEST_BODY_BYTES=LIMIT, DATA_UPLOAD_MAX_MEMORY_SIZE=LIMIT)
def test_a_chunked_body_over_the_limit_is_413_and_one_within_it_is_read(api: Api) -> None:
    del api
    oversized = json.dumps({"email": "a@example.com", "password": "p" * LIMIT}).encode()
    problem = _problem(_chunked("/api/v1/auth/register", oversized), 413)
    assert problem["type"].endswith("/problems/content-too-large")
    small = json.dumps({"email": "a@example.com"}).encode()
    refused = _problem(_chunked("/api/v1/auth/register", small), 422)
    # The body was read: the field it lacks is named, the one it has is not.
    assert {tuple(error["loc"]) for error in refused["errors"]} == {("body", "password")}


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=10)
def test_djangos_own_upload_limit_is_the_same_413_problem(alice: Account) -> None:
    problem = _problem(alice.api.post("projects", {"name": "over ten bytes"}), 413)
    assert problem["type"].endswith("/problems/content-too-large")


@pytest.mark.parametrize("path", ["projects", "auth/register"])
def test_json_nested_200000_levels_is_a_400_problem(alice: Account, path: str) -> None:
    deep = b"[" * 200_000 + b"]" * 200_000
    _problem(alice.api.call("POST", path, raw=deep), 400)


def test_an_unknown_host_is_a_400_problem_but_health_answers(api: Api) -> None:
    del api
    client = Client(HTTP_HOST="evil.example")
    response = client.get("/api/v1/openapi.json")
    _problem(response, 400)
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert client.get("/health/live").status_code == 200


def test_every_response_carries_the_security_headers(api: Api) -> None:
    for response in (api.get("/health/live"), api.get("projects"), api.get("/nope")):
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["X-Frame-Options"] == "DENY"
        assert response.headers["Referrer-Policy"] == "no-referrer"
        assert "Strict-Transport-Security" not in response.headers
    with override_settings(APP_ENV="production"):
        response = api.get("/health/live")
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


def test_api_docs_can_be_turned_off(api: Api) -> None:
    assert api.get("openapi.json").status_code == 200
    with override_settings(API_DOCS_ENABLED=False):
        _problem(api.get("openapi.json"), 404)


def test_metrics_need_the_token_when_one_is_set(api: Api) -> None:
    assert api.get("/metrics").status_code == 200
    with override_settings(METRICS_TOKEN="s3cret-metrics-token"):
        _problem(api.get("/metrics"), 401)
        _problem(api.get("/metrics", headers={"Authorization": "Bearer wrong"}), 401)
        allowed = api.get("/metrics", headers={"Authorization": "Bearer s3cret-metrics-token"})
        assert allowed.status_code == 200
        assert b"db_pool_connections_in_use" in allowed.content
    with override_settings(APP_ENV="production", METRICS_TOKEN=""):
        _problem(api.get("/metrics"), 404)

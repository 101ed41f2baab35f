"""Every error leaves as RFC 9457 problem+json, whatever raised it."""

from __future__ import annotations

import httpx

from tests.factories import create_project, signup
from tests.problems import assert_problem


async def test_unknown_route_is_a_problem_404(client: httpx.AsyncClient) -> None:
    assert_problem(await client.get("/api/v1/no-such-route"), 404)


async def test_unknown_route_outside_the_api_is_a_problem_404(client: httpx.AsyncClient) -> None:
    assert_problem(await client.get("/index.php"), 404)


async def test_method_not_allowed_is_a_problem_405(client: httpx.AsyncClient) -> None:
    account = await signup(client)
    response = await client.put("/api/v1/projects", json={}, headers=account.headers)
    assert_problem(response, 405)
    assert "allow" in response.headers


async def test_method_not_allowed_lists_every_method_of_the_path(
    client: httpx.AsyncClient,
) -> None:
    response = await client.put("/api/v1/projects")
    assert_problem(response, 405)
    assert set(response.headers["allow"].split(", ")) == {"GET", "POST"}


async def test_malformed_json_body_is_a_problem_422_with_errors(
    client: httpx.AsyncClient,
) -> None:
    account = await signup(client)
    response = await client.post(
        "/api/v1/projects",
        content=b'{"name": "unterminated',
        headers={**account.headers, "Content-Type": "application/json"},
    )
    body = assert_problem(response, 422)
    assert isinstance(body["errors"], list)
    assert body["errors"]


async def test_validation_error_lists_each_invalid_field(client: httpx.AsyncClient) -> None:
    account = await signup(client)
    response = await client.post(
        "/api/v1/projects",
        json={"name": "", "visibility": "everyone"},
        headers=account.headers,
    )
    body = assert_problem(response, 422)
    fields = {error["loc"][-1] for error in body["errors"]}
    assert fields == {"name", "visibility"}
    for error in body["errors"]:
        assert error["loc"][0] == "body"
        assert error["msg"]
        assert error["type"]


async def test_missing_required_field_is_listed(client: httpx.AsyncClient) -> None:
    account = await signup(client)
    response = await client.post("/api/v1/projects", json={}, headers=account.headers)
    body = assert_problem(response, 422)
    assert [error["loc"] for error in body["errors"]] == [["body", "name"]]
    assert body["errors"][0]["type"] == "missing"


async def test_non_uuid_path_id_is_a_problem_422(client: httpx.AsyncClient) -> None:
    account = await signup(client)
    response = await client.get("/api/v1/projects/not-a-uuid", headers=account.headers)
    body = assert_problem(response, 422)
    assert any("project_id" in error["loc"] for error in body["errors"])


async def test_non_uuid_task_id_is_a_problem_422(client: httpx.AsyncClient) -> None:
    account = await signup(client)
    response = await client.delete("/api/v1/tasks/42", headers=account.headers)
    assert_problem(response, 422)


async def test_invalid_query_parameter_is_a_problem_422(client: httpx.AsyncClient) -> None:
    account = await signup(client)
    response = await client.get("/api/v1/projects?limit=many", headers=account.headers)
    body = assert_problem(response, 422)
    assert any("limit" in error["loc"] for error in body["errors"])


async def test_unauthenticated_request_is_a_problem_401(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/v1/projects")
    assert_problem(response, 401)


async def test_conflict_problem_explains_the_cause(client: httpx.AsyncClient) -> None:
    account = await signup(client)
    project = await create_project(client, account)
    conflict = await client.post(
        "/api/v1/projects", json={"name": project["name"]}, headers=account.headers
    )
    body = assert_problem(conflict, 409)
    assert body["title"] == "Conflict"
    assert project["name"] in body["detail"]


async def test_problem_title_is_the_status_phrase(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/v1/no-such-route")
    assert assert_problem(response, 404)["title"] == "Not Found"


async def test_a_nul_character_in_a_body_string_is_a_problem_422(
    client: httpx.AsyncClient,
) -> None:
    # PostgreSQL text cannot store NUL; it must be refused before it reaches the database.
    account = await signup(client)
    response = await client.post(
        "/api/v1/projects", json={"name": "nul\x00name"}, headers=account.headers
    )
    body = assert_problem(response, 422)
    assert [error["loc"] for error in body["errors"]] == [["body", "name"]]


async def test_a_body_that_is_not_utf8_is_a_problem_400(client: httpx.AsyncClient) -> None:
    account = await signup(client)
    response = await client.post(
        "/api/v1/projects",
        content=b"\xff{\xfe",
        headers={**account.headers, "Content-Type": "application/json"},
    )
    assert_problem(response, 400)

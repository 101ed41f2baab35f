"""The OpenAPI document describes the errors the API really returns."""

from __future__ import annotations

import httpx


async def test_the_openapi_document_is_served_under_api_v1(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response.json()["openapi"].startswith("3.")


async def test_validation_errors_are_documented_as_problem_json(client: httpx.AsyncClient) -> None:
    document = (await client.get("/api/v1/openapi.json")).json()
    operation = document["paths"]["/api/v1/projects"]["post"]
    content = operation["responses"]["422"]["content"]
    assert list(content) == ["application/problem+json"]
    schema = content["application/problem+json"]["schema"]
    assert schema["title"] == "Problem"
    assert {"type", "title", "status", "detail", "errors"} <= set(schema["properties"])
    assert "HTTPValidationError" not in document["components"]["schemas"]


async def test_every_api_operation_documents_its_problem_responses(
    client: httpx.AsyncClient,
) -> None:
    document = (await client.get("/api/v1/openapi.json")).json()
    for path, item in document["paths"].items():
        if not path.startswith("/api/v1/"):
            continue
        for method, operation in item.items():
            documented = operation["responses"]
            for status in ("401", "403", "404", "422"):
                content = documented[status]["content"]
                assert "application/problem+json" in content, f"{method} {path} {status}"

"""GET /metrics: latency by route template and status, DB pool in use, queue depth."""

from __future__ import annotations

import uuid

import httpx
from prometheus_client.parser import text_string_to_metric_families
from prometheus_client.samples import Sample

from tests.factories import create_project, signup


async def scrape(client: httpx.AsyncClient) -> dict[str, list[Sample]]:
    """The samples of every metric family, by family name."""
    response = await client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    return {
        family.name: list(family.samples)
        for family in text_string_to_metric_families(response.text)
    }


def request_count(samples: dict[str, list[Sample]], method: str, route: str, status: str) -> float:
    """How many requests the latency histogram counted for these labels."""
    wanted = {"method": method, "route": route, "status": status}
    return sum(
        sample.value
        for sample in samples.get("http_request_duration_seconds", [])
        if sample.name == "http_request_duration_seconds_count" and sample.labels == wanted
    )


async def test_latency_is_labelled_by_route_template(client: httpx.AsyncClient) -> None:
    account = await signup(client)
    project = await create_project(client, account)
    route = "/api/v1/projects/{project_id}"
    before = request_count(await scrape(client), "GET", route, "200")
    read = await client.get(f"/api/v1/projects/{project['id']}", headers=account.headers)
    assert read.status_code == 200
    after = await scrape(client)
    assert request_count(after, "GET", route, "200") == before + 1
    labels = {s.labels.get("route") for s in after["http_request_duration_seconds"]}
    assert f"/api/v1/projects/{project['id']}" not in labels


async def test_latency_is_labelled_by_status(client: httpx.AsyncClient) -> None:
    account = await signup(client)
    route = "/api/v1/projects/{project_id}"
    before = request_count(await scrape(client), "GET", route, "404")
    missing = await client.get(f"/api/v1/projects/{uuid.uuid4()}", headers=account.headers)
    assert missing.status_code == 404
    assert request_count(await scrape(client), "GET", route, "404") == before + 1


async def test_unmatched_paths_share_one_route_label(client: httpx.AsyncClient) -> None:
    path = f"/scanner/{uuid.uuid4()}"
    await client.get(path)
    samples = await scrape(client)
    labels = {s.labels.get("route") for s in samples["http_request_duration_seconds"]}
    assert path not in labels
    assert request_count(samples, "GET", "unmatched", "404") >= 1


async def test_latency_histogram_has_buckets_around_200_ms(client: httpx.AsyncClient) -> None:
    await client.get("/health/live")
    samples = await scrape(client)
    bounds = {
        s.labels["le"]
        for s in samples["http_request_duration_seconds"]
        if s.name.endswith("_bucket")
    }
    assert "0.2" in bounds


async def test_db_pool_connections_in_use_is_exposed(client: httpx.AsyncClient) -> None:
    samples = await scrape(client)
    values = [s.value for s in samples["db_pool_connections_in_use"]]
    assert len(values) == 1
    assert values[0] >= 0


async def test_jobs_queue_depth_counts_waiting_jobs(client: httpx.AsyncClient) -> None:
    await signup(client)  # queues a verification e-mail
    samples = await scrape(client)
    depth = {s.labels["queue"]: s.value for s in samples["jobs_queue_depth"]}
    assert depth["default"] >= 1

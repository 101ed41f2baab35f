"""Project export: queued by the request, run by the worker, polled through /jobs."""

from __future__ import annotations

import time
import uuid
from typing import Any

import httpx
import psycopg

from tests.factories import Account, create_project, create_task, member_of, signup
from tests.jobs.conftest import RunJobs
from tests.problems import assert_problem

Owner = psycopg.AsyncConnection[tuple[object, ...]]
REQUEST_BUDGET_SECONDS = 0.2


async def export(client: httpx.AsyncClient, account: Account, project_id: str) -> str:
    """Queue an export; return its job id."""
    response = await client.post(f"/api/v1/projects/{project_id}/export", headers=account.headers)
    assert response.status_code == 202, response.text
    job_id: str = response.json()["job_id"]
    return job_id


async def job(client: httpx.AsyncClient, account: Account, job_id: str) -> dict[str, Any]:
    """GET /jobs/{id}."""
    response = await client.get(f"/api/v1/jobs/{job_id}", headers=account.headers)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def test_export_is_accepted_with_a_job_id(client: httpx.AsyncClient) -> None:
    account = await signup(client)
    project = await create_project(client, account)
    response = await client.post(
        f"/api/v1/projects/{project['id']}/export", headers=account.headers
    )
    assert response.status_code == 202, response.text
    assert set(response.json()) == {"job_id"}
    assert uuid.UUID(response.json()["job_id"]).version == 7


async def test_new_export_job_is_queued(client: httpx.AsyncClient) -> None:
    account = await signup(client)
    project = await create_project(client, account)
    body = await job(client, account, await export(client, account, project["id"]))
    assert body["status"] == "queued"
    assert body["result"] is None
    assert body["finished_at"] is None


async def test_export_request_returns_before_the_work_runs(
    client: httpx.AsyncClient, owner: Owner
) -> None:
    account = await signup(client)
    project = await create_project(client, account)
    for _ in range(3):
        await create_task(client, account, project["id"])
    job_id = await export(client, account, project["id"])
    assert (await job(client, account, job_id))["status"] == "queued"
    cursor = await owner.execute(
        "SELECT q.status::text FROM procrastinate_jobs q"
        " WHERE q.task_name = 'export_project' AND q.args->>'job_id' = %s",
        (job_id,),
    )
    assert await cursor.fetchall() == [("todo",)]


async def test_export_request_takes_under_200_ms(client: httpx.AsyncClient) -> None:
    account = await signup(client)
    project = await create_project(client, account)
    for _ in range(20):
        await create_task(client, account, project["id"])
    await export(client, account, project["id"])  # warm the route's code paths
    started = time.perf_counter()
    response = await client.post(
        f"/api/v1/projects/{project['id']}/export", headers=account.headers
    )
    elapsed = time.perf_counter() - started
    assert response.status_code == 202
    assert elapsed < REQUEST_BUDGET_SECONDS, f"export took {elapsed * 1000:.0f} ms"


async def test_worker_completes_the_export_with_the_projects_tasks(
    client: httpx.AsyncClient, run_jobs: RunJobs
) -> None:
    owner = await signup(client)
    member = await member_of(client, owner, "member")
    project = await create_project(client, owner, name="Exported")
    first = await create_task(client, owner, project["id"], assignee_id=member.user_id)
    second = await create_task(client, owner, project["id"])
    done = await client.patch(
        f"/api/v1/tasks/{second['id']}", json={"status": "done"}, headers=owner.headers
    )
    assert done.status_code == 200
    job_id = await export(client, owner, project["id"])

    await run_jobs()

    body = await job(client, owner, job_id)
    assert body["status"] == "succeeded", body
    assert body["error"] is None
    assert body["finished_at"] is not None
    assert body["finished_at"].endswith("Z")
    result = body["result"]
    assert result["project"] == {"id": project["id"], "name": "Exported", "status": "active"}
    assert result["tasks"] == [
        {
            "id": first["id"],
            "title": first["title"],
            "status": "open",
            "assignee_id": member.user_id,
        },
        {"id": second["id"], "title": second["title"], "status": "done", "assignee_id": None},
    ]


async def test_export_leaves_out_deleted_tasks(
    client: httpx.AsyncClient, run_jobs: RunJobs
) -> None:
    account = await signup(client)
    project = await create_project(client, account)
    kept = await create_task(client, account, project["id"])
    gone = await create_task(client, account, project["id"])
    await client.delete(f"/api/v1/tasks/{gone['id']}", headers=account.headers)
    job_id = await export(client, account, project["id"])
    await run_jobs()
    body = await job(client, account, job_id)
    assert [t["id"] for t in body["result"]["tasks"]] == [kept["id"]]


async def test_another_organizations_job_is_not_found(
    client: httpx.AsyncClient, run_jobs: RunJobs
) -> None:
    account = await signup(client)
    stranger = await signup(client)
    project = await create_project(client, account)
    job_id = await export(client, account, project["id"])
    assert_problem(await client.get(f"/api/v1/jobs/{job_id}", headers=stranger.headers), 404)
    await run_jobs()
    assert_problem(await client.get(f"/api/v1/jobs/{job_id}", headers=stranger.headers), 404)


async def test_unknown_job_is_not_found(client: httpx.AsyncClient) -> None:
    account = await signup(client)
    response = await client.get(f"/api/v1/jobs/{uuid.uuid4()}", headers=account.headers)
    assert_problem(response, 404)

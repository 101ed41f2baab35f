"""A worker killed in the middle of a job: the job is retried by another and completes once."""

from __future__ import annotations

import asyncio
import subprocess
import time
from typing import TYPE_CHECKING, Any

import pytest

from tests.faults.accounts import Account, sign_up
from tests.serving import postgres_bin

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable

    from tests.serving import Served

pytestmark = pytest.mark.full

# A killed worker's jobs are retried after 3 s of silence instead of 30 (framework-neutral names).
WORKER_ENV = {"WORKER_HEARTBEAT_SECONDS": "1", "WORKER_STALLED_AFTER_SECONDS": "3"}
TASKS = 3
WAIT_SECONDS = 40.0
RETRIED_BOUND_SECONDS = 20.0
# How long the queue may take to record a finished job after the app's row says so.
QUEUE_SETTLE_SECONDS = 10.0
# Every `tasks` table (one per tenant schema with schema tenancy), locked as the owner,
# holds the export in the middle: its job row is `running`, its read of tasks waits.
LOCK_TASKS = """
BEGIN;
DO $$
DECLARE tasks regclass;
BEGIN
    FOR tasks IN SELECT oid::regclass FROM pg_class WHERE relname = 'tasks' AND relkind = 'r' LOOP
        EXECUTE format('LOCK TABLE %s IN ACCESS EXCLUSIVE MODE', tasks);
    END LOOP;
END $$;
SELECT 'locked';
"""
WAITING_FOR_TASKS = (
    "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation"
    " WHERE NOT l.granted AND c.relname = 'tasks'"
)


class TableLock:
    """A psql session holding LOCK_TASKS until released."""

    def __init__(self, dsn: str) -> None:
        self.session = subprocess.Popen(
            [str(postgres_bin("psql")), "-XAtq", "-v", "ON_ERROR_STOP=1", dsn],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.session.stdin is not None
        assert self.session.stdout is not None
        self.session.stdin.write(LOCK_TASKS)
        self.session.stdin.flush()
        assert self.session.stdout.readline().strip() == "locked"

    def release(self) -> None:
        """Commit and end the session."""
        if self.session.poll() is None:
            self.session.communicate("COMMIT;\n", timeout=10)


async def _job(account: Account, job_id: str) -> dict[str, Any]:
    response = await account.http.get(f"/api/v1/jobs/{job_id}")
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def _wait_for(
    what: str, check: Callable[[], Awaitable[bool]], timeout: float = WAIT_SECONDS
) -> None:
    deadline = time.monotonic() + timeout
    while not await check():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}", pytrace=False)
        await asyncio.sleep(0.2)


async def _scenario(served: Served) -> dict[str, Any]:
    account = await sign_up(served.base_url, served.answers["auth_transport"], "worker")
    try:
        created = await account.http.post("/api/v1/projects", json={"name": "exported"})
        assert created.status_code == 201, created.text
        project_id = created.json()["id"]
        task_ids = []
        for number in range(TASKS):
            task = await account.http.post(
                f"/api/v1/projects/{project_id}/tasks", json={"title": f"task {number}"}
            )
            assert task.status_code == 201, task.text
            task_ids.append(task.json()["id"])
        lock = await asyncio.to_thread(TableLock, served.owner_dsn)
        try:
            exported = await account.http.post(f"/api/v1/projects/{project_id}/export")
            assert exported.status_code == 202, exported.text
            job_id = exported.json()["job_id"]
            doomed = served.start_worker(WORKER_ENV)

            async def blocked() -> bool:
                waiting = await asyncio.to_thread(served.database.psql, WAITING_FOR_TASKS)
                return int(waiting) > 0

            await _wait_for("the export to wait for the tasks lock", blocked)
            assert (await _job(account, job_id))["status"] == "running"
            await asyncio.to_thread(doomed.kill)
        finally:
            await asyncio.to_thread(lock.release)
        killed_at = time.monotonic()
        survivor = served.start_worker(WORKER_ENV)
        try:

            async def finished() -> bool:
                return (await _job(account, job_id))["status"] in {"succeeded", "failed"}

            await _wait_for("the retried export to finish", finished)
            # The queue records the end of a job after the job's own transaction commits
            # (which the API shows): read its rows once settled, before the survivor stops
            # (a stop in between could cut that bookkeeping short).
            queue_rows = await asyncio.to_thread(_settled_queue_rows, served, job_id)
        finally:
            await asyncio.to_thread(survivor.stop)
        body = await _job(account, job_id)
        body["queue_rows"] = queue_rows
        body["retried_seconds"] = time.monotonic() - killed_at
        body["expected"] = {"project_id": project_id, "task_ids": sorted(task_ids)}
        return body
    finally:
        await account.http.aclose()


def test_a_job_whose_worker_is_killed_midway_completes_once_on_another(served: Served) -> None:
    started = time.monotonic()
    body = asyncio.run(_scenario(served))
    print(
        f"worker killed mid-job: retried and done {body['retried_seconds']:.1f}s after the kill,"
        f" scenario {time.monotonic() - started:.1f}s"
    )

    assert body["status"] == "succeeded", body
    assert body["result"]["project"]["id"] == body["expected"]["project_id"]
    exported = sorted(task["id"] for task in body["result"]["tasks"])
    assert exported == body["expected"]["task_ids"]
    assert body["retried_seconds"] < RETRIED_BOUND_SECONDS
    # One queue job; two attempts: the killed one and the one that succeeded.
    assert body["queue_rows"] == ["succeeded|2"]


def _settled_queue_rows(served: Served, job_id: str) -> list[str]:
    """The queue's rows (status|attempts) of the app's job, once none is still in flight."""
    deadline = time.monotonic() + QUEUE_SETTLE_SECONDS
    while True:
        rows = served.database.psql(
            f"SELECT status, attempts FROM procrastinate_jobs WHERE args->>'job_id' = '{job_id}'"  # noqa: S608 - a UUID the app returned
        ).split()
        in_flight = [row for row in rows if row.split("|")[0] in {"todo", "doing"}]
        if not in_flight or time.monotonic() > deadline:
            return rows
        time.sleep(0.1)

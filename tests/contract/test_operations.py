"""Health, metrics, and the export that runs in the background job queue."""

from __future__ import annotations

import re
import time
from typing import TYPE_CHECKING

import httpx
import pytest

from tests.contract.client import Caller, problem

if TYPE_CHECKING:
    from tests.serving import Served

pytestmark = pytest.mark.full

JOB_STATUSES = {"queued", "running", "succeeded", "failed"}


def test_liveness_and_readiness(served: Served) -> None:
    assert httpx.get(served.url("/health/live")).status_code == 200
    assert httpx.get(served.url("/health/ready")).status_code == 200


def test_metrics_histogram_is_labelled_by_route_template_and_status(
    served: Served, owner: Caller
) -> None:
    project = owner.project()
    owner.get(f"/api/v1/projects/{project['id']}")
    text = httpx.get(served.url("/metrics")).text
    buckets = [line for line in text.splitlines() if "_bucket{" in line]
    # A template names its parameter ({project_id}, <uuid:pk>, ...), never a concrete id.
    template = re.compile(r'="/?api/v1/projects/[{<][^"/]+[}>]/?"')
    templated = [line for line in buckets if template.search(line)]
    assert templated, "no latency bucket labelled with the project route template"
    assert any('"200"' in line for line in templated)
    assert project["id"] not in text  # ids would explode the label cardinality


def test_metrics_report_pool_and_queue(served: Served) -> None:
    names = {
        line.split("{")[0].split(" ")[0]
        for line in httpx.get(served.url("/metrics")).text.splitlines()
        if line and not line.startswith("#")
    }
    assert any("pool" in name for name in names), names
    assert any("queue" in name or "jobs" in name for name in names), names


def test_export_is_accepted_and_queued(owner: Caller) -> None:
    project = owner.project()
    response = owner.post(f"/api/v1/projects/{project['id']}/export")
    assert response.status_code == 202, response.text
    job = owner.get(f"/api/v1/jobs/{response.json()['job_id']}")
    assert job.status_code == 200, job.text
    assert job.json()["status"] in JOB_STATUSES


def test_a_worker_runs_the_export_to_success(served: Served, owner: Caller) -> None:
    project = owner.project()
    owner.task(project["id"])
    job_id = owner.post(f"/api/v1/projects/{project['id']}/export").json()["job_id"]
    worker = served.start_worker()
    try:
        deadline = time.monotonic() + 60
        status = "queued"
        while time.monotonic() < deadline and status in {"queued", "running"}:
            status = owner.get(f"/api/v1/jobs/{job_id}").json()["status"]
            time.sleep(0.3)
    finally:
        worker.stop()
    assert status == "succeeded"


def test_a_job_of_another_organization_is_404(owner: Caller, outsider: Caller) -> None:
    job_id = owner.post(f"/api/v1/projects/{owner.project()['id']}/export").json()["job_id"]
    problem(outsider.get(f"/api/v1/jobs/{job_id}"), 404)

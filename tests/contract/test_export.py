"""Whole-organization export (CONTRACT.md "Whole-organization export"): a background job
writes one zip of JSON Lines and a manifest holding every row the organization owns and
nothing of another organization's or any secret; only `organization:manage` downloads it."""

from __future__ import annotations

import io
import json
import re
import time
import zipfile
from typing import TYPE_CHECKING, Any

import pytest

from tests.contract.client import problem
from tests.contract.test_api_keys import new_key
from tests.contract.test_teams import member_of

if TYPE_CHECKING:
    import httpx

    from tests.contract.client import Api, Caller
    from tests.serving import Process, Served

pytestmark = pytest.mark.full

EXPORT = "/api/v1/organization/export"
# The audit log's rule for the names of secrets: none of these columns is exported.
SECRET = re.compile(r"(^|_)(password|token|key|secret)$|_hash$")


def finished_job(caller: Caller, job_id: str, timeout: float = 90) -> dict[str, Any]:
    """The job once it succeeded or failed (the worker runs it)."""
    deadline = time.monotonic() + timeout
    while True:
        response = caller.get(f"/api/v1/jobs/{job_id}")
        assert response.status_code == 200, response.text
        job: dict[str, Any] = response.json()
        if job["status"] in {"succeeded", "failed"} or time.monotonic() > deadline:
            return job
        time.sleep(0.3)


def export(caller: Caller) -> tuple[dict[str, Any], httpx.Response]:
    """Export the caller's organization; the succeeded job and the download's response."""
    response = caller.post(EXPORT)
    assert response.status_code == 202, response.text
    job = finished_job(caller, response.json()["job_id"])
    assert job["status"] == "succeeded", job
    download = caller.get(job["result"]["download_url"])
    assert download.status_code == 200, download.text
    return job, download


def archive(download: httpx.Response) -> dict[str, list[dict[str, Any]]]:
    """The archive's tables (`manifest.json` under its own name) as lists of rows."""
    assert download.headers["content-type"].startswith("application/zip"), download.headers
    assert "attachment" in download.headers.get("content-disposition", ""), download.headers
    with zipfile.ZipFile(io.BytesIO(download.content)) as zipped:
        tables: dict[str, list[dict[str, Any]]] = {
            "manifest.json": [json.loads(zipped.read("manifest.json"))]
        }
        for name in zipped.namelist():
            if name.endswith(".jsonl"):
                lines = zipped.read(name).decode().splitlines()
                tables[name] = [json.loads(line) for line in lines if line]
    return tables


def test_the_archive_holds_the_organization_and_nothing_else(
    api: Api, owner: Caller, outsider: Caller, worker: Process
) -> None:
    del worker
    mine = owner.project(name="exported")
    task = owner.task(mine["id"], title="exported task")
    theirs = outsider.project(name="not ours")
    member = member_of(api, owner, "member")
    secret = new_key(owner, "projects:read")["key"]

    job, download = export(owner)
    tables = archive(download)
    manifest = tables.pop("manifest.json")[0]
    assert manifest["organization_id"] == owner.organization_id
    assert manifest["schema_revision"], manifest
    listed = {entry["file"]: entry["rows"] for entry in manifest["tables"].values()}
    assert listed == {name: len(rows) for name, rows in tables.items()}, (listed, tables.keys())
    assert job["result"]["tables"] == {
        table: entry["rows"] for table, entry in manifest["tables"].items()
    }

    text = download.content.decode("latin-1")
    everything = json.dumps(tables)
    assert mine["id"] in everything
    assert task["id"] in everything
    assert member.account.user_id in everything
    assert theirs["id"] not in everything
    assert outsider.account.user_id not in everything
    assert outsider.organization_id not in everything
    # No secret, by name or by value.
    for name, rows in tables.items():
        for row in rows:
            named = [column for column in row if SECRET.search(column)]
            assert not named, (name, named)
    assert secret not in everything
    assert secret not in text


def test_only_organization_managers_export_and_download(
    api: Api, owner: Caller, outsider: Caller, worker: Process
) -> None:
    del worker
    # Owners hold organization:manage; the other roles do not.
    callers = [member_of(api, owner, role) for role in ("admin", "member", "viewer")]
    for caller in callers:
        problem(caller.post(EXPORT), 403)
    job, _ = export(owner)
    url = job["result"]["download_url"]
    for caller in callers:
        problem(caller.get(url), 403)
    problem(outsider.get(url), 404)


def test_an_export_is_idempotent_with_a_key(owner: Caller) -> None:
    headers = {"Idempotency-Key": "export-once"}
    first = owner.post(EXPORT, headers=headers)
    again = owner.post(EXPORT, headers=headers)
    assert first.status_code == again.status_code == 202, (first.text, again.text)
    assert again.json() == first.json()
    assert again.headers.get("Idempotent-Replayed") == "true"


def test_an_unknown_or_malformed_export_is_not_found(owner: Caller) -> None:
    unknown = "/api/v1/organization/exports/0190a0a0-0000-7000-8000-000000000000"
    problem(owner.get(unknown), 404)
    assert owner.get("/api/v1/organization/exports/not-an-id").status_code in {404, 422}


def test_the_export_is_in_the_audit_log(owner: Caller) -> None:
    response = owner.post(EXPORT)
    assert response.status_code == 202, response.text
    items = owner.get("/api/v1/audit-events", params={"action": "organization.exported"})
    assert items.status_code == 200, items.text
    assert [event["target"]["id"] for event in items.json()["items"]] == [owner.organization_id]


def test_the_served_project_documents_the_export(served: Served) -> None:
    assert "EXPORT_DOWNLOAD_DAYS" in (served.project_dir / ".env.example").read_text()

"""The tests `new-domain` writes for a domain: CRUD, pagination, idempotency, permissions
and tenant isolation, through the API as a client sees it."""

from __future__ import annotations

import re
from pathlib import Path
from string import Template

from .kinds import KINDS
from .spec import Field, Spec

_FACTORY = re.compile(r"^async def (create_\w+)\(", re.MULTILINE)


def reference_factories(root: Path) -> dict[str, tuple[str, str]]:
    """Per tenant table a reference may point at: the import and the expression (awaited
    with `client` and `account` in scope) that create one in a test."""
    found = {
        "projects": (
            "from tests.factories import create_project",
            '(await create_project(client, account))["id"]',
        ),
        "tasks": (
            "from tests.factories import create_project, create_task",
            (
                "(await create_task(client, account, (await create_project(client, account))"
                '["id"]))["id"]'
            ),
        ),
    }
    for factories in sorted((root / "tests").glob("*/factories.py")):
        match = _FACTORY.search(factories.read_text())
        if match is not None:
            domain = factories.parent.name
            found[domain] = (
                f"from tests.{domain}.factories import {match[1]}",
                f'(await {match[1]}(client, account))["id"]',
            )
    return found


def _samples(spec: Spec, index: int) -> str:
    return "\n".join(
        f'    "{f.column}": {KINDS[f.kind].samples[index]},' for f in spec.fields if f.kind != "ref"
    )


def factories(spec: Spec, refs: dict[str, tuple[str, str]], names: dict[str, str]) -> str:
    """tests/<name>/factories.py: what the domain's tests (and its referrers') create."""
    imports = sorted({refs[f.target][0] for f in spec.fields if f.kind == "ref" and f.target})
    referenced = "\n".join(
        f'    if "{f.column}" not in fields:\n        payload["{f.column}"] = {refs[f.target][1]}'
        for f in spec.fields
        if f.kind == "ref" and f.target
    )
    return Template(
        '''"""Test data of ${label_plural}: sample values, and a factory through the API."""

from __future__ import annotations

from typing import Any

import httpx

${imports}

URL = "/api/v1/${url}"
# What the tests send, and what they change it to (references are created per test).
SAMPLE: dict[str, Any] = {
${sample}
}
CHANGED: dict[str, Any] = {
${changed}
}


async def create_${singular}(
    client: httpx.AsyncClient, account: Account, **fields: Any
) -> dict[str, Any]:
    """A ${label} of `account`'s organization, with whatever it refers to."""
    payload = {**SAMPLE, **fields}
${referenced}
    response = await client.post(URL, json=payload, headers=account.headers)
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body
'''
    ).substitute(
        names,
        imports="\n".join([*imports, "from tests.factories import Account"]),
        sample=_samples(spec, 0),
        changed=_samples(spec, 1),
        referenced=referenced,
    )


def _reference_test(field: Field, names: dict[str, str]) -> str:
    return Template(
        """

async def test_a_missing_${column}_is_422(client: httpx.AsyncClient) -> None:
    account = await signup(client)
    response = await client.post(
        URL,
        json={**SAMPLE, "${column}": "0193a1b2-0000-7000-8000-0000000000ff"},
        headers=account.headers,
    )
    assert_problem(response, 422)


async def test_a_${column}_of_another_organization_is_422(client: httpx.AsyncClient) -> None:
    account, other = await signup(client), await signup(client)
    theirs = await create_${singular}(client, other)
    response = await client.post(
        URL, json={**SAMPLE, "${column}": theirs["${column}"]}, headers=account.headers
    )
    assert_problem(response, 422)
"""
    ).substitute(names, column=field.column)


def api_tests(spec: Spec, names: dict[str, str]) -> str:
    """tests/<name>/test_<name>_api.py."""
    fields = ["id", *(f.column for f in spec.fields), "created_by_id", "created_at", "updated_at"]
    references = "".join(_reference_test(f, names) for f in spec.fields if f.kind == "ref")
    return Template(
        '''"""/api/v1/${url}: create, read, update, soft delete, list, idempotency, permissions
and tenant isolation (written by `new-domain`; extend them as the domain grows)."""

from __future__ import annotations

import secrets

import httpx

from tests.${name}.factories import CHANGED, SAMPLE, URL, create_${singular}
from tests.factories import member_of, signup
from tests.problems import assert_problem

FIELDS = {${fields}}


async def test_create_returns_every_field(client: httpx.AsyncClient) -> None:
    account = await signup(client)
    created = await create_${singular}(client, account)
    assert set(created) == FIELDS
    assert {name: created[name] for name in SAMPLE} == SAMPLE
    assert created["created_by_id"] == account.user_id


async def test_read_returns_what_create_returned(client: httpx.AsyncClient) -> None:
    account = await signup(client)
    created = await create_${singular}(client, account)
    response = await client.get(f"{URL}/{created['id']}", headers=account.headers)
    assert response.status_code == 200, response.text
    assert response.json() == created


async def test_create_refuses_a_missing_field_and_an_unknown_one(
    client: httpx.AsyncClient,
) -> None:
    account = await signup(client)
    assert_problem(await client.post(URL, json={}, headers=account.headers), 422)
    unknown = {**SAMPLE, "tenant_id": account.organization_id}
    assert_problem(await client.post(URL, json=unknown, headers=account.headers), 422)


async def test_update_changes_the_fields_sent(client: httpx.AsyncClient) -> None:
    account = await signup(client)
    created = await create_${singular}(client, account)
    response = await client.patch(
        f"{URL}/{created['id']}", json=CHANGED, headers=account.headers
    )
    assert response.status_code == 200, response.text
    assert {name: response.json()[name] for name in CHANGED} == CHANGED
    again = await client.get(f"{URL}/{created['id']}", headers=account.headers)
    assert again.json() == response.json()


async def test_delete_is_soft_and_hides_the_row(client: httpx.AsyncClient) -> None:
    account = await signup(client)
    created = await create_${singular}(client, account)
    path = f"{URL}/{created['id']}"
    assert (await client.delete(path, headers=account.headers)).status_code == 204
    assert_problem(await client.get(path, headers=account.headers), 404)
    assert_problem(await client.delete(path, headers=account.headers), 404)
    listed = (await client.get(URL, headers=account.headers)).json()["items"]
    assert created["id"] not in [item["id"] for item in listed]


async def test_the_list_pages_newest_first(client: httpx.AsyncClient) -> None:
    account = await signup(client)
    ids = [(await create_${singular}(client, account))["id"] for _ in range(3)]
    first = await client.get(f"{URL}?limit=2", headers=account.headers)
    assert first.status_code == 200, first.text
    page = first.json()
    assert [item["id"] for item in page["items"]] == ids[:0:-1]
    assert set(page["items"][0]) == FIELDS
    rest = await client.get(f"{URL}?limit=2&cursor={page['next_cursor']}", headers=account.headers)
    assert [item["id"] for item in rest.json()["items"]] == ids[:1]
    assert rest.json()["next_cursor"] is None


async def test_a_limit_out_of_range_or_a_bad_cursor_is_422(client: httpx.AsyncClient) -> None:
    account = await signup(client)
    for query in ("limit=0", "limit=101", "cursor=not-a-cursor"):
        assert_problem(await client.get(f"{URL}?{query}", headers=account.headers), 422)


async def test_a_keyed_create_replays_and_never_creates_twice(client: httpx.AsyncClient) -> None:
    account = await signup(client)
    first = await create_${singular}(client, account)
    body = {name: first[name] for name in first if name in SAMPLE or name.endswith("_id")}
    del body["created_by_id"]
    headers = {**account.headers, "Idempotency-Key": secrets.token_urlsafe(16)}
    once = await client.post(URL, json=body, headers=headers)
    twice = await client.post(URL, json=body, headers=headers)
    assert once.status_code == twice.status_code == 201, twice.text
    assert twice.json() == once.json()
    assert twice.headers["idempotent-replayed"] == "true"
    other = await client.post(URL, json={**body, **CHANGED}, headers=headers)
    assert_problem(other, 422)
    listed = (await client.get(URL, headers=account.headers)).json()["items"]
    assert [item["id"] for item in listed].count(once.json()["id"]) == 1


async def test_another_organizations_row_is_404(client: httpx.AsyncClient) -> None:
    account, other = await signup(client), await signup(client)
    theirs = await create_${singular}(client, other)
    path = f"{URL}/{theirs['id']}"
    assert_problem(await client.get(path, headers=account.headers), 404)
    assert_problem(await client.patch(path, json=CHANGED, headers=account.headers), 404)
    assert_problem(await client.delete(path, headers=account.headers), 404)
    listed = (await client.get(URL, headers=account.headers)).json()["items"]
    assert theirs["id"] not in [item["id"] for item in listed]


async def test_a_viewer_reads_but_may_not_write(client: httpx.AsyncClient) -> None:
    owner = await signup(client)
    viewer = await member_of(client, owner, "viewer")
    created = await create_${singular}(client, owner)
    path = f"{URL}/{created['id']}"
    assert (await client.get(path, headers=viewer.headers)).status_code == 200
    assert_problem(await client.post(URL, json=SAMPLE, headers=viewer.headers), 403)
    assert_problem(await client.patch(path, json=CHANGED, headers=viewer.headers), 403)
    assert_problem(await client.delete(path, headers=viewer.headers), 403)


async def test_create_update_and_delete_are_audited(client: httpx.AsyncClient) -> None:
    account = await signup(client)
    created = await create_${singular}(client, account)
    path = f"{URL}/{created['id']}"
    assert (await client.patch(path, json=CHANGED, headers=account.headers)).status_code == 200
    assert (await client.delete(path, headers=account.headers)).status_code == 204
    response = await client.get(
        "/api/v1/audit-events", params={"target_id": created["id"]}, headers=account.headers
    )
    assert response.status_code == 200, response.text
    events = response.json()["items"]
    assert [event["action"] for event in events] == [
        "${audited}.deleted",
        "${audited}.updated",
        "${audited}.created",
    ]
    assert {event["actor"]["id"] for event in events} == {account.user_id}


async def test_a_create_reaches_the_webhook_outbox(client: httpx.AsyncClient) -> None:
    account = await signup(client)
    endpoint = await client.post(
        "/api/v1/webhook-endpoints",
        json={"url": "http://127.0.0.1:9/hooks", "events": ["${audited}.created"]},
        headers=account.headers,
    )
    assert endpoint.status_code == 201, endpoint.text
    await create_${singular}(client, account)
    response = await client.get(
        f"/api/v1/webhook-endpoints/{endpoint.json()['id']}/deliveries", headers=account.headers
    )
    assert response.status_code == 200, response.text
    [delivery] = response.json()["items"]
    assert delivery["event_type"] == "${audited}.created"
    assert delivery["status"] == "pending"
${references}'''
    ).substitute(
        names,
        fields=", ".join(f'"{f}"' for f in fields),
        references=references,
        # The audit log's name of the rows: the model's, in snake case (core/audit.py).
        audited=re.sub(r"(?<!^)(?=[A-Z])", "_", spec.model).lower(),
    )

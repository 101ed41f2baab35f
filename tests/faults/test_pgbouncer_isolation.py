"""Behind PgBouncer in transaction mode, concurrent requests never see another tenant's rows."""

from __future__ import annotations

import asyncio
import itertools
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pytest

from tests.faults.accounts import Account, all_items, sign_up

if TYPE_CHECKING:
    from tests.faults.conftest import Bounced
    from tests.serving import Served

pytestmark = pytest.mark.full

REQUESTS = 320
CONCURRENCY = 32
PROJECTS_EACH = 3
# Of every four requests: two list projects, one reads /me, one creates a project.
KINDS = ("list", "me", "list", "create")


@dataclass
class Seen:
    """What one organization's requests returned."""

    account: Account
    created: set[str] = field(default_factory=set)
    listed: set[str] = field(default_factory=set)
    me_organizations: set[str] = field(default_factory=set)
    statuses: Counter[int] = field(default_factory=Counter)


async def _create(seen: Seen, name: str) -> None:
    response = await seen.account.http.post("/api/v1/projects", json={"name": name})
    seen.statuses[response.status_code] += 1
    if response.status_code == 201:
        seen.created.add(response.json()["id"])


async def _request(seen: Seen, kind: str, number: int) -> None:
    if kind == "create":
        await _create(seen, f"concurrent {number}")
        return
    path = "/api/v1/me" if kind == "me" else "/api/v1/projects?limit=100"
    response = await seen.account.http.get(path)
    seen.statuses[response.status_code] += 1
    if response.status_code != 200:
        return
    if kind == "me":
        seen.me_organizations.add(response.json()["organization"]["id"])
    else:
        seen.listed.update(item["id"] for item in response.json()["items"])


async def _hammer(base_url: str, transport: str) -> tuple[Seen, Seen]:
    first = Seen(await sign_up(base_url, transport, "tenant-a"))
    second = Seen(await sign_up(base_url, transport, "tenant-b"))
    try:
        for seen, number in itertools.product((first, second), range(PROJECTS_EACH)):
            await _create(seen, f"seeded {number}")
        gate = asyncio.Semaphore(CONCURRENCY)

        async def one(number: int) -> None:
            async with gate:
                seen = (first, second)[number % 2]
                await _request(seen, KINDS[(number // 2) % len(KINDS)], number)

        await asyncio.gather(*(one(number) for number in range(REQUESTS)))
        for seen in (first, second):
            seen.listed.update(
                str(item["id"]) for item in await all_items(seen.account, "/api/v1/projects")
            )
    finally:
        await first.account.http.aclose()
        await second.account.http.aclose()
    return first, second


def test_concurrent_requests_through_pgbouncer_see_only_their_own_organization(
    served: Served, bounced: Bounced
) -> None:
    logins_before = bounced.bouncer.client_logins()
    first, second = asyncio.run(_hammer(bounced.base_url, served.answers["auth_transport"]))

    assert bounced.bouncer.client_logins() > logins_before, "the app did not go through PgBouncer"
    for seen, other in ((first, second), (second, first)):
        assert set(seen.statuses) <= {200, 201}, (
            seen.statuses,
            bounced.app.log.read_text()[-3000:],
        )
        assert len(seen.created) == PROJECTS_EACH + REQUESTS // 2 // len(KINDS)
        assert seen.listed == seen.created, "a list showed rows of another organization"
        assert not seen.listed & other.created
        assert seen.me_organizations == {seen.account.organization_id}

"""Rate limits (CONTRACT.md "Plans, features and limits"): every request with credentials
counts against its organization's `requests_per_minute`, and an API key's own; past it,
429 with `Retry-After`; every limited response carries the three `RateLimit-*` headers;
the count is shared by every process of the deployment."""

from __future__ import annotations

import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING

import httpx
import pytest

from tests.contract.client import problem
from tests.contract.test_api_keys import new_key, with_key
from tests.contract.test_plans import organization_command
from tests.serving import free_port

if TYPE_CHECKING:
    from tests.contract.client import Api, Caller
    from tests.serving import Served

pytestmark = pytest.mark.full

PROJECTS = "/api/v1/projects"
HEADERS = ("RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset")
# The limiter leases at most this many tokens per process at once (limit // 60, 1..100);
# tokens leased but unspent when the minute ends are lost, never spent twice.
LEASE_AT_600 = 10


def within_one_minute(seconds: float) -> None:
    """Wait, if need be, until the current calendar minute (the limiter's window) has at
    least `seconds` left, so that what follows is counted in one window."""
    left = 60 - time.time() % 60
    if left < seconds:
        time.sleep(left + 0.2)


def rate_headers(response: httpx.Response) -> tuple[int, int, int]:
    """Limit, Remaining and Reset of a limited response, each checked to be an integer."""
    for name in HEADERS:
        assert name in response.headers, (name, dict(response.headers))
    limit, remaining, reset = (int(response.headers[name]) for name in HEADERS)
    assert 0 <= remaining <= limit
    assert 1 <= reset <= 60
    return limit, remaining, reset


def test_past_the_organizations_limit_requests_get_429(
    served: Served, owner: Caller, outsider: Caller
) -> None:
    organization_command(served, "set-limit", owner.organization_id, "requests_per_minute", "3")
    within_one_minute(15)

    remaining = [rate_headers(owner.get(PROJECTS))[1] for _ in range(3)]
    assert remaining == [2, 1, 0]
    refused = owner.get(PROJECTS)
    body = problem(refused, 429)
    assert body["type"].endswith("rate-limited"), body
    assert body["limit"] == "requests_per_minute"
    assert rate_headers(refused)[:2] == (3, 0)
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    # Writes are refused the same way, and nothing is written.
    assert owner.post(PROJECTS, json={"name": "too many"}).status_code == 429

    # Another organization (no limit on its plan) is not slowed and carries no headers.
    other = outsider.get(PROJECTS)
    assert other.status_code == 200
    assert not any(name in other.headers for name in HEADERS)


def test_an_api_key_has_its_own_limit(api: Api, owner: Caller) -> None:
    key = new_key(owner, "projects:read", requests_per_minute=2)
    assert key["requests_per_minute"] == 2
    within_one_minute(15)

    first, second = (with_key(api, key, "GET", PROJECTS) for _ in range(2))
    assert [rate_headers(r)[:2] for r in (first, second)] == [(2, 1), (2, 0)]
    refused = with_key(api, key, "GET", PROJECTS)
    assert problem(refused, 429)["type"].endswith("rate-limited")
    assert "Retry-After" in refused.headers
    # The person who made the key, in the same organization, is not limited by it.
    assert owner.get(PROJECTS).status_code == 200


def test_requests_without_credentials_are_not_counted(api: Api) -> None:
    anonymous = api.request("GET", PROJECTS)
    assert anonymous.status_code == 401
    assert not any(name in anonymous.headers for name in HEADERS)


@pytest.mark.combination(tenancy="row", auth_transport="jwt", authorization="rbac")
def test_two_app_processes_share_one_limit(api: Api, served: Served, owner: Caller) -> None:
    """A second app process beside the served one, on the same database: 900 requests of one
    organization with a limit of 600 per minute, alternating between the two processes from
    8 threads, all in one minute: at most 600 succeed, and no fewer than the tokens the two
    processes can hold unspent; the rest are 429."""
    port = free_port()
    second = served.spawn(
        "serve-second", "make", "serve", extra_env={"HOST": "127.0.0.1", "PORT": str(port)}
    )
    try:
        second_url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 120
        while True:
            try:
                if httpx.get(second_url + "/health/ready", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert second.alive(), second.log.read_text(errors="replace")[-2000:]
            assert time.monotonic() < deadline, "the second process was not ready in 120 s"
            time.sleep(0.2)
        organization_command(
            served, "set-limit", owner.organization_id, "requests_per_minute", "600"
        )
        bases = [served.base_url, second_url]
        headers = owner.auth_headers()
        within_one_minute(45)
        started = time.monotonic()

        def call(n: int) -> int:
            response = api.http.get(bases[n % 2] + PROJECTS, headers=headers)
            return response.status_code

        with ThreadPoolExecutor(max_workers=8) as pool:
            statuses = Counter(pool.map(call, range(900)))
        elapsed = time.monotonic() - started
    finally:
        second.stop()
    print(f"two processes, limit 600/min: {dict(statuses)} in {elapsed:.1f}s")
    assert elapsed < 45, "the requests did not fit in one minute; the count is not for one window"
    assert set(statuses) <= {200, 429}, statuses
    assert 600 - 2 * LEASE_AT_600 <= statuses[200] <= 600, statuses

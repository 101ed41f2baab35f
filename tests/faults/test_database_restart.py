"""PostgreSQL restarted under load: clean 503s, quick recovery, nothing half-written."""

from __future__ import annotations

import asyncio
import secrets
import stat
import subprocess
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import httpx
import pytest

from tests.faults.accounts import Account, all_items, client, register_body, sign_in, sign_up

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable

    from tests.serving import Served

pytestmark = pytest.mark.full

RESTART_AFTER_SECONDS = 0.5
LOAD_AFTER_RESTART_SECONDS = 1.0
RECOVERY_BOUND_SECONDS = 10.0
RETRY_DEADLINE_SECONDS = 15.0
CREATE_LOOPS = 6
LIST_LOOPS = 3
REGISTER_LOOPS = 2
PAUSE_AFTER_FAILURE_SECONDS = 0.05
PROBLEM = "application/problem+json"


@dataclass
class Attempt:
    """One creating request, sent again with the same key and body until it succeeds."""

    key: str
    body: dict[str, str]
    statuses: list[int] = field(default_factory=list)


@dataclass
class Outcome:
    """Everything the requests around one restart saw."""

    account: Account
    responses: list[tuple[str, int, str]] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    creates: list[Attempt] = field(default_factory=list)
    registrations: list[Attempt] = field(default_factory=list)
    restart_seconds: float = 0.0
    # When pg_ctl restart began and returned (monotonic), and when each request was in flight.
    restart_window: tuple[float, float] = (0.0, 0.0)
    spans: list[tuple[float, float]] = field(default_factory=list)
    # From PostgreSQL accepting connections again to the app being ready and creating.
    recovery_seconds: float = 0.0
    retry_responses: list[tuple[str, int, str]] = field(default_factory=list)
    listed_names: list[str] = field(default_factory=list)
    # Per registered e-mail: their role in their organization, and a create's status there.
    registered: dict[str, tuple[str, int]] = field(default_factory=dict)


async def _send(
    outcome: Outcome, what: str, call: Callable[[], Awaitable[httpx.Response]]
) -> httpx.Response | None:
    """Send one request; remember its status and type, or why it got no answer."""
    sent = time.monotonic()
    try:
        response = await call()
    except httpx.HTTPError as exc:
        outcome.failures.append(f"{what}: {exc!r}")
        return None
    finally:
        outcome.spans.append((sent, time.monotonic()))
    outcome.responses.append((what, response.status_code, response.headers.get("content-type", "")))
    return response


async def _post(outcome: Outcome, http: httpx.AsyncClient, path: str, attempt: Attempt) -> int:
    response = await _send(
        outcome,
        f"POST {path}",
        lambda: http.post(path, json=attempt.body, headers={"Idempotency-Key": attempt.key}),
    )
    status = 0 if response is None else response.status_code
    attempt.statuses.append(status)
    return status


async def _recovered(base_url: str, outcome: Outcome) -> float:
    """Seconds until /health/ready is 200 and a create succeeds, from when this is called."""
    started = time.monotonic()
    async with client(base_url) as anonymous:
        while time.monotonic() - started < RETRY_DEADLINE_SECONDS:
            ready = await _send(outcome, "ready", lambda: anonymous.get("/health/ready"))
            if ready is not None and ready.status_code == 200:
                probe = Attempt(secrets.token_hex(8), {"name": f"probe {secrets.token_hex(4)}"})
                outcome.creates.append(probe)
                if await _post(outcome, outcome.account.http, "/api/v1/projects", probe) == 201:
                    return time.monotonic() - started
            await asyncio.sleep(0.1)
    return time.monotonic() - started


async def _retry_until_done(base_url: str, outcome: Outcome) -> None:
    """Send every unfinished create and registration again, same key and body."""
    retry = Outcome(account=outcome.account)
    deadline = time.monotonic() + RETRY_DEADLINE_SECONDS
    async with client(base_url) as anonymous:
        for attempts, http, path in (
            (outcome.creates, outcome.account.http, "/api/v1/projects"),
            (outcome.registrations, anonymous, "/api/v1/auth/register"),
        ):
            for attempt in attempts:
                while attempt.statuses[-1] != 201 and time.monotonic() < deadline:
                    if await _post(retry, http, path, attempt) != 201:
                        await asyncio.sleep(0.1)
    outcome.retry_responses = retry.responses
    outcome.failures.extend(retry.failures)


async def _restart_under_load(served: Served, mode: str) -> Outcome:
    transport = served.answers["auth_transport"]
    outcome = Outcome(account=await sign_up(served.base_url, transport, "restart"))
    stop = time.monotonic() + 3600.0

    async def create() -> int:
        attempt = Attempt(secrets.token_hex(8), {"name": f"created {secrets.token_hex(6)}"})
        outcome.creates.append(attempt)
        return await _post(outcome, outcome.account.http, "/api/v1/projects", attempt)

    async def read() -> int:
        response = await _send(
            outcome, "GET /api/v1/projects", lambda: outcome.account.http.get("/api/v1/projects")
        )
        return 0 if response is None else response.status_code

    async with client(served.base_url) as anonymous:

        async def register() -> int:
            email = f"restart-{secrets.token_hex(6)}@example.com"
            attempt = Attempt(secrets.token_hex(8), register_body(email))
            outcome.registrations.append(attempt)
            return await _post(outcome, anonymous, "/api/v1/auth/register", attempt)

        async def restart() -> None:
            nonlocal stop
            await asyncio.sleep(RESTART_AFTER_SECONDS)
            started = time.monotonic()
            await asyncio.to_thread(_restart_database, served, mode)
            outcome.restart_seconds = time.monotonic() - started
            outcome.restart_window = (started, time.monotonic())
            stop = time.monotonic() + LOAD_AFTER_RESTART_SECONDS

        loops = [create] * CREATE_LOOPS + [read] * LIST_LOOPS + [register] * REGISTER_LOOPS
        load = [asyncio.create_task(_until_stopped(lambda: stop, step)) for step in loops]
        await restart()
        outcome.recovery_seconds = await _recovered(served.base_url, outcome)
        await asyncio.gather(*load)
    try:
        await _retry_until_done(served.base_url, outcome)
        projects = await all_items(outcome.account, "/api/v1/projects")
        outcome.listed_names = [str(project["name"]) for project in projects]
        for attempt in outcome.registrations:
            email = attempt.body["email"]
            outcome.registered[email] = await _owner_and_create(served, email)
    finally:
        await outcome.account.http.aclose()
    return outcome


async def _owner_and_create(served: Served, email: str) -> tuple[str, int]:
    """The user's role in their organization, and the status of creating a project there."""
    http = await sign_in(served.base_url, served.answers["auth_transport"], email)
    try:
        me = await http.get("/api/v1/me")
        assert me.status_code == 200, me.text
        created = await http.post("/api/v1/projects", json={"name": "after the restart"})
    finally:
        await http.aclose()
    return str(me.json()["role"]), created.status_code


def _restart_database(served: Served, mode: str) -> None:
    # Any pytest session starting on this machine narrows /tmp/pytest-of-<user> to 0700
    # again, which locks PostgreSQL's system user out of pg_ctl's path to the data.
    for parent in served.database.data_dir.parents:
        parent.chmod(parent.stat().st_mode | stat.S_IXOTH | stat.S_IXGRP)
    try:
        served.database.restart(mode)
    except subprocess.CalledProcessError as exc:
        pytest.fail(f"pg_ctl restart failed: {exc.stdout}{exc.stderr}", pytrace=False)


async def _until_stopped(stop: Callable[[], float], step: Callable[[], Awaitable[int]]) -> None:
    while time.monotonic() < stop():
        if await step() >= 500:
            await asyncio.sleep(PAUSE_AFTER_FAILURE_SECONDS)


@pytest.fixture(scope="module", params=["fast", "immediate"])
def restarted(request: pytest.FixtureRequest, served: Served) -> Outcome:
    """The outcome of restarting PostgreSQL (`pg_ctl -m fast` or `immediate`) under load."""
    started = time.monotonic()
    outcome = asyncio.run(_restart_under_load(served, request.param))
    statuses = Counter(status for _, status, _ in outcome.responses)
    print(
        f"restart -m {request.param}: statuses {dict(statuses)}, restart took"
        f" {outcome.restart_seconds:.2f}s, recovered {outcome.recovery_seconds:.2f}s after it,"
        f" scenario {time.monotonic() - started:.1f}s"
    )
    return outcome


def test_requests_during_a_restart_get_an_answer(restarted: Outcome) -> None:
    assert restarted.failures == [], "requests hung or lost their connection"


def test_requests_during_a_restart_fail_with_503_problem_never_500(restarted: Outcome) -> None:
    answered = restarted.responses + restarted.retry_responses
    unexpected = [r for r in answered if r[1] >= 500 and (r[1] != 503 or r[2] != PROBLEM)]
    assert unexpected == []
    # The scenario must have put requests in the restart's way: some failed (503), or some
    # were under way while pg_ctl restarted PostgreSQL (an app that checks pooled
    # connections as it hands them out, like Django's, may ride a quick restart out).
    began, returned = restarted.restart_window
    in_flight = [span for span in restarted.spans if span[0] < returned and span[1] > began]
    failed = [status for _, status, _ in answered if status == 503]
    assert failed or in_flight, "no request was under way during the restart"


def test_the_app_recovers_on_its_own_within_the_bound(restarted: Outcome) -> None:
    assert restarted.recovery_seconds < RECOVERY_BOUND_SECONDS


def test_every_retried_create_succeeds_and_exists_exactly_once(restarted: Outcome) -> None:
    assert [a.statuses for a in restarted.creates if a.statuses[-1] != 201] == []
    expected = sorted(attempt.body["name"] for attempt in restarted.creates)
    assert sorted(restarted.listed_names) == expected


def test_every_retried_registration_is_whole(restarted: Outcome, served: Served) -> None:
    assert [a.statuses for a in restarted.registrations if a.statuses[-1] != 201] == []
    # Each registrant owns an organization whose tenant tables exist (schema tenancy too).
    assert set(restarted.registered.values()) == {("owner", 201)}
    orphans = served.database.psql(
        "SELECT count(*) FROM organizations o WHERE NOT EXISTS (SELECT FROM memberships m"
        " WHERE m.organization_id = o.id AND m.deleted_at IS NULL)"
    )
    assert orphans.strip() == "0", "an organization was committed without its owner"

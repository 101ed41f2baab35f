"""The HTTP benchmark: seed two large organizations, serve with one worker, drive with wrk."""

# ruff: noqa: TRY003 - a failed measurement says what went wrong inline

from __future__ import annotations

import statistics
import sys
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import httpx

from benchmarks import api, cpu, overhead, seed
from benchmarks.load import Result, run_wrk
from benchmarks.serving import make, served

if TYPE_CHECKING:
    from pathlib import Path

    from benchmarks.postgres import Postgres

PAGE = 100
# Projects seeded in the small tenant the tenant-count figures read from.
SMALL_TENANT_PROJECTS = 200
# Alternating first-page and deep-page runs the deep-to-first ratio is the median of.
RATIO_ROUNDS = 5
# Tenants registered at once while growing to 1,000 (argon2 and schema creation serialize
# little on the server, so a few in flight keep it busy).
REGISTRATION_THREADS = 4


@dataclass(frozen=True)
class Options:
    """How hard and how long to push."""

    projects: int
    duration: float
    warmup: float
    connections: int
    # Live keys of the creating member's, seeded before the runs.
    idempotency_keys: int = 0
    tenant_counts: tuple[int, ...] = ()


@dataclass
class Report:
    """Prints figures as they come and remembers every scenario that saw errors."""

    failures: list[str] = field(default_factory=list)

    def figure(self, name: str, value: float, unit: str) -> None:
        """One result line."""
        print(f"{name}: {value:.3f} {unit}", flush=True)

    def note(self, name: str, text: str) -> None:
        """A figure that does not apply, with the reason, on its own line."""
        print(f"{name}: n/a ({text})", flush=True)

    def scenario(self, name: str, result: Result, used: cpu.Usage) -> None:
        """req/s, p50/p95/p99, CPU per request and errors of one wrk run; errors are shouted."""
        self.figure(f"{name}_rps", result.rps, "req/s")
        self.figure(f"{name}_p50_ms", result.p50_ms, "ms")
        self.figure(f"{name}_p95_ms", result.p95_ms, "ms")
        self.figure(f"{name}_p99_ms", result.p99_ms, "ms")
        # What one request costs, whatever else the machine runs; one core divided by
        # the app's share is one worker's ceiling.
        requests = max(result.requests, 1)
        self.figure(f"{name}_app_cpu_ms", used.app * 1000 / requests, "ms/req")
        self.figure(f"{name}_db_cpu_ms", used.database * 1000 / requests, "ms/req")
        self.errors(name, result)

    def errors(self, name: str, result: Result) -> None:
        """How many requests of a run failed; any at all is shouted."""
        print(f"{name}_errors: {result.errors} requests", flush=True)
        if result.errors:
            message = (
                f"{name}: {result.non2xx} non-2xx responses and {result.socket_errors} socket"
                f" errors out of {result.requests} requests: its figures are not valid"
            )
            self.failures.append(message)
            print(f"!!! ERRORS {message}", file=sys.stderr, flush=True)


def _check_page(client: httpx.Client, path: str, headers: dict[str, str], size: int) -> None:
    """Fail early, and clearly, if a scenario's request does not return a full page."""
    response = client.get(path, headers=headers)
    if response.status_code != httpx.codes.OK or len(response.json()["items"]) != size:
        raise RuntimeError(f"GET {path} -> {response.status_code}: {response.text[:300]}")


@dataclass
class Bench:
    """One served project, its database, and where its figures go."""

    client: httpx.Client
    pg: Postgres
    server_session: int
    transport: str
    options: Options
    report: Report

    def wrk(
        self, path: str, headers: dict[str, str], *, create: bool = False
    ) -> tuple[Result, cpu.Usage]:
        """A warm-up, then the measured run, of one request against the server, and the
        CPU the app and the database spent in the measured run."""
        url = f"{self.client.base_url}".rstrip("/") + path
        prefix = uuid.uuid4().hex[:8] if create else None
        run_wrk(
            url,
            headers,
            seconds=self.options.warmup,
            connections=self.options.connections,
            create_prefix=f"{prefix}w" if prefix else None,
        )
        before = cpu.usage(self.server_session, self.pg.postmaster)
        result = run_wrk(
            url,
            headers,
            seconds=self.options.duration,
            connections=self.options.connections,
            create_prefix=prefix,
        )
        return result, cpu.usage(self.server_session, self.pg.postmaster) - before

    def seed_member(self, member: api.Member, count: int) -> seed.TenantTable:
        """`count` projects in the member's organization, on the plan without limits."""
        seed.unthrottled_plan(self.pg, member.organization_id)
        table = seed.projects_table(self.pg, member.organization_id)
        seed.seed_projects(
            self.pg,
            table,
            organization_id=member.organization_id,
            user_id=member.user_id,
            count=count,
        )
        return table

    def scenarios(self) -> seed.TenantTable:
        """Two large organizations, then every scenario as the first one's owner."""
        client, options = self.client, self.options
        first, second = api.register(client, "first"), api.register(client, "second")
        table = self.seed_member(first, options.projects)
        self.seed_member(second, options.projects)
        seed.seed_idempotency_keys(
            self.pg,
            organization_id=first.organization_id,
            user_id=first.user_id,
            count=options.idempotency_keys,
        )
        seed.vacuum_analyze(self.pg)
        deep_id = seed.nth_newest_id(self.pg, table, max(1, options.projects * 9 // 10))
        credentials = api.sign_in(client, first, self.transport)
        cursor = api.cursor_after(client, credentials, deep_id)
        first_path = f"/api/v1/projects?limit={PAGE}"
        deep_path = f"{first_path}&cursor={cursor}"
        _check_page(client, first_path, credentials.headers, PAGE)
        _check_page(client, deep_path, credentials.headers, PAGE)
        results = {}
        for name, path in (
            ("list_first", first_path),
            ("list_deep", deep_path),
            ("me", "/api/v1/me"),
        ):
            # A fresh sign-in per scenario: access tokens are short-lived.
            credentials = api.sign_in(client, first, self.transport)
            results[name], used = self.wrk(path, credentials.headers)
            self.report.scenario(name, results[name], used)
        credentials = api.sign_in(client, first, self.transport)
        headers = {**credentials.headers, **credentials.unsafe_headers}
        self.report.scenario("create", *self.wrk("/api/v1/projects", headers, create=True))
        credentials = api.sign_in(client, first, self.transport)
        deep_ratio = self.paired_ratio(first_path, deep_path, credentials.headers)
        self.report.figure("deep_to_first_ratio", deep_ratio, "x")
        self.isolation_overhead(table, first.organization_id)
        return table

    def paired_ratio(self, first_path: str, deep_path: str, headers: dict[str, str]) -> float:
        """Deep page req/s over first page req/s: the median of alternating short runs.

        The two long scenario runs happen 18 s apart, and this machine's speed drifts by
        more than the 10% the ratio is held to; runs side by side see the same machine.
        """
        base = f"{self.client.base_url}".rstrip("/")
        seconds = max(1.0, self.options.duration / RATIO_ROUNDS)
        ratios = []
        for _ in range(RATIO_ROUNDS):
            first, deep = (
                run_wrk(base + path, headers, seconds=seconds, connections=self.options.connections)
                for path in (first_path, deep_path)
            )
            for name, result in (("list_first", first), ("list_deep", deep)):
                if result.errors:
                    self.report.failures.append(f"{name} (paired with the other page): errors")
            ratios.append(deep.rps / first.rps if first.rps else 0.0)
        return statistics.median(ratios)

    def isolation_overhead(self, table: seed.TenantTable, organization_id: str) -> None:
        """What the tenancy variant's isolation adds to the first page's query."""
        if table.tenant_id is None:
            self.report.note("rls_overhead_ratio", "schema tenancy has no row-level security")
            ratio = overhead.search_path_overhead_ratio(self.pg, table)
            self.report.figure("search_path_overhead_ratio", ratio, "x")
        elif overhead.owner_bypasses_policies(self.pg):
            ratio = overhead.rls_overhead_ratio(self.pg, table, organization_id)
            self.report.figure("rls_overhead_ratio", ratio, "x")
        else:
            self.report.note(
                "rls_overhead_ratio", "the DATABASE_URL login cannot bypass row-level security"
            )

    def tenant_counts(self, already: int) -> None:
        """p95 of a small tenant's first page as the number of tenants grows."""
        small = api.register(self.client, "small")
        self.seed_member(small, SMALL_TENANT_PROJECTS)
        seed.vacuum_analyze(self.pg)
        tenants = already + 1
        for count in self.options.tenant_counts:
            with ThreadPoolExecutor(REGISTRATION_THREADS) as pool:
                list(pool.map(self._register_quietly, range(tenants, count)))
            tenants = max(tenants, count)
            credentials = api.sign_in(self.client, small, self.transport)
            result, _ = self.wrk(f"/api/v1/projects?limit={PAGE}", credentials.headers)
            self.report.figure(f"tenant_request_p95_ms_at_{count}", result.p95_ms, "ms")
            self.report.errors(f"tenant_request_at_{count}", result)

    def _register_quietly(self, number: int) -> None:
        with httpx.Client(base_url=self.client.base_url, timeout=60) as client:
            api.register(client, f"t{number}")


@dataclass(frozen=True)
class Rendered:
    """A rendered, installed project: where it is, its auth transport and its app role."""

    path: Path
    transport: str
    app_role: str


def run_http(rendered: Rendered, pg: Postgres, options: Options, report: Report) -> None:
    """Migrate, seed, serve and measure every scenario; figures go to stdout.

    The app logs in as production's does (README: two database logins): an unprivileged
    member of the app role, with the owner's URL for migrations only.
    """
    project = rendered.path
    make(project, "migrate", pg.url)
    login = pg.unprivileged_login(rendered.app_role)
    with (
        served(
            project, login, project / "bench-serve.log", MIGRATION_DATABASE_URL=pg.url
        ) as server,
        httpx.Client(base_url=server.base_url, timeout=60) as client,
    ):
        bench = Bench(client, pg, server.session, rendered.transport, options, report)
        bench.scenarios()
        if options.tenant_counts:
            bench.tenant_counts(already=2)

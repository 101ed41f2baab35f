"""A/B: two builds of the template, served side by side from one database, alternating.

    uv run python -m benchmarks.ab --base 80a5df9 [--head HEAD] [--projects 100000]
        [--rounds 3] [--duration 8] [--base-env NAME=VALUE] [--head-env NAME=VALUE]
        [--subscribe]

Both builds are rendered for one combination, migrated once (by the head build), seeded
with the benchmark's own data and served by one app worker each. Every round runs each
scenario (first page, `me`, keyed create, update) against A, then B (the order swaps every
round), so both see the same machine;
the app and PostgreSQL CPU per request of each run come from /proc. Figures: one line per build,
scenario and round, then each scenario's median ratio of B to A. `--base-env` and
`--head-env` serve a build with extra environment (one build against itself with
`THREADS=4` against `THREADS=16`, say).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import tempfile
import uuid
from contextlib import ExitStack
from pathlib import Path

import httpx
from copier import run_copy

from benchmarks import api, cpu, seed
from benchmarks.load import Result, run_wrk
from benchmarks.main import _clean_env, parse_combo, transport_of
from benchmarks.postgres import database
from benchmarks.serving import make, served
from tests.matrix import BASE_ANSWERS, DERIVED_ANSWERS
from tests.rendering import TEMPLATE_ROOT

PAGE = 100
SUBSCRIBED = ("project.created", "project.updated", "project.deleted")


def render_at(dst: Path, answers: dict[str, str], ref: str, repository: Path) -> Path:
    """The template at commit `ref` of `repository`, rendered and installed."""
    run_copy(str(repository), dst, data=answers, defaults=True, quiet=True, vcs_ref=ref)
    subprocess.run(["uv", "sync", "--quiet"], cwd=dst, env=_clean_env(), check=True)
    return dst


def measure(
    url: str, headers: dict[str, str], *, write: str, seconds: float, connections: int
) -> Result:
    """One wrk run; `write` "create" sends unique bodies and keys, "update" new values."""
    prefix = uuid.uuid4().hex[:8]
    return run_wrk(
        url,
        headers,
        seconds=seconds,
        connections=connections,
        create_prefix=prefix if write == "create" else None,
        update_prefix=prefix if write == "update" else None,
    )


def per_request(used: cpu.Usage, requests: int) -> tuple[float, float]:
    """Milliseconds of app and of PostgreSQL CPU per request."""
    return used.app * 1000 / max(requests, 1), used.database * 1000 / max(requests, 1)


def summarize(ratios: dict[str, list[tuple[float, float]]]) -> None:
    """Each scenario's median B/A of app and of PostgreSQL CPU per request."""
    for scenario, values in ratios.items():
        app = statistics.median(value[0] for value in values)
        database = statistics.median(value[1] for value in values)
        print(f"{scenario}: B/A app CPU per request, median {app:.3f}")
        print(f"{scenario}: B/A PostgreSQL CPU per request, median {database:.3f}")


def subscribe(client: httpx.Client, member: api.Member, transport: str) -> None:
    """An endpoint (through the build that has webhooks) for every project event. No worker
    runs, so nothing is sent: the writes pay for the outbox and nothing else."""
    credentials = api.sign_in(client, member, transport)
    headers = {**credentials.headers, **credentials.unsafe_headers}
    hook = {"url": "http://127.0.0.1:9/unsent", "events": list(SUBSCRIBED)}
    client.post("/api/v1/webhook-endpoints", json=hook, headers=headers).raise_for_status()


def env_setting(text: str) -> tuple[str, str]:
    """NAME=VALUE, for a build's server."""
    name, sep, value = text.partition("=")
    if not sep or not name:
        message = f"expected NAME=VALUE, got {text!r}"
        raise argparse.ArgumentTypeError(message)
    return name, value


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(prog="benchmarks.ab", description=__doc__)
    parser.add_argument("--base", required=True, help="commit of build A")
    parser.add_argument("--head", default="HEAD", help="commit of build B")
    parser.add_argument(
        "--repository", type=Path, default=TEMPLATE_ROOT, help="the template's git repository"
    )
    parser.add_argument("--combo", type=parse_combo, default=parse_combo("fastapi,row,jwt,rbac"))
    parser.add_argument("--projects", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--duration", type=float, default=8)
    parser.add_argument("--warmup", type=float, default=2)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument(
        "--subscribe",
        action="store_true",
        help="subscribe a webhook endpoint (through build B) to every project event",
    )
    for build in ("base", "head"):
        parser.add_argument(
            f"--{build}-env",
            type=env_setting,
            action="append",
            default=[],
            help=f"NAME=VALUE added to the {build} build's server environment (repeatable)",
        )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    """Render both builds, seed, serve both, alternate the scenarios."""
    args = parse_args(argv)
    extra_env = {"A": dict(args.base_env), "B": dict(args.head_env)}
    answers = {**BASE_ANSWERS, **args.combo}
    workdir = Path(tempfile.mkdtemp(prefix="keystone-ab-"))
    builds = {
        "A": render_at(workdir / "a", answers, args.base, args.repository),
        "B": render_at(workdir / "b", answers, args.head, args.repository),
    }
    transport = transport_of(builds["B"])
    with database(None) as pg, ExitStack() as stack:
        make(builds["B"], "migrate", pg.url)
        login = pg.unprivileged_login(f"{DERIVED_ANSWERS['package_name']}_app")
        servers = {
            name: stack.enter_context(
                served(
                    project,
                    login,
                    project / "ab-serve.log",
                    MIGRATION_DATABASE_URL=pg.url,
                    **extra_env[name],
                )
            )
            for name, project in builds.items()
        }
        # Each server signs its own tokens (development secrets): sign in where you ask.
        clients = {
            name: stack.enter_context(httpx.Client(base_url=server.base_url, timeout=60))
            for name, server in servers.items()
        }
        member = api.register(clients["A"], "ab")
        seed.unthrottled_plan(pg, member.organization_id)
        table = seed.projects_table(pg, member.organization_id)
        seed.seed_projects(
            pg,
            table,
            organization_id=member.organization_id,
            user_id=member.user_id,
            count=args.projects,
        )
        seed.vacuum_analyze(pg)
        if args.subscribe:
            subscribe(clients["B"], member, transport)
        updated = seed.nth_newest_id(pg, table, 10)
        scenarios = (
            ("list", f"/api/v1/projects?limit={PAGE}", ""),
            ("me", "/api/v1/me", ""),
            ("create", "/api/v1/projects", "create"),
            ("update", f"/api/v1/projects/{updated}", "update"),
        )
        # Per scenario and round: B/A of the app's and of PostgreSQL's CPU per request.
        ratios: dict[str, list[tuple[float, float]]] = {name: [] for name, _, _ in scenarios}
        print(
            f"combo: {','.join(args.combo.values())}  A={args.base} {extra_env['A'] or ''}"
            f"  B={args.head} {extra_env['B'] or ''}",
            flush=True,
        )
        for number in range(args.rounds):
            order = ("A", "B") if number % 2 == 0 else ("B", "A")
            for scenario, path, write in scenarios:
                cost: dict[str, tuple[float, float]] = {}
                for name in order:
                    server = servers[name]
                    credentials = api.sign_in(clients[name], member, transport)
                    headers = {**credentials.headers, **credentials.unsafe_headers}
                    url = server.base_url + path
                    run = {"write": write, "connections": args.connections}
                    measure(url, headers, seconds=args.warmup, **run)
                    before = cpu.usage(server.session, pg.postmaster)
                    result = measure(url, headers, seconds=args.duration, **run)
                    used = cpu.usage(server.session, pg.postmaster) - before
                    if result.errors:
                        message = f"{scenario} on {name}: {result.errors} failed requests"
                        raise RuntimeError(message)
                    cost[name] = per_request(used, result.requests)
                    print(
                        f"round {number + 1} {scenario} {name}: {result.rps:.1f} req/s,"
                        f" app CPU {cost[name][0]:.3f} ms/req, PostgreSQL CPU"
                        f" {cost[name][1]:.3f} ms/req, p95 {result.p95_ms:.1f} ms,"
                        f" errors {result.errors}",
                        flush=True,
                    )
                ratios[scenario].append(
                    (cost["B"][0] / cost["A"][0], cost["B"][1] / max(cost["A"][1], 1e-9))
                )
        summarize(ratios)


if __name__ == "__main__":
    main()

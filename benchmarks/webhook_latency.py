"""Webhook delivery latency: from a change's commit to the receiver, over the real path.

    uv run python -m benchmarks.webhook_latency [--combo fastapi,row,jwt,rbac] [--events 1000]
        [--rate 50] [--ref HEAD]

Renders the template (commit `--ref`), migrates an embedded PostgreSQL, serves the project
(one app worker) and runs its job worker; a receiver on loopback records when each event
arrives. One endpoint subscribes to `project.created`; the benchmark creates `--events`
projects, `--rate` per second, one at a time. The commit happens between the request
being sent and its response arriving, so each event gets two figures: arrival minus send
(an upper bound of commit-to-receiver) and arrival minus response (a lower bound; it is
negative when the receiver had the event before the client had its answer). Printed as
p50, p95 and max of each, in milliseconds.
"""

# ruff: noqa: TRY003 - a failed measurement says what went wrong inline

from __future__ import annotations

import argparse
import json
import os
import signal
import statistics
import subprocess
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx

from benchmarks import api, seed
from benchmarks.ab import render_at
from benchmarks.main import parse_combo, transport_of
from benchmarks.postgres import database
from benchmarks.serving import make, project_env, served
from tests.matrix import BASE_ANSWERS, DERIVED_ANSWERS
from tests.rendering import TEMPLATE_ROOT


class Arrivals:
    """When each event (by project id) reached the receiver, on the monotonic clock."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.at: dict[str, float] = {}

    def record(self, body: bytes) -> None:
        """Note one delivery's arrival."""
        now = time.monotonic()
        project_id = str(json.loads(body)["data"]["id"])
        with self.lock:
            self.at.setdefault(project_id, now)

    def wait_for(self, count: int, timeout: float) -> None:
        """Until `count` events arrived, or `timeout` seconds passed."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                if len(self.at) >= count:
                    return
            time.sleep(0.1)


def receiver(arrivals: Arrivals) -> ThreadingHTTPServer:
    """A loopback receiver answering 204 to every POST, started on a thread."""

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("content-length", 0)))
            arrivals.record(body)
            self.send_response(204)
            self.end_headers()

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - its name
            del format, args

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def percentiles(name: str, values: list[float]) -> None:
    """p50, p95 and max of `values` (seconds), printed in milliseconds."""
    ordered = sorted(values)
    p95 = ordered[max(0, round(len(ordered) * 0.95) - 1)]
    print(
        f"{name}: p50 {statistics.median(ordered) * 1000:.1f} ms,"
        f" p95 {p95 * 1000:.1f} ms, max {ordered[-1] * 1000:.1f} ms",
        flush=True,
    )


def main(argv: list[str] | None = None) -> None:
    """Render, serve, run the worker, create projects, report latencies."""
    parser = argparse.ArgumentParser(prog="benchmarks.webhook_latency", description=__doc__)
    parser.add_argument("--combo", type=parse_combo, default=parse_combo("fastapi,row,jwt,rbac"))
    parser.add_argument("--events", type=int, default=1000)
    parser.add_argument("--rate", type=float, default=50, help="changes per second")
    parser.add_argument("--ref", default="HEAD", help="the template's commit to render")
    args = parser.parse_args(argv)
    answers = {**BASE_ANSWERS, **args.combo}
    workdir = Path(tempfile.mkdtemp(prefix="keystone-webhooks-"))
    project = render_at(workdir / "project", answers, args.ref, TEMPLATE_ROOT)
    transport = transport_of(project)
    arrivals = Arrivals()
    hook_server = receiver(arrivals)
    with database(None) as pg:
        make(project, "migrate", pg.url)
        login = pg.unprivileged_login(f"{DERIVED_ANSWERS['package_name']}_app")
        env = {"MIGRATION_DATABASE_URL": pg.url, "WEBHOOK_ALLOW_PRIVATE": "true"}
        log = project / "worker.log"
        with log.open("w") as out:
            worker = subprocess.Popen(
                ["make", "worker"],
                cwd=project,
                env=project_env(login, **env),
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        try:
            with (
                served(project, login, project / "serve.log", **env) as server,
                httpx.Client(base_url=server.base_url, timeout=30) as client,
            ):
                member = api.register(client, "webhooks")
                seed.unthrottled_plan(pg, member.organization_id)
                credentials = api.sign_in(client, member, transport)
                headers = {**credentials.headers, **credentials.unsafe_headers}
                url = f"http://127.0.0.1:{hook_server.server_address[1]}/hook"
                hook = {"url": url, "events": ["project.created"]}
                client.post("/api/v1/webhook-endpoints", json=hook, headers=headers)
                sent: dict[str, tuple[float, float]] = {}
                interval = 1 / args.rate
                started = time.monotonic()
                for number in range(args.events):
                    time.sleep(max(0.0, started + number * interval - time.monotonic()))
                    before = time.monotonic()
                    response = client.post(
                        "/api/v1/projects", json={"name": f"hooked {number}"}, headers=headers
                    )
                    after = time.monotonic()
                    response.raise_for_status()
                    sent[str(response.json()["id"])] = (before, after)
                arrivals.wait_for(len(sent), timeout=120)
        finally:
            # make, uv and the worker: the whole session.
            os.killpg(worker.pid, signal.SIGTERM)
            worker.wait(timeout=30)
            hook_server.shutdown()
    missing = set(sent) - set(arrivals.at)
    if missing:
        raise RuntimeError(f"{len(missing)} of {len(sent)} events never arrived")
    print(f"combo: {','.join(args.combo.values())}  events: {len(sent)} at {args.rate}/s")
    percentiles("arrival - request sent", [arrivals.at[k] - sent[k][0] for k in sent])
    percentiles("arrival - response received", [arrivals.at[k] - sent[k][1] for k in sent])


if __name__ == "__main__":
    main()

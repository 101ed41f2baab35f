# /// script
# requires-python = ">=3.11"
# dependencies = ["psycopg[binary]>=3.2", "redis>=5"]
# ///
"""What a rate-limit check costs in each candidate store, per request.

Run by hand (Redis is not part of a rendered deployment, so CI does not run this):

    DATABASE_URL=postgresql://... REDIS_URL=redis://127.0.0.1:6379/0 \
        uv run benchmarks/ratelimit_store.py [--checks 20000]

Four ways to count one organization's requests, each run `--checks` times in a row from
one client, the way one app process would:

- `postgres-per-request`: an upsert of the minute's counter on every request;
- `postgres-lease-10` / `postgres-lease-100`: the rendered projects' limiter, which leases
  10 (600 per minute) or 100 (6,000 per minute and more) tokens per upsert and spends them
  in the process;
- `redis-per-request`: INCR and EXPIRE in one pipelined round trip on every request.

For each: the client's CPU per check (what the app process pays), the store's CPU per
check (PostgreSQL's backend or redis-server) and the wall time per check. Each line is
"name: value unit", like benchmarks/run.
"""

# ruff: noqa: S608 - the SQL has no user input

from __future__ import annotations

import argparse
import os
import time
import uuid
from pathlib import Path
from typing import TYPE_CHECKING

import psycopg
import redis

if TYPE_CHECKING:
    from collections.abc import Callable

_TABLE = "keystone_bench_rate_limit_counters"

_LEASE = f"""
INSERT INTO {_TABLE} AS c (organization_id, subject, "window", used, granted)
VALUES (%(org)s, %(org)s, %(window)s, LEAST(%(n)s, %(limit)s), LEAST(%(n)s, %(limit)s))
ON CONFLICT (organization_id, subject) DO UPDATE SET
  "window" = GREATEST(c."window", excluded."window"),
  used = CASE WHEN excluded."window" > c."window" THEN excluded.used
              ELSE GREATEST(c.used, LEAST(c.used + %(n)s, %(limit)s)) END,
  granted = CASE WHEN excluded."window" > c."window" THEN excluded.granted
                 ELSE GREATEST(0, LEAST(c.used + %(n)s, %(limit)s) - c.used) END
RETURNING "window", used, granted
"""


def _process_cpu(pid: int) -> float:
    """User + system CPU seconds of a process on this machine (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    return (int(fields[11]) + int(fields[12])) / ticks


def _measure(
    name: str, checks: int, check: Callable[[], None], store_cpu: Callable[[], float]
) -> None:
    for _ in range(200):  # warm up: connections, plans, caches
        check()
    client0, store0, wall0 = time.process_time(), store_cpu(), time.perf_counter()
    for _ in range(checks):
        check()
    client1, store1, wall1 = time.process_time(), store_cpu(), time.perf_counter()
    print(f"{name}.client_cpu: {(client1 - client0) / checks * 1e6:.1f} us/check")
    print(f"{name}.store_cpu: {(store1 - store0) / checks * 1e6:.1f} us/check")
    print(f"{name}.wall: {(wall1 - wall0) / checks * 1e6:.1f} us/check")


def _postgres(url: str, checks: int) -> None:
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(
            f"CREATE UNLOGGED TABLE IF NOT EXISTS {_TABLE} (organization_id uuid NOT NULL,"
            ' subject uuid NOT NULL, "window" bigint NOT NULL, used integer NOT NULL,'
            " granted integer NOT NULL, PRIMARY KEY (organization_id, subject))"
        )
        backend_pid = int(conn.info.backend_pid)

        def backend_cpu() -> float:
            return _process_cpu(backend_pid)

        org = uuid.uuid4()
        huge = 2**31 - 1

        def per_request() -> None:
            window = int(time.time() // 60)
            conn.execute(_LEASE, {"org": org, "window": window, "n": 1, "limit": huge})

        _measure("postgres-per-request", checks, per_request, backend_cpu)
        for lease in (10, 100):
            tokens = [0]

            def leased(lease: int = lease, tokens: list[int] = tokens) -> None:
                if tokens[0] > 0:
                    tokens[0] -= 1
                    return
                window = int(time.time() // 60)
                row = conn.execute(
                    _LEASE, {"org": org, "window": window, "n": lease, "limit": huge}
                ).fetchone()
                tokens[0] = int(row[2]) - 1 if row else 0

            _measure(f"postgres-lease-{lease}", checks, leased, backend_cpu)
        conn.execute(f"DROP TABLE {_TABLE}")


def _redis(url: str, checks: int) -> None:
    client = redis.Redis.from_url(url)
    server_pid = int(client.info("server")["process_id"])
    key_base = f"keystone-bench:{uuid.uuid4()}"

    def per_request() -> None:
        key = f"{key_base}:{int(time.time() // 60)}"
        pipe = client.pipeline(transaction=False)
        pipe.incr(key)
        pipe.expire(key, 120, nx=True)
        pipe.execute()

    _measure("redis-per-request", checks, per_request, lambda: _process_cpu(server_pid))
    client.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--checks", type=int, default=20_000)
    args = parser.parse_args()
    _postgres(os.environ["DATABASE_URL"], args.checks)
    _redis(os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"), args.checks)


if __name__ == "__main__":
    main()

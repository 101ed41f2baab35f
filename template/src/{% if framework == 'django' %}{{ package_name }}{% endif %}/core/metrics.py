"""Prometheus metrics: request latency by route template, DB connections in use, queue depth."""

from __future__ import annotations

from django.db import connection
from prometheus_client import Gauge, Histogram

# Buckets around the 200 ms budget of a request.
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.5, 0.75, 1, 2.5, 5, 10)

REQUEST_DURATION = Histogram(
    "http_request_duration_seconds",
    "HTTP request latency by method, route template and status.",
    ["method", "route", "status"],
    buckets=LATENCY_BUCKETS,
)
POOL_IN_USE = Gauge(
    "db_pool_connections_in_use", "Database connections checked out of this process's pool."
)
QUEUE_DEPTH = Gauge("jobs_queue_depth", "Jobs waiting to run, by queue.", ["queue"])


def observe_gauges() -> None:
    """Read the gauges that are sampled at scrape time."""
    pool = getattr(connection, "pool", None)
    if pool is not None:
        stats = pool.get_stats()
        POOL_IN_USE.set(stats.get("pool_size", 0) - stats.get("pool_available", 0))
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT queue_name, count(*) FROM procrastinate_jobs"
            " WHERE status = 'todo' GROUP BY queue_name"
        )
        rows = cursor.fetchall()
    QUEUE_DEPTH.clear()
    QUEUE_DEPTH.labels(queue="default").set(0)
    for queue, depth in rows:
        QUEUE_DEPTH.labels(queue=queue).set(depth)

"""Test databases on a Citus coordinator.

When DATABASE_URL names a database of a Citus coordinator, each database the tests
create must span the cluster like it: the citus extension on every node, and the same
worker nodes. CREATE DATABASE stays on the coordinator, so `distribute` does the rest
over direct connections to the nodes, with the login of the URL. On plain PostgreSQL
(and the embedded server) both functions do nothing.
"""

from __future__ import annotations

from typing import Any

import psycopg
from psycopg import sql

# The active nodes of the cluster, the coordinator (group 0) first.
NODES = """
SELECT nodename, nodeport, groupid FROM pg_dist_node
WHERE noderole = 'primary' AND isactive ORDER BY groupid, nodeid
"""


def cluster(url: str, **params: Any) -> list[tuple[str, int, int]] | None:
    """The nodes (host, port, group) behind the database of `url` (a libpq URL; `params`
    override parts of it), or None when that database has no citus extension."""
    with psycopg.connect(url, autocommit=True, **params) as conn:
        if conn.execute("SELECT FROM pg_extension WHERE extname = 'citus'").fetchone() is None:
            return None
        return [(str(h), int(p), int(g)) for h, p, g in conn.execute(NODES).fetchall()]


def distribute(source_url: str, name: str) -> None:
    """Give database `name`, just created beside the database of `source_url`, the Citus
    cluster of that database. Nothing when `source_url` has no citus, or `name` has it."""
    nodes = cluster(source_url)
    if nodes is None or cluster(source_url, dbname=name) is not None:
        return
    database = sql.Identifier(name)
    for host, port, group in nodes:
        if group != 0:
            with psycopg.connect(source_url, host=host, port=port, autocommit=True) as conn:
                conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(database))
                conn.execute(sql.SQL("CREATE DATABASE {}").format(database))
            with psycopg.connect(
                source_url, host=host, port=port, dbname=name, autocommit=True
            ) as conn:
                conn.execute("CREATE EXTENSION citus")
    with psycopg.connect(source_url, dbname=name, autocommit=True) as conn:
        conn.execute("CREATE EXTENSION citus")
        # Four shards per distributed table instead of 32: every table still spans both
        # workers, and each test's TRUNCATE or fan-out touches an eighth of the shards.
        conn.execute(sql.SQL("ALTER DATABASE {} SET citus.shard_count = 4").format(database))
        for host, port, group in nodes:
            if group == 0:
                conn.execute("SELECT citus_set_coordinator_host(%s, %s)", (host, port))
            else:
                conn.execute("SELECT citus_add_node(%s, %s)", (host, port))


def drop(source_url: str, name: str) -> None:
    """Drop database `name` from the workers of `source_url`'s cluster (the caller drops
    it on the coordinator). Nothing when `source_url` has no citus."""
    database = sql.Identifier(name)
    for host, port, group in cluster(source_url) or []:
        if group != 0:
            with psycopg.connect(source_url, host=host, port=port, autocommit=True) as conn:
                conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(database))

"""Idempotency keys: a lookup reads one index entry however many keys are stored, and an
expired key is free again."""

from __future__ import annotations

import re
import uuid
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.conftest import PASSWORD, Account, Api

# Keys stored for one caller and for unauthenticated requests: enough of each for the
# planner to choose by cost, as it would with a day of production's keys.
SEED_KEYS = """
INSERT INTO idempotency_keys
    (id, tenant_id, user_id, key, request_hash, response_status, response_body, expires_at)
SELECT gen_random_uuid(), %s, %s, 'seeded-' || n, '\\x00', 201, '{}', now() + interval '1 day'
FROM generate_series(1, 2000) AS n
"""
SEED_ANONYMOUS_KEYS = """
INSERT INTO anonymous_idempotency_keys
    (id, key, request_hash, response_status, response_body, expires_at)
SELECT gen_random_uuid(), 'seeded-' || n, '\\x00', 201, '{}', now() + interval '1 day'
FROM generate_series(1, 2000) AS n
"""
# By requester: the table its key is stored in, its unique index and the index's columns.
STORED_IN = {
    "caller": ("idempotency_keys", "uq_idempotency_keys_scope", ("tenant_id", "user_id", "key")),
    "unauthenticated": (
        "anonymous_idempotency_keys",
        "uq_anonymous_idempotency_keys_key",
        ("key",),
    ),
}


def _scan(plan: Any, table: str) -> Any:
    """The node of `plan` that reads `table` (None if none does). On Citus, where the query
    is a distributed one, the node is in the plan its task runs on a shard of `table`
    (`<table>_<shard id>`), and the query must have gone to that one shard."""
    if re.fullmatch(rf"{table}(_\d+)?", plan.get("Relation Name", "")):
        return plan
    children = plan.get("Plans", [])
    job = plan.get("Distributed Query", {}).get("Job")
    if job is not None:
        # One task, on one shard: not one per shard, every key of every tenant read.
        assert job["Task Count"] == 1, job
        # A task's remote plan is the shard's own EXPLAIN output (a list of plans).
        children = [
            shard["Plan"]
            for task in job["Tasks"]
            for output in task["Remote Plan"]
            for shard in output
        ]
    for child in children:
        found = _scan(child, table)
        if found is not None:
            return found
    return None


@pytest.mark.parametrize("requester", ["caller", "unauthenticated"])
def test_a_key_lookup_reads_the_unique_index_on_all_its_columns(
    alice: Account, requester: str
) -> None:
    table, index, columns = STORED_IN[requester]
    with connection.cursor() as cursor:
        # The forced tenant policy checks new rows against the transaction's tenant.
        cursor.execute("SELECT set_config('app.tenant_id', %s, true)", [alice.organization_id])
        cursor.execute(SEED_KEYS, [alice.organization_id, alice.user_id])
        cursor.execute(SEED_ANONYMOUS_KEYS)
        cursor.execute("ANALYZE idempotency_keys")
        cursor.execute("ANALYZE anonymous_idempotency_keys")
    headers = {"Idempotency-Key": uuid.uuid4().hex}
    with CaptureQueriesContext(connection) as captured:
        if requester == "caller":
            response = alice.api.post("projects", {"name": "Indexed"}, headers=headers)
        else:
            body = {"email": f"{uuid.uuid4().hex[:12]}@example.com", "password": PASSWORD}
            body["organization_name"] = "Indexed"
            response = Api().post("auth/register", body, headers=headers)
    assert response.status_code == 201, response.content
    lookup = next(
        query["sql"]
        for query in captured.captured_queries
        # The statement that takes the key's lock reads its stored response too.
        if query["sql"].lstrip().startswith("SELECT") and f" {table} k" in query["sql"]
    )
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {lookup}")
        row = cursor.fetchone()
    assert row is not None
    scan = _scan(row[0][0]["Plan"], table)
    # One index entry read, not every key of the user or every unauthenticated key.
    assert scan["Node Type"] == "Index Scan", scan
    assert re.fullmatch(rf"{index}(_\d+)?", scan["Index Name"]), scan
    condition = scan["Index Cond"]
    assert all(column in condition for column in columns), condition


def test_a_key_whose_response_expired_is_free_before_the_purge_deletes_it(alice: Account) -> None:
    headers = {"Idempotency-Key": uuid.uuid4().hex}
    first = alice.api.post("projects", {"name": "Before"}, headers=headers)
    assert first.status_code == 201, first.content
    with connection.cursor() as cursor:
        # The forced tenant policy lets the test change only the tenant's keys.
        cursor.execute("SELECT set_config('app.tenant_id', %s, true)", [alice.organization_id])
        cursor.execute(
            "UPDATE idempotency_keys SET expires_at = now() - interval '1 minute' WHERE key = %s",
            [headers["Idempotency-Key"]],
        )
        assert cursor.rowcount == 1
    # The expired response neither replays nor blocks the key's unique index.
    second = alice.api.post("projects", {"name": "After"}, headers=headers)
    assert second.status_code == 201, second.content
    assert "Idempotent-Replayed" not in second.headers
    assert second.json()["id"] != first.json()["id"]
    again = alice.api.post("projects", {"name": "After"}, headers=headers)
    assert again.headers.get("Idempotent-Replayed") == "true"
    assert again.json() == second.json()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM idempotency_keys WHERE key = %s", [headers["Idempotency-Key"]]
        )
        assert cursor.fetchone() == (1,)

"""Seed projects fast, with SQL as the owner, respecting the project's real schema.

Ids are UUIDv7 built in SQL from each row's created_at, so ids stay time-ordered
and keyset pagination walks them exactly as it walks ids the app generates.
"""

# A failed measurement says what went wrong inline (TRY003); SQL is built from
# identifier()-checked names and literal()-quoted values (S608).
# ruff: noqa: TRY003, S608

from __future__ import annotations

from dataclasses import dataclass

from benchmarks.postgres import Postgres, identifier, literal

# A UUIDv7 from timestamp `ts`: 48 bits of Unix milliseconds over a random v4 UUID,
# whose version nibble 0100 becomes 0111 by setting bits 52 and 53.
UUID7_SQL = (
    "encode(set_bit(set_bit(overlay(uuid_send(gen_random_uuid()) placing"
    " substring(int8send(floor(extract(epoch FROM ts) * 1000)::bigint) FROM 3) FROM 1 FOR 6),"
    " 52, 1), 53, 1), 'hex')::uuid"
)


@dataclass(frozen=True)
class TenantTable:
    """Where one organization's projects live: a tenant schema, or the shared table."""

    schema: str
    # Row tenancy: the organization's id goes into tenant_id; schema tenancy has no such column.
    tenant_id: str | None

    @property
    def qualified(self) -> str:
        """schema.projects, quoted."""
        return f"{identifier(self.schema)}.projects"


# The seeded plan without limits (CONTRACT.md "Plans, features and limits"): a benchmark
# measures the API, so its organizations must never meet a project limit or a rate limit.
UNLIMITED_PLAN = "enterprise"
# The rate limit the benchmark's organization runs under: far above any load this machine
# makes, so it never throttles, yet every request goes through the limiter (at this rate
# it leases 100 requests per statement), as in a deployment where limits are on.
BENCHMARK_REQUESTS_PER_MINUTE = 1_000_000_000


def unthrottled_plan(pg: Postgres, organization_id: str) -> None:
    """Put the organization on the plan without limits, with a rate limit it never reaches
    (a project without plans: nothing)."""
    pg.psql(
        "DO $$ BEGIN IF to_regclass('public.plans') IS NOT NULL THEN"
        " UPDATE organizations SET plan_id = (SELECT id FROM plans"
        f" WHERE name = {literal(UNLIMITED_PLAN)} AND deleted_at IS NULL),"
        " limit_overrides = limit_overrides || jsonb_build_object("
        f"'requests_per_minute', {BENCHMARK_REQUESTS_PER_MINUTE})"
        f" WHERE id = {literal(organization_id)}; END IF; END $$"
    )


def projects_table(pg: Postgres, organization_id: str) -> TenantTable:
    """The organization's own schema if it has one (schema tenancy), else public.projects."""
    hex_id = organization_id.replace("-", "")
    schema = pg.value(
        "SELECT table_schema FROM information_schema.tables WHERE table_name = 'projects'"
        f" AND table_schema LIKE {literal('%' + hex_id + '%')}"
    )
    if schema:
        return TenantTable(schema, None)
    return TenantTable("public", organization_id)


def _columns(pg: Postgres, schema: str, table: str) -> dict[str, bool]:
    """Each column of the table, and whether an INSERT may leave it out."""
    rows = pg.psql(
        "SELECT column_name, is_nullable = 'YES' OR column_default IS NOT NULL"
        " FROM information_schema.columns"
        f" WHERE table_schema = {literal(schema)} AND table_name = {literal(table)}"
    )
    return {name: flag == "t" for name, flag in (line.split("|") for line in rows.split())}


def _insertable(pg: Postgres, schema: str, table: str, values: dict[str, str]) -> list[str]:
    """The columns of `values` the table has; refuses a table with a required column the
    seed does not fill."""
    columns = _columns(pg, schema, table)
    unknown = [name for name, optional in columns.items() if not optional and name not in values]
    if unknown:
        raise RuntimeError(f"{table} has required columns the seed does not know: {unknown}")
    return [name for name in values if name in columns]


def seed_projects(
    pg: Postgres, table: TenantTable, *, organization_id: str, user_id: str, count: int
) -> None:
    """`count` live projects, one second apart up to now, with unique names; then analyze."""
    values = {
        "id": UUID7_SQL,
        "name": "'Seed project ' || g",
        "status": "'active'",
        "visibility": "'organization'",
        "created_by_id": f"{literal(user_id)}::uuid",
        "created_at": "ts",
        "updated_at": "ts",
    }
    if table.tenant_id is not None:
        values["tenant_id"] = f"{literal(table.tenant_id)}::uuid"
    names = _insertable(pg, table.schema, "projects", values)
    # The tenant is set as the app would, so the insert passes a forced policy's WITH CHECK
    # even when the owner is not a superuser.
    pg.psql(
        f"""
        BEGIN;
        SET LOCAL synchronous_commit = off;
        SELECT set_config('app.tenant_id', {literal(organization_id)}, true);
        INSERT INTO {table.qualified} ({", ".join(identifier(name) for name in names)})
        SELECT {", ".join(values[name] for name in names)}
        FROM (
            SELECT g, now() - make_interval(secs => {count} - g) AS ts
            FROM generate_series(1, {count}) AS g
        ) AS rows;
        COMMIT;
        """
    )


def seed_idempotency_keys(pg: Postgres, *, organization_id: str, user_id: str, count: int) -> None:
    """`count` live idempotency keys of the member's, as a day of their creates leaves
    them (keys live for a day): each create in the benchmark looks its own key up
    among them, as in production, not in an empty table."""
    values = {
        "id": "gen_random_uuid()",
        "tenant_id": f"{literal(organization_id)}::uuid",
        "user_id": f"{literal(user_id)}::uuid",
        "key": "'seeded-' || g",
        "request_hash": "sha256(g::text::bytea)",
        "response_status": "201",
        "response_body": "'{}'::jsonb",
        "expires_at": "now() + interval '1 day'",
        "created_at": "now()",
        "updated_at": "now()",
    }
    # The table is shared by every tenant, in the public schema under both tenancies.
    names = _insertable(pg, "public", "idempotency_keys", values)
    pg.psql(
        f"""
        BEGIN;
        SET LOCAL synchronous_commit = off;
        SELECT set_config('app.tenant_id', {literal(organization_id)}, true);
        INSERT INTO public.idempotency_keys ({", ".join(identifier(name) for name in names)})
        SELECT {", ".join(values[name] for name in names)}
        FROM generate_series(1, {count}) AS g;
        COMMIT;
        """
    )


def vacuum_analyze(pg: Postgres) -> None:
    """Fresh statistics and visibility map, as autovacuum would leave them after a while,
    and the seeding's dirty pages written out: otherwise the checkpoint that follows
    competes with the first scenarios for the two cores."""
    pg.psql("VACUUM ANALYZE")
    if pg.value("SELECT pg_has_role(current_user, 'pg_checkpoint', 'MEMBER')") == "t":
        pg.psql("CHECKPOINT")


def nth_newest_id(pg: Postgres, table: TenantTable, position: int) -> str:
    """The id of the organization's `position`-th newest live project (1-based)."""
    tenant = f"tenant_id = {literal(table.tenant_id)}::uuid AND " if table.tenant_id else ""
    return pg.value(
        f"SELECT id FROM {table.qualified} WHERE {tenant}deleted_at IS NULL"
        f" ORDER BY id DESC OFFSET {position - 1} LIMIT 1"
    )

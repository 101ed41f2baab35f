"""What tenant isolation itself costs a list query, timed inside PostgreSQL.

Row tenancy: the first page (100 rows and the look-ahead) as the app role under
row-level security with the tenant set, against the owner, who bypasses the policy,
filtering by tenant_id by hand. Schema tenancy: the same query reaching the tenant's
table through a per-transaction search_path, against naming the schema outright.
Timing runs in a PL/pgSQL loop, so client round trips do not dilute the ratio; the
two sides alternate, and the ratio is of the median round's mean time, so a burst of
load on a shared machine does not land on one side only.
"""

# A failed measurement says what went wrong inline (TRY003); SQL is built from
# identifier()-checked names and literal()-quoted values (S608).
# ruff: noqa: TRY003, S608

from __future__ import annotations

import re
import statistics
from typing import TYPE_CHECKING

from benchmarks.postgres import Postgres, identifier, literal

if TYPE_CHECKING:
    from benchmarks.seed import TenantTable

ROUNDS = 7
ITERATIONS = 2000
WARM_UP = 50
_PAGE = "SELECT array_agg(p) FROM ({select} ORDER BY id DESC LIMIT 101) AS p"


def _mean_ms(pg: Postgres, prelude: str, statement: str) -> float:
    """Mean milliseconds of `statement` (a PL/pgSQL statement) after `prelude` (SQL)."""
    loop = f"FOR i IN 1..{{n}} LOOP {statement} END LOOP;"
    out = pg.psql(
        f"""
        BEGIN;
        {prelude}
        DO $bench$
        DECLARE started timestamptz;
        BEGIN
          {loop.format(n=WARM_UP)}
          started := clock_timestamp();
          {loop.format(n=ITERATIONS)}
          RAISE NOTICE 'BENCH %', extract(epoch FROM clock_timestamp() - started) * 1000
            / {ITERATIONS};
        END $bench$;
        COMMIT;
        """,
        notices=True,
    )
    found = re.search(r"BENCH ([0-9.eE+-]+)", out)
    if found is None:
        raise RuntimeError(f"no timing in psql output: {out}")
    return float(found.group(1))


def _perform(select: str) -> str:
    """The first page of `select` as a PL/pgSQL statement that discards it."""
    return "PERFORM " + _PAGE.format(select=select).removeprefix("SELECT ") + ";"


def _ratio(pg: Postgres, isolated: tuple[str, str], plain: tuple[str, str]) -> float:
    """Mean time of `isolated` over mean time of `plain` (median of interleaved rounds)."""
    isolated_ms, plain_ms = [], []
    for _ in range(ROUNDS):
        isolated_ms.append(_mean_ms(pg, *isolated))
        plain_ms.append(_mean_ms(pg, *plain))
    return statistics.median(isolated_ms) / statistics.median(plain_ms)


def app_role(pg: Postgres, table: TenantTable) -> str:
    """The unprivileged role the app runs as: may read projects, is neither owner nor exempt."""
    return pg.value(
        "SELECT r.rolname FROM pg_roles r"
        f" WHERE has_table_privilege(r.oid, {literal(table.qualified)}, 'SELECT')"
        " AND NOT r.rolsuper AND NOT r.rolbypassrls AND r.rolname NOT LIKE 'pg\\_%'"
        f" AND r.oid <> (SELECT relowner FROM pg_class WHERE oid = {literal(table.qualified)}"
        "::regclass) ORDER BY r.rolcanlogin, r.rolname LIMIT 1"
    )


def owner_bypasses_policies(pg: Postgres) -> bool:
    """Whether our login skips row-level security (superuser or BYPASSRLS)."""
    return (
        pg.value("SELECT rolsuper OR rolbypassrls FROM pg_roles WHERE rolname = current_user")
        == "t"
    )


def rls_overhead_ratio(pg: Postgres, table: TenantTable, organization_id: str) -> float:
    """Row tenancy: RLS-filtered page time over the explicitly filtered one."""
    role = app_role(pg, table)
    tenant = literal(organization_id)
    isolated = (
        f"SET LOCAL ROLE {identifier(role)}; SELECT set_config('app.tenant_id', {tenant}, true);",
        _perform(f"SELECT * FROM {table.qualified} WHERE deleted_at IS NULL"),
    )
    plain = (
        "",
        _perform(
            f"SELECT * FROM {table.qualified} WHERE tenant_id = {tenant}::uuid"
            " AND deleted_at IS NULL"
        ),
    )
    return _ratio(pg, isolated, plain)


def search_path_overhead_ratio(pg: Postgres, table: TenantTable) -> float:
    """Schema tenancy: setting search_path per transaction and resolving through it, over
    naming the schema; both statements are planned every time, as a new transaction is."""
    path = literal(f"{identifier(table.schema)}, public")
    query = _PAGE.format(select="SELECT * FROM {table} WHERE deleted_at IS NULL")
    isolated = (
        "",
        (
            f"PERFORM set_config('search_path', {path}, true);"
            f" EXECUTE {literal(query.format(table='projects'))};"
        ),
    )
    plain = ("", f"EXECUTE {literal(query.format(table=table.qualified))};")
    return _ratio(pg, isolated, plain)

"""The database backend: django-tenants' wrapper, with a transaction-local search_path.

django-tenants issues a session-level `SET search_path` when a cursor is created. A
session setting outlives the transaction: behind PgBouncer in transaction mode the
next client handed that server connection would run in this tenant's schema. Here
the path is set with `set_config('search_path', ..., true)` (SET LOCAL semantics)
once per transaction, and the tenant is forgotten when the atomic block that bound
it ends (the request's transaction, or a savepoint inside one).
"""

from __future__ import annotations

from typing import Any, cast

from django.db import connection
from django_tenants.postgresql_backend import base as tenants_base
from django_tenants.utils import get_public_schema_name, quote_schema_name

SET_PATH_SQL = "SELECT set_config('search_path', %s, true)"


def tenant_connection() -> DatabaseWrapper:
    """The default connection, typed as this backend's (it is, with schema tenancy)."""
    return cast("DatabaseWrapper", connection)


class DatabaseWrapper(tenants_base.DatabaseWrapper):  # type: ignore[misc]  # untyped library
    """A connection whose tenant schema lasts as long as the atomic block that chose it."""

    # Set by django-tenants' wrapper.
    schema_name: str
    search_path_set_schemas: list[str] | None
    _setting_search_path: bool

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # How many savepoints were open when the tenant was bound (None: not bound).
        self._bound_at: int | None = None
        super().__init__(*args, **kwargs)

    def set_tenant(self, tenant: Any, include_public: bool = True) -> None:  # noqa: FBT001, FBT002
        """Choose the schema of the following statements, until the current atomic block ends."""
        super().set_tenant(tenant, include_public)
        public = tenant.schema_name == get_public_schema_name()
        self._bound_at = None if public else len(self.savepoint_ids)

    def _handle_search_path(self, cursor: Any = None) -> None:
        """Set this transaction's search_path once, before its first statement."""
        if self._setting_search_path or self.search_path_set_schemas is not None:
            return
        # In autocommit mode a local setting would end with its own statement; nothing
        # is set, so the session's path (the shared schema only) applies: fail closed.
        if self.get_autocommit():
            return
        paths = self._get_cursor_search_paths()
        self._setting_search_path = True
        target = self.connection.cursor() if cursor is None else cursor
        try:
            target.execute(SET_PATH_SQL, [", ".join(quote_schema_name(p) for p in paths)])
            self.search_path_set_schemas = paths
        finally:
            self._setting_search_path = False
            if cursor is None:
                target.close()

    def _unbind(self) -> None:
        # Back to the shared schema; the next statement sets that path again.
        self.search_path_set_schemas = None
        if self._bound_at is not None:
            self.set_schema_to_public()

    def commit(self) -> None:
        """Commit, and forget the tenant."""
        try:
            super().commit()
        finally:
            self._unbind()

    def rollback(self) -> None:
        """Roll back, and forget the tenant."""
        try:
            super().rollback()
        finally:
            self._unbind()

    def savepoint_commit(self, sid: str) -> None:
        """Release a savepoint; a tenant bound inside its block is forgotten."""
        super().savepoint_commit(sid)
        if self._bound_at is not None and len(self.savepoint_ids) < self._bound_at:
            self._unbind()

    def savepoint_rollback(self, sid: str) -> None:
        """Roll back to a savepoint; a tenant bound inside its block is forgotten."""
        super().savepoint_rollback(sid)
        if self._bound_at is not None and len(self.savepoint_ids) < self._bound_at:
            self._unbind()

    def _set_autocommit(self, autocommit: bool) -> None:  # noqa: FBT001 - Django's signature
        self.search_path_set_schemas = None
        super()._set_autocommit(autocommit)

"""The database backend: django-tenants' wrapper, with a transaction-local search_path.

django-tenants issues a session-level `SET search_path` when a cursor is created. A
session setting outlives the transaction: behind PgBouncer in transaction mode the
next client handed that server connection would run in this tenant's schema. Here
the path is set with `set_config('search_path', ..., true)` (SET LOCAL semantics)
once per transaction, and the tenant itself is forgotten when the transaction ends.
"""

from __future__ import annotations

from typing import Any

from django_tenants.postgresql_backend import base as tenants_base
from django_tenants.utils import get_public_schema_name, quote_schema_name

SET_PATH_SQL = "SELECT set_config('search_path', %s, true)"


class DatabaseWrapper(tenants_base.DatabaseWrapper):  # type: ignore[misc]  # untyped library
    """A connection whose tenant schema lasts one transaction."""

    def _handle_search_path(self, cursor: Any = None) -> None:  # noqa: ANN401 - a driver cursor
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

    def _end_transaction(self) -> None:
        # The next transaction starts unbound, in the shared schema.
        self.search_path_set_schemas = None
        if self.schema_name != get_public_schema_name():
            self.set_schema_to_public()

    def commit(self) -> None:
        """Commit, and forget the tenant."""
        try:
            super().commit()
        finally:
            self._end_transaction()

    def rollback(self) -> None:
        """Roll back, and forget the tenant."""
        try:
            super().rollback()
        finally:
            self._end_transaction()

    def _set_autocommit(self, autocommit: bool) -> None:  # noqa: FBT001 - Django's signature
        self.search_path_set_schemas = None
        super()._set_autocommit(autocommit)

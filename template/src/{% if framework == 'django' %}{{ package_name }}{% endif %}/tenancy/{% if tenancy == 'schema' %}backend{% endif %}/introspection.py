"""Introspection of the bound schema without leaving a session-level search_path behind."""

from __future__ import annotations

from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from django_tenants.postgresql_backend.introspection import DatabaseSchemaIntrospection
from django_tenants.utils import quote_schema_name

if TYPE_CHECKING:
    from collections.abc import Iterator


class SchemaIntrospection(DatabaseSchemaIntrospection):  # type: ignore[misc]  # untyped library
    """django-tenants' introspection (tables of the bound schema only), transaction-safe.

    django-tenants switches the path with a session `SET` and restores the value it
    read. Inside a transaction that value is this transaction's local path, and the
    session `SET` makes it outlive the transaction; here it stays local there.
    """

    @contextmanager
    def _in_schema(self, cursor: Any) -> Iterator[None]:
        scope = "" if self.connection.get_autocommit() else "LOCAL "
        cursor.execute("SHOW search_path")
        original = cursor.fetchone()[0]
        cursor.execute(f"SET {scope}search_path = {quote_schema_name(self.connection.schema_name)}")
        try:
            yield
        finally:
            cursor.execute(f"SET {scope}search_path = {original}")

    def get_table_list(self, cursor: Any) -> Any:
        """Tables and views of the bound schema."""
        with self._in_schema(cursor):
            return super(DatabaseSchemaIntrospection, self).get_table_list(cursor)

    def get_table_description(self, cursor: Any, table_name: str) -> Any:
        """Columns of a table of the bound schema."""
        with self._in_schema(cursor):
            return super(DatabaseSchemaIntrospection, self).get_table_description(
                cursor, table_name
            )

    def get_sequences(self, cursor: Any, table_name: str, table_fields: Any = ()) -> Any:
        """Sequences of a table of the bound schema."""
        with self._in_schema(cursor):
            return super(DatabaseSchemaIntrospection, self).get_sequences(
                cursor, table_name, table_fields
            )

    def get_key_columns(self, cursor: Any, table_name: str) -> Any:
        """Foreign key columns of a table of the bound schema."""
        with self._in_schema(cursor):
            return super(DatabaseSchemaIntrospection, self).get_key_columns(cursor, table_name)

    def get_constraints(self, cursor: Any, table_name: str) -> Any:
        """Constraints of a table of the bound schema."""
        with self._in_schema(cursor):
            return super(DatabaseSchemaIntrospection, self).get_constraints(cursor, table_name)

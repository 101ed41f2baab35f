"""Emptying the test database after a test that committed, on a Citus coordinator.

Django's flush empties every table with one TRUNCATE, then loads again the rows the
migrations seeded (serialized_rollback). On a Citus cluster a TRUNCATE goes to every shard
of the tables it names and of every table referencing them (users and organizations: all
of them), seconds a test. Here only the tables that hold rows are emptied, by DELETE, a
table before those it references, and a seeded table only when a test changed its rows
(it is then loaded again). `Seeded.take` records the seeded rows once the test database
is migrated; `Seeded.restore` puts the database back as it was then.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.apps import apps
from django.core import serializers
from django.db import connections, transaction

if TYPE_CHECKING:
    from django.db.backends.base.base import BaseDatabaseWrapper
    from django.db.models import Model

# A table's rows as one text, to tell whether a test changed them.
FINGERPRINT = "SELECT md5(coalesce(string_agg(r::text, ',' ORDER BY r::text), '')) FROM {} r"
# Which table references which (by foreign key).
REFERENCES = """
SELECT s.relname, t.relname FROM pg_constraint c
JOIN pg_class s ON s.oid = c.conrelid JOIN pg_class t ON t.oid = c.confrelid
WHERE c.contype = 'f' AND c.conrelid <> c.confrelid
"""


def _models(connection: BaseDatabaseWrapper) -> dict[str, type[Model]]:
    """The tables Django's flush empties, each with its model."""
    tables = connection.introspection.django_table_names(only_existing=True, include_views=False)
    return {
        model._meta.db_table: model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.db_table in tables
    }


def _fingerprint(connection: BaseDatabaseWrapper, table: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(FINGERPRINT.format(connection.ops.quote_name(table)))
        row = cursor.fetchone()
    return str(row[0]) if row else ""


def _filled(connection: BaseDatabaseWrapper, table: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT 1 FROM {connection.ops.quote_name(table)} LIMIT 1")  # noqa: S608 - a model's table
        return cursor.fetchone() is not None


@dataclass
class Seeded:
    """The rows of one database as the migrations left them: by table, their fingerprint
    and their data (loaded in one transaction: Django's foreign keys are checked at its end)."""

    alias: str
    tables: list[str] = field(default_factory=list)
    fingerprints: dict[str, str] = field(default_factory=dict)
    data: dict[str, str] = field(default_factory=dict)
    # Every table, each before the tables it references.
    order: list[str] = field(default_factory=list)

    @classmethod
    def take(cls, alias: str) -> Seeded:
        """The seeded rows of database `alias`, now."""
        connection = connections[alias]
        seeded = cls(alias)
        models = _models(connection)
        referencing: dict[str, set[str]] = {table: set() for table in models}
        with connection.cursor() as cursor:
            cursor.execute(REFERENCES)
            for source, target in cursor.fetchall():
                if source in models and target in models:
                    referencing[target].add(source)

        def place(table: str) -> None:
            if table not in seeded.order and table not in placing:
                placing.add(table)
                for source in sorted(referencing[table]):
                    place(source)
                seeded.order.append(table)

        placing: set[str] = set()
        for table in sorted(models):
            place(table)
        for table, model in models.items():
            if not model._base_manager.using(alias).exists():
                continue
            seeded.tables.append(table)
            seeded.fingerprints[table] = _fingerprint(connection, table)
            rows = model._base_manager.using(alias).order_by("pk")
            seeded.data[table] = serializers.serialize("json", rows)
        return seeded

    def changed(self, tables: list[str]) -> list[str]:
        """Which of `tables` do not hold what they held when taken: a seeded table whose
        rows differ, any other that holds a row."""
        connection = connections[self.alias]
        return [
            table
            for table in tables
            if (
                _fingerprint(connection, table) != self.fingerprints[table]
                if table in self.fingerprints
                else _filled(connection, table)
            )
        ]

    def restore(self) -> None:
        """Empty what a test filled or changed, and load a changed seeded table again."""
        connection = connections[self.alias]
        dirty = set(self.changed(self.order))
        if not dirty:
            return
        with transaction.atomic(using=self.alias), connection.cursor() as cursor:
            # One connection per node: a reference table is written after distributed ones.
            cursor.execute("SET LOCAL citus.multi_shard_modify_mode = 'sequential'")
            for table in self.order:
                if table in dirty:
                    cursor.execute(f"DELETE FROM {connection.ops.quote_name(table)}")  # noqa: S608 - a model's table
            # Changed, or emptied by a cascade: the seeded rows again (Django's foreign keys
            # are checked at commit).
            for table in self.changed(self.tables):
                for row in serializers.deserialize("json", self.data[table], using=self.alias):
                    row.save(using=self.alias)

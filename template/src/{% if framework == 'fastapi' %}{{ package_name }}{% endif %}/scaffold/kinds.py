"""How each field type is written: model column, request and read types, migration
column, and the sample values the generated tests send."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Kind:
    """One field type, as each generated file spells it."""

    # The model's `Mapped[...]` type and its `mapped_column(...)` (empty: inferred).
    python: str
    column: str
    # SQLAlchemy names the model imports for the column.
    column_imports: tuple[str, ...]
    # The request body's type, and the module it comes from (empty: a builtin or stdlib).
    request: str
    request_module: str
    # The read model's type.
    read: str
    # The column type in the migration.
    migration: str
    # Two JSON values the tests send (Python literals), the second one for a change.
    samples: tuple[str, str]


KINDS: dict[str, Kind] = {
    "str": Kind(
        "str",
        "mapped_column(String(200))",
        ("String",),
        "Name",
        "core.schemas",
        "str",
        "sa.String(length=200)",
        ('"alpha"', '"beta"'),
    ),
    "text": Kind(
        "str",
        "mapped_column(Text)",
        ("Text",),
        "LongText",
        "core.fields",
        "str",
        "sa.Text()",
        ('"Some text."', '"Other text."'),
    ),
    "int": Kind(
        "int",
        "mapped_column(BigInteger)",
        ("BigInteger",),
        "BigInt",
        "core.fields",
        "int",
        "sa.BigInteger()",
        ("42", "-7"),
    ),
    "decimal": Kind(
        "Decimal",
        "mapped_column(Numeric)",
        ("Numeric",),
        "Amount",
        "core.fields",
        "Decimal",
        "sa.Numeric()",
        ('"12.50"', '"99.99"'),
    ),
    "bool": Kind("bool", "", (), "bool", "", "bool", "sa.Boolean()", ("True", "False")),
    "date": Kind("date", "", (), "date", "", "date", "sa.Date()", ('"2026-01-31"', '"2026-02-28"')),
    "datetime": Kind(
        "datetime",
        "mapped_column(DateTime(timezone=True))",
        ("DateTime",),
        "Moment",
        "core.fields",
        "UtcDatetime",
        "sa.DateTime(timezone=True)",
        ('"2026-01-31T12:00:00Z"', '"2026-02-28T08:30:00Z"'),
    ),
    "uuid": Kind(
        "uuid.UUID",
        "",
        (),
        "uuid.UUID",
        "",
        "uuid.UUID",
        "sa.Uuid()",
        ('"0193a1b2-0000-7000-8000-000000000001"', '"0193a1b2-0000-7000-8000-000000000002"'),
    ),
    # A reference: a tenant-scoped foreign key (see the tenancy module), indexed.
    "ref": Kind("uuid.UUID", "", (), "uuid.UUID", "", "uuid.UUID", "sa.Uuid()", ("", "")),
}

# Standard-library imports a type needs, in the generated models and schemas.
STDLIB = {
    "Decimal": "from decimal import Decimal",
    "date": "from datetime import date",
    "datetime": "from datetime import datetime",
    "uuid.UUID": "import uuid",
}

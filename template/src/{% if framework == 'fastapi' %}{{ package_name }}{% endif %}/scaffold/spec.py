"""What `new-domain` is asked for: a domain name and typed fields, checked before writing."""

from __future__ import annotations

import builtins
import keyword
import re
from dataclasses import dataclass
from pathlib import Path

IDENTIFIER = re.compile(r"^[a-z][a-z0-9_]*$")
# The longest PostgreSQL identifier, less room for the longest index name built from it.
MAX_NAME = 30
# Columns every table has, or every domain row carries, already.
RESERVED_FIELDS = frozenset(
    {"id", "created_at", "updated_at", "deleted_at", "tenant_id", "created_by_id"}
)
# PostgreSQL's reserved key words: a table or column may not be named one unquoted.
SQL_RESERVED = frozenset(
    {
        "all",
        "analyse",
        "analyze",
        "and",
        "any",
        "array",
        "as",
        "asc",
        "asymmetric",
        "authorization",
        "binary",
        "both",
        "case",
        "cast",
        "check",
        "collate",
        "collation",
        "column",
        "concurrently",
        "constraint",
        "create",
        "cross",
        "current_catalog",
        "current_date",
        "current_role",
        "current_schema",
        "current_time",
        "current_timestamp",
        "current_user",
        "default",
        "deferrable",
        "desc",
        "distinct",
        "do",
        "else",
        "end",
        "except",
        "false",
        "fetch",
        "for",
        "foreign",
        "freeze",
        "from",
        "full",
        "grant",
        "group",
        "having",
        "ilike",
        "in",
        "initially",
        "inner",
        "intersect",
        "into",
        "is",
        "isnull",
        "join",
        "lateral",
        "leading",
        "left",
        "like",
        "limit",
        "localtime",
        "localtimestamp",
        "natural",
        "not",
        "notnull",
        "null",
        "offset",
        "on",
        "only",
        "or",
        "order",
        "outer",
        "overlaps",
        "placing",
        "primary",
        "references",
        "returning",
        "right",
        "select",
        "session_user",
        "similar",
        "some",
        "symmetric",
        "system_user",
        "table",
        "tablesample",
        "then",
        "to",
        "trailing",
        "true",
        "union",
        "unique",
        "user",
        "using",
        "variadic",
        "verbose",
        "when",
        "where",
        "window",
        "with",
    }
)
# Names that would shadow what the generated code uses, or the project's own layout.
TAKEN_NAMES = frozenset({"test", "tests", "migrations", "conftest", "factories", "typing"})


class SpecError(ValueError):
    """A name or a field `new-domain` refuses; the message is the one line it prints."""


@dataclass(frozen=True, slots=True)
class Field:
    """One field of the new domain: its API name, its type, and a referenced domain."""

    name: str
    kind: str
    target: str | None = None

    @property
    def column(self) -> str:
        """The column (and API field): a reference is stored as `<name>_id`."""
        return f"{self.name}_id" if self.kind == "ref" else self.name


@dataclass(frozen=True, slots=True)
class Spec:
    """A checked request: the domain's name (its package, table and URL) and fields."""

    name: str
    fields: tuple[Field, ...]

    @property
    def singular(self) -> str:
        """`invoices` -> `invoice`; a name without a plural ending is its own singular."""
        if self.name.endswith("ies") and len(self.name) > len("ies"):
            return self.name[:-3] + "y"
        if self.name.endswith("s") and not self.name.endswith("ss") and len(self.name) > 1:
            return self.name[:-1]
        return self.name

    @property
    def model(self) -> str:
        """The model class: `invoices` -> `Invoice`, `line_items` -> `LineItem`."""
        return "".join(part.capitalize() for part in self.singular.split("_"))


TYPES = ("str", "text", "int", "decimal", "bool", "date", "datetime", "uuid", "ref:<domain>")


def _check_identifier(what: str, name: str) -> None:
    if not IDENTIFIER.match(name) or "__" in name or name.endswith("_"):
        raise SpecError(
            f"{what} {name!r} must be lower case letters, digits and single underscores,"
            " starting with a letter"
        )
    if len(name) > MAX_NAME:
        raise SpecError(f"{what} {name!r} is longer than {MAX_NAME} characters")
    if keyword.iskeyword(name) or keyword.issoftkeyword(name):
        raise SpecError(f"{what} {name!r} is a Python keyword")
    if name in SQL_RESERVED:
        raise SpecError(f"{what} {name!r} is a reserved word in PostgreSQL")
    if hasattr(builtins, name):
        raise SpecError(f"{what} {name!r} would shadow Python's built-in {name!r}")


def parse_field(text: str, tables: frozenset[str]) -> Field:
    """`name:type` or `name:ref:<domain>`, checked."""
    name, _, kind = text.partition(":")
    if not kind:
        raise SpecError(f"field {text!r} must be NAME:TYPE, a type one of {', '.join(TYPES)}")
    _check_identifier("field", name)
    target = None
    if kind.startswith("ref:"):
        kind, target = "ref", kind.removeprefix("ref:")
        if target not in tables:
            known = ", ".join(sorted(tables)) or "none yet"
            raise SpecError(
                f"field {name!r} refers to {target!r}, which is not a tenant domain ({known})"
            )
    elif kind not in TYPES:
        raise SpecError(f"field {name!r} has type {kind!r}; types: {', '.join(TYPES)}")
    field = Field(name, kind, target)
    if field.column in RESERVED_FIELDS:
        raise SpecError(f"field {field.column!r} is a column every domain has already")
    return field


def parse(
    name: str, fields: list[str], *, package: Path, tables: frozenset[str], taken: frozenset[str]
) -> Spec:
    """Check the domain `name` and its `fields` against the project (`package`: the source
    package; `tables`: the tenant tables a reference may point at; `taken`: every table)."""
    _check_identifier("domain name", name)
    if name in TAKEN_NAMES or (package / name).exists() or (package / f"{name}.py").exists():
        raise SpecError(f"domain name {name!r} is taken: the project already has {name!r}")
    if name in taken:
        raise SpecError(f"domain name {name!r} is taken: a table of that name exists")
    if not fields:
        raise SpecError("a domain needs at least one --field NAME:TYPE")
    parsed = tuple(parse_field(text, tables) for text in fields)
    columns = [field.column for field in parsed]
    duplicates = sorted({column for column in columns if columns.count(column) > 1})
    if duplicates:
        raise SpecError(f"fields {', '.join(duplicates)} are given more than once")
    spec = Spec(name, parsed)
    if spec.model in {"Base", "Entity", "TenantEntity", "Repository", "Access"}:
        raise SpecError(f"domain name {name!r} would name its model {spec.model!r}, taken")
    return spec

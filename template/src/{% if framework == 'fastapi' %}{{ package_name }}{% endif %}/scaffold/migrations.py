"""What every generated migration shares: where the chain's head is, the next revision,
and the SQL that grants a domain's permissions to roles (roles are data)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .kinds import KINDS
from .spec import Spec

_REVISION = re.compile(r'^revision: str = "([^"]+)"', re.MULTILINE)
_DOWN = re.compile(r'^down_revision: str \| None = (?:"([^"]+)"|None)', re.MULTILINE)
_NUMBERED = re.compile(r"^([a-z]*)(\d+)$")
# Who holds a new domain's permissions, as the sample domain's are held.
GRANTS = {
    "owner": ("read", "write", "delete"),
    "admin": ("read", "write", "delete"),
    "member": ("read", "write", "delete"),
    "viewer": ("read",),
}


@dataclass(frozen=True, slots=True)
class Revision:
    """The revision a new migration gets, the one it follows, and its file's number."""

    revision: str
    down_revision: str | None
    number: str


def next_revision(versions: Path) -> Revision:
    """After the one head of the migrations in `versions`."""
    revisions: dict[str, str | None] = {}
    for path in versions.glob("*.py"):
        text = path.read_text()
        found, down = _REVISION.search(text), _DOWN.search(text)
        if found is not None:
            revisions[found[1]] = down[1] if down is not None else None
    heads = set(revisions) - {down for down in revisions.values() if down}
    if len(heads) > 1:
        raise ValueError(f"{versions} has several heads ({', '.join(sorted(heads))}); merge them")
    head = heads.pop() if heads else None
    numbered = [m for m in map(_NUMBERED.match, revisions) if m is not None]
    prefix = numbered[0][1] if numbered else ""
    width = len(numbered[0][2]) if numbered else 4
    number = str(max((int(m[2]) for m in numbered), default=0) + 1).zfill(width)
    return Revision(f"{prefix}{number}", head, number)


def grants(spec: Spec) -> str:
    """The GRANTS constant of a migration: role -> the domain's permissions it holds."""
    lines = [
        f'    "{role}": [{", ".join(f"{chr(34)}{spec.name}:{p}{chr(34)}" for p in actions)}],'
        for role, actions in GRANTS.items()
    ]
    return "GRANTS = {\n" + "\n".join(lines) + "\n}"


GRANT_FUNCTIONS = '''
def _grant(*, revoke: bool = False) -> None:
    """Give each role in GRANTS its permissions (or take them back)."""
    change = (
        "ARRAY(SELECT p FROM unnest(permissions) AS p WHERE p <> ALL(CAST(:given AS varchar[])))"
        if revoke
        else "permissions || ARRAY(SELECT unnest(CAST(:given AS varchar[]))"
        " EXCEPT SELECT unnest(permissions))"
    )
    for role, given in GRANTS.items():
        sql = f"UPDATE roles SET permissions = {change}, updated_at = now()"  # noqa: S608
        op.execute(sa.text(f"{sql} WHERE name = :role").bindparams(role=role, given=given))
'''


def columns(spec: Spec) -> list[str]:
    """The `sa.Column`s of the domain's own fields and its creator."""
    return [
        f'sa.Column("{f.column}", {KINDS[f.kind].migration}, nullable=False),' for f in spec.fields
    ] + ['sa.Column("created_by_id", sa.Uuid(), nullable=False),']


_NOW = 'server_default=sa.text("now()"), nullable=False),'
ENTITY_COLUMNS = [
    'sa.Column("id", sa.Uuid(), nullable=False),',
    f'sa.Column("created_at", sa.DateTime(timezone=True), {_NOW}',
    f'sa.Column("updated_at", sa.DateTime(timezone=True), {_NOW}',
    'sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),',
]

"""`new-domain NAME --field name:type ...`: check everything, then write everything."""

from __future__ import annotations

import importlib
import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path

from . import package as domain
from . import tests
from .registry import registered
from .spec import Spec, SpecError, parse
from .tenancy import constraint_names, migrations, table_args

__all__ = ["SpecError", "new_domain"]

# PostgreSQL keeps the first 63 bytes of a name: a longer one would not match its model.
MAX_IDENTIFIER = 63


def _tables(package: str) -> tuple[frozenset[str], frozenset[str]]:
    """Every table the project's models declare, and the tenant-owned ones."""
    base = importlib.import_module(f"{package}.models").Base
    tenancy = importlib.import_module(f"{package}.tenancy.models")
    tables = base.metadata.sorted_tables
    return (
        frozenset(table.name for table in tables),
        frozenset(table.name for table in tables if tenancy.is_tenant_owned(table)),
    )


def _files(spec: Spec, package: str, root: Path, today: date) -> dict[Path, str]:
    refs = tests.reference_factories(root)
    source, test_dir = root / "src" / package / spec.name, root / "tests" / spec.name
    names = domain.names(spec, package)
    args, imports = table_args(spec)
    files = {
        source / "__init__.py": f'"""The {spec.name.replace("_", " ")} domain."""\n',
        source / "models.py": domain.models(spec, package, args, imports),
        source / "schemas.py": domain.schemas(spec, package),
        source / "repository.py": domain.repository(spec, package),
        source / "policies.py": domain.policies(spec, package),
        source / "service.py": domain.service(spec, package),
        source / "dependencies.py": domain.dependencies(spec, package),
        source / "router.py": domain.router(spec, package),
        test_dir / "__init__.py": "",
        test_dir / "factories.py": tests.factories(spec, refs, names),
        test_dir / f"test_{spec.name}_api.py": tests.api_tests(spec, names),
    }
    files.update(migrations(spec, package, root, today))
    return files


def new_domain(
    name: str, fields: list[str], *, root: Path | None = None, today: date | None = None
) -> list[Path]:
    """Write the domain `name` with `fields` and register it; the paths written.

    Raises `SpecError` (its message one line) before writing anything if the name, a
    field or the project's state does not allow it.
    """
    source = Path(__file__).resolve().parents[1]
    package = source.name
    root = root or source.parents[1]
    today = today or datetime.now(UTC).date()
    every_table, tenant_tables = _tables(package)
    targets = tenant_tables & set(tests.reference_factories(root))
    spec = parse(name, fields, package=source, tables=targets, taken=every_table)
    too_long = [n for n in constraint_names(spec) if len(n.encode()) > MAX_IDENTIFIER]
    if too_long:
        raise SpecError(f"names would pass PostgreSQL's 63 characters: {', '.join(too_long)}")
    files = _files(spec, package, root, today)
    existing = [str(path.relative_to(root)) for path in files if path.exists()]
    if existing:
        raise SpecError(f"would overwrite {', '.join(existing)}")
    domains_file = root / "src" / package / "domains.py"
    try:
        files[domains_file] = registered(domains_file.read_text(), package, spec.name)
    except ValueError as exc:  # not Python any more: a hand edit went wrong
        raise SpecError(f"domains.py cannot be read: {exc}") from exc
    for path, text in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    _format([path for path in files if path.suffix == ".py"], root)
    return list(files)


def _format(paths: list[Path], root: Path) -> None:
    """Sort imports and format what was written, as `make format` would (if ruff is here)."""
    names = [str(path) for path in paths]
    for command in (["check", "--fix-only", "--select", "I", "--quiet"], ["format", "--quiet"]):
        subprocess.run(  # noqa: S603 - our own interpreter, fixed arguments
            [sys.executable, "-m", "ruff", *command, *names], cwd=root, check=False
        )

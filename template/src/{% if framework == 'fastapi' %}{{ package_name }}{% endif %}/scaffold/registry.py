"""Registering a domain in the team-owned `domains.py`: its router joins `ROUTERS`."""

from __future__ import annotations

import ast

from .spec import SpecError


def _offset(lines: list[str], line: int, column: int) -> int:
    return sum(len(text) for text in lines[: line - 1]) + column


def registered(text: str, package: str, name: str) -> str:
    """`domains.py`'s `text` with the router of `name` imported and added to `ROUTERS`."""
    alias = f"{name}_router"
    tree = ast.parse(text)
    routers = next(
        (
            node.value
            for node in tree.body
            if isinstance(node, ast.AnnAssign | ast.Assign)
            and any(
                isinstance(target, ast.Name) and target.id == "ROUTERS"
                for target in (node.targets if isinstance(node, ast.Assign) else [node.target])
            )
        ),
        None,
    )
    if not isinstance(routers, ast.Tuple) or routers.end_lineno is None:
        raise SpecError(f"domains.py has no `ROUTERS = (...)` tuple to add {alias} to")
    lines = text.splitlines(keepends=True)
    if routers.elts:
        last = routers.elts[-1]
        at = _offset(lines, last.end_lineno or last.lineno, last.end_col_offset or 0)
        text = f"{text[:at]}, {alias}{text[at:]}"
    else:
        start = _offset(lines, routers.lineno, routers.col_offset)
        end = _offset(lines, routers.end_lineno, routers.end_col_offset or 0)
        text = f"{text[:start]}({alias},){text[end:]}"
    imports = [node for node in tree.body if isinstance(node, ast.Import | ast.ImportFrom)]
    after = max((node.end_lineno or node.lineno) for node in imports) if imports else 0
    lines = text.splitlines(keepends=True)
    lines.insert(after, f"from {package}.{name}.router import router as {alias}\n")
    return "".join(lines)

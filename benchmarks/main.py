"""Render a combination, install it, and run the benchmark drivers inside it.

Figures are printed one per line as `name: value unit`; these are measurements,
not tests, so nothing here passes or fails on a threshold.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from tests.matrix import BASE_ANSWERS, DERIVED_ANSWERS, VARIANT_QUESTIONS
from tests.rendering import render

DRIVERS = Path(__file__).resolve().parent / "drivers"


def parse_combo(value: str) -> dict[str, str]:
    """`fastapi,schema,jwt,rbac` as copier answers."""
    parts = value.split(",")
    if len(parts) != len(VARIANT_QUESTIONS):
        raise argparse.ArgumentTypeError(  # noqa: TRY003 - argparse shows the message
            f"--combo needs {len(VARIANT_QUESTIONS)} values: {','.join(VARIANT_QUESTIONS)}"
        )
    return dict(zip(VARIANT_QUESTIONS, parts, strict=True))


def _clean_env() -> dict[str, str]:
    # The rendered project's own environment and embedded database, not ours.
    return {k: v for k, v in os.environ.items() if k not in {"VIRTUAL_ENV", "DATABASE_URL"}}


def run_driver(project: Path, driver: str, *args: str) -> None:
    """Run one driver with the rendered project's own interpreter and packages."""
    script = project / f"_bench_{driver}.py"
    shutil.copy(DRIVERS / f"{driver}.py", script)
    command = ["uv", "run", "--no-sync", "python", script.name, *args]
    subprocess.run(command, cwd=project, env=_clean_env(), check=True)


def main(argv: list[str] | None = None) -> None:
    """Parse arguments, render, install, measure."""
    parser = argparse.ArgumentParser(prog="benchmarks/run", description=__doc__)
    parser.add_argument("--combo", type=parse_combo, default=parse_combo("fastapi,schema,jwt,rbac"))
    parser.add_argument("--tenants", type=int, default=1000, help="tenants to create (schema)")
    parser.add_argument("--keep", action="store_true", help="keep the rendered project")
    args = parser.parse_args(argv)
    combo: dict[str, str] = args.combo
    if combo["tenancy"] != "schema":
        sys.exit("only the schema-tenancy benchmark exists so far: use --combo ...,schema,...")
    workdir = Path(tempfile.mkdtemp(prefix="keystone-bench-"))
    try:
        project = render(workdir / "project", {**BASE_ANSWERS, **combo})
        subprocess.run(["uv", "sync", "--quiet"], cwd=project, env=_clean_env(), check=True)
        print(f"combo: {','.join(combo[q] for q in VARIANT_QUESTIONS)}", flush=True)
        run_driver(
            project,
            "tenants",
            f"--package={DERIVED_ANSWERS['package_name']}",
            f"--tenants={args.tenants}",
        )
    finally:
        if args.keep:
            print(f"project: {workdir / 'project'}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()

"""Migrations copier runs during `copier update` (see `_migrations` in copier.yml).

Copier runs each command in the project being updated, with the interpreter that runs
copier itself, so this module uses the standard library and git only:

    python hooks/migrate.py rename-answer OLD NEW [--answers-file .copier-answers.yml]
    python hooks/migrate.py move-file OLD NEW --stage before|after [--answers-file ...]

Paths may name answers in braces, `src/{package_name}/core/config.py`: the hook fills
them in from the answers file, because copier has not loaded the answers yet when it
runs the "before" stage, so Jinja in a "before" command cannot use them.

`rename-answer` (stage "before") renames a key of the answers file, so a renamed
question keeps the project's answer. Copier reads the answers again after the "before"
stage, unless the update runs with `--skip-answered`.

`move-file` (both stages) carries the team's edits of a file the template moved. Left
alone, copier writes the template's file at the new path and deletes the old one, edits
and all. In the "before" stage this saves the team's copy and the copy the last update
wrote (the answers file's last commit, which is how copier's history works too) under
`.git/`; in the "after" stage it merges the team's edits into the file at the new path
with `git merge-file`, leaving conflict markers only where both sides changed the same
lines. An unedited file needs nothing, so nothing is saved for it.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ANSWERS_FILE = ".copier-answers.yml"
# Saved copies live in the git directory, so they never show up as project files.
STASH_DIR = "keystone-migrate"
MERGE_LABELS = ("your edits", "last update", "new template")
MAX_CONFLICT_STATUS = 127


class MigrationError(RuntimeError):
    """A migration cannot proceed; the message says why and what to do."""


def rename_answer_text(text: str, old: str, new: str) -> str:
    """The answers file `text` with its top-level key `old` renamed to `new`.

    Renaming twice is harmless: with `old` gone and `new` present, `text` is returned.
    """
    old_key = re.compile(rf"^{re.escape(old)}:(?=\s|$)", re.MULTILINE)
    new_key = re.compile(rf"^{re.escape(new)}:(?=\s|$)", re.MULTILINE)
    has_old, has_new = bool(old_key.search(text)), bool(new_key.search(text))
    if has_old and has_new:
        message = f"the answers file has both {old!r} and {new!r}; keep one and run again"
        raise MigrationError(message)
    if not has_old:
        return text
    return old_key.sub(f"{new}:", text, count=1)


def rename_answer(project: Path, old: str, new: str, *, answers_file: str = ANSWERS_FILE) -> bool:
    """Rename an answer in the project's answers file; whether anything changed."""
    path = project / answers_file
    text = path.read_text(encoding="utf-8")
    renamed = rename_answer_text(text, old, new)
    if renamed == text:
        return False
    path.write_text(renamed, encoding="utf-8")
    return True


def answer_values(text: str) -> dict[str, str]:
    """The top-level plain answers of an answers file (`key: value` lines)."""
    values: dict[str, str] = {}
    for match in re.finditer(r"^([A-Za-z_]\w*):[ \t]+(\S.*?)\s*$", text, re.MULTILINE):
        value = match.group(2)
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":  # noqa: PLR2004
            value = value[1:-1]
        values[match.group(1)] = value
    return values


def expand_path(template: str, values: dict[str, str]) -> str:
    """`template` with each `{answer}` replaced by the project's answer."""
    try:
        return template.format_map(values)
    except KeyError as missing:
        message = f"{template!r} names the answer {missing}, which the answers file lacks"
        raise MigrationError(message) from None


@dataclass(frozen=True)
class Saved:
    """Where the "before" stage saved a moved file's two copies."""

    ours: Path
    base: Path | None


def _git(project: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(  # noqa: S603 - fixed git commands, never a shell string
        ["git", *args],  # noqa: S607 - git from PATH, as copier itself runs it
        cwd=project,
        capture_output=True,
        check=check,
    )


def _stash_root(project: Path) -> Path:
    git_dir = _git(project, "rev-parse", "--absolute-git-dir").stdout.decode().strip()
    return Path(git_dir) / STASH_DIR


def _stash_for(project: Path, new: str) -> Path:
    # One folder per destination path; the name is the path with its separators kept safe.
    return _stash_root(project) / new.replace("/", "__")


def last_update_copy(project: Path, path: str, *, answers_file: str = ANSWERS_FILE) -> bytes | None:
    """`path` at the answers file's last commit (the last render or update), if it has one."""
    listed = _git(project, "log", "-1", "--format=%H", "--", answers_file, check=False)
    commit = listed.stdout.decode().strip()
    if listed.returncode != 0 or not commit:
        return None
    shown = _git(project, "show", f"{commit}:{path}", check=False)
    return shown.stdout if shown.returncode == 0 else None


def save_moved_file(
    project: Path, old: str, new: str, *, answers_file: str = ANSWERS_FILE
) -> Saved | None:
    """Stage "before": save the team's copy of `old` and its last-update copy, if edited."""
    source = project / old
    if not source.is_file() or (project / new).exists():
        return None
    ours = source.read_bytes()
    base = last_update_copy(project, old, answers_file=answers_file)
    if base == ours:
        return None  # unedited: copier moves it cleanly on its own
    stash = _stash_for(project, new)
    shutil.rmtree(stash, ignore_errors=True)
    stash.mkdir(parents=True)
    (stash / "ours").write_bytes(ours)
    if base is not None:
        (stash / "base").write_bytes(base)
    (stash / "paths.json").write_text(json.dumps({"old": old, "new": new}), encoding="utf-8")
    return Saved(ours=stash / "ours", base=stash / "base" if base is not None else None)


def merge_moved_file(project: Path, new: str) -> bool | None:
    """Stage "after": merge the saved edits into `new`.

    Returns None when nothing was saved, True when the merge is clean and False when
    `new` now holds conflict markers for the team to resolve.
    """
    stash = _stash_for(project, new)
    ours = stash / "ours"
    if not ours.is_file():
        return None
    target = project / new
    target.parent.mkdir(parents=True, exist_ok=True)
    base = stash / "base"
    if not base.is_file():
        base.write_bytes(b"")  # nothing in common: the whole file is one conflict
    theirs = stash / "theirs"
    theirs.write_bytes(target.read_bytes() if target.is_file() else b"")
    labels = [arg for label in MERGE_LABELS for arg in ("-L", label)]
    merged = _git(
        project, "merge-file", "-p", *labels, str(ours), str(base), str(theirs), check=False
    )
    # Exit status: the number of conflicts (at most 127), or above that on error.
    if merged.returncode > MAX_CONFLICT_STATUS:
        message = f"git merge-file failed for {new}: {merged.stderr.decode().strip()}"
        raise MigrationError(message)
    target.write_bytes(merged.stdout)
    shutil.rmtree(stash)
    if not any(_stash_root(project).iterdir()):
        _stash_root(project).rmdir()
    return merged.returncode == 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="migrate.py", description=__doc__.splitlines()[0])
    parser.add_argument("--answers-file", default=ANSWERS_FILE)
    commands = parser.add_subparsers(dest="command", required=True)
    rename = commands.add_parser("rename-answer", help="rename a key of the answers file")
    rename.add_argument("old")
    rename.add_argument("new")
    move = commands.add_parser("move-file", help="carry edits of a file the template moved")
    move.add_argument("old")
    move.add_argument("new")
    move.add_argument("--stage", choices=("before", "after"), required=True)
    return parser


def main(argv: list[str] | None = None, *, project: Path | None = None) -> int:
    """Run one migration in `project` (default: the current directory, as copier runs it)."""
    args = _parser().parse_args(argv)
    root = Path.cwd() if project is None else project
    try:
        if args.command == "rename-answer":
            if rename_answer(root, args.old, args.new, answers_file=args.answers_file):
                print(f"Renamed answer {args.old!r} to {args.new!r}.")  # noqa: T201
            return 0
        values = answer_values((root / args.answers_file).read_text(encoding="utf-8"))
        old, new = expand_path(args.old, values), expand_path(args.new, values)
        if args.stage == "before":
            save_moved_file(root, old, new, answers_file=args.answers_file)
            return 0
        clean = merge_moved_file(root, new)
        if clean is False:
            print(  # noqa: T201
                f"{old} moved to {new}; your edits conflict with the template's:"
                f" resolve the conflict markers in {new}.",
                file=sys.stderr,
            )
        elif clean:
            print(f"Moved your edits of {old} to {new}.")  # noqa: T201
    except MigrationError as error:
        print(f"migration failed: {error}", file=sys.stderr)  # noqa: T201
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

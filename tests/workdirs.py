"""Directories for rendered projects that start PostgreSQL, outside pytest's temporary root.

Every pytest session makes `/tmp/pytest-of-<user>` private again (mode 0700) when it
starts, and a rendered project's own `make test` is such a session. Run as root, the
embedded PostgreSQL runs as another user, from the project's virtual environment: under
that root it could then no longer read its own files (time zones, on every new
connection) nor run its programs. Projects that start a server live here instead.
"""

from __future__ import annotations

import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterator


@contextmanager
def workdir(name: str) -> Iterator[Path]:
    """A fresh directory under the system's temporary directory, removed afterwards."""
    root = Path(tempfile.mkdtemp(prefix=f"keystone-{name}-"))
    try:
        yield root
    finally:
        shutil.rmtree(root, ignore_errors=True)

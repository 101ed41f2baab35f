"""CPU time spent by the app server and by PostgreSQL, read from /proc.

Requests per second on a shared 2-core machine swing with whatever else runs; the CPU
time one request costs the app process and the database does not. Dividing one core
by the app's CPU per request gives the throughput ceiling of one app worker.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PROC = Path("/proc")
TICKS_PER_SECOND = os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True)
class Usage:
    """CPU seconds (user + system) so far of the app's processes and of PostgreSQL's."""

    app: float
    database: float

    def __sub__(self, earlier: Usage) -> Usage:
        return Usage(self.app - earlier.app, self.database - earlier.database)


def _stat_fields(pid: str) -> list[str] | None:
    try:
        raw = (PROC / pid / "stat").read_text()
    except OSError:  # the process ended between listing and reading
        return None
    # The command name is in parentheses and may hold spaces: split after its end.
    name = raw[raw.index("(") + 1 : raw.rindex(")")]
    return [name, *raw[raw.rindex(")") + 2 :].split()]


def _is_database(pid: str, fields: list[str], postmaster: int | None) -> bool:
    if postmaster is None:
        return fields[0] == "postgres"
    return postmaster in (int(pid), int(fields[2]))


def usage(app_session: int, postmaster: int | None) -> Usage:
    """CPU so far of every process in the app's session and of the database server: the
    postmaster and its children, or, for a server that is not ours, every `postgres`
    process on the machine.

    Reaped children count too (cutime/cstime), so a process that exited is not lost.
    """
    app = database = 0
    for entry in PROC.iterdir():
        if not entry.name.isdigit():
            continue
        fields = _stat_fields(entry.name)
        if fields is None:
            continue
        # After the name: state(1) ppid(2) pgrp(3) session(4) ... utime(12) stime(13)
        # cutime(14) cstime(15), counted from the name at index 0.
        ticks = sum(int(value) for value in fields[12:16])
        if int(fields[4]) == app_session:
            app += ticks
        elif _is_database(entry.name, fields, postmaster):
            database += ticks
    return Usage(app / TICKS_PER_SECOND, database / TICKS_PER_SECOND)

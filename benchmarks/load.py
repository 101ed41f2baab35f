"""Drive a served project with wrk and read back req/s, percentiles and errors.

wrk's own report has no p95, so a Lua `done()` prints what we need as one JSON line.
"""

# ruff: noqa: TRY003 - a failed measurement says what went wrong inline

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

# Counts responses outside 2xx per thread and reports the run as one JSON line.
REPORT_LUA = """
local threads = {}

function setup(thread)
  thread:set("id", #threads + 1)
  table.insert(threads, thread)
end

non2xx = 0

function response(status, headers, body)
  if status < 200 or status > 299 then
    non2xx = non2xx + 1
  end
end

function done(summary, latency, requests)
  local errors = 0
  for _, thread in ipairs(threads) do
    errors = errors + thread:get("non2xx")
  end
  local e = summary.errors
  io.write(string.format(
    '\\nBENCH {"requests":%d,"duration_us":%d,"p50_us":%d,"p95_us":%d,"p99_us":%d,'
      .. '"non2xx":%d,"socket_errors":%d}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), errors, e.connect + e.read + e.write + e.timeout))
end
"""

# A creating POST per request: a unique name and Idempotency-Key from the run's prefix,
# the thread's number and a counter, so no two requests in any run collide.
CREATE_LUA = """
local counter = 0
local prefix = "bench"

function init(args)
  prefix = args[1] or prefix
end

function request()
  counter = counter + 1
  local key = prefix .. "-" .. id .. "-" .. counter
  local headers = {}
  for name, value in pairs(wrk.headers) do
    headers[name] = value
  end
  headers["Idempotency-Key"] = key
  headers["Content-Type"] = "application/json"
  return wrk.format("POST", nil, headers, '{"name":"Bench ' .. key .. '"}')
end
"""


# An updating PATCH per request: a new description each time, so every request writes.
UPDATE_LUA = """
local counter = 0
local prefix = "bench"

function init(args)
  prefix = args[1] or prefix
end

function request()
  counter = counter + 1
  local headers = {}
  for name, value in pairs(wrk.headers) do
    headers[name] = value
  end
  headers["Content-Type"] = "application/json"
  local body = '{"description":"' .. prefix .. "-" .. id .. "-" .. counter .. '"}'
  return wrk.format("PATCH", nil, headers, body)
end
"""


@dataclass(frozen=True)
class Result:
    """One wrk run."""

    requests: int
    seconds: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    non2xx: int
    socket_errors: int

    @property
    def rps(self) -> float:
        """Requests per second."""
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def errors(self) -> int:
        """Every request that did not end in a 2xx response."""
        return self.non2xx + self.socket_errors


def wrk_path() -> str:
    """The wrk binary (.ci/run installs it)."""
    found = shutil.which("wrk")
    if found is None:
        raise RuntimeError("wrk is not installed (apt-get install wrk)")
    return found


def run_wrk(  # noqa: PLR0913 - wrk's options, each keyword-only but the target
    url: str,
    headers: dict[str, str],
    *,
    seconds: float,
    connections: int,
    create_prefix: str | None = None,
    update_prefix: str | None = None,
) -> Result:
    """Run wrk against `url` for `seconds`; with `create_prefix`, POST unique projects;
    with `update_prefix`, PATCH the project at `url` with a new description each time."""
    script = REPORT_LUA
    if create_prefix is not None:
        script += CREATE_LUA
    elif update_prefix is not None:
        script += UPDATE_LUA
    with tempfile.TemporaryDirectory(prefix="keystone-wrk-") as tmp:
        lua = Path(tmp) / "bench.lua"
        lua.write_text(script)
        command = [
            wrk_path(),
            "--threads",
            str(min(2, connections)),
            "--connections",
            str(connections),
            "--duration",
            f"{max(1, round(seconds))}s",
            "--timeout",
            "10s",
            "--script",
            str(lua),
        ]
        for name, value in headers.items():
            command += ["--header", f"{name}: {value}"]
        command.append(url)
        if create_prefix is not None or update_prefix is not None:
            command += ["--", create_prefix or update_prefix or ""]
        output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    lines = [line for line in output.splitlines() if line.startswith("BENCH ")]
    if not lines:
        raise RuntimeError(f"wrk printed no report:\n{output}")
    data = json.loads(lines[-1].removeprefix("BENCH "))
    return Result(
        requests=data["requests"],
        seconds=data["duration_us"] / 1e6,
        p50_ms=data["p50_us"] / 1000,
        p95_ms=data["p95_us"] / 1000,
        p99_ms=data["p99_us"] / 1000,
        non2xx=data["non2xx"],
        socket_errors=data["socket_errors"],
    )

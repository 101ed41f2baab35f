"""Structured JSON logs; request id and tenant id ride along via contextvars."""

from __future__ import annotations

import logging
import sys
from typing import Any

import orjson
import structlog


def _dumps(event: Any, **kwargs: Any) -> str:
    """One log line's JSON, written by orjson (about a tenth of json.dumps' cost)."""
    # structlog passes its fallback (repr of what JSON cannot hold) as `default`.
    line = orjson.dumps(event, default=kwargs.get("default", repr), option=orjson.OPT_NON_STR_KEYS)
    return line.decode()


def configure_logging(*, level: str = "INFO", json: bool = True) -> None:
    """Route stdlib and structlog records through one JSON (or console) renderer."""
    shared: list[structlog.types.Processor] = [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        structlog.processors.StackInfoRenderer(),
    ]
    renderer: structlog.types.Processor = (
        structlog.processors.JSONRenderer(serializer=_dumps)
        if json
        else structlog.dev.ConsoleRenderer()
    )
    structlog.configure(
        processors=[*shared, structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(
        structlog.stdlib.ProcessorFormatter(
            foreign_pre_chain=shared,
            processors=[
                structlog.stdlib.ProcessorFormatter.remove_processors_meta,
                structlog.processors.format_exc_info,
                renderer,
            ],
        )
    )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    # Our middleware writes one access line per request; gunicorn's would duplicate it.
    logging.getLogger("gunicorn.access").disabled = True
    # procrastinate logs every job's arguments (e-mail addresses, bodies) at INFO.
    logging.getLogger("procrastinate").setLevel(max(root.level, logging.WARNING))

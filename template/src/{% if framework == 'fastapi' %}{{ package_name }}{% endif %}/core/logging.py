"""Structured JSON logs; request id and tenant id ride along via contextvars."""

from __future__ import annotations

import logging
import sys

import structlog


class _NamedWriteLogger(structlog.WriteLogger):
    """structlog's direct stdout writer, carrying the name `add_logger_name` reports."""

    def __init__(self, name: str) -> None:
        super().__init__(sys.stdout)
        self.name = name


def _named_write_logger(*args: object) -> _NamedWriteLogger:
    """The logger for `structlog.get_logger(name)`."""
    return _NamedWriteLogger(str(args[0]) if args else "")


def configure_logging(*, level: str = "INFO", json: bool = True) -> None:
    """Render structlog and stdlib records with one JSON (or console) processor chain."""
    shared: list[structlog.types.Processor] = [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        structlog.processors.StackInfoRenderer(),
    ]
    renderer: structlog.types.Processor = (
        structlog.processors.JSONRenderer() if json else structlog.dev.ConsoleRenderer()
    )
    root = logging.getLogger()
    root.setLevel(level.upper())  # Also rejects an unknown level name.
    # Our own loggers (the access line on every request among them) skip the stdlib's
    # LogRecord, handler and formatter: they render and write straight to stdout, and a
    # call below the level returns at once.
    structlog.configure(
        processors=[*shared, structlog.processors.format_exc_info, renderer],
        logger_factory=_named_write_logger,
        wrapper_class=structlog.make_filtering_bound_logger(root.level),
        cache_logger_on_first_use=True,
    )
    # Libraries (uvicorn, SQLAlchemy, procrastinate) log through the stdlib: same chain.
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
    root.handlers[:] = [handler]
    # Our middleware writes one access line per request; uvicorn's would duplicate it.
    logging.getLogger("uvicorn.access").disabled = True
    # procrastinate logs every job's arguments (e-mail addresses, bodies) at INFO.
    logging.getLogger("procrastinate").setLevel(max(root.level, logging.WARNING))

"""Logs through structlog, shared by the API and the workers: JSON lines for machines, aligned and
coloured lines for a person running `make run` in a terminal.

Every line carries the request id (or task id) bound in a context variable, and secrets never
reach a log: a processor drops the keys that could hold them.
"""

import logging
import sys
from typing import Any, TextIO

import structlog
from structlog.typing import EventDict

from services.core.settings import get_settings

REDACTED_KEYS = frozenset(
    {
        "password",
        "token",
        "access_token",
        "refresh_token",
        "authorization",
        "email",
        "secret",
        "api_key",
        "code_verifier",
    }
)


def _redact(_logger: Any, _name: str, event: EventDict) -> EventDict:
    for key in REDACTED_KEYS & event.keys():
        event[key] = "[redacted]"
    return event


def _drop_color_message(_logger: Any, _name: str, event: EventDict) -> EventDict:
    # uvicorn passes a copy of its message with terminal colour codes as `extra`, for its own
    # formatter; ExtraAdder would carry the escape sequences into every line.
    event.pop("color_message", None)
    return event


def renders_for_people(stream: TextIO, environment: str) -> bool:
    """Console lines for a terminal outside production; JSON lines everywhere else.

    A redirected `make run` writes a file to grep, and production logs go to a collector that
    parses JSON even when someone attaches a terminal (`docker run -t`, `kubectl run -it`).
    """
    return environment != "production" and stream.isatty()


def configure_logging(level: str = "INFO", environment: str | None = None) -> None:
    """`environment` is the configured one (get_settings()) unless the caller has settings of its own."""
    stream = sys.stderr
    shared: list[Any] = [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        _redact,
    ]
    if renders_for_people(stream, environment or get_settings().environment):
        # ConsoleRenderer formats the traceback itself, readably; format_exc_info would flatten it.
        rendering: list[Any] = [structlog.dev.ConsoleRenderer(colors=True)]
    else:
        rendering = [structlog.processors.format_exc_info, structlog.processors.JSONRenderer()]
    structlog.configure(
        processors=[*shared, structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
        logger_factory=structlog.stdlib.LoggerFactory(),
        cache_logger_on_first_use=True,
    )
    formatter = structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=[*shared, structlog.stdlib.ExtraAdder(), _drop_color_message],
        processors=[structlog.stdlib.ProcessorFormatter.remove_processors_meta, *rendering],
    )
    handler = logging.StreamHandler(stream)
    handler.setFormatter(formatter)
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    # uvicorn's own access log would duplicate ours, without the request id.
    logging.getLogger("uvicorn.access").handlers[:] = []
    logging.getLogger("uvicorn.access").propagate = False
    logging.getLogger("httpx").setLevel(logging.WARNING)

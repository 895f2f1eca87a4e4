"""How the server logs: one configuration for its own logger and uvicorn's.

uvicorn configures only its own loggers, so without this the ``mockserver`` logger's
records (the start-up banner, fixtures, state files, webhook failures) reached no
handler, and ``--log-level debug`` showed nothing of the project's own. Here both
go to standard error at the chosen level, as text or as JSON Lines for CI log
collectors. The access log (a line per request) is off unless asked for: the
journal (``GET /_mock/journal``) records every request, and formatting a line per
request costs a busy server about 40% of its throughput.
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from typing import Any

from .settings import LogFormat, LogLevel

TRACE = 5  # uvicorn's level below debug


class JsonLines(logging.Formatter):
    """A record as one JSON object: time, level, logger, message (and the traceback)."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False)


def log_config(level: LogLevel, log_format: LogFormat, *, access_log: bool) -> dict[str, Any]:
    """A :func:`logging.config.dictConfig` for uvicorn's ``log_config``."""
    numeric = TRACE if level == "trace" else level.upper()
    formatter = (
        {"()": f"{__name__}.JsonLines"}
        if log_format == "json"
        else {"format": "%(asctime)s %(levelname)-7s %(name)s: %(message)s"}
    )
    handler = {
        "class": "logging.StreamHandler",
        "formatter": "default",
        "stream": "ext://sys.stderr",
    }
    logger = {"handlers": ["default"], "level": numeric, "propagate": False}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"default": formatter},
        "handlers": {"default": handler},
        "loggers": {
            "mockserver": logger,
            "uvicorn": logger,
            "uvicorn.error": {"level": numeric},
            "uvicorn.access": {**logger, "level": numeric if access_log else "CRITICAL"},
        },
    }

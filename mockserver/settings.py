"""Every knob of the server, in one frozen dataclass.

Settings are read once, from command-line flags and ``MOCKSERVER_*`` environment
variables, and handed to :func:`mockserver.app.create_app`. Nothing reads the
environment at request time.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from datetime import datetime
from typing import Any, Literal

ClockMode = Literal["realtime", "manual"]
LogLevel = Literal["critical", "error", "warning", "info", "debug", "trace"]
CredentialView = Literal["masked", "shown"]
LogFormat = Literal["text", "json"]

ENV_PREFIX = "MOCKSERVER_"
LOG_LEVELS: tuple[LogLevel, ...] = ("critical", "error", "warning", "info", "debug", "trace")


def _is_instant(text: str) -> bool:
    try:
        datetime.fromisoformat(text)
    except ValueError:
        return False
    return "T" in text or " " in text


@dataclass(frozen=True, slots=True)
class Settings:
    """The server's configuration.

    Each field's ``metadata["help"]`` is the text of its command-line flag, so the
    CLI, the environment and ``GET /_mock/settings`` all describe the same thing.
    """

    host: str = field(default="127.0.0.1", metadata={"help": "interface to bind"})
    port: int = field(default=8080, metadata={"help": "TCP port to listen on"})
    seed: int = field(
        default=0, metadata={"help": "seed of every tenant's ids, workers and answers"}
    )
    clock: ClockMode = field(
        default="realtime",
        metadata={
            "help": "realtime: sim time runs at --speed x wall time; "
            "manual: it moves only on POST /_mock/clock/advance"
        },
    )
    speed: float = field(
        default=60.0,
        metadata={"help": "sim seconds per wall second in realtime mode"},
    )
    epoch: str | None = field(
        default=None,
        metadata={
            "help": "ISO 8601 sim time every new tenant's clock starts at "
            "(default: the wall clock when the tenant is created)"
        },
    )
    vendor: str | None = field(
        default=None,
        metadata={"help": "serve only this vendor, mounted at / (single-vendor mode)"},
    )
    strict_auth: bool = field(
        default=False,
        metadata={
            "help": "refuse credentials not registered through /_mock/tenants "
            "(default: any credential opens its own tenant)"
        },
    )
    rate_limits: bool = field(
        default=True, metadata={"help": "enforce the vendors' rate limits (on|off)"}
    )
    journal_size: int = field(
        default=1000, metadata={"help": "requests kept in the request journal"}
    )
    webhook_retry_scale: float = field(
        default=1.0,
        metadata={
            "help": "factor on the vendors' webhook retry delays (sim time); "
            "0.001 turns an hour into 3.6 s"
        },
    )
    log_level: LogLevel = field(default="info", metadata={"help": "server log level"})
    state_file: str | None = field(
        default=None,
        metadata={
            "help": "file the whole state is loaded from at start (when it exists) and "
            "written to at shutdown and on POST /_mock/snapshot"
        },
    )
    fixture: str | None = field(
        default=None,
        metadata={
            "help": "bundled scenarios to load at start, comma-separated "
            "(skipped when --state-file exists); GET /_mock/fixtures lists them"
        },
    )
    admin_token: str | None = field(
        default=None,
        metadata={
            "help": "token every /_mock route but GET /_mock/health and the storage URLs asks "
            "for, as Authorization: Bearer TOKEN or X-Admin-Token: TOKEN (default: none asked)"
        },
    )
    journal_credentials: CredentialView = field(
        default="masked",
        metadata={
            "help": "masked: GET /_mock/journal shows the vendors' credentials as ****abcd "
            "(the last 4 characters); shown: as sent"
        },
    )
    webhook_log_size: int = field(
        default=1000,
        metadata={
            "help": "finished webhook deliveries kept per tenant in the delivery log, "
            "oldest dropped first (pending ones are always kept)"
        },
    )
    webhook_connections: int = field(
        default=64,
        metadata={
            "help": "webhook attempts on the wire at once; the rest wait their turn, "
            "and the timeout starts when an attempt is sent"
        },
    )
    max_tenants: int = field(
        default=5000,
        metadata={
            "help": "most unregistered tenants kept in open mode; a new one past it "
            "forgets the least recently used (0: no cap)"
        },
    )
    tenant_idle_expiry: float = field(
        default=3600.0,
        metadata={
            "help": "seconds of wall time without a request after which an unregistered "
            "tenant is forgotten (0: never)"
        },
    )
    autosave: float = field(
        default=0.0,
        metadata={
            "help": "seconds of wall time between saves of --state-file, bounding what a "
            "crash loses (0: save only at shutdown and on POST /_mock/snapshot)"
        },
    )
    log_format: LogFormat = field(
        default="text",
        metadata={"help": "text: a line a record; json: a JSON object a line, for log collectors"},
    )
    access_log: bool = field(
        default=False,
        metadata={"help": "log a line per request (default: off; GET /_mock/journal records them)"},
    )

    def __post_init__(self) -> None:
        problems = []
        if not 0 < self.port < 65536:
            problems.append(f"port must be between 1 and 65535, not {self.port}")
        if self.speed <= 0:
            problems.append(f"speed must be positive, not {self.speed}")
        if self.journal_size < 0:
            problems.append(f"journal-size must be 0 or more, not {self.journal_size}")
        if self.webhook_retry_scale < 0:
            problems.append("webhook-retry-scale must be 0 or more")
        if self.webhook_log_size < 0:
            problems.append(f"webhook-log-size must be 0 or more, not {self.webhook_log_size}")
        if self.webhook_connections < 1:
            problems.append(
                f"webhook-connections must be 1 or more, not {self.webhook_connections}"
            )
        if self.clock not in ("realtime", "manual"):
            problems.append(f"clock must be realtime or manual, not {self.clock!r}")
        if self.log_level not in LOG_LEVELS:
            problems.append(f"log-level must be one of {', '.join(LOG_LEVELS)}")
        if self.epoch is not None and not _is_instant(self.epoch):
            problems.append(f"epoch must be an ISO 8601 date-time, not {self.epoch!r}")
        if self.journal_credentials not in ("masked", "shown"):
            problems.append("journal-credentials must be masked or shown")
        if self.admin_token is not None and not self.admin_token.strip():
            problems.append("admin-token must not be blank")
        if self.max_tenants < 0:
            problems.append(f"max-tenants must be 0 or more, not {self.max_tenants}")
        if not self.tenant_idle_expiry >= 0:
            problems.append(f"tenant-idle-expiry must be 0 or more, not {self.tenant_idle_expiry}")
        if not self.autosave >= 0:
            problems.append(f"autosave must be 0 or more, not {self.autosave}")
        elif self.autosave and self.state_file is None:
            problems.append("autosave needs a state-file to save to")
        if problems:
            raise ValueError("; ".join(problems))

    @property
    def fixtures(self) -> tuple[str, ...]:
        """The names in ``fixture``, in order."""
        names = (self.fixture or "").split(",")
        return tuple(name.strip() for name in names if name.strip())

    def with_changes(self, **changes: Any) -> Settings:
        return replace(self, **changes)

    def as_dict(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


def _coerce(name: str, raw: str, default: Any) -> Any:
    """Turns an environment string into the type of the field's default; a value that
    is not of that type says so in words, as the flag's own check does."""
    if isinstance(default, bool):
        lowered = raw.strip().lower()
        if lowered in ("1", "true", "yes", "on"):
            return True
        if lowered in ("0", "false", "no", "off"):
            return False
        raise ValueError(f"must be on or off, not {raw!r}")
    if isinstance(default, int):
        return whole_number(raw)
    if isinstance(default, float):
        return number(raw)
    return raw


def whole_number(raw: str) -> int:
    try:
        return int(raw.strip())
    except ValueError:
        raise ValueError(f"must be a whole number, not {raw!r}") from None


def number(raw: str) -> float:
    try:
        return float(raw.strip())
    except ValueError:
        raise ValueError(f"must be a number, not {raw!r}") from None


def settings_from_env(environ: Mapping[str, str] | None = None) -> Settings:
    """Builds settings from ``MOCKSERVER_<FIELD>`` variables over the defaults.

    An empty variable counts as unset (``MOCKSERVER_SEED=`` in a compose file or a CI
    matrix means "no value", not "the value nothing").
    """
    environ = os.environ if environ is None else environ
    base = Settings()
    changes: dict[str, Any] = {}
    for f in fields(Settings):
        raw = environ.get(ENV_PREFIX + f.name.upper())
        if raw is not None and raw.strip():
            try:
                changes[f.name] = _coerce(f.name, raw, getattr(base, f.name))
            except ValueError as exc:
                raise ValueError(f"{ENV_PREFIX}{f.name.upper()}: {exc}") from None
    return base.with_changes(**changes)


def unknown_env(environ: Mapping[str, str] | None = None) -> list[str]:
    """The ``MOCKSERVER_*`` variables that name no setting (a typo is otherwise silent)."""
    environ = os.environ if environ is None else environ
    known = {ENV_PREFIX + f.name.upper() for f in fields(Settings)}
    return sorted(name for name in environ if name.startswith(ENV_PREFIX) and name not in known)

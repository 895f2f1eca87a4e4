"""The sandbox's error vocabulary, before any vendor dialect.

Backends and api modules raise these (or vendor subclasses that pin a message);
each vendor's ``render_error`` turns them into that vendor's status, headers and
body. A raised error is the only way a request is refused, which is what keeps a
refused request from changing state: handlers validate before they mutate.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from http import HTTPStatus
from typing import ClassVar


@dataclass(frozen=True, slots=True)
class FieldError:
    """One reason a request was refused, tied to the field it concerns."""

    field: str
    message: str


class MockError(Exception):
    """Base of every refusal. ``status`` and ``message`` are class-level defaults."""

    status: ClassVar[int] = 500
    message: ClassVar[str] = "Internal server error"

    def __init__(self, detail: str | None = None) -> None:
        self.detail = detail or self.message
        super().__init__(self.detail)


class InvalidInput(MockError):
    """The body or parameters fail validation; ``errors`` names every failing field."""

    status = 400
    message = "Validation failed"

    def __init__(self, errors: list[FieldError], detail: str | None = None) -> None:
        super().__init__(detail)
        self.errors = errors

    @classmethod
    def one(cls, field: str, message: str) -> InvalidInput:
        return cls([FieldError(field, message)])


class MalformedBody(MockError):
    """The body cannot be parsed at all (broken JSON, XML, CSV or encoding)."""

    status = 400
    message = "Malformed request body"


class Unauthenticated(MockError):
    status = 401
    message = "Unauthorized"


class Forbidden(MockError):
    status = 403
    message = "Forbidden"


class NotFound(MockError):
    status = 404
    message = "Not Found"


class MethodNotAllowed(MockError):
    status = 405
    message = "Method Not Allowed"

    def __init__(self, allow: tuple[str, ...] = (), detail: str | None = None) -> None:
        super().__init__(detail)
        self.allow = allow


class Conflict(MockError):
    status = 409
    message = "Conflict"


class PayloadTooLarge(MockError):
    status = 413
    message = "Request Entity Too Large"

    def __init__(self, limit: int, detail: str | None = None) -> None:
        super().__init__(detail)
        self.limit = limit


class UnsupportedMediaType(MockError):
    status = 415
    message = "Unsupported Media Type"


class RateLimited(MockError):
    """A rate-limit policy refused the request; vendors render their own 429."""

    status = 429
    message = "Too Many Requests"

    def __init__(self, policy: str, limit: int, window: float, retry_after: float) -> None:
        super().__init__()
        self.policy = policy
        self.limit = limit
        self.window = window
        self.retry_after = retry_after

    @property
    def retry_after_header(self) -> str:
        """Whole seconds, rounded up: a client that waits that long gets through."""
        return str(max(1, math.ceil(self.retry_after)))


class InternalError(MockError):
    """Anything unexpected: answered in the vendor's dialect, never as a trace."""


class InjectedFault(MockError):
    """A refusal a fault rule asked for, answered in the vendor's dialect.

    Its status is the rule's, so it is set per instance; ``vars`` sets it because the
    base declares ``status`` a class-level default.
    """

    message = "Injected fault"

    def __init__(self, status: int) -> None:
        try:
            reason: str | None = HTTPStatus(status).phrase
        except ValueError:  # a status without a standard reason (520, say)
            reason = None
        super().__init__(reason)
        vars(self)["status"] = status

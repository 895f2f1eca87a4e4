"""clickworker's refusals: the usual envelope with ``valid=false``.

FOUND: every answer is an ``{entity}_response`` whose ``request_status`` carries
``valid``, ``status_code`` and ``status_text``; wrong credentials answer 401.
INFERRED (no error example survives): errors use that same envelope with
``valid=false`` and the HTTP status, plus an ``errors`` list of ``{code, message}``
naming each failing field.
"""

from __future__ import annotations

from mockserver.core.errors import (
    Conflict,
    InvalidInput,
    MethodNotAllowed,
    MockError,
    RateLimited,
    Unauthenticated,
)

REASONS = {
    400: "Bad Request", 401: "Unauthorized", 402: "Payment Required", 403: "Forbidden",
    404: "Not Found", 405: "Method Not Allowed", 406: "Not Acceptable", 409: "Conflict",
    413: "Request Entity Too Large", 415: "Unsupported Media Type",
    422: "Unprocessable Entity", 429: "Too Many Requests", 500: "Internal Server Error",
}  # fmt: skip


class BadCredentials(Unauthenticated):
    """FOUND: Basic auth with the account's username and password; the WordPress plugin
    reads a 401 as wrong credentials."""

    message = "Invalid username or password"


class InsufficientFunds(MockError):
    """FOUND: a task may only be submitted while its cost fits balance + credit limit."""

    status = 402
    message = "The task costs more than the balance and credit limit allow"


class StateConflict(Conflict):
    """An action the resource's state does not allow (a buyoff already answered, say)."""


def error_status(error: MockError) -> tuple[int, list[dict[str, str]], dict[str, str]]:
    """HTTP status, the ``errors`` list and the headers of an error."""
    headers: dict[str, str] = {}
    if isinstance(error, Unauthenticated):
        headers["WWW-Authenticate"] = 'Basic realm="clickworker"'  # INFERRED
    if isinstance(error, MethodNotAllowed) and error.allow:
        headers["Allow"] = ", ".join(error.allow)
    if isinstance(error, RateLimited):
        headers["Retry-After"] = error.retry_after_header
    if isinstance(error, InvalidInput):
        # INFERRED: 422 for validation, one entry per failing field.
        return 422, [{"code": e.field, "message": e.message} for e in error.errors], headers
    return error.status, [{"code": type(error).__name__, "message": error.detail}], headers


def reason(status: int) -> str:
    return REASONS.get(status, "Error")

"""CloudFactory's refusals and how they look on the wire.

The Public API sits behind an API gateway: every error body is ``{"message": ...}``
(the one documented body, 202's, has that shape too). Validation failures add
``errors: [{"field", "error"}]`` so a client can see which field failed; clients
should rely on the status and ``message`` only. Bodies other than 202's are
INFERRED: the documentation lists the status codes but not their bodies.
"""

from __future__ import annotations

from typing import Any

from mockserver.core.errors import (
    Forbidden,
    InvalidInput,
    MethodNotAllowed,
    MockError,
    NotFound,
    RateLimited,
)


class WorkstreamForbidden(Forbidden):
    """FOUND (Quality): the header is "API key of the associated workstream", and the
    endpoint lists 403; a key of another workstream is refused so."""


class TaskNotFound(NotFound):
    """FOUND (Task Status): 404 Not Found."""

    message = "Task not found"


class UploadNotFound(NotFound):
    """bound: a storage token or file key that was never issued."""

    message = "Upload not found"


class UploadExpired(Forbidden):
    """A pre-signed URL past its expiry (the storage answers like S3: AccessDenied).

    INFERRED, kept as safe: pre-signed object-store URLs expire; a client that PUTs
    soon after asking, as every documented flow does, never meets it."""

    message = "Request has expired"


class SignatureMismatch(Forbidden):
    """A PUT whose Content-Type differs from the one the URL was signed for.

    INFERRED, kept as safe: S3 refuses so when the type was signed, and it is signed
    only when the client named one when asking for the URL."""

    message = "The request signature we calculated does not match the signature you provided"


def error_body(error: MockError) -> tuple[int, dict[str, Any], dict[str, str]]:
    """Status, JSON body and headers of an error, in CloudFactory's dialect."""
    body: dict[str, Any] = {"message": error.detail}
    headers: dict[str, str] = {}
    if isinstance(error, InvalidInput):
        body["errors"] = [{"field": e.field, "error": e.message} for e in error.errors]
    elif isinstance(error, MethodNotAllowed) and error.allow:
        headers["Allow"] = ", ".join(error.allow)
    elif isinstance(error, RateLimited):
        # INFERRED: the gateway's usage plans send no X-RateLimit-* headers; Retry-After
        # is sent so clients that honour it back off for the right time.
        headers["Retry-After"] = error.retry_after_header
    return error.status, body, headers

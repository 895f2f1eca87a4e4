"""What every ``/_mock`` module shares: finding the sandbox and tenant, reading bodies,
and answering every refusal or failure as JSON."""

from __future__ import annotations

import logging
from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..core.context import sandbox_of, tenant_named
from ..core.errors import InternalError, InvalidInput, MockError
from ..core.tenancy import Tenant
from ..core.validation import validate
from ..core.wire import JSONBody, read_json_object

SCHEMAS = "admin"

__all__ = [
    "AnswerFailures",
    "read_body",
    "render_admin_error",
    "sandbox_of",
    "tenant_param",
    "vendor_param",
]

log = logging.getLogger("mockserver")


def tenant_param(request: Request, value: str | None = None) -> Tenant | None:
    """The tenant named by ``value`` or the ``tenant`` query parameter; 404 if unknown."""
    return tenant_named(request, value if value is not None else request.query_params.get("tenant"))


def vendor_param(request: Request, value: str | None) -> str | None:
    if value is not None and value not in sandbox_of(request).vendors:
        raise InvalidInput.one("vendor", f"unknown vendor {value!r}")
    return value


async def read_body(request: Request, schema: str, *, optional: bool = False) -> dict[str, Any]:
    """The JSON object body, checked against ``schemas/admin/<schema>.json``.

    Read as JSON whatever its ``Content-Type``: ``curl -d '{...}'`` labels a JSON body
    as a urlencoded form, and the control API takes nothing else.
    """
    if optional and not (await request.body()).strip():
        body: dict[str, Any] = {}
    else:
        body = await read_json_object(request, require_media_type=False)
    validate(SCHEMAS, schema, body)
    return body


async def render_admin_error(request: Request, exc: Exception) -> Response:
    if isinstance(exc, HTTPException):
        return JSONBody({"error": exc.detail}, status_code=exc.status_code)
    assert isinstance(exc, MockError)
    body: dict[str, Any] = {"error": exc.detail}
    if isinstance(exc, InvalidInput):
        body["errors"] = [{"field": e.field, "message": e.message} for e in exc.errors]
    return JSONBody(body, status_code=exc.status)


class AnswerFailures:
    """Answers an exception no handler took as a JSON 500, inside the admin app.

    Starlette's own last resort (``ServerErrorMiddleware``) answers plain text and
    raises again, and uvicorn then closes the connection, so a client's keep-alive
    pool loses it. Here the failure is logged and answered like any other ``/_mock``
    error, a complete response, and the connection serves the next request. An
    exception after the answer has started cannot be answered and is raised.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        started = False

        async def watched(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, watched)
        except Exception:
            if started or scope["type"] != "http":
                raise
            log.exception("unexpected error serving %s %s", scope["method"], scope["path"])
            answer = await render_admin_error(Request(scope), InternalError())
            await answer(scope, receive, send)

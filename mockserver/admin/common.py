"""What every ``/_mock`` module shares: finding the sandbox and tenant, reading bodies."""

from __future__ import annotations

from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from ..core.context import sandbox_of, tenant_named
from ..core.errors import InvalidInput, MockError
from ..core.tenancy import Tenant
from ..core.validation import validate
from ..core.wire import JSONBody, read_json_object

SCHEMAS = "admin"

__all__ = ["read_body", "render_admin_error", "sandbox_of", "tenant_param", "vendor_param"]


def tenant_param(request: Request, value: str | None = None) -> Tenant | None:
    """The tenant named by ``value`` or the ``tenant`` query parameter; 404 if unknown."""
    return tenant_named(request, value if value is not None else request.query_params.get("tenant"))


def vendor_param(request: Request, value: str | None) -> str | None:
    if value is not None and value not in sandbox_of(request).vendors:
        raise InvalidInput.one("vendor", f"unknown vendor {value!r}")
    return value


async def read_body(request: Request, schema: str, *, optional: bool = False) -> dict[str, Any]:
    """The JSON object body, checked against ``schemas/admin/<schema>.json``."""
    if optional and not (await request.body()).strip():
        body: dict[str, Any] = {}
    else:
        body = await read_json_object(request)
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

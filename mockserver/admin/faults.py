"""``/_mock/faults``: rules that slow down, fail or drop requests and webhooks on purpose."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ..core.contract import contract
from ..core.errors import InvalidInput, NotFound
from ..core.wire import JSONBody
from .common import read_body, sandbox_of, vendor_param


async def list_faults(request: Request) -> Response:
    """Every rule in the order it is tried, with how many times it fired."""
    return JSONBody({"faults": [r.as_dict() for r in sandbox_of(request).faults]})


@contract(body="fault")
async def add_fault(request: Request) -> Response:
    body = await read_body(request, "fault")
    vendor = vendor_param(request, body.get("vendor"))
    tenant = body.get("tenant")
    if vendor is not None and tenant is not None and not tenant.startswith(f"{vendor}:"):
        raise InvalidInput.one("tenant", f"{tenant} is not a {vendor} tenant")
    rule = sandbox_of(request).faults.add(body)
    return JSONBody(rule.as_dict(), status_code=201)


async def clear_faults(request: Request) -> Response:
    return JSONBody({"cleared": sandbox_of(request).faults.clear()})


async def remove_fault(request: Request) -> Response:
    rule = sandbox_of(request).faults.remove(request.path_params["id"])
    if rule is None:
        raise NotFound(f"no fault rule {request.path_params['id']!r}")
    return JSONBody(rule.as_dict())


routes = [
    Route("/faults", list_faults, methods=["GET"]),
    Route("/faults", add_fault, methods=["POST"]),
    Route("/faults", clear_faults, methods=["DELETE"]),
    Route("/faults/{id}", remove_fault, methods=["DELETE"]),
]

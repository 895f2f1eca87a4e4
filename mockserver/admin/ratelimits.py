"""``/_mock/ratelimits``: see, switch and retune the vendors' limits, per vendor or tenant."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ..core.contract import contract
from ..core.errors import InvalidInput
from ..core.ratelimit import Limits, override
from ..core.wire import JSONBody
from .common import read_body, sandbox_of, tenant_param, vendor_param


def _view(limits: Limits) -> dict[str, Any]:
    return {"enabled": limits.enabled, "policies": [p.as_dict() for p in limits.policies]}


async def show(request: Request) -> Response:
    sandbox = sandbox_of(request)
    tenant = tenant_param(request)
    if tenant is not None:
        return JSONBody(
            {
                "tenant": tenant.id,
                **_view(tenant.limiter.limits),
                "remaining": tenant.limiter.remaining(),
            }
        )
    vendor = vendor_param(request, request.query_params.get("vendor"))
    return JSONBody(
        {
            "vendors": {
                name: _view(sandbox.tenants.vendor_limits(name))
                for name in sandbox.tenants.vendors
                if vendor in (None, name)
            },
        }
    )


@contract(body="ratelimits")
async def change(request: Request) -> Response:
    """Body: vendor, and optionally tenant, enabled, policies ``[{name, limit, window, burst}]``.

    Without a tenant the change applies to the vendor: its existing tenants and new ones.
    """
    body = await read_body(request, "ratelimits")
    sandbox = sandbox_of(request)
    vendor = vendor_param(request, body["vendor"])
    assert vendor is not None
    tenant = tenant_param(request, body.get("tenant"))
    if tenant is not None and tenant.vendor.name != vendor:
        raise InvalidInput.one("tenant", f"tenant {tenant.id!r} is not a {vendor} tenant")
    current = tenant.limiter.limits if tenant is not None else sandbox.tenants.vendor_limits(vendor)
    try:
        policies = override(current.policies, body.get("policies", []))
    except ValueError as exc:
        raise InvalidInput.one("policies", str(exc)) from None
    limits = Limits(policies, enabled=body.get("enabled", current.enabled))
    if tenant is not None:
        tenant.limiter.configure(limits)
        return JSONBody({"tenant": tenant.id, **_view(limits)})
    sandbox.tenants.set_limits(vendor, limits)
    return JSONBody({"vendor": vendor, **_view(limits)})


routes = [
    Route("/ratelimits", show, methods=["GET"]),
    Route("/ratelimits", change, methods=["PUT"]),
]

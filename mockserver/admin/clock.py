"""``/_mock/clock``: read, configure and advance sim time, per tenant or for all."""

from __future__ import annotations

from dataclasses import replace

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ..core.clock import isoformat
from ..core.contract import contract
from ..core.tenancy import Tenant
from ..core.wire import JSONBody
from .common import read_body, sandbox_of, tenant_param


def _clock_view(tenant: Tenant) -> dict[str, object]:
    state = tenant.clock.state()
    next_due = tenant.scheduler.next_due()
    return {
        "tenant": tenant.id,
        "mode": state.mode,
        "speed": state.speed,
        "now": isoformat(state.now),
        "epoch_seconds": state.now,
        "pending_events": len(tenant.scheduler),
        "next_event_at": None if next_due is None else isoformat(next_due),
    }


def _defaults_view(request: Request) -> dict[str, object]:
    defaults = sandbox_of(request).tenants.defaults
    return {"mode": defaults.clock_mode, "speed": defaults.speed}


async def show_clock(request: Request) -> Response:
    tenant = tenant_param(request)
    if tenant is not None:
        return JSONBody(_clock_view(tenant))
    return JSONBody(
        {
            "defaults": _defaults_view(request),
            "tenants": [_clock_view(t) for t in sandbox_of(request).tenants],
        }
    )


@contract(body="clock")
async def configure_clock(request: Request) -> Response:
    """Sets mode and/or speed of one tenant's clock, or of every clock and new tenants."""
    body = await read_body(request, "clock")
    tenant = tenant_param(request, body.get("tenant"))
    sandbox = sandbox_of(request)
    targets = [tenant] if tenant is not None else list(sandbox.tenants)
    for target in targets:
        target.configure_clock(mode=body.get("mode"), speed=body.get("speed"))
    if tenant is None:
        changes = {"clock_mode": body.get("mode"), "speed": body.get("speed")}
        sandbox.tenants.defaults = replace(
            sandbox.tenants.defaults, **{k: v for k, v in changes.items() if v is not None}
        )
        return JSONBody(
            {"defaults": _defaults_view(request), "tenants": [_clock_view(t) for t in targets]}
        )
    return JSONBody(_clock_view(tenant))


@contract(body="advance")
async def advance(request: Request) -> Response:
    """Moves time, fires what falls due, and waits for the webhooks that caused."""
    body = await read_body(request, "advance")
    tenant = tenant_param(request, body.get("tenant"))
    sandbox = sandbox_of(request)
    result = await sandbox.advance(float(body["seconds"]), tenant)
    targets = [tenant] if tenant is not None else list(sandbox.tenants)
    return JSONBody(
        {
            "advanced_seconds": body["seconds"],
            "events_fired": result.events_fired,
            "deliveries_in_flight": result.deliveries_in_flight,
            "tenants": [_clock_view(t) for t in targets],
        }
    )


routes = [
    Route("/clock", show_clock, methods=["GET"]),
    Route("/clock", configure_clock, methods=["POST"]),
    Route("/clock/advance", advance, methods=["POST"]),
]

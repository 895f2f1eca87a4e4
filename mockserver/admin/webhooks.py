"""``/_mock/webhooks/deliveries``: every webhook attempt, and replaying one."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ..core.errors import NotFound
from ..core.webhooks import Delivery
from ..core.wire import JSONBody
from .common import sandbox_of, vendor_param


def _delivery(request: Request) -> Delivery:
    delivery = sandbox_of(request).deliveries.get(request.path_params["id"])
    if delivery is None:
        raise NotFound(f"no delivery {request.path_params['id']!r}")
    return delivery


async def list_deliveries(request: Request) -> Response:
    vendor = vendor_param(request, request.query_params.get("vendor"))
    tenant = request.query_params.get("tenant") or None
    state = request.query_params.get("state") or None
    deliveries = [
        d.as_dict()
        for d in sandbox_of(request).deliveries.listing(vendor=vendor, tenant=tenant)
        if state is None or d.state == state
    ]
    return JSONBody({"deliveries": deliveries})


async def show_delivery(request: Request) -> Response:
    return JSONBody(_delivery(request).as_dict())


async def replay(request: Request) -> Response:
    """Sends the delivery again now and answers with that attempt."""
    delivery = _delivery(request)
    sandbox = sandbox_of(request)
    tenant = sandbox.tenants.get(delivery.tenant)
    if tenant is None:
        raise NotFound(f"tenant {delivery.tenant!r} of delivery {delivery.id} was reset")
    attempt = await sandbox.deliveries.replay(tenant, delivery)
    return JSONBody({"attempt": attempt.as_dict(), "delivery": delivery.as_dict()})


routes = [
    Route("/webhooks/deliveries", list_deliveries, methods=["GET"]),
    Route("/webhooks/deliveries/{id}", show_delivery, methods=["GET"]),
    Route("/webhooks/deliveries/{id}/replay", replay, methods=["POST"]),
]

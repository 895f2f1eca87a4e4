"""``/_mock/health`` and ``/_mock/settings``: is it up, and how was it started."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

import mockserver

from ..core.wire import JSONBody
from .common import sandbox_of


async def health(request: Request) -> Response:
    sandbox = sandbox_of(request)
    return JSONBody(
        {
            "status": "ok",
            "version": mockserver.__version__,
            "vendors": sorted(sandbox.vendors),
            "tenants": len(sandbox.tenants),
        }
    )


async def settings(request: Request) -> Response:
    return JSONBody(request.app.state.settings.as_dict())


routes = [
    Route("/health", health, methods=["GET"]),
    Route("/settings", settings, methods=["GET"]),
]

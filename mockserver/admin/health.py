"""``/_mock/health`` and ``/_mock/settings``: is it up, and how was it started."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

import mockserver

from ..core.credentials import masked
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
    """The settings, the admin token masked: the answer may be pasted into a bug report."""
    shown = request.app.state.settings.as_dict()
    if shown["admin_token"] is not None:
        shown["admin_token"] = masked(shown["admin_token"])
    return JSONBody(shown)


routes = [
    Route("/health", health, methods=["GET"]),
    Route("/settings", settings, methods=["GET"]),
]

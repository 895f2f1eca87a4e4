"""The control API under ``/_mock``: JSON in, JSON out, grouped by concern.

Every route is either global (health, settings, journal) or takes an optional
``tenant`` (a tenant id, ``<vendor>:<credential>``); reading never changes state.
"""

from __future__ import annotations

from collections.abc import Callable

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.routing import Mount, Router
from starlette.types import ASGIApp

from ..core.errors import MockError
from ..core.registry import Deferred
from ..core.sandbox import Sandbox
from ..settings import Settings
from . import (
    clock,
    faults,
    fixtures,
    health,
    journal,
    openapi,
    ratelimits,
    snapshot,
    storage,
    tenants,
    ui,
    webhooks,
)
from .access import AdminToken
from .common import AnswerFailures, render_admin_error


def _vendor_admin(sandbox: Sandbox, name: str) -> Callable[[], ASGIApp]:
    """The vendor's own ``/_mock/<vendor>/...`` routes, built when first called."""
    return lambda: Router(routes=list(sandbox.vendors[name].admin_routes))


def admin_app(sandbox: Sandbox, settings: Settings) -> Starlette:
    """The ``/_mock`` app. Its failures are answered as JSON (:class:`AnswerFailures`),
    after the admin token is checked when one is set (:mod:`.access`)."""
    middleware = [Middleware(AnswerFailures)]
    if settings.admin_token is not None:
        middleware.append(Middleware(AdminToken, token=settings.admin_token))
    vendor_routes = [
        Mount(f"/{name}", app=Deferred(_vendor_admin(sandbox, name))) for name in sandbox.vendors
    ]
    app = Starlette(
        routes=[
            Mount(
                "/_mock",
                routes=[
                    *health.routes,
                    *tenants.routes,
                    *clock.routes,
                    *ratelimits.routes,
                    *webhooks.routes,
                    *journal.routes,
                    *storage.routes,
                    *faults.routes,
                    *fixtures.routes,
                    *snapshot.routes,
                    *openapi.routes,
                    *ui.routes,
                    *vendor_routes,
                ],
            )
        ],
        middleware=middleware,
        exception_handlers={
            MockError: render_admin_error,
            404: render_admin_error,
            405: render_admin_error,
        },
    )
    app.state.sandbox = sandbox
    app.state.settings = settings
    return app

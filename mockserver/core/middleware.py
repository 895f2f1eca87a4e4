"""The request pipeline every vendor is served through, as pure ASGI steps.

``vendor_pipeline`` lists the steps in order (journal, error boundary, body limit,
authentication, injected faults, rate limit, router), so what happens to a request can
be read at a glance. Steps share data through namespaced scope keys read by
:mod:`.context`.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
from collections.abc import Awaitable, Callable

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Match, Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .clock import monotonic, wall_time
from .context import BODY, TENANT, VENDOR, sandbox_of, tenant_of
from .errors import (
    InjectedFault,
    InternalError,
    MethodNotAllowed,
    MockError,
    NotFound,
    PayloadTooLarge,
)
from .faults import Exchange
from .journal import Entry, Journal, capped
from .route_index import RouteIndex
from .tenancy import Tenants
from .vendor import Vendor

log = logging.getLogger("mockserver")


class Journaling:
    """Records each exchange (request, response, tenant, timing) in the journal.

    ``only_under`` limits it to paths with that prefix (the control API journals its
    pre-signed storage URLs, which clients call, and nothing else). A response that
    never completed (a dropped connection) is recorded with status 0: the client got
    no answer, whatever status line went out first.
    """

    def __init__(self, app: ASGIApp, journal: Journal, *, only_under: str = "") -> None:
        self.app = app
        self.journal = journal
        self.only_under = only_under

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not self.journal.enabled or not scope["path"].startswith(self.only_under):
            await self.app(scope, receive, send)
            return
        # Sits on every request: keep what the wire carried, decode only when read.
        request_body: list[bytes] = []
        response_body: list[bytes] = []
        response: list[Message] = []  # the response's start message
        at, started = wall_time(), monotonic()

        async def receive_and_keep() -> Message:
            message = await receive()
            if message["type"] == "http.request":
                capped(request_body, message.get("body", b""))
            return message

        async def send_and_keep(message: Message) -> None:
            if message["type"] == "http.response.start":
                response.append(message)
            else:
                capped(response_body, message.get("body", b""))
                if not message.get("more_body", False):
                    response.append(message)
            await send(message)

        try:
            await self.app(scope, receive_and_keep, send_and_keep)
        finally:
            vendor, tenant = scope.get(VENDOR), scope.get(TENANT)
            self.journal.record(
                Entry(
                    id=self.journal.next_id(),
                    at=at,
                    vendor=vendor.name if vendor is not None else None,
                    tenant=tenant.id if tenant is not None else None,
                    method=scope["method"],
                    path=scope["path"],
                    raw_query=scope.get("query_string", b""),
                    raw_request_headers=scope["headers"],
                    raw_request_body=request_body,
                    status=response[0]["status"] if len(response) == 2 else 0,
                    raw_response_headers=response[0].get("headers", []) if response else [],
                    raw_response_body=response_body,
                    seconds=monotonic() - started,
                )
            )


class ErrorBoundary:
    """Marks the request as the vendor's, and turns every refusal and every surprise
    into the vendor's own error response."""

    def __init__(self, app: ASGIApp, vendor: Vendor) -> None:
        self.app = app
        self.vendor = vendor

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        scope[VENDOR] = self.vendor  # the first thing a vendor's request learns, journal included
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception as exc:
            error = as_mock_error(exc)
            if isinstance(error, InternalError):
                log.exception("unexpected error serving %s %s", scope["method"], scope["path"])
            if started:
                return
            await self.vendor.render_error(error, scope)(scope, receive, send)


def as_mock_error(exc: Exception) -> MockError:
    if isinstance(exc, MockError):
        return exc
    if isinstance(exc, HTTPException):
        if exc.status_code == 405:
            allow = (exc.headers or {}).get("Allow", "")
            return MethodNotAllowed(tuple(m.strip() for m in allow.split(",") if m.strip()))
        if exc.status_code == 404:
            return NotFound()
    return InternalError()


class BodyLimit:
    """Reads the whole body once, refusing it (413) past ``max_bytes``, and keeps it.

    The body is stored in the scope (see :func:`.context.body_of`) and replayed to the
    app, so a step before the handler (a vendor whose key may sit in a form body)
    can read it without taking it from the handler.
    """

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        framed = False  # HTTP/1.1: without Content-Length or Transfer-Encoding, no body
        for name, value in scope["headers"]:
            if name == b"content-length":
                if value.isdigit() and int(value) > self.max_bytes:
                    raise PayloadTooLarge(self.max_bytes)
                framed = framed or value.strip(b" 0") != b""
            elif name == b"transfer-encoding":
                framed = True
        if not framed:
            scope[BODY] = b""
            await self.app(scope, receive, send)
            return
        chunks: list[bytes] = []
        seen = 0
        more = True
        while more:
            message = await receive()
            if message["type"] != "http.request":
                break
            chunk = message.get("body", b"")
            seen += len(chunk)
            if seen > self.max_bytes:
                raise PayloadTooLarge(self.max_bytes)
            chunks.append(chunk)
            more = message.get("more_body", False)
        body = scope[BODY] = b"".join(chunks)
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)


class Authentication:
    """Resolves the request's tenant with the vendor's own credential rules.

    It also fires the tenant's due events first, so a realtime clock's lifecycle is
    current for what the request is about to read.
    """

    def __init__(self, app: ASGIApp, vendor: Vendor, tenants: Tenants) -> None:
        self.app = app
        self.vendor = vendor
        self.lookup = tenants.lookup(vendor)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        tenant = self.vendor.authenticate(Request(scope), self.lookup)
        scope[TENANT] = tenant
        tenant.run_due()
        await self.app(scope, receive, send)


class Faulting:
    """Applies the inbound fault rule that fires for this request, if one does.

    It runs once the tenant is known, so a rule can name one, and before the rate
    limit and the router, so a faulted request spends no token and changes no state.
    A delay is a real wait (what a client's timeout test needs); a status is raised as
    :class:`InjectedFault`, which the vendor answers in its own dialect.
    """

    def __init__(self, app: ASGIApp, vendor: Vendor) -> None:
        self.app = app
        self.vendor = vendor

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        faults = sandbox_of(scope).faults
        if not faults:
            await self.app(scope, receive, send)
            return
        exchange = Exchange(
            "inbound", self.vendor.name, tenant_of(scope).id, scope["method"], scope["path"]
        )
        fault = faults.pick(exchange)
        if fault is not None:
            if fault.delay:
                await asyncio.sleep(fault.delay)
            if fault.status is not None:
                raise InjectedFault(fault.status)
            if fault.drop:
                await _cut_off(send)
                return
        await self.app(scope, receive, send)


async def _cut_off(send: Send) -> None:
    """Starts a response and abandons it, so the server closes the connection.

    ASGI has no way to close a connection before the status line, but a server closes
    one whose response the app left incomplete: the client sees the connection end
    mid-response (httpx ``RemoteProtocolError``). 502 is what a gateway in front would
    answer for a dropped upstream, and all an in-process test client can show.
    """
    await send({"type": "http.response.start", "status": 502, "headers": []})


class RateLimiting:
    """Spends a token of the tenant's buckets; the vendor renders the 429."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        tenant_of(scope).limiter.check()
        await self.app(scope, receive, send)


class VendorRouter:
    """The vendor's routes, with ``/x/`` served as ``/x`` where the vendor allows it, and
    the vendor's path rewrites (``/jobs/1.json`` -> ``/jobs/1``, ``/de/api/`` -> ``/api/``)
    applied to the path below the vendor's mount before routing."""

    def __init__(self, vendor: Vendor) -> None:
        self.index = RouteIndex(vendor.routes)
        # Request handlers are called directly: errors go to ErrorBoundary anyway, so
        # Starlette's per-route exception wrapper would only add a layer per request.
        self.endpoints: dict[int, Callable[[Request], Awaitable[Response]]] = {
            id(route): route.endpoint
            for route in vendor.routes
            if isinstance(route, Route) and inspect.iscoroutinefunction(route.endpoint)
        }
        self.strip_slash = vendor.optional_trailing_slash
        self.rewrites = vendor.path_rewrites

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        root: str = scope.get("root_path", "")
        path: str = scope["path"]
        route = path[len(root) :] if root and path.startswith(root) else path
        if self.strip_slash and len(route) > 1:
            route = route.rstrip("/") or "/"
        for pattern, replacement in self.rewrites:
            route = pattern.sub(replacement, route)
        scope["path"] = root + route if root and path.startswith(root) else route
        candidates = self.index.candidates(route)
        partial = False
        for candidate in candidates:
            match, child_scope = candidate.matches(scope)
            if match == Match.FULL:
                scope.update(child_scope)
                endpoint = self.endpoints.get(id(candidate))
                if endpoint is None:
                    await candidate.handle(scope, receive, send)
                    return
                response = await endpoint(Request(scope, receive, send))
                await response(scope, receive, send)
                return
            partial = partial or match == Match.PARTIAL
        if partial:  # the path is served, but not with this method
            raise MethodNotAllowed(self._allowed(scope, candidates))
        raise NotFound()

    @staticmethod
    def _allowed(scope: Scope, candidates: list[BaseRoute]) -> tuple[str, ...]:
        """Every method some route serves at this path (Starlette names only the first)."""
        methods: set[str] = set()
        for candidate in candidates:
            match, _ = candidate.matches(scope)
            if match != Match.NONE:
                methods |= getattr(candidate, "methods", None) or set()
        return tuple(sorted(methods))


Step = Callable[[ASGIApp], ASGIApp]


def vendor_pipeline(vendor: Vendor, tenants: Tenants, journal: Journal) -> ASGIApp:
    """Builds the vendor's app: the steps below run top to bottom for each request."""
    steps: list[Step] = [
        lambda app: Journaling(app, journal),
        lambda app: ErrorBoundary(app, vendor),
        lambda app: BodyLimit(app, vendor.max_body_bytes),
        lambda app: Authentication(app, vendor, tenants),
        lambda app: Faulting(app, vendor),
        RateLimiting,
    ]
    app: ASGIApp = VendorRouter(vendor)
    for step in reversed(steps):
        app = step(app)
    return app

"""The request pipeline every vendor is served through.

Each request runs these steps, in this order, as plain calls inside one ASGI app
(:class:`VendorPipeline`):

1. the vendor is named in the scope (journal and error renderer read it);
2. the body is read whole, refused past the vendor's size limit (:func:`read_body`);
3. the vendor's own rules resolve the credential to a tenant, whose due events fire
   (a tenant the request opens is kept only if the answer is a success, step 8);
4. an injected fault that fires for the request is applied;
5. a token of the tenant's rate limits is spent;
6. the route is found and its handler answers;
7. any refusal or surprise on the way becomes the vendor's own error answer;
8. the answer is sent, the tenant the request opened kept or forgotten, and the exchange
   journaled.

Steps are calls rather than nested ASGI middleware because every layer of ``send`` and
``receive`` wrapping costs each request a few microseconds: a handler's
:class:`~starlette.responses.Response` is journaled from its fields, not by watching
the messages it sends.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Match, Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from . import clock as clocks
from .context import BODY, TENANT, VENDOR, sandbox_of
from .errors import (
    InjectedFault,
    InternalError,
    MethodNotAllowed,
    MockError,
    NotFound,
    PayloadTooLarge,
)
from .faults import Exchange
from .journal import BODY_CAP, Journal, RawHeaders, capped
from .route_index import RouteIndex
from .tenancy import Tenant, Tenants
from .vendor import Vendor

log = logging.getLogger("mockserver")

OPENED = "mockserver.opened"  # the scope key of a tenant the request opened

Endpoint = Callable[[Request], Awaitable[Response]]


class VendorPipeline:
    """One vendor's requests, from the first byte read to the journal entry."""

    def __init__(self, vendor: Vendor, tenants: Tenants, journal: Journal) -> None:
        self.vendor = vendor
        self.tenants = tenants
        self.journal = journal
        self.router = VendorRouter(vendor)
        self.lookup = self._lookup  # bound once: the vendor's authenticate gets it each request
        self._opened: Tenant | None = None
        self._started = 0.0  # of the request being authenticated

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        scope[VENDOR] = self.vendor
        at, started = clocks.wall_time(), clocks.monotonic()
        body = b""
        status = 0
        try:
            try:
                body = scope[BODY] = await read_body(scope, receive, self.vendor.max_body_bytes)
                answer = await self._answer(scope, _replaying(body), send, started)
            except Exception as exc:
                answer = self._refusal(exc, scope)
            sent = await _send_and_keep(answer, scope, receive, send)
            status = sent[0]
        finally:
            opened: Tenant | None = scope.get(OPENED)
            if opened is not None:
                self.tenants.settle(opened, succeeded=0 < status < 400)
        if self.journal.enabled:
            _record(self.journal, scope, at, started, [body[:BODY_CAP]] if body else [], sent)

    def _lookup(self, credential: str) -> Tenant | None:
        """The credential resolver handed to the vendor's ``authenticate``.

        A tenant it opens is remembered for the request: ``authenticate`` is synchronous,
        so the request being authenticated is the only one that can be calling. The
        vendor may look up, then still refuse (a wrong signature), so the pipeline, not
        the vendor, settles the opened tenant once the answer is known.
        """
        tenant = self.tenants.open(self.vendor, credential, self._started)
        if tenant is not None and tenant.opening:
            if self._opened is not None:  # a second lookup in one request: one open each
                self.tenants.settle(self._opened, succeeded=False)
            self._opened = tenant
        return tenant

    async def _answer(self, scope: Scope, receive: Receive, send: Send, started: float) -> ASGIApp:
        request = Request(scope, receive, send)  # one for the credentials and the handler
        self._started = started
        try:
            tenant = self.vendor.authenticate(request, self.lookup)
        finally:
            if self._opened is not None:
                scope[OPENED], self._opened = self._opened, None
        scope[TENANT] = tenant
        tenant.run_due()
        faults = sandbox_of(scope).faults
        if faults:
            fault = faults.pick(
                Exchange("inbound", self.vendor.name, tenant.id, scope["method"], scope["path"])
            )
            if fault is not None:
                # A delay is a real wait (what a client's timeout test needs); a status
                # is answered in the vendor's dialect; a faulted request spends no token.
                if fault.delay:
                    await asyncio.sleep(fault.delay)
                if fault.status is not None:
                    raise InjectedFault(fault.status)
                if fault.drop:
                    return _cut_off
        tenant.limiter.check()
        endpoint = self.router.resolve(scope)
        return await endpoint(request)

    def _refusal(self, exc: Exception, scope: Scope) -> Response:
        error = as_mock_error(exc)
        if isinstance(error, InternalError):
            log.exception("unexpected error serving %s %s", scope["method"], scope["path"])
        return self.vendor.render_error(error, scope)


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


async def read_body(scope: Scope, receive: Receive, max_bytes: int) -> bytes:
    """The whole request body, refused (413) once it passes ``max_bytes``.

    HTTP/1.1 framing decides whether there is a body at all: without Content-Length or
    Transfer-Encoding (or with a length of 0) nothing is read.
    """
    framed = False
    for name, value in scope["headers"]:
        if name == b"content-length":
            if value.isdigit() and (len(value) > 19 or int(value) > max_bytes):
                raise PayloadTooLarge(max_bytes)
            framed = framed or value.strip(b" 0") != b""
        elif name == b"transfer-encoding":
            framed = True
    if not framed:
        return b""
    chunks: list[bytes] = []
    seen = 0
    more = True
    while more:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunk = message.get("body", b"")
        seen += len(chunk)
        if seen > max_bytes:
            raise PayloadTooLarge(max_bytes)
        chunks.append(chunk)
        more = message.get("more_body", False)
    return b"".join(chunks)


def _replaying(body: bytes) -> Receive:
    """A ``receive`` that hands a handler the body already read, then a disconnect."""
    messages: list[Message] = [
        {"type": "http.disconnect"},
        {"type": "http.request", "body": body, "more_body": False},
    ]

    async def receive() -> Message:
        return messages.pop() if len(messages) > 1 else messages[0]

    return receive


async def _send_and_keep(
    answer: ASGIApp, scope: Scope, receive: Receive, send: Send
) -> tuple[int, RawHeaders, list[bytes]]:
    """Sends the answer; returns its status, headers and (capped) body for the journal.

    A plain ``Response`` is read from its fields. Anything else is watched message by
    message. An answer that never completed (a dropped connection, a client gone) has
    status 0: the client got no answer, whatever status line went out first.
    """
    start: list[Message] = []
    chunks: list[bytes] = []
    complete = False

    async def keeping(message: Message) -> None:
        nonlocal complete
        if message["type"] == "http.response.start":
            start.append(message)
        else:
            capped(chunks, message.get("body", b""))
            complete = complete or not message.get("more_body", False)
        await send(message)

    try:
        if type(answer).__call__ is Response.__call__:
            assert isinstance(answer, Response)
            await answer(scope, receive, send)
            body = bytes(answer.body[:BODY_CAP])
            return answer.status_code, answer.raw_headers, [body] if body else []
        await answer(scope, receive, keeping)
    except Exception:
        log.exception("sending the answer to %s %s failed", scope["method"], scope["path"])
        return 0, start[0].get("headers", []) if start else [], chunks
    status = start[0]["status"] if start and complete else 0
    return status, start[0].get("headers", []) if start else [], chunks


async def _cut_off(scope: Scope, receive: Receive, send: Send) -> None:
    """Starts a response and abandons it, so the server closes the connection.

    ASGI has no way to close a connection before the status line, but a server closes
    one whose response the app left incomplete: the client sees the connection end
    mid-response (httpx ``RemoteProtocolError``). 502 is what a gateway in front would
    answer for a dropped upstream, and all an in-process test client can show.
    """
    await send({"type": "http.response.start", "status": 502, "headers": []})


class Journaling:
    """Records exchanges under ``only_under`` in the journal, watching what is sent.

    The control API uses it for the pre-signed storage URLs that worlds hand out:
    clients call those, so tests must see them; nothing else of ``/_mock`` is recorded.
    """

    def __init__(self, app: ASGIApp, journal: Journal, *, only_under: str) -> None:
        self.app = app
        self.journal = journal
        self.only_under = only_under

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not self.journal.enabled or not scope["path"].startswith(self.only_under):
            await self.app(scope, receive, send)
            return
        request_body: list[bytes] = []
        at, started = clocks.wall_time(), clocks.monotonic()

        async def receive_and_keep() -> Message:
            message = await receive()
            if message["type"] == "http.request":
                capped(request_body, message.get("body", b""))
            return message

        sent = await _send_and_keep(self.app, scope, receive_and_keep, send)
        _record(self.journal, scope, at, started, request_body, sent)


def _record(
    journal: Journal,
    scope: Scope,
    at: float,
    started: float,
    request_body: list[bytes],
    sent: tuple[int, RawHeaders, list[bytes]],
) -> None:
    """Journals an exchange; its vendor and tenant are what the scope learned of them
    (a storage URL's owner is resolved by the handler, a refused credential is none)."""
    status, headers, chunks = sent
    vendor: Vendor | None = scope.get(VENDOR)
    tenant: Tenant | None = scope.get(TENANT)
    journal.add(
        at,
        vendor.name if vendor is not None else None,
        tenant.id if tenant is not None else None,
        scope["method"],
        scope["path"],
        scope.get("query_string", b""),
        scope["headers"],
        request_body,
        status,
        headers,
        chunks,
        clocks.monotonic() - started,
    )


@dataclass(frozen=True, slots=True)
class Resolved:
    """Where a (method, path) leads: the path after rewrites, the handler, its parameters."""

    path: str
    endpoint: Endpoint
    path_params: dict[str, Any]


class VendorRouter:
    """Finds the handler of a request among the vendor's routes.

    ``/x/`` is served as ``/x`` where the vendor allows it, and the vendor's path
    rewrites (``/jobs/1.json`` -> ``/jobs/1``, ``/de/api/`` -> ``/api/``) apply to the
    path below the vendor's mount before routing. Routes are found through a segment
    index rather than by trying every route's regex, and what a (method, path) resolved
    to is remembered: clients poll the same URLs over and over, and routing is a pure
    function of the two.
    """

    REMEMBERED = 4096  # paths; past this the memory starts over

    def __init__(self, vendor: Vendor) -> None:
        self.index = RouteIndex(vendor.routes)
        self.endpoints: dict[int, Endpoint] = {}
        for route in vendor.routes:
            if not (isinstance(route, Route) and inspect.iscoroutinefunction(route.endpoint)):
                raise TypeError(f"{vendor.name}: {route!r} is not a route to an async handler")
            self.endpoints[id(route)] = route.endpoint
        self.strip_slash = vendor.optional_trailing_slash
        self.rewrites = vendor.path_rewrites
        self._resolved: dict[tuple[str, str, str], Resolved] = {}

    def resolve(self, scope: Scope) -> Endpoint:
        """The handler of the request; the scope gains its path and path parameters."""
        key = (scope["method"], scope.get("root_path", ""), scope["path"])
        resolved = self._resolved.get(key)
        if resolved is None:
            resolved = self._find(scope)
            if len(self._resolved) >= self.REMEMBERED:
                self._resolved.clear()
            self._resolved[key] = resolved
        scope["path"] = resolved.path
        scope["endpoint"] = resolved.endpoint
        scope["path_params"] = dict(resolved.path_params)
        return resolved.endpoint

    def _find(self, scope: Scope) -> Resolved:
        root: str = scope.get("root_path", "")
        path: str = scope["path"]
        mounted = bool(root) and path.startswith(root)
        route = path[len(root) :] if mounted else path
        if self.strip_slash and len(route) > 1:
            route = route.rstrip("/") or "/"
        for pattern, replacement in self.rewrites:
            route = pattern.sub(replacement, route)
        rewritten = {**scope, "path": root + route if mounted else route}
        candidates = self.index.candidates(route)
        partial = False
        for candidate in candidates:
            match, child_scope = candidate.matches(rewritten)
            if match == Match.FULL:
                endpoint = self.endpoints[id(candidate)]
                return Resolved(rewritten["path"], endpoint, child_scope["path_params"])
            partial = partial or match == Match.PARTIAL
        if partial:  # the path is served, but not with this method
            raise MethodNotAllowed(self._allowed(rewritten, candidates))
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

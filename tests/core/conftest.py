"""Shared fakes for the core tests: a tiny vendor and world that know no real vendor.

The fake world records every event it handles (with the sim instant it saw) and
plans follow-ups and webhooks through its ``WorldContext``, which is all a real
backend may use. The fake vendor authenticates with an ``x-api-key`` header and
renders every error as ``{"error": <class name>, "message": <detail>}``.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import pytest
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Scope

from mockserver.core.clock import parse_instant
from mockserver.core.errors import (
    InvalidInput,
    MethodNotAllowed,
    MockError,
    PayloadTooLarge,
    RateLimited,
    Unauthenticated,
)
from mockserver.core.scheduler import Event
from mockserver.core.tenancy import Tenant, TenantDefaults
from mockserver.core.vendor import Lookup, Notification, Vendor, WorldContext
from mockserver.core.wire import JSONBody

EPOCH = "2024-01-01T00:00:00Z"
HOOK_URL = "https://receiver.example/hooks"


class FakeWorld:
    """A vendor world reduced to a log of what happened to it."""

    def __init__(self, context: WorldContext) -> None:
        self.context = context
        self.handled: list[tuple[str, dict[str, Any], float]] = []

    def plan(self, delay: float, action: str, **data: Any) -> Event:
        """Schedules ``action`` ``delay`` sim seconds from the world's now."""
        return self.context.scheduler.at(self.context.clock.now() + delay, "world", action, **data)

    def announce(self, event: str = "thing.done", **payload: Any) -> None:
        self.context.notify(Notification(url=HOOK_URL, event=event, payload=payload, secret="s3"))

    def handle(self, event: Event) -> None:
        self.handled.append((event.action, dict(event.data), self.context.clock.now()))
        follow = event.data.get("then")
        if follow is not None:
            self.plan(follow["after"], follow["action"])
        if event.action == "notify":
            self.announce(**event.data.get("payload", {}))

    def summary(self) -> dict[str, Any]:
        return {"handled": len(self.handled)}


def header_auth(request: Request, lookup: Lookup) -> Tenant:
    key = request.headers.get("x-api-key")
    if not key:
        raise Unauthenticated("missing x-api-key")
    tenant = lookup(key)
    if tenant is None:
        raise Unauthenticated("unknown x-api-key")
    return tenant


def render_error(error: MockError, scope: Scope) -> Response:
    body: dict[str, Any] = {"error": type(error).__name__, "message": error.detail}
    headers: dict[str, str] = {}
    if isinstance(error, MethodNotAllowed):
        headers["Allow"] = ", ".join(error.allow)
    if isinstance(error, RateLimited):
        body["policy"] = error.policy
        headers["Retry-After"] = str(math.ceil(error.retry_after))
    if isinstance(error, PayloadTooLarge):
        body["limit"] = error.limit
    if isinstance(error, InvalidInput):
        body["errors"] = [{"field": e.field, "message": e.message} for e in error.errors]
    return JSONBody(body, status_code=error.status, headers=headers)


VendorFactory = Callable[..., Vendor]


@pytest.fixture
def make_vendor() -> VendorFactory:
    """Builds a fake vendor; keyword arguments override any :class:`Vendor` field."""

    def build(name: str = "fake", **fields: Any) -> Vendor:
        settings: dict[str, Any] = {
            "routes": (),
            "authenticate": header_auth,
            "render_error": render_error,
            "new_world": FakeWorld,
        }
        settings.update(fields)
        return Vendor(name=name, **settings)

    return build


@pytest.fixture
def epoch() -> float:
    """The sim instant every manual clock of these tests starts at."""
    return parse_instant(EPOCH)


@pytest.fixture
def defaults() -> TenantDefaults:
    """Manual clocks from a fixed epoch and a fixed seed: nothing moves by itself."""
    return TenantDefaults(seed=7, clock_mode="manual", epoch=EPOCH)


@pytest.fixture
def world_type() -> type[FakeWorld]:
    return FakeWorld

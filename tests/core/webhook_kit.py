"""What the webhook and fault tests share: a vendor whose world notifies, a scripted
receiver behind an ``httpx.MockTransport``, and a runner for async scenarios."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import httpx

from mockserver.core.clock import isoformat
from mockserver.core.sandbox import Sandbox
from mockserver.core.tenancy import Tenant, TenantDefaults
from mockserver.core.vendor import Notification, OutboundRequest, RetryPolicy, Vendor, WebhookSpec
from mockserver.core.webhooks import Deliveries, Delivery

HOOK_URL = "https://receiver.example/hooks"  # what the fake world notifies


def render(notification: Notification, at: float) -> OutboundRequest:
    body = json.dumps({"event": notification.event, "data": dict(notification.payload)})
    return OutboundRequest(
        method="POST",
        url=notification.url,
        headers={
            "content-type": "application/json",
            "x-event": notification.event,
            "x-signature": f"{notification.secret}@{isoformat(at)}",
        },
        body=body.encode(),
    )


@dataclass
class Receiver:
    """The client's webhook endpoint: answers from a script, records what it got."""

    statuses: list[int | Exception] = field(default_factory=lambda: [200])
    received: list[httpx.Request] = field(default_factory=list)
    body: str = "ok"

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.received.append(request)
        outcome = self.statuses[min(len(self.received), len(self.statuses)) - 1]
        if isinstance(outcome, Exception):
            raise outcome
        return httpx.Response(outcome, text=self.body)


Scenario = Callable[[Sandbox, Tenant], Awaitable[None]]


def run(
    vendor: Vendor,
    defaults: TenantDefaults,
    receiver: Receiver,
    scenario: Scenario,
    *,
    retry_scale: float = 1.0,
) -> None:
    async def main() -> None:
        deliveries = Deliveries(retry_scale=retry_scale, transport=httpx.MockTransport(receiver))
        sandbox = Sandbox([vendor], defaults, deliveries=deliveries)
        try:
            tenant = sandbox.tenants.resolve(vendor, "k")
            assert tenant is not None
            await scenario(sandbox, tenant)
        finally:
            await sandbox.aclose()

    asyncio.run(main())


def policy_vendor(make_vendor: Any, **policy: Any) -> Vendor:
    retry = RetryPolicy(**{"delays": (3600.0, 7200.0), **policy})
    return make_vendor("hooks", webhook=WebhookSpec(render=render, policy=retry))


def only(sandbox: Sandbox) -> Delivery:
    [delivery] = sandbox.deliveries.listing()
    return delivery

"""Outbound webhook delivery: attempts, retries on the sim clock, and the delivery log.

Worlds only ask for a notification. Here it becomes a :class:`Delivery`: each
attempt is a scheduler event of the tenant, rendered and signed by the vendor at
the attempt's sim time, sent, and logged (time, status, latency, error). A failed
attempt schedules the next one after the vendor's delay times ``retry_scale``, so
advancing the clock is what makes retries happen.

At most ``connections`` attempts are on the wire at once; the others wait their turn
untimed, so the vendor's timeout (and the latency logged) covers only the exchange
itself, however many webhooks fall due together. The log keeps, per tenant, every
pending delivery and the ``log_size`` most recently finished ones.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any, Literal
from urllib.parse import urlsplit

from .clock import isoformat, monotonic
from .faults import Exchange, Fault, Faults
from .outbound import CONNECTIONS, sender_for
from .scheduler import Event
from .vendor import Notification, RetryPolicy

if TYPE_CHECKING:
    import httpx

    from .tenancy import Tenant

log = logging.getLogger("mockserver.webhooks")

DeliveryState = Literal["pending", "delivered", "failed"]


@dataclass(slots=True)
class Attempt:
    number: int
    at: float
    status: int | None
    latency_ms: float
    error: str | None
    response_body: str = ""
    replay: bool = False

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["at"] = isoformat(self.at)
        return data


@dataclass(slots=True)
class Delivery:
    id: str
    vendor: str
    tenant: str
    notification: Notification
    created_at: float
    state: DeliveryState = "pending"
    next_attempt_at: float | None = None
    attempts: list[Attempt] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        n = self.notification
        return {
            "id": self.id,
            "vendor": self.vendor,
            "tenant": self.tenant,
            "event": n.event,
            "url": n.url,
            "payload": dict(n.payload),
            "state": self.state,
            "created_at": isoformat(self.created_at),
            "next_attempt_at": None
            if self.next_attempt_at is None
            else isoformat(self.next_attempt_at),
            "attempts": [a.as_dict() for a in self.attempts],
        }


def _faulted(fault: Fault) -> tuple[int | None, str | None, str]:
    """The outcome a fault rule puts in place of sending: the receiver seems down."""
    if fault.drop:
        return None, f"connection dropped (injected by fault {fault.rule})", ""
    return fault.status, f"injected by fault {fault.rule}", ""


class Deliveries:
    """The app's delivery machinery and log, shared by every tenant."""

    def __init__(
        self,
        *,
        retry_scale: float = 1.0,
        transport: httpx.AsyncBaseTransport | None = None,
        faults: Faults | None = None,
        log_size: int = 1000,
        connections: int = CONNECTIONS,
    ) -> None:
        self.retry_scale = retry_scale
        self.faults = faults if faults is not None else Faults()
        self.log_size = log_size
        self.connections = connections
        self._sender = sender_for(transport, connections)
        self._slots: asyncio.Semaphore | None = None
        self._log: dict[str, Delivery] = {}
        self._by_tenant: dict[str, dict[str, Delivery]] = {}
        self._finished: dict[str, deque[str]] = {}
        self._inflight: set[asyncio.Task[None]] = set()
        self._seq = 0

    # -- the log ---------------------------------------------------------------------------

    def get(self, delivery_id: str) -> Delivery | None:
        return self._log.get(delivery_id)

    def listing(self, *, vendor: str | None = None, tenant: str | None = None) -> list[Delivery]:
        """Deliveries oldest first; one tenant's are read from its own ring."""
        if tenant is not None:
            kept = self._by_tenant.get(tenant, {}).values()
            return [d for d in kept if vendor is None or d.vendor == vendor]
        return [d for d in self._log.values() if vendor is None or d.vendor == vendor]

    def forget(self, tenant: str | None = None) -> None:
        """Drops the log of one tenant, or of all."""
        if tenant is None:
            self._log.clear()
            self._by_tenant.clear()
            self._finished.clear()
            return
        for delivery_id in self._by_tenant.pop(tenant, {}):
            del self._log[delivery_id]
        self._finished.pop(tenant, None)

    def _finish(self, delivery: Delivery, state: DeliveryState) -> None:
        """Ends a delivery; past ``log_size`` finished ones the tenant's oldest go."""
        was = delivery.state
        delivery.state, delivery.next_attempt_at = state, None
        if was != "pending" or delivery.id not in self._log:
            return
        finished = self._finished.setdefault(delivery.tenant, deque())
        finished.append(delivery.id)
        kept = self._by_tenant[delivery.tenant]
        while len(finished) > self.log_size:
            gone = finished.popleft()
            del kept[gone], self._log[gone]

    # -- delivering ------------------------------------------------------------------------

    def create(self, tenant: Tenant, notification: Notification) -> Delivery:
        """Logs a new delivery and plans its first attempt for the tenant's now."""
        self._seq += 1
        now = tenant.clock.now()
        delivery = Delivery(
            id=str(self._seq),
            vendor=tenant.vendor.name,
            tenant=tenant.id,
            notification=notification,
            created_at=now,
            next_attempt_at=now,
        )
        self._log[delivery.id] = delivery
        self._by_tenant.setdefault(delivery.tenant, {})[delivery.id] = delivery
        tenant.scheduler.at(now, "webhook", "attempt", delivery=delivery.id)
        return delivery

    def fire(self, tenant: Tenant, event: Event) -> None:
        """Starts the attempt an event stands for; its outcome is logged when it lands."""
        delivery = self._log.get(event.data["delivery"])
        if delivery is None or delivery.state != "pending":
            return
        task = asyncio.get_running_loop().create_task(self._attempt(tenant, delivery, event.due))
        self._inflight.add(task)
        task.add_done_callback(self._inflight.discard)

    async def replay(self, tenant: Tenant, delivery: Delivery) -> Attempt:
        """Sends a delivery once more, now, whatever its state; plans no retry."""
        attempt = await self._send(tenant, delivery, tenant.clock.now(), replay=True)
        if attempt.status is not None and self._policy(tenant).is_success(attempt.status):
            self._finish(delivery, "delivered")
        return attempt

    @property
    def in_flight(self) -> int:
        return len(self._inflight)

    async def settle(self, timeout: float) -> None:
        """Waits, at most ``timeout`` seconds, for the attempts under way to land."""
        if self._inflight:
            await asyncio.wait(set(self._inflight), timeout=timeout)

    async def aclose(self) -> None:
        for task in list(self._inflight):
            task.cancel()
        await self._sender.aclose()
        self._slots = None  # bound to the loop that is closing

    async def _attempt(self, tenant: Tenant, delivery: Delivery, at: float) -> None:
        attempt = await self._send(tenant, delivery, at)
        policy = self._policy(tenant)
        if attempt.status is not None and policy.is_success(attempt.status):
            self._finish(delivery, "delivered")
            return
        retries_done = sum(1 for a in delivery.attempts if not a.replay) - 1
        if retries_done < len(policy.delays):
            due = at + policy.delays[retries_done] * self.retry_scale
            delivery.next_attempt_at = due
            tenant.scheduler.at(due, "webhook", "attempt", delivery=delivery.id)
        else:
            self._finish(delivery, "failed")

    async def _send(
        self, tenant: Tenant, delivery: Delivery, at: float, *, replay: bool = False
    ) -> Attempt:
        assert tenant.vendor.webhook is not None, "a vendor without webhooks cannot notify"
        outbound = tenant.vendor.webhook.render(delivery.notification, at)
        exchange = Exchange(
            "outbound", tenant.vendor.name, tenant.id, outbound.method, urlsplit(outbound.url).path
        )
        fault = self.faults.pick(exchange)
        async with self._slot():  # waiting for a connection is no part of the attempt
            started = monotonic()
            if fault is not None and fault.delay:
                await asyncio.sleep(fault.delay)
            if fault is not None and (fault.status is not None or fault.drop):
                status, error, body = _faulted(fault)
            else:
                timeout = self._policy(tenant).timeout
                status, error, body = await self._sender.send(outbound, timeout)
            finished = monotonic()
        attempt = Attempt(
            number=len(delivery.attempts) + 1,
            at=at,
            status=status,
            latency_ms=round((finished - started) * 1000, 3),
            error=error,
            response_body=body,
            replay=replay,
        )
        delivery.attempts.append(attempt)
        log.debug("webhook %s attempt %d -> %s", delivery.id, attempt.number, status or error)
        return attempt

    def _slot(self) -> asyncio.Semaphore:
        """One of the ``connections`` attempts that may be on the wire at once."""
        if self._slots is None:
            self._slots = asyncio.Semaphore(self.connections)
        return self._slots

    def _policy(self, tenant: Tenant) -> RetryPolicy:
        assert tenant.vendor.webhook is not None
        return tenant.vendor.webhook.policy

    def __getstate__(self) -> dict[str, Any]:
        """What a snapshot keeps: the log, pending deliveries included, and the id counter.

        The HTTP client, the transport and the attempts under way belong to the running
        process (they cannot be pickled); restoring keeps the server's own.
        """
        return {"log": dict(self._log), "seq": self._seq}

    def __setstate__(self, state: dict[str, Any]) -> None:
        """The log as saved; each tenant's finished deliveries count in the order made."""
        self._log, self._by_tenant, self._finished = {}, {}, {}
        for delivery_id, delivery in dict(state["log"]).items():
            self._log[delivery_id] = delivery
            self._by_tenant.setdefault(delivery.tenant, {})[delivery_id] = delivery
            if delivery.state != "pending":
                self._finished.setdefault(delivery.tenant, deque()).append(delivery_id)
        self._seq = state["seq"]

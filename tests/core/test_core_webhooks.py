"""Webhook deliveries: attempts on the sim clock, retries only as time is advanced, the log."""

from __future__ import annotations

import asyncio
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import pytest
from webhook_kit import HOOK_URL, Receiver, only, policy_vendor, render, run

from mockserver.core.clock import isoformat
from mockserver.core.outbound import RESPONSE_CAP
from mockserver.core.sandbox import Sandbox
from mockserver.core.tenancy import Tenant, TenantDefaults
from mockserver.core.vendor import (
    Notification,
    RetryPolicy,
    Vendor,
    WebhookSpec,
)
from mockserver.core.webhooks import Deliveries


@pytest.fixture
def vendor(make_vendor: Any) -> Vendor:
    return policy_vendor(make_vendor)


def world(tenant: Tenant) -> Any:
    return tenant.world


# -- first attempt -----------------------------------------------------------------------


def test_a_notification_becomes_a_pending_delivery_sent_on_the_next_advance(
    vendor: Vendor, defaults: TenantDefaults, epoch: float
) -> None:
    receiver = Receiver()

    async def scenario(sandbox: Sandbox, tenant: Tenant) -> None:
        world(tenant).announce("task.done", task="t1")
        delivery = only(sandbox)
        assert (delivery.state, delivery.vendor, delivery.tenant) == ("pending", "hooks", "hooks:k")
        assert delivery.created_at == delivery.next_attempt_at == epoch
        assert receiver.received == []
        assert len(tenant.scheduler) == 1

        result = await sandbox.advance(0)
        assert result.events_fired == 1
        assert result.deliveries_in_flight == 0
        assert delivery.state == "delivered"
        assert delivery.next_attempt_at is None
        [attempt] = delivery.attempts
        assert (attempt.number, attempt.at, attempt.status, attempt.error) == (1, epoch, 200, None)
        assert attempt.response_body == "ok"
        assert attempt.latency_ms >= 0
        assert len(receiver.received) == 1

    run(vendor, defaults, receiver, scenario)


def test_the_receiver_gets_the_rendered_request(
    vendor: Vendor, defaults: TenantDefaults, epoch: float
) -> None:
    receiver = Receiver()

    async def scenario(sandbox: Sandbox, tenant: Tenant) -> None:
        await sandbox.advance(90)
        world(tenant).announce("unit.finished", unit="u-9", score=0.5)
        await sandbox.advance(0)
        [request] = receiver.received
        assert request.method == "POST"
        assert str(request.url) == HOOK_URL
        assert request.headers["content-type"] == "application/json"
        assert request.headers["x-event"] == "unit.finished"
        assert request.headers["x-signature"] == f"s3@{isoformat(epoch + 90)}"
        assert json.loads(request.content) == {
            "event": "unit.finished",
            "data": {"unit": "u-9", "score": 0.5},
        }

    run(vendor, defaults, receiver, scenario)


def test_a_world_event_notifies_at_its_own_instant(
    vendor: Vendor, defaults: TenantDefaults, epoch: float
) -> None:
    receiver = Receiver()

    async def scenario(sandbox: Sandbox, tenant: Tenant) -> None:
        world(tenant).plan(100, "notify", payload={"n": 1})
        await sandbox.advance(500)
        delivery = only(sandbox)
        assert delivery.created_at == epoch + 100
        assert delivery.attempts[0].at == epoch + 100
        assert receiver.received[0].headers["x-signature"] == f"s3@{isoformat(epoch + 100)}"

    run(vendor, defaults, receiver, scenario)


def test_the_first_attempt_fires_when_due_events_run_inside_a_loop(
    vendor: Vendor, defaults: TenantDefaults
) -> None:
    receiver = Receiver()

    async def scenario(sandbox: Sandbox, tenant: Tenant) -> None:
        world(tenant).announce()
        assert tenant.run_due() == 1  # as a request of the tenant would
        assert sandbox.deliveries.in_flight == 1
        await sandbox.deliveries.settle(5)
        assert sandbox.deliveries.in_flight == 0
        assert only(sandbox).state == "delivered"

    run(vendor, defaults, receiver, scenario)


# -- retries -----------------------------------------------------------------------------


def test_failures_retry_only_as_the_clock_passes_each_delay(
    vendor: Vendor, defaults: TenantDefaults, epoch: float
) -> None:
    receiver = Receiver(statuses=[500])

    async def scenario(sandbox: Sandbox, tenant: Tenant) -> None:
        world(tenant).announce()
        await sandbox.advance(0)
        delivery = only(sandbox)
        assert [a.status for a in delivery.attempts] == [500]
        assert delivery.state == "pending"
        assert delivery.next_attempt_at == epoch + 3600

        await sandbox.advance(3599)
        assert len(delivery.attempts) == 1
        await sandbox.advance(1)
        assert len(delivery.attempts) == 2
        assert delivery.next_attempt_at == epoch + 3600 + 7200

        await sandbox.advance(7199)
        assert len(delivery.attempts) == 2
        await sandbox.advance(1)
        assert [a.number for a in delivery.attempts] == [1, 2, 3]
        assert [a.at for a in delivery.attempts] == [epoch, epoch + 3600, epoch + 10800]
        assert delivery.state == "failed"
        assert delivery.next_attempt_at is None

        await sandbox.advance(10**6)
        assert len(delivery.attempts) == 3
        assert len(receiver.received) == 3

    run(vendor, defaults, receiver, scenario)


def test_one_long_advance_runs_every_retry_at_its_own_instant(
    vendor: Vendor, defaults: TenantDefaults, epoch: float
) -> None:
    receiver = Receiver(statuses=[503, 502, 200])

    async def scenario(sandbox: Sandbox, tenant: Tenant) -> None:
        world(tenant).announce()
        result = await sandbox.advance(86400)
        delivery = only(sandbox)
        assert result.events_fired == 3
        assert [(a.at - epoch, a.status) for a in delivery.attempts] == [
            (0, 503),
            (3600, 502),
            (10800, 200),
        ]
        assert delivery.state == "delivered"
        signatures = [r.headers["x-signature"] for r in receiver.received]
        assert signatures == [f"s3@{isoformat(epoch + s)}" for s in (0, 3600, 10800)]

    run(vendor, defaults, receiver, scenario)


def test_retry_scale_shrinks_the_delays(
    vendor: Vendor, defaults: TenantDefaults, epoch: float
) -> None:
    receiver = Receiver(statuses=[500])

    async def scenario(sandbox: Sandbox, tenant: Tenant) -> None:
        world(tenant).announce()
        await sandbox.advance(0)
        delivery = only(sandbox)
        assert delivery.next_attempt_at is not None
        assert delivery.next_attempt_at - epoch == pytest.approx(3.6, abs=1e-6)
        await sandbox.advance(3.5)
        assert len(delivery.attempts) == 1
        await sandbox.advance(0.2)
        assert len(delivery.attempts) == 2
        await sandbox.advance(7.2)
        assert len(delivery.attempts) == 3
        assert delivery.state == "failed"

    run(vendor, defaults, receiver, scenario, retry_scale=0.001)


def test_success_means_any_2xx_by_default(vendor: Vendor, defaults: TenantDefaults) -> None:
    receiver = Receiver(statuses=[204])

    async def scenario(sandbox: Sandbox, tenant: Tenant) -> None:
        world(tenant).announce()
        await sandbox.advance(0)
        assert only(sandbox).state == "delivered"

    run(vendor, defaults, receiver, scenario)


def test_redirects_are_failures_not_followed(vendor: Vendor, defaults: TenantDefaults) -> None:
    receiver = Receiver(statuses=[302, 200])

    async def scenario(sandbox: Sandbox, tenant: Tenant) -> None:
        world(tenant).announce()
        await sandbox.advance(0)
        delivery = only(sandbox)
        assert [a.status for a in delivery.attempts] == [302]
        assert delivery.state == "pending"
        assert len(receiver.received) == 1

    run(vendor, defaults, receiver, scenario)


def test_a_200_only_policy_retries_a_204(make_vendor: Any, defaults: TenantDefaults) -> None:
    vendor = policy_vendor(make_vendor, success="200")
    receiver = Receiver(statuses=[204, 200])

    async def scenario(sandbox: Sandbox, tenant: Tenant) -> None:
        world(tenant).announce()
        await sandbox.advance(0)
        delivery = only(sandbox)
        assert [a.status for a in delivery.attempts] == [204]
        assert delivery.state == "pending"
        await sandbox.advance(3600)
        assert [a.status for a in delivery.attempts] == [204, 200]
        assert delivery.state == "delivered"

    run(vendor, defaults, receiver, scenario)


def test_retry_policy_success_rules() -> None:
    any_2xx = RetryPolicy(delays=())
    only_200 = RetryPolicy(delays=(), success="200")
    assert [any_2xx.is_success(s) for s in (199, 200, 201, 299, 300)] == [
        False,
        True,
        True,
        True,
        False,
    ]
    assert [only_200.is_success(s) for s in (200, 201, 204)] == [True, False, False]


def test_no_delays_means_a_single_attempt(make_vendor: Any, defaults: TenantDefaults) -> None:
    vendor = policy_vendor(make_vendor, delays=())
    receiver = Receiver(statuses=[500])

    async def scenario(sandbox: Sandbox, tenant: Tenant) -> None:
        world(tenant).announce()
        await sandbox.advance(0)
        delivery = only(sandbox)
        assert delivery.state == "failed"
        assert len(delivery.attempts) == 1
        assert len(tenant.scheduler) == 0

    run(vendor, defaults, receiver, scenario)


# -- transport errors --------------------------------------------------------------------


def test_a_timeout_is_logged_as_an_error_attempt_and_retried(
    make_vendor: Any, defaults: TenantDefaults
) -> None:
    vendor = policy_vendor(make_vendor, timeout=2.5)
    receiver = Receiver(statuses=[httpx.ReadTimeout("slow"), 200])

    async def scenario(sandbox: Sandbox, tenant: Tenant) -> None:
        world(tenant).announce()
        await sandbox.advance(0)
        delivery = only(sandbox)
        [attempt] = delivery.attempts
        assert attempt.status is None
        assert attempt.error == "timed out after 2.5s"
        assert delivery.state == "pending"
        await sandbox.advance(3600)
        assert [a.status for a in delivery.attempts] == [None, 200]
        assert delivery.state == "delivered"

    run(vendor, defaults, receiver, scenario)


def test_a_connection_error_is_logged_with_its_kind(
    vendor: Vendor, defaults: TenantDefaults
) -> None:
    receiver = Receiver(statuses=[httpx.ConnectError("connection refused")])

    async def scenario(sandbox: Sandbox, tenant: Tenant) -> None:
        world(tenant).announce()
        await sandbox.advance(0)
        [attempt] = only(sandbox).attempts
        assert attempt.status is None
        assert attempt.error == "ConnectError: connection refused"

    run(vendor, defaults, receiver, scenario)


def test_the_response_body_is_capped(vendor: Vendor, defaults: TenantDefaults) -> None:
    receiver = Receiver(statuses=[500], body="e" * (RESPONSE_CAP * 3))

    async def scenario(sandbox: Sandbox, tenant: Tenant) -> None:
        world(tenant).announce()
        await sandbox.advance(0)
        assert only(sandbox).attempts[0].response_body == "e" * RESPONSE_CAP

    run(vendor, defaults, receiver, scenario)


# -- replay ------------------------------------------------------------------------------


def test_replay_sends_again_without_scheduling_retries(
    vendor: Vendor, defaults: TenantDefaults, epoch: float
) -> None:
    receiver = Receiver(statuses=[500, 500, 500, 500])

    async def scenario(sandbox: Sandbox, tenant: Tenant) -> None:
        world(tenant).announce()
        await sandbox.advance(20000)
        delivery = only(sandbox)
        assert delivery.state == "failed"
        queued = len(tenant.scheduler)

        attempt = await sandbox.deliveries.replay(tenant, delivery)
        assert attempt.replay is True
        assert attempt.number == 4
        assert attempt.status == 500
        assert attempt.at == epoch + 20000
        assert delivery.state == "failed"
        assert len(tenant.scheduler) == queued
        assert len(receiver.received) == 4

    run(vendor, defaults, receiver, scenario)


def test_a_successful_replay_delivers_a_failed_delivery(
    vendor: Vendor, defaults: TenantDefaults
) -> None:
    receiver = Receiver(statuses=[500, 500, 500, 200])

    async def scenario(sandbox: Sandbox, tenant: Tenant) -> None:
        world(tenant).announce()
        await sandbox.advance(20000)
        delivery = only(sandbox)
        assert delivery.state == "failed"
        attempt = await sandbox.deliveries.replay(tenant, delivery)
        assert attempt.status == 200
        assert delivery.state == "delivered"
        assert delivery.next_attempt_at is None

    run(vendor, defaults, receiver, scenario)


def test_a_successful_replay_cancels_the_pending_retry(
    vendor: Vendor, defaults: TenantDefaults
) -> None:
    receiver = Receiver(statuses=[500, 200, 500])

    async def scenario(sandbox: Sandbox, tenant: Tenant) -> None:
        world(tenant).announce()
        await sandbox.advance(0)
        delivery = only(sandbox)
        await sandbox.deliveries.replay(tenant, delivery)
        assert delivery.state == "delivered"
        await sandbox.advance(86400)
        assert len(receiver.received) == 2
        assert [a.replay for a in delivery.attempts] == [False, True]

    run(vendor, defaults, receiver, scenario)


def test_a_replay_does_not_count_as_a_retry(vendor: Vendor, defaults: TenantDefaults) -> None:
    receiver = Receiver(statuses=[500])

    async def scenario(sandbox: Sandbox, tenant: Tenant) -> None:
        world(tenant).announce()
        await sandbox.advance(0)
        delivery = only(sandbox)
        await sandbox.deliveries.replay(tenant, delivery)
        await sandbox.advance(20000)
        assert [a.replay for a in delivery.attempts] == [False, True, False, False]
        assert delivery.state == "failed"

    run(vendor, defaults, receiver, scenario)


# -- the log -----------------------------------------------------------------------------


def test_listing_filters_by_vendor_and_tenant_and_forget_drops_a_tenant(
    make_vendor: Any, defaults: TenantDefaults
) -> None:
    spec = WebhookSpec(render=render, policy=RetryPolicy(delays=()))
    one, two = make_vendor("one", webhook=spec), make_vendor("two", webhook=spec)
    receiver = Receiver()

    async def main() -> None:
        deliveries = Deliveries(transport=httpx.MockTransport(receiver))
        sandbox = Sandbox([one, two], defaults, deliveries=deliveries)
        try:
            for vendor, credential in ((one, "a"), (one, "b"), (two, "a")):
                tenant = sandbox.tenants.resolve(vendor, credential)
                assert tenant is not None
                world(tenant).announce()
            await sandbox.advance(0)
            assert [d.tenant for d in deliveries.listing()] == ["one:a", "one:b", "two:a"]
            assert [d.tenant for d in deliveries.listing(vendor="one")] == ["one:a", "one:b"]
            assert [d.tenant for d in deliveries.listing(tenant="two:a")] == ["two:a"]
            assert deliveries.listing(vendor="one", tenant="two:a") == []
            assert len({d.id for d in deliveries.listing()}) == 3
            first = deliveries.listing()[0]
            assert deliveries.get(first.id) is first
            assert deliveries.get("nope") is None

            deliveries.forget("one:a")
            assert [d.tenant for d in deliveries.listing()] == ["one:b", "two:a"]
            sandbox.reset("two:a")
            assert [d.tenant for d in deliveries.listing()] == ["one:b"]
            deliveries.forget()
            assert deliveries.listing() == []
        finally:
            await sandbox.aclose()

    asyncio.run(main())


def test_a_forgotten_delivery_is_not_attempted(vendor: Vendor, defaults: TenantDefaults) -> None:
    receiver = Receiver()

    async def scenario(sandbox: Sandbox, tenant: Tenant) -> None:
        world(tenant).announce()
        sandbox.deliveries.forget(tenant.id)
        result = await sandbox.advance(0)
        assert result.events_fired == 1
        assert receiver.received == []

    run(vendor, defaults, receiver, scenario)


def test_as_dict_renders_instants_and_attempts(
    vendor: Vendor, defaults: TenantDefaults, epoch: float
) -> None:
    receiver = Receiver(statuses=[500])

    async def scenario(sandbox: Sandbox, tenant: Tenant) -> None:
        world(tenant).announce("job.done", job="j1")
        await sandbox.advance(0)
        data = only(sandbox).as_dict()
        assert data == {
            "id": only(sandbox).id,
            "vendor": "hooks",
            "tenant": "hooks:k",
            "event": "job.done",
            "url": HOOK_URL,
            "payload": {"job": "j1"},
            "state": "pending",
            "created_at": isoformat(epoch),
            "next_attempt_at": isoformat(epoch + 3600),
            "attempts": [
                {
                    "number": 1,
                    "at": isoformat(epoch),
                    "status": 500,
                    "latency_ms": data["attempts"][0]["latency_ms"],
                    "error": None,
                    "response_body": "ok",
                    "replay": False,
                }
            ],
        }

    run(vendor, defaults, receiver, scenario)


def test_aclose_cancels_attempts_under_way(vendor: Vendor, defaults: TenantDefaults) -> None:
    async def never_answers(request: httpx.Request) -> httpx.Response:
        await asyncio.Event().wait()
        raise AssertionError("unreachable")

    async def main() -> None:
        deliveries = Deliveries(transport=httpx.MockTransport(never_answers))
        sandbox = Sandbox([vendor], defaults, deliveries=deliveries)
        tenant = sandbox.tenants.resolve(vendor, "k")
        assert tenant is not None
        world(tenant).announce()
        result = await sandbox.advance(0, settle_timeout=0.05)
        assert result.deliveries_in_flight == 1
        await sandbox.aclose()
        for _ in range(20):  # a few loop turns for the cancellation to land
            if not deliveries.in_flight:
                break
            await asyncio.sleep(0)
        assert deliveries.in_flight == 0
        assert only(sandbox).attempts == []

    asyncio.run(main())


# -- the log is a ring per tenant --------------------------------------------------------


def test_each_tenant_keeps_its_newest_finished_deliveries_and_every_pending_one(
    make_vendor: Any, defaults: TenantDefaults
) -> None:
    """The log grew without end (11,100 entries in five minutes); now each tenant keeps
    ``log_size`` finished deliveries, dropping the oldest first, and never a delivery
    that still has an attempt coming."""
    vendor = policy_vendor(make_vendor)
    receiver = Receiver(statuses=[500, 200])

    async def main() -> None:
        deliveries = Deliveries(transport=httpx.MockTransport(receiver), log_size=3)
        sandbox = Sandbox([vendor], defaults, deliveries=deliveries)
        try:
            tenant, other = (sandbox.tenants.resolve(vendor, k) for k in ("k", "other"))
            assert tenant is not None and other is not None
            made = []
            for n in range(6):
                world(tenant).announce(n=n)
                made.append(deliveries.listing(tenant=tenant.id)[-1].id)
                await sandbox.advance(0)
            world(other).announce()
            await sandbox.advance(0)
            kept = deliveries.listing(tenant=tenant.id)
            assert [d.id for d in kept] == [made[0], *made[3:]]
            assert [d.state for d in kept] == ["pending", "delivered", "delivered", "delivered"]
            assert deliveries.get(made[1]) is None
            assert len(deliveries.listing(tenant=other.id)) == 1

            await sandbox.advance(3600)  # the retry delivers the oldest: now finished too
            assert kept[0].state == "delivered"
            assert [d.id for d in deliveries.listing(tenant=tenant.id)] == [
                made[0],
                made[4],
                made[5],
            ]
            assert len(deliveries.listing()) == 4

            deliveries.__setstate__(deliveries.__getstate__())  # as a snapshot restores it
            world(tenant).announce()
            await sandbox.advance(0)
            assert len(deliveries.listing(tenant=tenant.id)) == 3
        finally:
            await sandbox.aclose()

    asyncio.run(main())


def test_a_busy_tenants_log_stays_the_size_of_its_ring(
    vendor: Vendor, defaults: TenantDefaults
) -> None:
    receiver = Receiver()

    async def main() -> None:
        deliveries = Deliveries(transport=httpx.MockTransport(receiver), log_size=50)
        sandbox = Sandbox([vendor], defaults, deliveries=deliveries)
        try:
            tenant = sandbox.tenants.resolve(vendor, "k")
            assert tenant is not None
            for _ in range(10):
                for _ in range(100):
                    world(tenant).announce()
                await sandbox.advance(0)
            assert len(receiver.received) == 1000
            assert len(deliveries.listing()) == len(deliveries.listing(tenant=tenant.id)) == 50
        finally:
            await sandbox.aclose()

    asyncio.run(main())


# -- attempts are timed from the moment they are sent ------------------------------------


class SlowReceiver:
    """A receiver on a loopback port that answers every POST after ``delay`` seconds."""

    def __init__(self, delay: float) -> None:
        self.count = 0
        self._lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                self.rfile.read(int(self.headers.get("Content-Length", "0")))
                with receiver._lock:
                    receiver.count += 1
                threading.Event().wait(delay)
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: object) -> None:
                """Silent."""

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/hooks"

    def __enter__(self) -> SlowReceiver:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(5)


def test_an_attempt_waiting_for_a_connection_is_queued_not_timed_out(
    make_vendor: Any, defaults: TenantDefaults
) -> None:
    """24 webhooks due at once over 2 connections, to a receiver answering in 0.2 s,
    with a 2 s timeout: the last ones wait 2.2 s for a connection. The wait once counted
    against the timeout, and they were logged as timed out though they arrived."""
    vendor = policy_vendor(make_vendor, timeout=2.0)
    count = 24

    async def main(receiver: SlowReceiver) -> None:
        deliveries = Deliveries(connections=2)  # over the network, with aiohttp
        sandbox = Sandbox([vendor], defaults, deliveries=deliveries)
        try:
            tenant = sandbox.tenants.resolve(vendor, "k")
            assert tenant is not None
            for n in range(count):
                tenant.world.context.notify(
                    Notification(url=receiver.url, event="e", payload={"n": n}, secret="s")
                )
            await sandbox.advance(0, settle_timeout=60)
            logged = [a for d in deliveries.listing() for a in d.attempts]
            assert [a.error for a in logged] == [None] * count
            assert [d.state for d in deliveries.listing()] == ["delivered"] * count
        finally:
            await sandbox.aclose()

    with SlowReceiver(0.2) as receiver:
        asyncio.run(main(receiver))
        assert receiver.count == count

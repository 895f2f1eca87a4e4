"""Webhook deliveries: attempts on the sim clock, retries only as time is advanced, the log."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx
import pytest
from webhook_kit import HOOK_URL, Receiver, only, policy_vendor, render, run

from mockserver.core.clock import isoformat
from mockserver.core.outbound import RESPONSE_CAP
from mockserver.core.sandbox import Sandbox
from mockserver.core.tenancy import Tenant, TenantDefaults
from mockserver.core.vendor import (
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

"""Fault rules: what they match, when they fire, and what they do to webhook attempts.

Inbound faults (requests to a vendor) are driven over HTTP in ``tests/admin`` and
``tests/e2e``; here are the rules themselves and the outbound side, with a fake
vendor whose webhooks go to an in-process receiver.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from webhook_kit import Receiver, only, policy_vendor, run

from mockserver.core.errors import InjectedFault, InvalidInput, MockError
from mockserver.core.faults import Exchange, Faults
from mockserver.core.sandbox import Sandbox
from mockserver.core.tenancy import Tenant, TenantDefaults
from mockserver.core.vendor import (
    Vendor,
)

REQUEST = Exchange("inbound", "alpha", "alpha:k", "POST", "/alpha/v1/tasks/7")


def inbound(**fields: Any) -> Exchange:
    return replace(REQUEST, **fields)


# -- matching and firing -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("criteria", "matching", "other"),
    [
        ({}, {}, {"direction": "outbound"}),
        ({"vendor": "alpha"}, {}, {"vendor": "beta"}),
        ({"tenant": "alpha:k"}, {}, {"tenant": "alpha:other"}),
        ({"method": "post"}, {}, {"method": "GET"}),
        ({"path": r"/tasks/\d+$"}, {}, {"path": "/alpha/v1/tasks"}),
        ({"direction": "outbound"}, {"direction": "outbound"}, {}),
    ],
)
def test_a_rule_fires_only_on_exchanges_matching_every_criterion(
    criteria: dict[str, Any], matching: dict[str, Any], other: dict[str, Any]
) -> None:
    faults = Faults()
    faults.add({"status": 503, **criteria})
    assert faults.pick(inbound(**other)) is None
    fault = faults.pick(inbound(**matching))
    assert fault is not None and (fault.rule, fault.status, fault.drop) == ("1", 503, False)


def test_the_first_rule_that_fires_wins_and_alone_counts_a_hit() -> None:
    faults = Faults()
    faults.add({"path": "/never-here", "status": 500})
    faults.add({"vendor": "alpha", "drop": True})
    faults.add({"status": 502})
    fault = faults.pick(REQUEST)
    assert fault is not None and fault.rule == "2" and fault.drop and fault.status is None
    assert [r.hits for r in faults] == [0, 1, 0]


def test_a_counted_rule_is_spent_after_its_hits_and_stays_listed() -> None:
    faults = Faults()
    faults.add({"status": 503, "count": 2})
    assert [f is not None for f in (faults.pick(REQUEST) for _ in range(3))] == [
        True,
        True,
        False,
    ]
    [rule] = faults
    assert (rule.hits, rule.spent, rule.as_dict()["spent"]) == (2, True, True)


def test_a_spent_rule_lets_the_next_one_fire() -> None:
    faults = Faults()
    faults.add({"status": 503, "count": 1})
    faults.add({"status": 500})
    statuses = [f.status for f in (faults.pick(REQUEST) for _ in range(3)) if f is not None]
    assert statuses == [503, 500, 500]


def draws(faults: Faults, times: int = 40) -> list[float | None]:
    """The delay of each of ``times`` requests, ``None`` where no rule fired."""
    picked = (faults.pick(REQUEST) for _ in range(times))
    return [None if f is None else round(f.delay, 9) for f in picked]


def randomized(seed: int) -> Faults:
    faults = Faults(seed)
    faults.add({"latency": {"min": 0.1, "max": 2.0}, "odds": 0.5})
    return faults


def test_odds_and_delays_repeat_for_the_same_seed_and_differ_for_another() -> None:
    first = draws(randomized(5))
    assert first == draws(randomized(5))
    assert first != draws(randomized(6))
    assert 0 < first.count(None) < len(first)
    assert all(0.1 <= d <= 2.0 for d in first if d is not None)


def test_reset_forgets_the_rules_and_restarts_the_draws() -> None:
    faults = randomized(5)
    first = draws(faults)
    faults.reset()
    assert list(faults) == []
    faults.add({"latency": {"min": 0.1, "max": 2.0}, "odds": 0.5})
    assert draws(faults) == first
    assert faults.add({"status": 500}).id == "3"  # ids are never reused


def test_a_fixed_latency_is_exact_and_odds_of_zero_never_fire() -> None:
    faults = Faults()
    faults.add({"latency": {"seconds": 0.25}, "odds": 0})
    faults.add({"latency": {"seconds": 0.25}})
    fault = faults.pick(REQUEST)
    assert fault is not None and (fault.rule, fault.delay, fault.status) == ("2", 0.25, None)


def test_clear_and_remove() -> None:
    faults = Faults()
    for status in (500, 502, 503):
        faults.add({"status": status})
    removed = faults.remove("2")
    assert removed is not None and removed.status == 502
    assert faults.remove("2") is None
    assert [r.id for r in faults] == ["1", "3"]
    assert faults.clear() == 2 and list(faults) == []


@pytest.mark.parametrize(
    ("spec", "field"),
    [
        ({"status": 500, "path": "(unclosed"}, "path"),
        ({"latency": {"min": 2, "max": 1}}, "latency"),
    ],
)
def test_what_the_schema_cannot_check_is_refused_naming_the_field(
    spec: dict[str, Any], field: str
) -> None:
    faults = Faults()
    with pytest.raises(InvalidInput) as refused:
        faults.add(spec)
    assert [e.field for e in refused.value.errors] == [field]
    assert list(faults) == []


def test_an_injected_fault_carries_its_own_status_and_reason() -> None:
    unavailable, odd = InjectedFault(503), InjectedFault(520)
    assert (unavailable.status, unavailable.detail) == (503, "Service Unavailable")
    assert (odd.status, odd.detail) == (520, "Injected fault")
    assert (InjectedFault(429).status, MockError.status) == (429, 500)


# -- outbound: webhook attempts --------------------------------------------------------------


@pytest.fixture
def vendor(make_vendor: Any) -> Vendor:
    return policy_vendor(make_vendor)


def announce(tenant: Tenant) -> None:
    world: Any = tenant.world  # the fake world of conftest
    world.announce("task.done", task="t1")


def test_an_outbound_status_fails_the_attempt_unsent_and_the_retry_policy_goes_on(
    vendor: Vendor, defaults: TenantDefaults, epoch: float
) -> None:
    receiver = Receiver()

    async def scenario(sandbox: Sandbox, tenant: Tenant) -> None:
        sandbox.faults.add({"direction": "outbound", "status": 503, "count": 1})
        announce(tenant)
        await sandbox.advance(0)
        delivery = only(sandbox)
        [attempt] = delivery.attempts
        assert (attempt.status, attempt.error) == (503, "injected by fault 1")
        assert receiver.received == []
        assert (delivery.state, delivery.next_attempt_at) == ("pending", epoch + 3600)

        await sandbox.advance(3600)
        assert [a.status for a in delivery.attempts] == [503, 200]
        assert delivery.state == "delivered" and len(receiver.received) == 1

    run(vendor, defaults, receiver, scenario)


def test_an_outbound_drop_is_a_connection_error_without_sending(
    vendor: Vendor, defaults: TenantDefaults
) -> None:
    receiver = Receiver()

    async def scenario(sandbox: Sandbox, tenant: Tenant) -> None:
        sandbox.faults.add({"direction": "outbound", "drop": True})
        announce(tenant)
        await sandbox.advance(3600 + 7200)
        delivery = only(sandbox)
        assert [(a.status, a.error) for a in delivery.attempts] == [
            (None, "connection dropped (injected by fault 1)")
        ] * 3
        assert delivery.state == "failed" and receiver.received == []

    run(vendor, defaults, receiver, scenario)


def test_outbound_latency_delays_the_attempt_then_sends(
    vendor: Vendor, defaults: TenantDefaults
) -> None:
    receiver = Receiver()

    async def scenario(sandbox: Sandbox, tenant: Tenant) -> None:
        sandbox.faults.add({"direction": "outbound", "latency": {"seconds": 0.2}})
        announce(tenant)
        await sandbox.advance(0)
        [attempt] = only(sandbox).attempts
        assert attempt.status == 200 and attempt.latency_ms >= 200
        assert len(receiver.received) == 1

    run(vendor, defaults, receiver, scenario)


@pytest.mark.parametrize(
    "criteria",
    [
        {"direction": "inbound"},
        {"path": "^/other"},
        {"method": "PUT"},
        {"tenant": "hooks:someone-else"},
        {"vendor": "alpha"},
    ],
)
def test_outbound_rules_match_the_callback_path_method_tenant_and_vendor(
    vendor: Vendor, defaults: TenantDefaults, criteria: dict[str, Any]
) -> None:
    receiver = Receiver()

    async def scenario(sandbox: Sandbox, tenant: Tenant) -> None:
        sandbox.faults.add({"direction": "outbound", "status": 500, **criteria})
        sandbox.faults.add(
            {
                "direction": "outbound",
                "status": 502,
                "path": "^/hooks$",
                "method": "post",
                "tenant": "hooks:k",
                "vendor": "hooks",
            }
        )
        announce(tenant)
        await sandbox.advance(0)
        assert [a.status for a in only(sandbox).attempts] == [502]

    run(vendor, defaults, receiver, scenario)


def test_a_replay_meets_the_outbound_rules_too(vendor: Vendor, defaults: TenantDefaults) -> None:
    receiver = Receiver()

    async def scenario(sandbox: Sandbox, tenant: Tenant) -> None:
        announce(tenant)
        await sandbox.advance(0)
        delivery = only(sandbox)
        sandbox.faults.add({"direction": "outbound", "status": 500})
        attempt = await sandbox.deliveries.replay(tenant, delivery)
        assert (attempt.status, attempt.replay, delivery.state) == (500, True, "delivered")
        assert len(receiver.received) == 1

    run(vendor, defaults, receiver, scenario)


def test_a_full_reset_clears_the_rules_and_a_tenant_reset_keeps_them(
    vendor: Vendor, defaults: TenantDefaults
) -> None:
    sandbox = Sandbox([vendor], defaults)
    sandbox.faults.add({"status": 503})
    assert sandbox.deliveries.faults is sandbox.faults
    sandbox.tenants.resolve(vendor, "k")
    sandbox.reset("hooks:k")
    assert len(list(sandbox.faults)) == 1
    sandbox.reset()
    assert list(sandbox.faults) == []

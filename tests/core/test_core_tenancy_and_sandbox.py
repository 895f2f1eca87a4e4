"""Tenants are isolated worlds: own clock, queue, randomness and limits; reset rebuilds them."""

from __future__ import annotations

import asyncio
import gc
import weakref
from dataclasses import replace
from typing import Any

import pytest

from mockserver.core import clock as clock_module
from mockserver.core.context import SANDBOX, tenant_named
from mockserver.core.errors import InvalidInput, NotFound, RateLimited
from mockserver.core.ratelimit import Limits, Policy
from mockserver.core.sandbox import Advanced, Sandbox
from mockserver.core.scheduler import Event
from mockserver.core.tenancy import Retention, Tenant, TenantDefaults, Tenants, tenant_id
from mockserver.core.vendor import Vendor, WorldContext
from mockserver.core.webhooks import Deliveries


@pytest.fixture
def vendor(make_vendor: Any) -> Vendor:
    return make_vendor("fake")


@pytest.fixture
def tenants(vendor: Vendor, defaults: TenantDefaults) -> Tenants:
    return Tenants([vendor], defaults, Deliveries())


def handled(tenant: Tenant) -> list[tuple[str, dict[str, Any], float]]:
    return tenant.world.handled  # type: ignore[attr-defined,no-any-return]


def world(tenant: Tenant) -> Any:
    return tenant.world


# -- resolving credentials ---------------------------------------------------------------


def test_open_mode_opens_one_tenant_per_credential(tenants: Tenants, vendor: Vendor) -> None:
    a = tenants.resolve(vendor, "key-a")
    b = tenants.resolve(vendor, "key-b")
    assert a is not None and b is not None
    assert (a.id, b.id) == ("fake:key-a", "fake:key-b")
    assert a is not b
    assert tenants.resolve(vendor, "key-a") is a
    assert len(tenants) == 2
    assert {t.id for t in tenants} == {"fake:key-a", "fake:key-b"}
    assert not a.registered and not a.strict


def test_a_tenant_a_request_opens_joins_the_registry_only_when_it_succeeds(
    tenants: Tenants, vendor: Vendor
) -> None:
    refused = tenants.open(vendor, "refused", 0.0)
    assert refused is not None and tenants.get("fake:refused") is None
    tenants.settle(refused, succeeded=False)
    assert tenants.get("fake:refused") is None and len(tenants) == 0

    kept = tenants.open(vendor, "kept", 0.0)
    assert kept is not None
    tenants.settle(kept, succeeded=True)
    assert tenants.get("fake:kept") is kept
    assert tenants.open(vendor, "kept", 0.0) is kept and not kept.opening


def test_concurrent_first_requests_share_the_opening_tenant(
    tenants: Tenants, vendor: Vendor
) -> None:
    first, second, third = (tenants.open(vendor, "k", 0.0) for _ in range(3))
    assert first is second is third and first is not None
    tenants.settle(first, succeeded=False)
    tenants.settle(second, succeeded=True)  # one success keeps it
    tenants.settle(third, succeeded=False)  # a later failure does not undo that
    assert tenants.get("fake:k") is first


def test_a_registration_while_a_first_request_runs_is_not_overwritten_by_it(
    tenants: Tenants, vendor: Vendor
) -> None:
    opening = tenants.open(vendor, "k", 0.0)
    assert opening is not None
    registered = tenants.register("fake", "k", setup={"lines": ["a"]})
    tenants.settle(opening, succeeded=True)
    assert tenants.get("fake:k") is registered


def test_same_credential_in_two_vendors_is_two_tenants(
    make_vendor: Any, defaults: TenantDefaults
) -> None:
    one, two = make_vendor("one"), make_vendor("two")
    tenants = Tenants([one, two], defaults, Deliveries())
    a, b = tenants.resolve(one, "shared"), tenants.resolve(two, "shared")
    assert a is not None and b is not None
    assert a is not b
    assert (a.vendor, b.vendor) == (one, two)


def test_strict_mode_refuses_unknown_credentials(vendor: Vendor, defaults: TenantDefaults) -> None:
    tenants = Tenants([vendor], replace(defaults, strict_auth=True), Deliveries())
    assert tenants.resolve(vendor, "stranger") is None
    assert len(tenants) == 0
    registered = tenants.register("fake", "known", setup={"lines": ["a"]})
    assert tenants.resolve(vendor, "known") is registered
    assert registered.registered and registered.strict
    assert registered.setup == {"lines": ["a"]}
    assert tenants.resolve(vendor, "stranger") is None


def test_register_passes_setup_and_strictness_to_the_world(tenants: Tenants) -> None:
    tenant = tenants.register("fake", "k", setup={"secret": "x"}, strict=True)
    assert world(tenant).context.setup == {"secret": "x"}
    assert world(tenant).context.strict is True
    assert world(tenant).context.tenant_id == "fake:k"


def test_register_unknown_vendor_raises_key_error(tenants: Tenants) -> None:
    with pytest.raises(KeyError):
        tenants.register("nope", "k")


def test_register_validates_setup_against_the_vendor_schema(
    make_vendor: Any, defaults: TenantDefaults
) -> None:
    # the schema is read from schemas/<vendor name>/<setup_schema>.json
    checked = make_vendor("admin", setup_schema="advance")
    tenants = Tenants([checked], defaults, Deliveries())
    with pytest.raises(InvalidInput) as caught:
        tenants.register("admin", "k", setup={"seconds": "soon"})
    assert [e.field for e in caught.value.errors] == ["seconds"]
    assert len(tenants) == 0
    assert tenants.register("admin", "k", setup={"seconds": 5}).setup == {"seconds": 5}


def test_a_refused_re_registration_keeps_the_old_tenant(
    make_vendor: Any, defaults: TenantDefaults
) -> None:
    checked = make_vendor("admin", setup_schema="advance")
    tenants = Tenants([checked], defaults, Deliveries())
    old = tenants.register("admin", "k", setup={"seconds": 1})
    with pytest.raises(InvalidInput):
        tenants.register("admin", "k", setup={})
    assert tenants.get("admin:k") is old


def test_register_again_recreates_the_tenant_empty(tenants: Tenants) -> None:
    first = tenants.register("fake", "k", setup={"v": 1})
    world(first).plan(10, "tick")
    second = tenants.register("fake", "k", setup={"v": 2})
    assert second is not first
    assert len(second.scheduler) == 0
    assert second.setup == {"v": 2}
    assert tenants.get("fake:k") is second


def test_tenant_id_joins_vendor_and_credential() -> None:
    assert tenant_id("cloudfactory", "abc") == "cloudfactory:abc"


# -- clocks and queues -------------------------------------------------------------------


def test_new_tenants_start_at_the_epoch(tenants: Tenants, vendor: Vendor, epoch: float) -> None:
    tenant = tenants.resolve(vendor, "k")
    assert tenant is not None
    assert tenant.clock.mode == "manual"
    assert tenant.clock.now() == epoch


def test_two_tenants_have_independent_clocks_and_queues(
    tenants: Tenants, vendor: Vendor, epoch: float
) -> None:
    a, b = tenants.resolve(vendor, "a"), tenants.resolve(vendor, "b")
    assert a is not None and b is not None
    world(a).plan(30, "a-event")
    world(b).plan(30, "b-event")
    assert a.advance(60) == 1
    assert a.clock.now() == epoch + 60
    assert b.clock.now() == epoch
    assert [h[0] for h in handled(a)] == ["a-event"]
    assert handled(b) == []
    assert len(b.scheduler) == 1


def test_events_fire_at_their_own_due_time_in_order(tenants: Tenants, vendor: Vendor) -> None:
    tenant = tenants.resolve(vendor, "k")
    assert tenant is not None
    start = tenant.clock.now()
    world(tenant).plan(300, "late")
    world(tenant).plan(100, "early", n=1)
    world(tenant).plan(100, "early-too", n=2)
    assert tenant.advance(1000) == 3
    assert handled(tenant) == [
        ("early", {"n": 1}, start + 100),
        ("early-too", {"n": 2}, start + 100),
        ("late", {}, start + 300),
    ]
    assert tenant.clock.now() == start + 1000


def test_follow_ups_planned_during_an_advance_fire_in_the_same_window(
    tenants: Tenants, vendor: Vendor
) -> None:
    tenant = tenants.resolve(vendor, "k")
    assert tenant is not None
    start = tenant.clock.now()
    world(tenant).plan(10, "start", then={"after": 20, "action": "finish"})
    world(tenant).plan(25, "middle")
    assert tenant.advance(30) == 3
    assert [(h[0], h[2] - start) for h in handled(tenant)] == [
        ("start", 10),
        ("middle", 25),
        ("finish", 30),
    ]


def test_events_beyond_the_window_wait(tenants: Tenants, vendor: Vendor) -> None:
    tenant = tenants.resolve(vendor, "k")
    assert tenant is not None
    world(tenant).plan(100, "later")
    assert tenant.advance(99.5) == 0
    assert tenant.run_due() == 0
    assert tenant.advance(0.5) == 1


def test_run_due_fires_only_what_is_due_now(tenants: Tenants, vendor: Vendor) -> None:
    tenant = tenants.resolve(vendor, "k")
    assert tenant is not None
    world(tenant).plan(0, "now")
    world(tenant).plan(1, "soon")
    assert tenant.run_due() == 1
    assert [h[0] for h in handled(tenant)] == ["now"]


def test_negative_advance_is_refused(tenants: Tenants, vendor: Vendor) -> None:
    tenant = tenants.resolve(vendor, "k")
    assert tenant is not None
    with pytest.raises(ValueError):
        tenant.advance(-5)


def test_describe_summarises_the_tenant(tenants: Tenants, vendor: Vendor) -> None:
    tenant = tenants.register("fake", "k")
    world(tenant).plan(5, "x")
    world(tenant).plan(50, "y")
    tenant.advance(10)
    assert tenant.describe() == {
        "id": "fake:k",
        "vendor": "fake",
        "credential": "k",
        "strict": False,
        "registered": True,
        "clock": {"mode": "manual", "speed": 1.0},
        "pending_events": 1,
        "resources": {"handled": 1},
    }


# -- randomness --------------------------------------------------------------------------


def test_same_seed_gives_the_same_stream_per_tenant(
    vendor: Vendor, defaults: TenantDefaults
) -> None:
    one = Tenants([vendor], defaults, Deliveries()).resolve(vendor, "k")
    two = Tenants([vendor], defaults, Deliveries()).resolve(vendor, "k")
    assert one is not None and two is not None
    assert [one.rng.uuid4() for _ in range(5)] == [two.rng.uuid4() for _ in range(5)]


def test_a_tenant_stream_does_not_depend_on_other_tenants(
    vendor: Vendor, defaults: TenantDefaults
) -> None:
    alone = Tenants([vendor], defaults, Deliveries())
    crowded = Tenants([vendor], defaults, Deliveries())
    for n in range(3):
        other = crowded.resolve(vendor, f"other-{n}")
        assert other is not None
        other.rng.token()
    a, b = alone.resolve(vendor, "k"), crowded.resolve(vendor, "k")
    assert a is not None and b is not None
    assert a.rng.token() == b.rng.token()


def test_different_tenants_and_seeds_draw_differently(
    vendor: Vendor, defaults: TenantDefaults
) -> None:
    tenants = Tenants([vendor], defaults, Deliveries())
    a, b = tenants.resolve(vendor, "a"), tenants.resolve(vendor, "b")
    reseeded = Tenants([vendor], replace(defaults, seed=8), Deliveries()).resolve(vendor, "a")
    assert a is not None and b is not None and reseeded is not None
    first = a.rng.uuid4()
    assert first != b.rng.uuid4()
    assert first != reseeded.rng.uuid4()


def test_crowds_are_seeded_per_tenant(vendor: Vendor, defaults: TenantDefaults) -> None:
    one = Tenants([vendor], defaults, Deliveries()).resolve(vendor, "k")
    two = Tenants([vendor], defaults, Deliveries()).resolve(vendor, "k")
    other = Tenants([vendor], defaults, Deliveries()).resolve(vendor, "other")
    assert one is not None and two is not None and other is not None
    ids = [w.id for w in world(one).context.crowd.workers]
    assert ids == [w.id for w in world(two).context.crowd.workers]
    assert ids != [w.id for w in world(other).context.crowd.workers]


def test_a_crowd_made_late_has_the_workers_it_would_have_had_at_once(
    vendor: Vendor, defaults: TenantDefaults
) -> None:
    early = Tenants([vendor], defaults, Deliveries()).resolve(vendor, "k")
    late = Tenants([vendor], defaults, Deliveries()).resolve(vendor, "k")
    assert early is not None and late is not None
    workers = early.crowd.workers
    late.rng.token()  # the tenant's own stream drawn from, and an event planned, first
    late.scheduler.at(1.0, "world", "later")
    assert late.crowd.workers == workers


# -- what a tenant costs the garbage collector -------------------------------------------


def test_a_tenant_kept_after_one_request_is_a_handful_of_tracked_objects(
    make_vendor: Any, defaults: TenantDefaults
) -> None:
    """A shared server keeps thousands of tenants that made one request, and every full
    collection walks each object of each with the event loop stopped: the tenant, its
    clock, limiter (its buckets included), seeded stream and world (with the fake
    world's log), and nothing its request did not need (no crowd, queue or callbacks)."""
    policies = (Policy("per_second", 10, 1.0), Policy("per_hour", 1000, 3600.0))
    vendor = make_vendor("fake", rate_limits=policies)
    tenants = Tenants([vendor], defaults, Deliveries())
    count = 200
    gc.collect()
    before = len(gc.get_objects())
    for n in range(count):
        tenant = tenants.open(vendor, f"one-off-{n}", clock_module.monotonic())
        assert tenant is not None
        tenant.limiter.check()
        tenants.settle(tenant, succeeded=True)
    gc.collect()
    assert len(tenants) == count
    assert (len(gc.get_objects()) - before) / count < 6.1


def test_a_forgotten_tenant_is_freed_by_the_collector(tenants: Tenants, vendor: Vendor) -> None:
    tenant = tenants.resolve(vendor, "gone")
    assert tenant is not None
    world(tenant).plan(5.0, "later")
    tenant.crowd.workers  # noqa: B018 (made, so that it is freed too)
    alive = weakref.ref(tenant.world)
    tenants.reset(tenant.id)
    del tenant
    gc.collect()
    assert alive() is None


# -- reset -------------------------------------------------------------------------------


def test_reset_of_a_registered_tenant_rebuilds_it_empty_but_keeps_its_setup(
    tenants: Tenants, vendor: Vendor, epoch: float
) -> None:
    old = tenants.register("fake", "k", setup={"lines": ["a"]}, strict=True)
    fresh_draw = Tenants([vendor], tenants.defaults, Deliveries()).register("fake", "k")
    expected = fresh_draw.rng.uuid4()
    world(old).plan(5, "x")
    old.advance(10)
    old.rng.uuid4()
    tenants.reset("fake:k")
    new = tenants.get("fake:k")
    assert new is not None and new is not old
    assert new.registered and new.strict
    assert new.setup == {"lines": ["a"]}
    assert handled(new) == []
    assert len(new.scheduler) == 0
    assert new.clock.now() == epoch
    assert new.rng.uuid4() == expected


def test_reset_of_an_open_tenant_forgets_it(tenants: Tenants, vendor: Vendor) -> None:
    old = tenants.resolve(vendor, "k")
    tenants.reset("fake:k")
    assert tenants.get("fake:k") is None
    assert tenants.resolve(vendor, "k") is not old


def test_reset_of_an_unknown_tenant_does_nothing(tenants: Tenants, vendor: Vendor) -> None:
    tenants.resolve(vendor, "k")
    tenants.reset("fake:nobody")
    assert len(tenants) == 1


def test_reset_without_id_forgets_every_tenant(tenants: Tenants, vendor: Vendor) -> None:
    tenants.register("fake", "registered")
    tenants.resolve(vendor, "open")
    tenants.reset()
    assert len(tenants) == 0
    assert tenants.get("fake:registered") is None


def test_uploads_belong_to_their_tenant_until_reset(tenants: Tenants, vendor: Vendor) -> None:
    a, b = tenants.resolve(vendor, "a"), tenants.resolve(vendor, "b")
    assert a is not None and b is not None
    world(a).context.register_upload("tok-a")
    world(b).context.register_upload("tok-b")
    assert tenants.upload_owner("tok-a") is a
    assert tenants.upload_owner("tok-b") is b
    assert tenants.upload_owner("tok-x") is None
    tenants.reset("fake:a")
    assert tenants.upload_owner("tok-a") is None
    assert tenants.upload_owner("tok-b") is b
    tenants.reset()
    assert tenants.upload_owner("tok-b") is None


# -- rate limits -------------------------------------------------------------------------


def test_tenants_get_the_vendor_limits(make_vendor: Any, defaults: TenantDefaults) -> None:
    policies = (Policy("hour", 2, 3600.0),)
    limited = make_vendor("limited", rate_limits=policies)
    tenants = Tenants([limited], defaults, Deliveries())
    tenant = tenants.resolve(limited, "k")
    assert tenant is not None
    assert tenant.limiter.limits == Limits(policies, enabled=True)
    tenant.limiter.check()
    tenant.limiter.check()
    with pytest.raises(RateLimited):
        tenant.limiter.check()
    other = tenants.resolve(limited, "other")
    assert other is not None
    other.limiter.check()


def test_limits_can_be_off_by_default(make_vendor: Any, defaults: TenantDefaults) -> None:
    limited = make_vendor("limited", rate_limits=(Policy("hour", 1, 3600.0),))
    tenants = Tenants([limited], replace(defaults, rate_limits=False), Deliveries())
    tenant = tenants.resolve(limited, "k")
    assert tenant is not None
    for _ in range(5):
        tenant.limiter.check()


def test_set_limits_applies_to_existing_and_new_tenants_of_that_vendor(
    make_vendor: Any, defaults: TenantDefaults
) -> None:
    one, two = make_vendor("one"), make_vendor("two")
    tenants = Tenants([one, two], defaults, Deliveries())
    existing = tenants.resolve(one, "old")
    bystander = tenants.resolve(two, "old")
    assert existing is not None and bystander is not None
    tight = Limits((Policy("hour", 1, 3600.0),))
    tenants.set_limits("one", tight)
    assert existing.limiter.limits == tight
    assert bystander.limiter.limits == Limits((), enabled=True)
    newcomer = tenants.resolve(one, "new")
    assert newcomer is not None
    assert newcomer.limiter.limits == tight
    for tenant in (existing, newcomer):
        tenant.limiter.check()
        with pytest.raises(RateLimited):
            tenant.limiter.check()


def test_set_limits_survives_reset_of_a_registered_tenant(tenants: Tenants) -> None:
    tenants.register("fake", "k")
    tight = Limits((Policy("hour", 1, 3600.0),))
    tenants.set_limits("fake", tight)
    tenants.reset("fake:k")
    tenant = tenants.get("fake:k")
    assert tenant is not None
    assert tenant.limiter.limits == tight


# -- the sandbox -------------------------------------------------------------------------


def test_sandbox_advance_without_tenant_moves_every_tenant(
    vendor: Vendor, defaults: TenantDefaults, epoch: float
) -> None:
    async def scenario() -> None:
        sandbox = Sandbox([vendor], defaults)
        try:
            a = sandbox.tenants.resolve(vendor, "a")
            b = sandbox.tenants.resolve(vendor, "b")
            assert a is not None and b is not None
            world(a).plan(10, "x")
            world(b).plan(20, "y")
            world(b).plan(200, "z")
            result = await sandbox.advance(60)
            assert result == Advanced(tenants=2, events_fired=2, deliveries_in_flight=0)
            assert a.clock.now() == b.clock.now() == epoch + 60
            result = await sandbox.advance(0, a)
            assert result == Advanced(tenants=1, events_fired=0, deliveries_in_flight=0)
            await sandbox.advance(140, b)
            assert a.clock.now() == epoch + 60
            assert b.clock.now() == epoch + 200
            assert [h[0] for h in handled(b)] == ["y", "z"]
            with pytest.raises(ValueError):
                await sandbox.advance(-1)
        finally:
            await sandbox.aclose()

    asyncio.run(scenario())


def test_sandbox_tick_fires_realtime_tenants_only(
    vendor: Vendor, defaults: TenantDefaults, monkeypatch: pytest.MonkeyPatch
) -> None:
    wall = [100.0]
    monkeypatch.setattr(clock_module, "monotonic", lambda: wall[0])
    sandbox = Sandbox([vendor], replace(defaults, clock_mode="realtime", speed=10.0))
    fast = sandbox.tenants.resolve(vendor, "fast")
    frozen = sandbox.tenants.resolve(vendor, "frozen")
    assert fast is not None and frozen is not None
    frozen.clock.configure(mode="manual")
    world(fast).plan(50, "done")
    world(frozen).plan(50, "done")
    wall[0] += 4.0  # 40 sim seconds
    sandbox.tick()
    assert handled(fast) == []
    wall[0] += 1.0  # 50 sim seconds
    sandbox.tick()
    assert [h[0] for h in handled(fast)] == ["done"]
    assert handled(frozen) == []


@pytest.fixture
def wall(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """A monotonic clock the test moves by hand: ``wall[0] += seconds``."""
    reading = [100.0]
    monkeypatch.setattr(clock_module, "monotonic", lambda: reading[0])
    return reading


def visits(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The ids of the tenants the ticker visits from now on, in order."""
    seen: list[str] = []
    run_due = Tenant.run_due

    def counting(self: Tenant, until: float | None = None) -> int:
        seen.append(self.id)
        return run_due(self, until)

    monkeypatch.setattr(Tenant, "run_due", counting)
    return seen


def test_the_ticker_visits_only_tenants_with_something_due(
    vendor: Vendor, defaults: TenantDefaults, wall: list[float], monkeypatch: pytest.MonkeyPatch
) -> None:
    sandbox = Sandbox([vendor], replace(defaults, clock_mode="realtime", speed=10.0))
    for index in range(20_000):
        sandbox.tenants.resolve(vendor, f"idle-{index}")
    busy = sandbox.tenants.resolve(vendor, "busy")
    assert busy is not None
    world(busy).plan(50, "done")  # 5 s of wall time at speed 10
    visited = visits(monkeypatch)
    for _ in range(40):
        wall[0] += 0.1
        sandbox.tick()
    assert visited == []
    wall[0] += 1.5
    sandbox.tick()
    assert visited == ["fake:busy"]
    assert [h[0] for h in handled(busy)] == ["done"]
    wall[0] += 10.0
    sandbox.tick()
    assert visited == ["fake:busy"]  # nothing more was due


def test_an_event_planned_earlier_than_the_next_one_still_fires_on_time(
    vendor: Vendor, defaults: TenantDefaults, wall: list[float]
) -> None:
    sandbox = Sandbox([vendor], replace(defaults, clock_mode="realtime", speed=1.0))
    tenant = sandbox.tenants.resolve(vendor, "k")
    assert tenant is not None
    world(tenant).plan(60, "late")
    world(tenant).plan(2, "early")
    wall[0] += 2.0
    sandbox.tick()
    assert [h[0] for h in handled(tenant)] == ["early"]
    wall[0] += 58.0
    sandbox.tick()
    assert [h[0] for h in handled(tenant)] == ["early", "late"]


def test_a_faster_clock_or_a_move_forward_brings_the_next_event_forward(
    vendor: Vendor, defaults: TenantDefaults, wall: list[float]
) -> None:
    sandbox = Sandbox([vendor], replace(defaults, clock_mode="realtime", speed=1.0))
    sped, moved = sandbox.tenants.resolve(vendor, "sped"), sandbox.tenants.resolve(vendor, "moved")
    assert sped is not None and moved is not None
    world(sped).plan(100, "done")
    world(moved).plan(100, "done")
    sped.configure_clock(speed=100.0)
    moved.advance(99.0)
    wall[0] += 1.0
    sandbox.tick()
    assert [h[0] for h in handled(sped)] == ["done"]
    assert [h[0] for h in handled(moved)] == ["done"]


def test_a_manual_clock_becoming_realtime_gets_its_events_fired(
    vendor: Vendor, defaults: TenantDefaults, wall: list[float]
) -> None:
    sandbox = Sandbox([vendor], defaults)  # manual clocks
    tenant = sandbox.tenants.resolve(vendor, "k")
    assert tenant is not None
    world(tenant).plan(5, "done")
    wall[0] += 10.0
    sandbox.tick()
    assert handled(tenant) == []
    tenant.configure_clock(mode="realtime")
    wall[0] += 5.0
    sandbox.tick()
    assert [h[0] for h in handled(tenant)] == ["done"]


class SavedWorld:
    """A world pickle can find by name (every ``conftest`` module has the same one)."""

    def __init__(self, context: WorldContext) -> None:
        self.context = context
        self.handled: list[tuple[str, dict[str, Any], float]] = []

    def plan(self, delay: float, action: str) -> None:
        self.context.scheduler.at(self.context.clock.now() + delay, "world", action)

    def handle(self, event: Event) -> None:
        self.handled.append((event.action, dict(event.data), self.context.clock.now()))

    def summary(self) -> dict[str, Any]:
        return {"handled": len(self.handled)}


def test_a_restored_snapshot_has_its_pending_events_fired_by_the_ticker(
    make_vendor: Any, defaults: TenantDefaults
) -> None:
    vendor = make_vendor("fake", new_world=SavedWorld)
    sandbox = Sandbox([vendor], defaults)
    tenant = sandbox.tenants.resolve(vendor, "k")
    assert tenant is not None
    world(tenant).plan(0, "now")  # due at the manual clock's instant: the next tick fires it
    data = asyncio.run(sandbox.snapshot())
    other = Sandbox([vendor], defaults)
    other.restore(data)
    restored = other.tenants.get("fake:k")
    assert restored is not None
    other.tick()
    assert [h[0] for h in handled(restored)] == ["now"]


def test_open_mode_forgets_the_least_recently_used_tenant_at_the_cap(
    vendor: Vendor, defaults: TenantDefaults, wall: list[float]
) -> None:
    tenants = Tenants([vendor], defaults, Deliveries(), Retention(max_open=2))
    registered = tenants.register("fake", "registered")
    for key in ("a", "b"):
        opened = tenants.open(vendor, key, wall[0])
        assert opened is not None
        tenants.settle(opened, succeeded=True)
        wall[0] += 1.0
    tenants.open(vendor, "a", wall[0])  # a is used again: b is now the least recently used
    c = tenants.open(vendor, "c", wall[0])
    assert c is not None
    tenants.settle(c, succeeded=True)
    assert sorted(t.id for t in tenants) == ["fake:a", "fake:c", "fake:registered"]
    assert tenants.get("fake:registered") is registered


def test_open_mode_forgets_unregistered_tenants_idle_past_the_expiry(
    vendor: Vendor, defaults: TenantDefaults, wall: list[float]
) -> None:
    sandbox = Sandbox([vendor], defaults, retention=Retention(idle_expiry=60.0))
    sandbox.tenants.register("fake", "registered")
    for key in ("old", "recent"):
        opened = sandbox.tenants.open(vendor, key, wall[0])
        assert opened is not None
        sandbox.tenants.settle(opened, succeeded=True)
        wall[0] += 30.0
    sandbox.tick()  # old: idle 60 s; recent: 30 s
    assert sorted(t.id for t in sandbox.tenants) == ["fake:recent", "fake:registered"]
    wall[0] += 1000.0
    sandbox.tick()
    assert [t.id for t in sandbox.tenants] == ["fake:registered"]


def record(sandbox: Sandbox) -> None:
    sandbox.journal.add(0.0, "fake", "fake:a", "GET", "/", b"", [], [], 200, [], [], 0.0)


def test_sandbox_reset_of_one_tenant_keeps_the_journal_and_other_tenants(
    vendor: Vendor, defaults: TenantDefaults
) -> None:
    sandbox = Sandbox([vendor], defaults, journal_size=5)
    sandbox.tenants.resolve(vendor, "a")
    b = sandbox.tenants.resolve(vendor, "b")
    record(sandbox)
    sandbox.reset("fake:a")
    assert sandbox.tenants.get("fake:a") is None
    assert sandbox.tenants.get("fake:b") is b
    assert len(sandbox.journal) == 1


def test_sandbox_reset_of_everything_clears_the_journal(
    vendor: Vendor, defaults: TenantDefaults
) -> None:
    sandbox = Sandbox([vendor], defaults, journal_size=5)
    sandbox.tenants.resolve(vendor, "a")
    record(sandbox)
    sandbox.reset()
    assert len(sandbox.tenants) == 0
    assert len(sandbox.journal) == 0


def test_sandbox_journal_size_zero_disables_it(vendor: Vendor, defaults: TenantDefaults) -> None:
    assert not Sandbox([vendor], defaults, journal_size=0).journal.enabled


def test_two_sandboxes_share_nothing(vendor: Vendor, defaults: TenantDefaults) -> None:
    one, two = Sandbox([vendor], defaults), Sandbox([vendor], defaults)
    a = one.tenants.resolve(vendor, "k")
    assert a is not None
    assert two.tenants.get("fake:k") is None
    assert one.deliveries is not two.deliveries


# -- the scope helpers -------------------------------------------------------------------


def test_tenant_named_finds_a_tenant_of_the_sandbox(
    vendor: Vendor, defaults: TenantDefaults
) -> None:
    sandbox = Sandbox([vendor], defaults)
    tenant = sandbox.tenants.resolve(vendor, "k")
    scope = {SANDBOX: sandbox}
    assert tenant_named(scope, "fake:k") is tenant
    assert tenant_named(scope, None) is None
    assert tenant_named(scope, "") is None
    with pytest.raises(NotFound, match="fake:nobody"):
        tenant_named(scope, "fake:nobody")

"""Tenants: isolated worlds keyed by (vendor, credential).

A tenant owns everything that one client's tests may change: its vendor world,
its clock and event queue, its seeded randomness and crowd, its rate-limit
buckets. Nothing is shared between tenants but the server, so parallel test runs
with different credentials never see or move each other's state.

The registry hangs off the app built by ``create_app()``; there is no module-level
state. Reset replaces a world with a freshly built one, never wipes it in place.

In open mode any credential opens a tenant, so the registry bounds what strangers can
leave behind: a tenant is kept only once a request under it succeeded, unregistered
tenants expire when idle and are capped in number, and the realtime ticker visits only
tenants with something due (see :class:`Tenants`).
"""

from __future__ import annotations

import heapq
from collections import OrderedDict
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from . import clock as clocks
from .clock import Clock, ClockMode, parse_instant
from .crowd import Crowd
from .ratelimit import Limits, RateLimiter
from .rng import Rng
from .scheduler import Scheduler
from .validation import validate
from .vendor import Notification, Vendor, World
from .webhooks import Deliveries


@dataclass(frozen=True, slots=True)
class TenantDefaults:
    """What every new tenant starts with, from the settings."""

    seed: int = 0
    clock_mode: ClockMode = "realtime"
    speed: float = 1.0
    epoch: str | None = None
    strict_auth: bool = False
    rate_limits: bool = True


@dataclass(frozen=True, slots=True)
class Retention:
    """How many unregistered tenants open mode keeps, and for how long.

    ``max_open`` caps them (0: no cap); ``idle_expiry`` forgets one after that many
    seconds of real time without a request (0: never). Registered tenants are kept
    until reset, whatever these say.
    """

    max_open: int = 0
    idle_expiry: float = 0.0


class Registry(Protocol):
    """What a tenant tells the registry it belongs to (:class:`Tenants`)."""

    def plan(self, tenant: Tenant) -> None: ...

    def remember_upload(self, token: str, tenant: Tenant) -> None: ...


class Tenant:
    """One (vendor, credential) world and the machinery that moves it.

    A shared server in open mode keeps thousands of these, most opened by one request,
    and CPython's full garbage collection walks every object of each with the event
    loop stopped. So a tenant makes as few as it can: it is its world's
    :class:`~.vendor.WorldContext` itself, its crowd and its event queue are made when
    first asked for, and it holds its registry and its scheduler holds it, rather than
    bound methods of either.
    """

    __slots__ = (
        "_crowd",
        "_deliveries",
        "_registry",
        "_scheduler",
        "clock",
        "credential",
        "has_traces",
        "id",
        "limiter",
        "opening",
        "registered",
        "rng",
        "seen",
        "setup",
        "strict",
        "vendor",
        "wake_at",
        "world",
    )

    def __init__(
        self,
        vendor: Vendor,
        credential: str,
        *,
        defaults: TenantDefaults,
        limits: Limits,
        deliveries: Deliveries,
        registry: Registry,
        setup: Mapping[str, Any] | None = None,
        strict: bool = False,
        registered: bool = False,
    ) -> None:
        self.vendor = vendor
        self.credential = credential
        self.id = tenant_id(vendor.name, credential)
        self.setup: Mapping[str, Any] = setup or {}
        self.strict = strict
        self.registered = registered
        self._deliveries = deliveries
        self._registry = registry
        # Bookkeeping of the registry (see Tenants): requests in flight on a tenant no
        # request has succeeded on yet, the monotonic instant of the latest request, the
        # ticker's entry for the next event, and whether the tenant has upload URLs or
        # deliveries in the server-wide registries that forgetting it must clear.
        self.opening = 0
        self.seen = clocks.monotonic()
        self.wake_at: float | None = None
        self.has_traces = False
        start = parse_instant(defaults.epoch) if defaults.epoch else None
        self.clock = Clock(mode=defaults.clock_mode, speed=defaults.speed, start=start)
        self.limiter = RateLimiter(limits)
        self.rng = Rng(f"{defaults.seed}:{self.id}")
        self._scheduler: Scheduler | None = None
        self._crowd: Crowd | None = None
        self.world: World = self.vendor.new_world(self)

    # -- the world's context (vendor.WorldContext) ---------------------------------------------

    @property
    def tenant_id(self) -> str:
        return self.id

    @property
    def scheduler(self) -> Scheduler:
        """The tenant's event queue (most tenants never plan anything)."""
        scheduler = self._scheduler
        if scheduler is None:
            scheduler = self._scheduler = Scheduler(self)
        return scheduler

    @property
    def crowd(self) -> Crowd:
        """The tenant's workforce, drawn from a stream of its own (most tenants never ask)."""
        crowd = self._crowd
        if crowd is None:
            crowd = self._crowd = Crowd(self.rng.child("crowd"))
        return crowd

    def notify(self, notification: Notification) -> None:
        self.has_traces = True
        self._deliveries.create(self, notification)

    def register_upload(self, token: str) -> None:
        self.has_traces = True
        self._registry.remember_upload(token, self)

    # -- time and events -----------------------------------------------------------------------

    def wake(self) -> None:
        """Tells the ticker when this tenant's next event falls due (its sim clock moved,
        changed pace, or an earlier event was planned)."""
        self._registry.plan(self)

    def due_in_wall_time(self) -> float | None:
        """The monotonic instant the next event falls due at; ``None`` if time must be
        moved for it (a manual clock moves only by ``advance``, which fires on its way)."""
        due = None if self._scheduler is None else self._scheduler.next_due()
        if due is None:
            return None
        wait = due - self.clock.now()
        if self.clock.mode == "manual":
            return clocks.monotonic() if wait <= 0 else None
        return clocks.monotonic() + max(wait, 0.0) / self.clock.speed

    def run_due(self, until: float | None = None) -> int:
        """Fires every event due by ``until`` (default: now) in due order; returns how many.

        The clock is moved to each event's due time before it fires, so what an event
        records carries its own instant, not the end of a long advance.
        """
        fired = 0
        scheduler = self._scheduler
        if scheduler is None:
            return fired
        limit = self.clock.now() if until is None else until
        while (event := scheduler.pop_due(limit)) is not None:
            self.clock.move_to(event.due)
            if event.target == "webhook":
                self._deliveries.fire(self, event)
            else:
                self.world.handle(event)
            fired += 1
        return fired

    def advance(self, seconds: float) -> int:
        """Moves this tenant's time forward, firing what falls due on the way."""
        if seconds < 0:
            raise ValueError("time only moves forward")
        target = self.clock.now() + seconds
        fired = self.run_due(target)
        self.clock.move_to(target)
        self.wake()
        return fired

    def configure_clock(self, *, mode: ClockMode | None = None, speed: float | None = None) -> None:
        """Changes the clock's mode or pace; what is pending falls due on the new pace."""
        self.clock.configure(mode=mode, speed=speed)
        self.wake()

    def describe(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "vendor": self.vendor.name,
            "credential": self.credential,
            "strict": self.strict,
            "registered": self.registered,
            "clock": {"mode": self.clock.mode, "speed": self.clock.speed},
            "pending_events": len(self._scheduler or ()),
            "resources": self.world.summary(),
        }

    def __getstate__(self) -> dict[str, Any]:
        """The tenant as a snapshot keeps it: everything but the registry's bookkeeping
        (requests in flight, the monotonic instant of the last one, the ticker's entry),
        which describes this process, not the tenant's world."""
        return {name: getattr(self, name) for name in self.__slots__ if name not in _BOOKKEEPING}

    def __setstate__(self, state: dict[str, Any]) -> None:
        """A restored tenant counts as used now, with nothing in flight and its next
        event still to be planned by the registry."""
        for name, value in state.items():
            setattr(self, name, value)
        self.opening = 0
        self.seen = clocks.monotonic()
        self.wake_at = None


_BOOKKEEPING = frozenset({"opening", "seen", "wake_at"})


def tenant_id(vendor: str, credential: str) -> str:
    return f"{vendor}:{credential}"


class Tenants:
    """The registry of tenants, with per-vendor rate-limit settings for new ones.

    In open mode a request under an unknown credential opens a tenant (:meth:`open`),
    which joins the registry only when that request succeeds (:meth:`settle`): a refused
    request (bad input, an id that does not exist, a rate limit, a fault) leaves nothing
    behind, whatever its handler did to the new world. Concurrent first requests share
    the one opening tenant; the first success keeps it.

    Unregistered tenants are kept in order of their latest request. Past
    ``retention.idle_expiry`` seconds without one they are forgotten; at
    ``retention.max_open`` the least recently used one is forgotten to make room. The
    cap evicts rather than refuses: refusing would let one client spraying keys lock
    every other user of a shared server out of open mode, while evicting costs only the
    tenant that has waited longest for a request, which idle expiry would forget anyway.
    Registered tenants are never forgotten but by a reset.

    The ticker visits tenants through a heap of (monotonic instant the next event falls
    due, tenant id): a tenant's entry is pushed whenever its next event moves earlier
    (:meth:`Tenant.wake`) and re-pushed after each visit, so tenants with nothing due
    cost nothing per tick. Entries left behind by a later push or a forgotten tenant are
    skipped when they come up.
    """

    def __init__(
        self,
        vendors: Mapping[str, Vendor] | Sequence[Vendor],
        defaults: TenantDefaults,
        deliveries: Deliveries,
        retention: Retention | None = None,
    ) -> None:
        self.vendors = vendors if isinstance(vendors, Mapping) else {v.name: v for v in vendors}
        self.defaults = defaults
        self.deliveries = deliveries
        self.retention = retention or Retention()
        self._vendor_limits: dict[str, Limits] = {}
        self._tenants: dict[str, Tenant] = {}
        self._unregistered: OrderedDict[str, Tenant] = OrderedDict()  # least recent first
        self._opening: dict[str, Tenant] = {}
        self._uploads: dict[str, str] = {}
        self._due: list[tuple[float, int, str]] = []
        self._pushes = 0

    def __iter__(self) -> Iterator[Tenant]:
        return iter(list(self._tenants.values()))

    def __len__(self) -> int:
        return len(self._tenants)

    def get(self, tid: str) -> Tenant | None:
        return self._tenants.get(tid)

    def resolve(self, vendor: Vendor, credential: str) -> Tenant | None:
        """The credential's tenant; in open mode an unknown credential adds a new one."""
        tenant = self._tenants.get(tenant_id(vendor.name, credential))
        if tenant is None and not self.defaults.strict_auth:
            tenant = self._keep(self._new(vendor, credential))
        return tenant

    def open(self, vendor: Vendor, credential: str, now: float) -> Tenant | None:
        """The tenant a request under ``credential`` runs in (the pipeline's lookup).

        A known tenant counts as used at ``now`` (the monotonic instant the request came
        in, which the pipeline has read already). In open mode an unknown credential gets
        an opening tenant (``opening`` > 0), outside the registry until :meth:`settle` is
        told how the request went; every ``open`` of one needs its ``settle``.
        """
        tid = tenant_id(vendor.name, credential)
        tenant = self._tenants.get(tid)
        if tenant is not None:
            if not tenant.registered:
                tenant.seen = now
                self._unregistered.move_to_end(tid)
            return tenant
        if self.defaults.strict_auth:
            return None
        tenant = self._opening.get(tid)
        if tenant is None:
            tenant = self._opening[tid] = self._new(vendor, credential)
        tenant.opening += 1
        return tenant

    def settle(self, tenant: Tenant, *, succeeded: bool) -> None:
        """Ends one request on an opening tenant: a success adds it to the registry; the
        last of its requests to fail forgets it and whatever it left."""
        if self._opening.get(tenant.id) is not tenant:
            return  # a concurrent request kept it first, or a reset or restore dropped it
        if succeeded:
            tenant.opening = 0
            del self._opening[tenant.id]
            self._keep(tenant)
            return
        tenant.opening -= 1
        if not tenant.opening:
            del self._opening[tenant.id]
            self._clear_traces(tenant)

    def register(
        self,
        vendor_name: str,
        credential: str,
        *,
        setup: Mapping[str, Any] | None = None,
        strict: bool = False,
    ) -> Tenant:
        """Creates (or re-creates, empty) a tenant with a vendor-specific setup.

        The setup (e.g. CloudFactory workstreams and webhook secrets) is validated
        against the vendor's setup schema before anything changes.
        """
        vendor = self.vendors.get(vendor_name)
        if vendor is None:
            raise KeyError(vendor_name)
        if vendor.setup_schema is not None:
            validate(vendor.name, vendor.setup_schema, dict(setup or {}))
        self.reset(tenant_id(vendor_name, credential))
        return self._keep(
            self._new(vendor, credential, setup=setup, strict=strict, registered=True)
        )

    def reset(self, tid: str | None = None) -> None:
        """Without an id: forget every tenant. With one: rebuild that tenant, empty.

        A registered tenant keeps its credential and setup (like a fixture); its
        world, clock, queue, buckets and deliveries start over.
        """
        if tid is None:
            self._tenants.clear()
            self._unregistered.clear()
            self._opening.clear()
            self._uploads.clear()
            self._due.clear()
            self.deliveries.forget()
            return
        opening = self._opening.pop(tid, None)
        if opening is not None:
            self._clear_traces(opening)
        old = self._forget(tid)
        if old is not None and old.registered:
            self._keep(
                self._new(
                    old.vendor, old.credential, setup=old.setup, strict=old.strict, registered=True
                )
            )

    def tick(self) -> None:
        """Fires what has fallen due in every tenant that has something due, then
        forgets the unregistered tenants idle past the expiry."""
        now = clocks.monotonic()
        due = self._due
        visits: list[Tenant] = []
        while due and due[0][0] <= now:
            at, _, tid = heapq.heappop(due)
            tenant = self._tenants.get(tid)
            if tenant is not None and tenant.wake_at == at:
                tenant.wake_at = None
                visits.append(tenant)
        for tenant in visits:  # re-pushed after the loop: a visit never repeats in one tick
            tenant.run_due()
            tenant.wake()
        self._expire(now)

    def upload_owner(self, token: str) -> Tenant | None:
        tid = self._uploads.get(token)
        return None if tid is None else self._tenants.get(tid)

    def vendor_limits(self, vendor_name: str) -> Limits:
        """The limits a new tenant of the vendor gets (its own, until changed)."""
        limits = self._vendor_limits.get(vendor_name)
        if limits is None:
            vendor = self.vendors[vendor_name]
            limits = Limits(vendor.rate_limits, enabled=self.defaults.rate_limits)
            self._vendor_limits[vendor_name] = limits
        return limits

    def set_limits(self, vendor_name: str, limits: Limits) -> None:
        """Changes a vendor's limits for new tenants and every existing one."""
        self._vendor_limits[vendor_name] = limits
        for tenant in self._tenants.values():
            if tenant.vendor.name == vendor_name:
                tenant.limiter.configure(limits)

    def _new(
        self,
        vendor: Vendor,
        credential: str,
        *,
        setup: Mapping[str, Any] | None = None,
        strict: bool = False,
        registered: bool = False,
    ) -> Tenant:
        return Tenant(
            vendor,
            credential,
            defaults=self.defaults,
            limits=self.vendor_limits(vendor.name),
            deliveries=self.deliveries,
            registry=self,
            setup=setup,
            strict=strict or self.defaults.strict_auth,
            registered=registered,
        )

    def _keep(self, tenant: Tenant) -> Tenant:
        """Adds a tenant to the registry, making room under the cap first."""
        if not tenant.registered:
            cap = self.retention.max_open
            while cap and len(self._unregistered) >= cap:
                self._forget(next(iter(self._unregistered)))
            tenant.seen = clocks.monotonic()
            self._unregistered[tenant.id] = tenant
        self._tenants[tenant.id] = tenant
        tenant.wake_at = None  # whatever was pushed while it was opening was skipped
        tenant.wake()
        return tenant

    def _forget(self, tid: str) -> Tenant | None:
        tenant = self._tenants.pop(tid, None)
        if tenant is not None:
            self._unregistered.pop(tid, None)
            self._clear_traces(tenant)
        return tenant

    def _clear_traces(self, tenant: Tenant) -> None:
        if tenant.has_traces:
            self._uploads = {k: v for k, v in self._uploads.items() if v != tenant.id}
            self.deliveries.forget(tenant.id)

    def _expire(self, now: float) -> None:
        expiry = self.retention.idle_expiry
        if not expiry:
            return
        while self._unregistered:
            oldest = next(iter(self._unregistered.values()))
            if now - oldest.seen < expiry:
                return
            self._forget(oldest.id)

    def plan(self, tenant: Tenant) -> None:
        """Pushes the tenant's next due instant when it is earlier than its entry.

        Only registry members get entries: an opening tenant gets its first when it is
        kept, and a forgotten one's late retries are nobody's to fire.
        """
        if self._tenants.get(tenant.id) is not tenant:
            return
        at = tenant.due_in_wall_time()
        if at is not None and (tenant.wake_at is None or at < tenant.wake_at):
            tenant.wake_at = at
            self._pushes += 1
            heapq.heappush(self._due, (at, self._pushes, tenant.id))

    def remember_upload(self, token: str, tenant: Tenant) -> None:
        """Notes whose world handed out the upload URL ``token`` (:meth:`upload_owner`)."""
        self._uploads[token] = tenant.id

    def __getstate__(self) -> dict[str, Any]:
        """What a snapshot keeps of the registry: the tenants and whose upload URLs are whose.

        The vendors, the defaults and limits for new tenants and the delivery machinery
        belong to the running server, so restoring keeps the server's own.
        """
        return {"tenants": dict(self._tenants), "uploads": dict(self._uploads)}

    def __setstate__(self, state: dict[str, Any]) -> None:
        """Takes a snapshot's tenants, each counting as used now (see
        :meth:`Tenant.__setstate__`), and plans their next events afresh."""
        self._tenants = dict(state["tenants"])
        self._uploads = dict(state["uploads"])
        self._unregistered = OrderedDict()
        self._opening = {}
        self._due = []
        for tenant in self._tenants.values():
            if not tenant.registered:
                self._unregistered[tenant.id] = tenant
            tenant.wake()

"""Tenants: isolated worlds keyed by (vendor, credential).

A tenant owns everything that one client's tests may change: its vendor world,
its clock and event queue, its seeded randomness and crowd, its rate-limit
buckets. Nothing is shared between tenants but the server, so parallel test runs
with different credentials never see or move each other's state.

The registry hangs off the app built by ``create_app()``; there is no module-level
state. Reset replaces a world with a freshly built one, never wipes it in place.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .clock import Clock, ClockMode, parse_instant
from .crowd import Crowd
from .ratelimit import Limits, RateLimiter
from .rng import Rng
from .scheduler import Scheduler
from .validation import validate
from .vendor import Notification, Vendor, World, WorldContext
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


class Tenant:
    """One (vendor, credential) world and the machinery that moves it."""

    __slots__ = (
        "_deliveries",
        "_register_upload",
        "clock",
        "credential",
        "id",
        "limiter",
        "registered",
        "rng",
        "scheduler",
        "setup",
        "strict",
        "vendor",
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
        register_upload: Callable[[str, Tenant], None],
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
        self._register_upload = register_upload
        start = parse_instant(defaults.epoch) if defaults.epoch else None
        self.clock = Clock(mode=defaults.clock_mode, speed=defaults.speed, start=start)
        self.limiter = RateLimiter(limits)
        self.rng = Rng(f"{defaults.seed}:{self.id}")
        self.scheduler = Scheduler()
        self.world: World = self._new_world()

    def _new_world(self) -> World:
        context = WorldContext(
            tenant_id=self.id,
            credential=self.credential,
            clock=self.clock,
            scheduler=self.scheduler,
            rng=self.rng,
            crowd=Crowd(self.rng.child("crowd")),
            notify=self.notify,
            register_upload=self._register_own_upload,
            strict=self.strict,
            setup=self.setup,
        )
        return self.vendor.new_world(context)

    def notify(self, notification: Notification) -> None:
        self._deliveries.create(self, notification)

    def run_due(self, until: float | None = None) -> int:
        """Fires every event due by ``until`` (default: now) in due order; returns how many.

        The clock is moved to each event's due time before it fires, so what an event
        records carries its own instant, not the end of a long advance.
        """
        fired = 0
        limit = self.clock.now() if until is None else until
        while (event := self.scheduler.pop_due(limit)) is not None:
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
        return fired

    def describe(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "vendor": self.vendor.name,
            "credential": self.credential,
            "strict": self.strict,
            "registered": self.registered,
            "clock": {"mode": self.clock.mode, "speed": self.clock.speed},
            "pending_events": len(self.scheduler),
            "resources": self.world.summary(),
        }

    def _register_own_upload(self, token: str) -> None:
        """The world's ``register_upload``: a bound method, not a closure, so it pickles."""
        self._register_upload(token, self)


def tenant_id(vendor: str, credential: str) -> str:
    return f"{vendor}:{credential}"


class Tenants:
    """The registry of tenants, with per-vendor rate-limit settings for new ones."""

    def __init__(
        self,
        vendors: Mapping[str, Vendor] | Sequence[Vendor],
        defaults: TenantDefaults,
        deliveries: Deliveries,
    ) -> None:
        self.vendors = vendors if isinstance(vendors, Mapping) else {v.name: v for v in vendors}
        self.defaults = defaults
        self.deliveries = deliveries
        self._vendor_limits: dict[str, Limits] = {}
        self._tenants: dict[str, Tenant] = {}
        self._uploads: dict[str, str] = {}

    def __iter__(self) -> Iterator[Tenant]:
        return iter(list(self._tenants.values()))

    def __len__(self) -> int:
        return len(self._tenants)

    def get(self, tid: str) -> Tenant | None:
        return self._tenants.get(tid)

    def lookup(self, vendor: Vendor) -> Callable[[str], Tenant | None]:
        """The credential resolver handed to the vendor's ``authenticate``."""
        return lambda credential: self.resolve(vendor, credential)

    def resolve(self, vendor: Vendor, credential: str) -> Tenant | None:
        """The credential's tenant; in open mode an unknown credential opens a new one."""
        tenant = self._tenants.get(tenant_id(vendor.name, credential))
        if tenant is None and not self.defaults.strict_auth:
            tenant = self._add(vendor, credential)
        return tenant

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
        return self._add(vendor, credential, setup=setup, strict=strict, registered=True)

    def reset(self, tid: str | None = None) -> None:
        """Without an id: forget every tenant. With one: rebuild that tenant, empty.

        A registered tenant keeps its credential and setup (like a fixture); its
        world, clock, queue, buckets and deliveries start over.
        """
        if tid is None:
            self._tenants.clear()
            self._uploads.clear()
            self.deliveries.forget()
            return
        old = self._tenants.pop(tid, None)
        if old is None:
            return
        self._uploads = {k: v for k, v in self._uploads.items() if v != tid}
        self.deliveries.forget(tid)
        if old.registered:
            self._add(
                old.vendor, old.credential, setup=old.setup, strict=old.strict, registered=True
            )

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

    def _add(
        self,
        vendor: Vendor,
        credential: str,
        *,
        setup: Mapping[str, Any] | None = None,
        strict: bool = False,
        registered: bool = False,
    ) -> Tenant:
        tenant = Tenant(
            vendor,
            credential,
            defaults=self.defaults,
            limits=self.vendor_limits(vendor.name),
            deliveries=self.deliveries,
            register_upload=self._remember_upload,
            setup=setup,
            strict=strict or self.defaults.strict_auth,
            registered=registered,
        )
        self._tenants[tenant.id] = tenant
        return tenant

    def _remember_upload(self, token: str, tenant: Tenant) -> None:
        self._uploads[token] = tenant.id

    def __getstate__(self) -> dict[str, Any]:
        """What a snapshot keeps of the registry: the tenants and whose upload URLs are whose.

        The vendors, the defaults and limits for new tenants and the delivery machinery
        belong to the running server, so restoring keeps the server's own.
        """
        return {"tenants": dict(self._tenants), "uploads": dict(self._uploads)}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self._tenants = dict(state["tenants"])
        self._uploads = dict(state["uploads"])

"""The sandbox: every tenant, the delivery machinery and the journal of one app.

One :class:`Sandbox` is built per ``create_app()``; two apps in one process share
nothing. It owns the operations that span tenants: moving time for all of them,
the realtime tick, and reset.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from .faults import Faults
from .journal import Journal
from .snapshot import Header, dump, load
from .tenancy import Retention, Tenant, TenantDefaults, Tenants
from .vendor import Vendor
from .webhooks import Deliveries

TICK_SECONDS = 0.1
SETTLE_ROUNDS = 20


@dataclass(frozen=True, slots=True)
class Advanced:
    """What one ``advance`` did."""

    tenants: int
    events_fired: int
    deliveries_in_flight: int


class Sandbox:
    def __init__(
        self,
        vendors: Mapping[str, Vendor] | Sequence[Vendor],
        defaults: TenantDefaults,
        *,
        journal_size: int = 1000,
        deliveries: Deliveries | None = None,
        retention: Retention | None = None,
    ) -> None:
        self.deliveries = deliveries or Deliveries()
        self.faults = self.deliveries.faults = Faults(defaults.seed)  # shared with deliveries
        self.journal = Journal(journal_size)
        self.tenants = Tenants(vendors, defaults, self.deliveries, retention)
        self.vendors = self.tenants.vendors

    async def advance(
        self, seconds: float, tenant: Tenant | None = None, *, settle_timeout: float = 10.0
    ) -> Advanced:
        """Moves time for one tenant (or all) and lets the webhooks it caused land.

        Every event due in the window fires in order; then, for a bounded number of
        rounds, the attempts under way are awaited and the retries that fell due
        inside the window fire too. A test can assert right after the call.
        """
        if seconds < 0:
            raise ValueError("time only moves forward")
        targets = [tenant] if tenant is not None else list(self.tenants)
        fired = sum(t.advance(seconds) for t in targets)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + settle_timeout
        for _ in range(SETTLE_ROUNDS):
            if not self.deliveries.in_flight or loop.time() >= deadline:
                break
            await self.deliveries.settle(deadline - loop.time())
            fired += sum(t.run_due() for t in targets)
        return Advanced(len(targets), fired, self.deliveries.in_flight)

    def tick(self) -> None:
        """Fires what has fallen due: on realtime clocks as time passes, and on manual
        clocks what a request planned for the current instant (a webhook, say). Only
        tenants with something due are visited; idle ones past their expiry go."""
        self.tenants.tick()

    async def run_ticker(self, interval: float = TICK_SECONDS) -> None:
        while True:
            await asyncio.sleep(interval)
            self.tick()

    def reset(self, tenant_id: str | None = None) -> None:
        """Resets one tenant, or everything (tenants, deliveries, the journal, fault rules)."""
        self.tenants.reset(tenant_id)
        if tenant_id is None:
            self.journal.clear()
            self.faults.reset()

    async def aclose(self) -> None:
        await self.deliveries.aclose()

    async def snapshot(self, *, settle_timeout: float = 5.0) -> bytes:
        """Every tenant and the delivery log as bytes (see :mod:`.snapshot`).

        Attempts under way are given time to land first, so their outcome (and the
        retry it plans) is part of the snapshot rather than lost with the process.
        """
        if self.deliveries.in_flight:
            await self.deliveries.settle(settle_timeout)
        return dump(self.tenants, self.deliveries)

    def restore(self, data: bytes) -> Header:
        """Replaces every tenant and the delivery log with a snapshot's; the journal stays.

        Raises :class:`~.snapshot.SnapshotError`, changing nothing, for bytes that are not
        a snapshot of this format and version.
        """
        return load(data, self.tenants, self.deliveries)

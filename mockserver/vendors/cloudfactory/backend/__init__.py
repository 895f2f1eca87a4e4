"""A CloudFactory customer's world: WorkStream Performance and Oversight.

Pure domain code: no HTTP, no JSON, no wall clock. Time comes from the tenant's
clock, chance from its seeded randomness, workers from its crowd.
"""

from __future__ import annotations

from typing import Any

from mockserver.core.lazyparts import LazyParts, part
from mockserver.core.scheduler import Event
from mockserver.core.vendor import WorldContext

from .oversight import Oversight
from .performance import Performance
from .provisioning import Provisioning

__all__ = ["CloudFactoryWorld"]


class CloudFactoryWorld(LazyParts):
    """Both products, each made when first used: a shared server keeps thousands of
    worlds whose key made one call, and every object of each is one more for a full
    garbage collection to walk."""

    def __init__(self, context: WorldContext) -> None:
        self.context = context

    @part
    def provisioning(self) -> Provisioning:
        return Provisioning.from_setup(self.context.setup)

    @part
    def performance(self) -> Performance:
        return Performance(self.context, self.provisioning)

    @part
    def oversight(self) -> Oversight:
        # INFERRED: the real secret is shared out of band; without one in the tenant's
        # setup, webhooks are signed with the tenant's API key.
        secret = self.provisioning.webhook_secret or self.context.credential
        return Oversight(self.context, self.provisioning, secret)

    def handle(self, event: Event) -> None:
        self.oversight.handle(event)

    def summary(self) -> dict[str, Any]:
        return {**self.performance.summary(), **self.oversight.summary()}

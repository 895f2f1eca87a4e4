"""A CloudFactory customer's world: WorkStream Performance and Oversight.

Pure domain code: no HTTP, no JSON, no wall clock. Time comes from the tenant's
clock, chance from its seeded randomness, workers from its crowd.
"""

from __future__ import annotations

from typing import Any

from mockserver.core.scheduler import Event
from mockserver.core.vendor import WorldContext

from .oversight import Oversight
from .performance import Performance
from .provisioning import Provisioning

__all__ = ["CloudFactoryWorld"]


class CloudFactoryWorld:
    def __init__(self, context: WorldContext) -> None:
        provisioning = Provisioning.from_setup(context.setup)
        self.performance = Performance(
            context.clock, context.rng, provisioning, context.strict, context.register_upload
        )
        self.oversight = Oversight(
            clock=context.clock,
            scheduler=context.scheduler,
            rng=context.rng,
            crowd=context.crowd,
            notify=context.notify,
            provisioning=provisioning,
            strict=context.strict,
            # INFERRED: the real secret is shared out of band; without one in the
            # tenant's setup, webhooks are signed with the tenant's API key.
            default_secret=provisioning.webhook_secret or context.credential,
            register_upload=context.register_upload,
        )

    def handle(self, event: Event) -> None:
        self.oversight.handle(event)

    def summary(self) -> dict[str, Any]:
        return {**self.performance.summary(), **self.oversight.summary()}

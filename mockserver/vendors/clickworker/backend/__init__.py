"""A clickworker customer's world: account, templates, tasks and their jobs.

Pure domain code: no HTTP, no XML or JSON. Time comes from the tenant's clock,
ids and chance from its seeded randomness, workers from its crowd.
"""

from __future__ import annotations

from typing import Any

from mockserver.core.scheduler import Event
from mockserver.core.vendor import WorldContext

from .customer import Customer
from .templates import Templates

__all__ = ["ClickworkerWorld"]


class ClickworkerWorld:
    def __init__(self, context: WorldContext) -> None:
        self.context = context
        self.customer = Customer.open(context.credential, context.setup)
        self.templates = Templates()

    def handle(self, event: Event) -> None:
        """Carries out the task lifecycle's scheduled steps."""

    def summary(self) -> dict[str, Any]:
        return {"templates": len(self.templates)}

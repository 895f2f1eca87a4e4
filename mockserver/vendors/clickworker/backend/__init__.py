"""A clickworker customer's world: account, templates, tasks and their jobs.

Pure domain code: no HTTP, no XML or JSON. Time comes from the tenant's clock,
ids and chance from its seeded randomness, workers from its crowd.
"""

from __future__ import annotations

from typing import Any

from mockserver.core.lazyparts import LazyParts, part
from mockserver.core.scheduler import Event
from mockserver.core.vendor import WorldContext

from .catalog import Catalog
from .customer import Customer
from .tasks import Tasks
from .templates import Templates

__all__ = ["ClickworkerWorld"]


class ClickworkerWorld(LazyParts):
    """The customer's account, made with the world; templates and tasks are made when
    first used, and the product catalog, the same for every customer, is shared: a
    shared server keeps thousands of worlds whose key made one call, and every object
    of each is one more for a full garbage collection to walk."""

    catalog = Catalog()

    def __init__(self, context: WorldContext) -> None:
        self.context = context
        self.customer = Customer.open(context.credential, context.setup)

    @part
    def templates(self) -> Templates:
        return Templates()

    @part
    def tasks(self) -> Tasks:
        return Tasks(self.context, self.customer, self.templates)

    def handle(self, event: Event) -> None:
        """Carries out the task lifecycle's scheduled steps."""
        self.tasks.handle(event)

    def summary(self) -> dict[str, Any]:
        return {"templates": len(self.templates), **self.tasks.summary()}

    def template_in_use(self, code: str) -> bool:
        """Whether any task still uses the template ``code``."""
        return self.tasks.uses_template(code)

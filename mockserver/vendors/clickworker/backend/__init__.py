"""A clickworker customer's world: account, templates, tasks and their jobs.

Pure domain code: no HTTP, no XML or JSON. Time comes from the tenant's clock,
ids and chance from its seeded randomness, workers from its crowd.
"""

from __future__ import annotations

from typing import Any

from mockserver.core.scheduler import Event
from mockserver.core.vendor import WorldContext

from .catalog import Catalog
from .customer import Customer
from .tasks import Tasks
from .templates import Templates

__all__ = ["ClickworkerWorld"]


class ClickworkerWorld:
    def __init__(self, context: WorldContext) -> None:
        self.context = context
        self.customer = Customer.open(context.credential, context.setup)
        self.templates = Templates()
        self.catalog = Catalog()
        self.tasks = Tasks(context, self.customer, self.templates)

    def handle(self, event: Event) -> None:
        """Carries out the task lifecycle's scheduled steps."""
        self.tasks.handle(event)

    def summary(self) -> dict[str, Any]:
        return {"templates": len(self.templates), **self.tasks.summary()}

    def template_in_use(self, code: str) -> bool:
        """Whether any task still uses the template ``code``."""
        tasks = getattr(self, "tasks", None)
        return bool(tasks.uses_template(code)) if tasks is not None else False

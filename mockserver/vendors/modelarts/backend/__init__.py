"""A ModelArts project's world: its IAM tokens, its AK/SK pairs and its datasets.

A tenant is a project (the 32-hex ``project_id`` in every path). Pure domain code:
no HTTP, no JSON; time comes from the project's clock.
"""

from __future__ import annotations

from typing import Any

from mockserver.core.scheduler import Event
from mockserver.core.vendor import WorldContext

from .access import Access
from .datasets import Datasets
from .samples import Samples

__all__ = ["ModelArtsWorld"]


class ModelArtsWorld:
    def __init__(self, context: WorldContext) -> None:
        self.context = context
        self.project_id = context.credential
        self.access = Access(context.clock, context.rng, self.project_id, context.setup)
        self.datasets = Datasets(context.clock, context.rng)
        self.samples = Samples(context.clock, context.rng)

    def handle(self, event: Event) -> None:
        """Carries out the project's scheduled steps (imports, publishing, labeling)."""

    def summary(self) -> dict[str, Any]:
        return {
            "tokens": len(self.access.tokens),
            "credentials": len(self.access.keys),
            "datasets": len(self.datasets),
        }

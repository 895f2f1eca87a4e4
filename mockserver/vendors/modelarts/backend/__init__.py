"""A ModelArts project's world: its IAM tokens, its AK/SK pairs and its datasets.

A tenant is a project (the 32-hex ``project_id`` in every path). Pure domain code:
no HTTP, no JSON; time comes from the project's clock.
"""

from __future__ import annotations

from typing import Any

from mockserver.core.scheduler import Event
from mockserver.core.vendor import WorldContext

from .acceptance import ACTION_PREFIX as ACCEPTANCE_ACTIONS
from .acceptance import Acceptance
from .access import Access
from .autolabel import ACTION_PREFIX as AUTOLABEL_ACTIONS
from .autolabel import AutoLabeling
from .datasets import Datasets
from .exports import ACTION_PREFIX as EXPORT_ACTIONS
from .exports import Exports
from .imports import ACTION_PREFIX as IMPORT_ACTIONS
from .imports import Imports
from .labeling import ACTION_PREFIX as LABELING_ACTIONS
from .labeling import Labeling
from .processing import ACTION_PREFIX as PROCESSOR_ACTIONS
from .processing import Processing
from .samples import Samples
from .team_tasks import TeamTasks
from .versions import ACTION_PREFIX as VERSION_ACTIONS
from .versions import Versions
from .workforces import Workforces

__all__ = ["ModelArtsWorld"]


class ModelArtsWorld:
    def __init__(self, context: WorldContext) -> None:
        self.context = context
        self.project_id = context.credential
        self.access = Access(context.clock, context.rng, self.project_id, context.setup)
        self.datasets = Datasets(context.clock, context.rng)
        self.samples = Samples(context.clock, context.rng)
        self.workforces = Workforces(context.clock, context.rng)
        self.versions = Versions(
            context.clock, context.rng, context.scheduler, self.datasets, self.samples
        )
        self.imports = Imports(context, self.datasets, self.samples)
        self.exports = Exports(context, self.datasets, self.samples)
        self.autolabel = AutoLabeling(context, self.datasets, self.samples)
        self.labeling = Labeling(context, self.datasets, self.samples, self.workforces)
        self.acceptance = Acceptance(
            context, self.datasets, self.samples, self.workforces, self.labeling
        )
        self.processing = Processing(context, self.datasets, self.samples)
        self.team_tasks = TeamTasks(
            context.clock, context.rng, self.datasets, self.samples, self.workforces, self.labeling
        )

    def handle(self, event: Event) -> None:
        """Carries out the project's scheduled steps (imports, publishing, labeling)."""
        if event.action.startswith(VERSION_ACTIONS):
            self.versions.handle(event)
        elif event.action.startswith(IMPORT_ACTIONS):
            self.imports.handle(event)
        elif event.action.startswith(LABELING_ACTIONS):
            self.labeling.handle(event)
        elif event.action.startswith(ACCEPTANCE_ACTIONS):
            self.acceptance.handle(event)
        elif event.action.startswith(EXPORT_ACTIONS):
            self.exports.handle(event)
        elif event.action.startswith(AUTOLABEL_ACTIONS):
            self.autolabel.handle(event)
        elif event.action.startswith(PROCESSOR_ACTIONS):
            self.processing.handle(event)

    def summary(self) -> dict[str, Any]:
        return {
            "tokens": len(self.access.tokens),
            "credentials": len(self.access.keys),
            "datasets": len(self.datasets),
            "workforces": len(self.workforces),
            "workers": self.workforces.worker_count,
            "workforce_tasks": self.workforces.task_count,
        }

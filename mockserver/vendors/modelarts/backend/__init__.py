"""A ModelArts project's world: its IAM tokens, its AK/SK pairs and its datasets.

A tenant is a project (the 32-hex ``project_id`` in every path). Pure domain code:
no HTTP, no JSON; time comes from the project's clock.
"""

from __future__ import annotations

from typing import Any

from mockserver.core.lazyparts import LazyParts, part
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


class ModelArtsWorld(LazyParts):
    """A project's IAM side, made with the world; each registry of its data (datasets,
    samples, teams and the tasks on them) is made when first used: a shared server keeps
    thousands of projects that only ever asked for a token, and every object of each is
    one more for a full garbage collection to walk."""

    def __init__(self, context: WorldContext) -> None:
        self.context = context
        self.project_id = context.credential
        self.access = Access(context.clock, context.rng, self.project_id, context.setup)

    @part
    def datasets(self) -> Datasets:
        return Datasets(self.context.clock, self.context.rng)

    @part
    def samples(self) -> Samples:
        return Samples(self.context.clock, self.context.rng)

    @part
    def workforces(self) -> Workforces:
        return Workforces(self.context.clock, self.context.rng)

    @part
    def versions(self) -> Versions:
        context = self.context
        return Versions(context.clock, context.rng, context.scheduler, self.datasets, self.samples)

    @part
    def imports(self) -> Imports:
        return Imports(self.context, self.datasets, self.samples)

    @part
    def exports(self) -> Exports:
        return Exports(self.context, self.datasets, self.samples)

    @part
    def autolabel(self) -> AutoLabeling:
        return AutoLabeling(self.context, self.datasets, self.samples)

    @part
    def labeling(self) -> Labeling:
        return Labeling(self.context, self.datasets, self.samples, self.workforces)

    @part
    def acceptance(self) -> Acceptance:
        return Acceptance(self.context, self.datasets, self.samples, self.workforces, self.labeling)

    @part
    def processing(self) -> Processing:
        return Processing(self.context, self.datasets, self.samples)

    @part
    def team_tasks(self) -> TeamTasks:
        context = self.context
        return TeamTasks(
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

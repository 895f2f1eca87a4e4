"""Judgments: one worker's answers to one unit, and how far that worker is trusted.

FOUND: a judgment carries the worker, their trust, whether the unit was gold,
whether the judgment is ``tainted`` (its worker is no longer trusted), the channel,
where the worker was and when they started and submitted. Workers are trusted per
job from their answers to test questions (gold units). INFERRED: trust starts at the
worker's standing and moves with each test question, and a worker under
``TRUST_THRESHOLD`` is tainted.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

TRUST_THRESHOLD = 0.7
PRIOR_WEIGHT = 4  # test questions a worker's standing counts as


@dataclass(slots=True, eq=False)
class Judgment:
    id: int
    job_id: int
    unit_id: int
    worker_id: int
    index: int  # FOUND: 1 for a unit's first judgment, as the documented examples count
    data: dict[str, Any]
    trust: float
    worker_trust: float
    golden: bool
    tainted: bool
    channel: str
    country: str
    region: str
    city: str
    ip: str
    started_at: float
    created_at: float
    missed: bool | None = None
    rejected: bool = False


@dataclass(slots=True)
class WorkerRecord:
    """A worker's test-question score in one job."""

    standing: float
    golds_seen: int = 0
    golds_missed: int = 0

    @property
    def trust(self) -> float:
        right = self.golds_seen - self.golds_missed
        return (self.standing * PRIOR_WEIGHT + right) / (PRIOR_WEIGHT + self.golds_seen)

    @property
    def tainted(self) -> bool:
        return self.trust < TRUST_THRESHOLD


@dataclass(slots=True)
class JudgmentBook:
    """A job's judgments by unit and by id, and its workers' records. ``revision``
    counts the changes to them, which answers made from them (a report) are kept by."""

    by_unit: dict[int, list[Judgment]] = field(default_factory=dict)
    by_id: dict[int, Judgment] = field(default_factory=dict)
    workers: dict[int, WorkerRecord] = field(default_factory=dict)
    tainted: int = 0
    revision: int = 0

    def __len__(self) -> int:
        return len(self.by_id)

    def __iter__(self) -> Iterator[Judgment]:
        return iter(self.by_id.values())

    def add(self, judgment: Judgment) -> None:
        self.revision += 1
        self.by_unit.setdefault(judgment.unit_id, []).append(judgment)
        self.by_id[judgment.id] = judgment
        self.tainted += judgment.tainted

    def remove(self, judgment: Judgment) -> None:
        self.revision += 1
        self.by_unit[judgment.unit_id].remove(judgment)
        del self.by_id[judgment.id]
        self.tainted -= judgment.tainted

    def taint(self, judgment: Judgment) -> None:
        """Marks a judgment as no longer trusted (once; a tainted one stays as it is)."""
        if not judgment.tainted:
            self.revision += 1
            judgment.tainted = True
            self.tainted += 1

    def edit(self, judgment: Judgment, data: dict[str, Any]) -> None:
        """Merges ``data`` into the judgment's answers."""
        self.revision += 1
        judgment.data.update(data)

    def of_unit(self, unit_id: int) -> list[Judgment]:
        return self.by_unit.get(unit_id, [])

    def trusted(self, unit_id: int) -> list[Judgment]:
        return [j for j in self.of_unit(unit_id) if not j.tainted]

    def set_worker(self, worker_id: int, record: WorkerRecord) -> None:
        self.revision += 1
        self.workers[worker_id] = record

    def worker(self, worker_id: int, standing: float) -> WorkerRecord:
        record = self.workers.get(worker_id)
        if record is None:
            record = self.workers[worker_id] = WorkerRecord(standing)
        return record

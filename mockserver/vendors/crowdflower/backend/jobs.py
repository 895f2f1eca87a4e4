"""Jobs: their attributes, their states, and the actions that move them.

FOUND states: ``unordered`` (new), ``running``, ``paused``, ``canceled``,
``finished``. Pause, resume and cancel answer **200 with a flat message** even when
the job's state forbids them; the refusals below are the recorded texts.
INFERRED: the texts of refusals that were not recorded, and the success texts of
the Appen era (``"Your job is being paused."``), applied at once.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from mockserver.core.clock import Clock
from mockserver.core.errors import InvalidInput
from mockserver.core.memo import Memo
from mockserver.core.numbers import natural
from mockserver.core.rng import Rng

from ..errors import NothingFound
from .attributes import DEFAULT_OPTIONS, DEFAULTS, MINIMUM_REQUIREMENTS, read_changes
from .judgments import JudgmentBook
from .units import Unit, Units

if TYPE_CHECKING:
    from .orders import Order

JobState = Literal["unordered", "running", "paused", "canceled", "finished"]
AVAILABLE_CHANNELS = ("on_demand", "cf_internal")  # FOUND: the public crowd and your own team
# FOUND (the Ruby gem's integration test): a job made by an upload has channels enabled, a
# job made empty has none; INFERRED: the one enabled is the public crowd.
UPLOADED_JOB_CHANNELS = ("on_demand",)
PAGE_SIZE = 10  # FOUND: jobs are listed ten at a time, newest first
REPORT_TYPES = ("full", "aggregated", "json", "gold_report", "workset", "source")  # FOUND
REPORT_SECONDS = 10.0  # INFERRED from the documented "Try again in 10 seconds."


@dataclass(slots=True, eq=False)
class Job:
    id: int
    secret: str
    created_at: float
    updated_at: float
    attrs: dict[str, Any]
    state: JobState = "unordered"
    completed_at: float | None = None
    copied_from: int | None = None
    tags: list[str] = field(default_factory=list)
    enabled_channels: list[str] = field(default_factory=list)
    units: Units = field(default_factory=Units)
    judgments_count: int = 0
    crowd_costs: float = 0.0
    judgments: JudgmentBook = field(default_factory=JudgmentBook)
    queue: deque[int] = field(default_factory=deque)  # unit ids still wanting judgments
    orders: list[Order] = field(default_factory=list)
    working: bool = False  # a round of crowd work is planned
    needed_judgments: int = 0  # trusted judgments the ordered units still wait for
    reports: dict[str, float] = field(default_factory=dict)  # report type -> sim time ready
    ontology: list[dict[str, Any]] = field(default_factory=list)  # the Appen-era classes
    shown: Memo[Any] = field(default_factory=Memo, repr=False)  # answers kept as written

    @property
    def revision(self) -> tuple[str, int, int]:
        """Changes whenever the job's form, units or judgments do: what answers made
        from them are kept by."""
        return self["cml"], self.units.revision, self.judgments.revision

    def __getitem__(self, name: str) -> Any:
        return self.attrs.get(name, DEFAULTS.get(name))


@dataclass(frozen=True, slots=True)
class Outcome:
    """What a state action answers: a flat ``success`` or ``error`` message."""

    success: str | None = None
    error: str | None = None


class Jobs:
    """One account's jobs, by id, with aliases as a second key."""

    def __init__(self, clock: Clock, rng: Rng) -> None:
        self._clock = clock
        self._rng = rng
        self._by_id: dict[int, Job] = {}
        self._next_id = 500_000 + rng.integer(0, 49_999) * 10

    def __len__(self) -> int:
        return len(self._by_id)

    def __iter__(self) -> Iterator[Job]:
        return iter(self._by_id.values())

    def get(self, ref: str | int) -> Job:
        """A job by id or alias (FOUND: an alias may stand in for the id)."""
        text = str(ref)
        number = natural(text)
        if number is not None and (job := self._by_id.get(number)) is not None:
            return job
        found = next((j for j in self._by_id.values() if j["alias"] == text), None)
        if found is None:  # FOUND: 404 for an unknown job (recorded, job_delete_error)
            raise NothingFound()
        return found

    def create(self, given: Mapping[str, Any], *, copied_from: Job | None = None) -> Job:
        base = _fresh_attrs() if copied_from is None else _copyable(copied_from.attrs)
        changes, problems = read_changes(given, base)
        if problems:  # each rule's evidence is beside it in attributes.py
            raise InvalidInput(problems)
        now = self._clock.now()
        job = Job(
            id=self._next_id,
            secret=self._rng.token(44),
            created_at=now,
            updated_at=now,
            attrs={**base, **changes},
            copied_from=None if copied_from is None else copied_from.id,
        )
        if copied_from is not None:
            job.tags = list(copied_from.tags)
        self._next_id += 1
        self._by_id[job.id] = job
        return job

    def update(self, job: Job, given: Mapping[str, Any]) -> Job:
        changes, problems = read_changes(given, job.attrs)
        if problems:  # each rule's evidence is beside it in attributes.py
            raise InvalidInput(problems)
        job.attrs.update(changes)
        job.updated_at = self._clock.now()
        return job

    def delete(self, job: Job) -> None:
        del self._by_id[job.id]

    def find(self, job_id: int) -> Job | None:
        return self._by_id.get(job_id)

    def page(self, page: int, *, state: str | None = None, tags: Sequence[str] = ()) -> list[Job]:
        jobs = [
            j
            for j in reversed(self._by_id.values())
            if (state is None or j.state == state) and all(t in j.tags for t in tags)
        ]
        start = (max(page, 1) - 1) * PAGE_SIZE
        return jobs[start : start + PAGE_SIZE]

    # -- state actions -----------------------------------------------------------------------

    def pause(self, job: Job) -> Outcome:
        if job.state == "unordered":
            return Outcome(error="You can't pause a job that hasn't been launched.")  # FOUND
        if job.state != "running":
            return Outcome(error="You can only pause a running job.")
        self._move(job, "paused")
        return Outcome(success="Your job is being paused.")

    def resume(self, job: Job) -> Outcome:
        if job.state not in ("paused", "finished"):
            # FOUND: the recorded refusal; it also says finished jobs may be resumed.
            return Outcome(error="You can only resume jobs that are paused or complete.")
        self._move(job, "running")
        job.completed_at = None
        return Outcome(success="Your job is being resumed.")

    def cancel(self, job: Job) -> Outcome:
        if job.state == "unordered":
            return Outcome(error="You can't cancel a job that hasn't been launched.")  # FOUND
        if job.state in ("canceled", "finished"):
            return Outcome(error=f"You can't cancel a job that is {job.state}.")
        self._move(job, "canceled")
        return Outcome(success="Your job is being canceled.")

    def report_ready(self, job: Job, kind: str) -> bool:
        """Whether a report can be downloaded; asking starts its generation if needed.

        FOUND: reports regenerate by themselves when a job finishes; while it runs, a
        report is generated on request and is ready some seconds later.
        """
        ready_at = job.reports.get(kind)
        if ready_at is None:
            job.reports[kind] = self._clock.now() + REPORT_SECONDS
            return False
        return self._clock.now() >= ready_at

    def regenerate(self, job: Job, kind: str) -> None:
        job.reports[kind] = self._clock.now() + REPORT_SECONDS

    def _move(self, job: Job, state: JobState) -> None:
        job.state = state
        job.updated_at = self._clock.now()

    # -- tags and channels -----------------------------------------------------------------

    def set_tags(self, job: Job, tags: list[str]) -> None:
        job.tags = list(dict.fromkeys(tags))

    def add_tags(self, job: Job, tags: list[str]) -> None:
        self.set_tags(job, [*job.tags, *tags])

    def remove_tags(self, job: Job, tags: list[str]) -> None:
        job.tags = [t for t in job.tags if t not in tags]

    def enable_channels(self, job: Job, channels: list[str]) -> None:
        """Enables the channels, after those already enabled (each once)."""
        job.enabled_channels = list(dict.fromkeys([*job.enabled_channels, *channels]))

    def disable_channel(self, job: Job, channel: str) -> None:
        job.enabled_channels = [c for c in job.enabled_channels if c != channel]


def _fresh_attrs() -> dict[str, Any]:
    """A new job's own values; everything else reads as its recorded default."""
    return {
        "options": dict(DEFAULT_OPTIONS),
        "minimum_requirements": dict(MINIMUM_REQUIREMENTS),
        "included_countries": [],
        "excluded_countries": [],
    }


def _copyable(attrs: Mapping[str, Any]) -> dict[str, Any]:
    """What a copy keeps: settings and design, never the alias."""
    return {k: v for k, v in attrs.items() if k != "alias"}


def judgments_wanted(job: Job, unit: Unit) -> int:
    """Trusted judgments a unit must collect: the job's count plus any extra asked for."""
    return (job["judgments_per_unit"] or 1) + unit.extra_judgments


def judgments_needed(job: Job, unit: Unit | None) -> int:
    """Trusted judgments an ordered, open unit still waits for (0 for any other unit)."""
    if unit is None or unit.state not in ("judgable", "judging"):
        return 0
    return max(0, judgments_wanted(job, unit) - unit.judgments_count)

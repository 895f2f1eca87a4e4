"""Review and acceptance of team labeling: reviewers' verdicts, the owner's rounds.

FOUND: ReviewSamples takes ``comments`` (SampleComment: ``accept`` required,
``sample_id``, ``worker_id``, ``comment`` of 0–256 characters without
``! < > = & " '``, ``score`` ``A``–``D`` best to worst); a reviewer approves a
labeled sample (``__UNREVIEWED__``) so that it awaits acceptance, or rejects it;
a sample already reviewed is ``ModelArts.4606`` (HTTP 200). The owner opens an
acceptance round with ``sampling_num`` or ``sampling_rate`` (in (0, 1]); the task
shows status ``2`` while it is open; sampled samples are commented, then the round
ends with an action: ``0`` pass all, ``1`` reject all, ``2`` cancel, ``3`` list
conflicting samples, ``4`` pass single-accepted and unprocessed samples, ``5``
pass single-accepted only. Passed samples reach the dataset as labeled
(``__ALL__``). Refusals: ``4623`` a round is running, ``4624`` nothing is being
checked, ``4625`` no unchecked samples, ``4615`` the task is unfinished.

INFERRED: the caller is the owner (or a reviewer); the comment's ``worker_id`` is
recorded, not checked; approved samples wait as ``__UNCHECK__``; a rejected
sample waits as ``__REJECTED__`` and its labeler relabels it 60–180 sim seconds
later (``__UNREVIEWED__`` again, with the dataset label its upload order
points to); a batch is checked whole before anything
changes (a sample not of the task is ``ModelArts.4420``, a bad field
``ModelArts.4396``), except that samples already reviewed are skipped and named
in a 200 ``ModelArts.4606`` answer while the rest are reviewed; review and
rounds need a running (``1``), accepted (``3``) or rejected (``4``) task, else
``4615``; a round draws from the task's
``__UNCHECK__`` samples (``sampling_num`` beyond them draws them all, a rate
draws ``ceil(rate × count)``), at random; sampled samples are
``__WORKFORCE_SAMPLED__``, then ``__WORKFORCE_SAMPLED_ACCEPTED__`` or
``__WORKFORCE_SAMPLED_REJECTED__`` once commented (the last comment counts);
action ``0`` passes the whole drawn-from population, ``1`` rejects it (back to
the labelers, task ``4``), ``2`` puts the sampled samples back to
``__UNCHECK__`` (task ``1``), ``3`` lists the sampled samples the owner rejected
(they conflict with the reviewer's approval) and changes nothing, ``4`` passes all
but the rejected ones (which go back to their labelers), ``5`` passes the
accepted ones, sends the rejected back and returns the rest to ``__UNCHECK__``;
after a pass the task is ``3`` when all its samples are labeled, else ``1``;
scores count A 4, B 3, C 2, D 1 points; a round's ``score`` letter is its
average rounded (``E`` when nothing was scored); ``pass_rate`` is accepted over
commented samples and ``check_rate`` commented over drawn-from samples, over
every finished round (per member: over the samples they labeled); the task's
``score`` is the average points.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from mockserver.core.scheduler import Event
from mockserver.core.vendor import WorldContext

from ..errors import (
    AcceptanceNotRunning,
    AcceptanceRunning,
    CheckingTaskMissing,
    ModelArtsError,
    NoUncheckedSamples,
    ParameterInvalid,
    SampleAlreadyReviewed,
    SampleMissing,
    WorkforceTaskUnfinished,
)
from .datasets import Dataset, Datasets
from .labeling import PACE, UNREVIEWED, Labeling
from .samples import LABELED, Sample, Samples
from .workforces import Workforces, WorkforceTask

ACTION_PREFIX = "acceptance."
RELABEL = ACTION_PREFIX + "relabel"
UNCHECK, REJECTED = "__UNCHECK__", "__REJECTED__"
SAMPLED = "__WORKFORCE_SAMPLED__"
SAMPLED_ACCEPTED = "__WORKFORCE_SAMPLED_ACCEPTED__"
SAMPLED_REJECTED = "__WORKFORCE_SAMPLED_REJECTED__"
TASK_RUNNING, TASK_ACCEPTING, TASK_ACCEPTED, TASK_REJECTED = 1, 2, 3, 4
OPEN_FOR_WORK = (TASK_RUNNING, TASK_ACCEPTED, TASK_REJECTED)
POINTS = {"A": 4, "B": 3, "C": 2, "D": 1}
LETTERS = {4: "A", 3: "B", 2: "C", 1: "D"}
NO_SCORE = "E"
COMMENT_MOST = 256
FORBIDDEN = set("!<>=&\"'")
PASS_ALL, REJECT_ALL, CANCEL, CONFLICTS, PASS_UNPROCESSED, PASS_ACCEPTED = range(6)
ACTIONS = range(6)


@dataclass(slots=True)
class Verdict:
    accept: bool
    comment: str
    score: str
    worker_id: str


@dataclass(slots=True)
class Round:
    id: str
    task_id: str
    population: list[str]
    sampled: list[str]
    sampling_num: int
    sampling_rate: float
    labelers: dict[str, str]  # sample id -> labeler worker id
    verdicts: dict[str, Verdict] = field(default_factory=dict)
    action: int | None = None
    overwrite_last_result: bool = False


@dataclass(slots=True)
class TaskRecord:
    rounds: list[Round] = field(default_factory=list)
    current: Round | None = None
    reviews: dict[str, Verdict] = field(default_factory=dict)


def check_comments(comments: Any) -> list[dict[str, Any]]:
    """The SampleComment list, each checked; a bad one is ``ModelArts.4396`` naming it."""
    if not isinstance(comments, list):  # FOUND: an Array of SampleComment
        raise ParameterInvalid("comments: must be a list")
    checked: list[dict[str, Any]] = []
    for index, item in enumerate(comments):
        where = f"comments.{index}"
        if not isinstance(item, Mapping):
            raise ParameterInvalid(f"{where}: must be an object")
        if not isinstance(item.get("accept"), bool):  # FOUND: Mandatory, Boolean
            raise ParameterInvalid(f"{where}.accept: is required and must be a boolean")
        sample_id = item.get("sample_id")
        # INFERRED: not marked Mandatory, but a comment judges the sample it names and
        # every documented example names one.
        if not isinstance(sample_id, str) or not sample_id:
            raise ParameterInvalid(f"{where}.sample_id: is required")
        comment = item.get("comment", "")  # FOUND: 0-256 characters, none of !<>=&"'
        if not isinstance(comment, str) or len(comment) > COMMENT_MOST:
            raise ParameterInvalid(f"{where}.comment: must be text of at most {COMMENT_MOST}")
        if FORBIDDEN & set(comment):
            raise ParameterInvalid(f"{where}.comment: must not contain ! < > = & \" '")
        score = item.get("score", "")  # FOUND: A, B, C or D
        if score not in ("", None, *POINTS):
            raise ParameterInvalid(f"{where}.score: must be one of A, B, C, D")
        worker_id = item.get("worker_id", "")
        checked.append(
            {
                "sample_id": sample_id,
                "verdict": Verdict(
                    accept=item["accept"],
                    comment=comment,
                    score=str(score or ""),
                    worker_id=str(worker_id or ""),
                ),
            }
        )
    return checked


class Acceptance:
    def __init__(
        self,
        context: WorldContext,
        datasets: Datasets,
        samples: Samples,
        workforces: Workforces,
        labeling: Labeling,
    ) -> None:
        self._context = context
        self._clock = context.clock
        self._rng = context.rng
        self._datasets = datasets
        self._samples = samples
        self._workforces = workforces
        self._labeling = labeling
        self._records: dict[str, TaskRecord] = {}

    def _now(self) -> int:
        return int(self._clock.now() * 1000)

    def _record(self, task: WorkforceTask) -> TaskRecord:
        return self._records.setdefault(task.id, TaskRecord())

    def _find(self, dataset_id: str, task_id: str) -> tuple[Dataset, WorkforceTask]:
        dataset = self._datasets.get(dataset_id)
        return dataset, self._workforces.get_task(dataset.id, task_id)

    def _owners(self, task: WorkforceTask) -> dict[str, str]:
        """Sample id -> the member it was given to."""
        owners: dict[str, str] = {}
        for row in self._labeling.worker_tasks(task):
            for sample_id in row.assignment.sample_ids if row.assignment else []:
                owners[sample_id] = row.worker.id
        return owners

    def _task_samples(
        self, dataset: Dataset, task: WorkforceTask, ids: Iterable[str]
    ) -> list[Sample]:
        held = self._samples.of(dataset)
        found: list[Sample] = []
        for index, sample_id in enumerate(ids):
            sample = held.by_id.get(sample_id)
            if sample is None or not self._labeling.holds(task, sample):
                raise SampleMissing(
                    f"comments.{index}.sample_id: the task has no sample {sample_id}"
                )
            found.append(sample)
        return found

    def _workable(self, task: WorkforceTask) -> None:
        if task.status == TASK_ACCEPTING:
            raise AcceptanceRunning(f"workforce_task_id: the task {task.id} is under acceptance")
        if task.status not in OPEN_FOR_WORK:
            raise WorkforceTaskUnfinished(
                f"workforce_task_id: the task {task.id} is not running yet"
            )

    def _settle(self, dataset: Dataset) -> None:
        dataset.annotated_sample_count = self._samples.of(dataset).count(LABELED)

    # Review

    def review(self, dataset_id: str, task_id: str, comments: Any) -> SampleAlreadyReviewed | None:
        """Approves (``__UNCHECK__``) or rejects (back to the labeler) labeled samples.

        The samples no longer awaiting review are left as they are and named in
        the ``ModelArts.4606`` notice returned (the appendix lists it with HTTP
        200, "proceed with follow-up operations"); the others are reviewed.
        """
        dataset, task = self._find(dataset_id, task_id)
        checked = check_comments(comments)
        self._workable(task)
        found = self._task_samples(dataset, task, [item["sample_id"] for item in checked])
        reviewed = [sample.id for sample in found if sample.status != UNREVIEWED]
        held = self._samples.of(dataset)
        record = self._record(task)
        for sample, item in zip(found, checked, strict=True):
            if sample.id in reviewed:
                continue
            verdict: Verdict = item["verdict"]
            record.reviews[sample.id] = verdict
            if verdict.accept:
                held.restate(sample, UNCHECK)
            else:
                self._send_back(dataset, task, sample)
        task.update_time = self._now()
        if reviewed:
            return SampleAlreadyReviewed("samples already reviewed: " + ", ".join(reviewed))
        return None

    def review_of(self, task: WorkforceTask, sample_id: str) -> Verdict | None:
        return self._record(task).reviews.get(sample_id)

    def _send_back(self, dataset: Dataset, task: WorkforceTask, sample: Sample) -> None:
        self._samples.of(dataset).restate(sample, REJECTED)
        low, high = PACE
        self._context.scheduler.at(
            self._clock.now() + self._rng.uniform(low, high),
            "world",
            RELABEL,
            dataset_id=dataset.id,
            task=task.id,
            sample=sample.id,
        )

    def handle(self, event: Event) -> None:
        try:
            dataset, task = self._find(event.data["dataset_id"], event.data["task"])
        except ModelArtsError:
            return  # gone meanwhile
        held = self._samples.of(dataset)
        sample = held.by_id.get(event.data["sample"])
        if sample is None or sample.status != REJECTED:
            return
        held.change(sample, UNREVIEWED, [self._relabel(dataset, sample)])
        task.update_time = self._now()

    def _relabel(self, dataset: Dataset, sample: Sample) -> dict[str, Any]:
        if not dataset.labels:
            return {"name": "default", "type": dataset.dataset_type}
        label = dataset.labels[sample.seq % len(dataset.labels)]
        return {"name": str(label["name"]), "type": label.get("type", dataset.dataset_type)}

    # Acceptance rounds

    def start(
        self, dataset_id: str, task_id: str, *, number: int | None, rate: float | None
    ) -> Round:
        dataset, task = self._find(dataset_id, task_id)
        self._workable(task)
        owners = self._owners(task)
        held = self._samples.of(dataset)
        population = list(self._labeling.view_of(task).ids(UNCHECK))
        if not population:
            raise NoUncheckedSamples(
                f"workforce_task_id: the task {task.id} has no unchecked samples"
            )
        count = min(number, len(population)) if number is not None else 0
        if rate is not None:
            count = max(1, math.ceil(rate * len(population)))
        picked = set(self._rng.sample(population, count))
        sampled = [key for key in population if key in picked]
        for key in sampled:
            held.restate(held.by_id[key], SAMPLED)
        round_ = Round(
            id=self._rng.hex(32),
            task_id=task.id,
            population=population,
            sampled=sampled,
            sampling_num=len(sampled),
            sampling_rate=round(len(sampled) / len(population), 4),
            labelers={key: held.by_id[key].worker_id or owners[key] for key in population},
        )
        record = self._record(task)
        record.current = round_
        record.rounds.append(round_)
        task.status = TASK_ACCEPTING
        task.update_time = self._now()
        return round_

    def _current(self, task: WorkforceTask) -> Round:
        current = self._record(task).current
        if current is None or task.status != TASK_ACCEPTING:
            raise AcceptanceNotRunning(
                f"workforce_task_id: the task {task.id} is not being checked"
            )
        return current

    def comment(self, dataset_id: str, task_id: str, comments: Any) -> None:
        dataset, task = self._find(dataset_id, task_id)
        checked = check_comments(comments)
        current = self._current(task)
        held = self._samples.of(dataset)
        for index, item in enumerate(checked):
            if item["sample_id"] not in current.sampled or item["sample_id"] not in held.by_id:
                raise SampleMissing(
                    f"comments.{index}.sample_id: {item['sample_id']} is not sampled in this round"
                )
        for item in checked:
            verdict: Verdict = item["verdict"]
            current.verdicts[item["sample_id"]] = verdict
            sample = held.by_id[item["sample_id"]]
            held.restate(sample, SAMPLED_ACCEPTED if verdict.accept else SAMPLED_REJECTED)
        task.update_time = self._now()

    def finish(
        self, dataset_id: str, task_id: str, action: int, *, overwrite: bool = False
    ) -> list[Sample]:
        """Ends (or, for action 3, inspects) the open round; returns the samples concerned."""
        dataset, task = self._find(dataset_id, task_id)
        if action not in ACTIONS:
            raise ParameterInvalid("action: must be one of 0, 1, 2, 3, 4, 5")
        current = self._current(task)
        held = self._samples.of(dataset)
        rejected = [key for key, v in current.verdicts.items() if not v.accept]
        if action == CONFLICTS:
            return [held.by_id[key] for key in rejected if key in held.by_id]
        accepted = {key for key, v in current.verdicts.items() if v.accept}
        passed: list[str] = []
        back: list[str] = []
        waiting: list[str] = []
        for key in current.population:
            if action == PASS_ALL:
                passed.append(key)
            elif action == REJECT_ALL:
                back.append(key)
            elif action == CANCEL:
                waiting.append(key)
            elif key in rejected:
                back.append(key)
            elif action == PASS_UNPROCESSED or key in accepted:
                passed.append(key)
            else:
                waiting.append(key)
        moved: list[Sample] = []
        for keys, state in ((passed, LABELED), (waiting, UNCHECK)):
            for key in keys:
                sample = held.by_id.get(key)
                if sample is not None:
                    held.restate(sample, state)
                    moved.append(sample)
        for key in back:
            sample = held.by_id.get(key)
            if sample is not None:
                self._send_back(dataset, task, sample)
                moved.append(sample)
        record = self._record(task)
        current.action = action
        current.overwrite_last_result = overwrite
        record.current = None
        if action == CANCEL:
            record.rounds.remove(current)
            task.status = TASK_RUNNING
        elif action == REJECT_ALL:
            task.status = TASK_REJECTED
        else:
            mine = self._labeling.view_of(task)
            done = mine.count(LABELED) == len(mine)
            task.status = TASK_ACCEPTED if done else TASK_RUNNING
        self._settle(dataset)
        task.update_time = self._now()
        return moved

    # What the owner sees

    def get_round(self, task: WorkforceTask, checking_task_id: str) -> Round:
        for each in self._record(task).rounds:
            if each.id == checking_task_id:
                return each
        raise CheckingTaskMissing(f"checking_task_id: the task {checking_task_id} does not exist")

    def current(self, task: WorkforceTask) -> Round | None:
        return self._record(task).current

    def rounds(self, task: WorkforceTask) -> list[Round]:
        return list(self._record(task).rounds)

    def round_stats(self, task: WorkforceTask, rounds: list[Round]) -> dict[str, Any]:
        population = sum(len(r.population) for r in rounds)
        sampled = sum(len(r.sampled) for r in rounds)
        verdicts = [v for r in rounds for v in r.verdicts.values()]
        return _stats(rounds[-1].id if len(rounds) == 1 else task.id, population, sampled, verdicts)

    def rates(self, task: WorkforceTask, worker_id: str | None = None) -> dict[str, float]:
        """``check_rate``, ``pass_rate`` and ``score`` over the finished rounds."""
        population = 0
        verdicts: list[Verdict] = []
        for each in self._record(task).rounds:
            if each.action is None:
                continue
            for key in each.population:
                if worker_id is None or each.labelers.get(key) == worker_id:
                    population += 1
                    if key in each.verdicts:
                        verdicts.append(each.verdicts[key])
        scored = [POINTS[v.score] for v in verdicts if v.score]
        return {
            "check_rate": round(len(verdicts) / population, 4) if population else 0.0,
            "pass_rate": round(sum(v.accept for v in verdicts) / len(verdicts), 4)
            if verdicts
            else 0.0,
            "score": round(sum(scored) / len(scored), 4) if scored else 0.0,
        }


def _stats(task_id: str, population: int, sampled: int, verdicts: list[Verdict]) -> dict[str, Any]:
    scored = [POINTS[v.score] for v in verdicts if v.score]
    accepted = sum(v.accept for v in verdicts)
    return {
        "task_id": task_id,
        "sampling_rate": round(sampled / population, 4) if population else 0.0,
        "sampling_num": sampled,
        "pass_rate": round(accepted / len(verdicts), 4) if verdicts else 0.0,
        "score": LETTERS[round(sum(scored) / len(scored))] if scored else NO_SCORE,
        "total_score": sum(scored),
        "total_sample_count": population,
        "sampled_sample_count": sampled,
        "checked_sample_count": len(verdicts),
        "unchecked_sample_count": sampled - len(verdicts),
        "accepted_sample_count": accepted,
        "rejected_sample_count": len(verdicts) - accepted,
    }

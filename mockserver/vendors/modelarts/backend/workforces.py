"""A project's labeling teams (workforces) and their members (workers).

FOUND: workforce ids are 19-char alphanumeric, worker ids 32 lowercase hex; times
are epoch milliseconds; a workforce name is 1–64 letters, digits, ``_`` or ``-``; a
description is 0–256 characters without ``^ ! < > = & " '``; a worker's ``role`` is
``0`` labeler, ``1`` reviewer, ``2`` team administrator (``3`` dataset owner only
in answers, and through UpdateWorker); a worker's ``status`` is ``0`` invitation
e-mail not sent, ``1`` sent, ``2`` logged in, ``3`` deleted. Lists sort by
``create_time`` (default) or the name / e-mail, ``desc`` by default; ListAllWorkers
filters by ``role`` (default ``0``).

INFERRED: workforce names are unique per project and compared as written; an e-mail
is unique within a workforce (compared case aside) and must look like
``local@domain.tld``; a new worker's ``status`` is ``0`` and stays so (no e-mail is
sent: invitations go out with a task's notification, not emulated here);
``search_content`` matches a part of the workforce name, case aside; deleting a
workforce deletes its workers; ``workspace_id`` is ``"0"``.

Team labeling tasks (FOUND: 19-char ids; a task name is 1–64 letters, digits, ``_``
or ``-``; ``repetition`` is 1 or more; ``data_sync_type`` is 0–3; a new task has
status ``6``, created). INFERRED: a task without ``task_name`` is named
``task_<id>``; names are unique per dataset (``ModelArts.4620``); a task keeps the
workforces and members its ``workforces_config`` names as they were at creation (a
workforce given without ``workers`` brings every member it has then); a worker or
workforce it names must exist (``ModelArts.4604``/``4601``, naming the field); a
member a task names cannot be deleted (``ModelArts.4628``); starting a task and its
members' labeling live in ``labeling`` (review and acceptance are not emulated).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

from mockserver.core.clock import Clock
from mockserver.core.numbers import natural
from mockserver.core.rng import Rng

from ..errors import (
    ParameterInvalid,
    WorkerExists,
    WorkerHasTask,
    WorkerMissing,
    WorkforceExists,
    WorkforceMissing,
    WorkforceTaskExists,
    WorkforceTaskMissing,
)
from .datasets import check_description

ID_LENGTH = 19
WORKER_ID_LENGTH = 32
NAME_LENGTH = (1, 64)
ROLES_ON_CREATE = (0, 1, 2)
ROLES_ON_UPDATE = (0, 1, 2, 3)
STATUS_NOT_SENT = 0
TASK_CREATED = 6
DATA_SYNC_TYPES = (0, 1, 2, 3)

WorkforceSort = Literal["create_time", "workforce_name"]
WorkerSort = Literal["create_time", "email"]
Order = Literal["asc", "desc"]


@dataclass(slots=True)
class Worker:
    id: str
    workforce_id: str
    email: str
    role: int
    description: str
    create_time: int  # epoch milliseconds
    update_time: int
    status: int = STATUS_NOT_SENT
    serial: int = 0  # creation order across the project, for stable sorting


@dataclass(slots=True)
class Workforce:
    id: str
    name: str
    description: str
    create_time: int
    update_time: int
    workspace_id: str = "0"
    serial: int = 0
    workers: dict[str, Worker] = field(default_factory=dict)  # insertion = creation order


@dataclass(slots=True)
class TaskTeam:
    """A workforce as a task took it: its id and name, and the members it named."""

    workforce_id: str
    workforce_name: str
    workers: list[Worker]


@dataclass(slots=True)
class WorkforceTask:
    id: str
    dataset_id: str
    name: str
    description: str
    repetition: int
    auto_sync_dataset: bool
    synchronize_data: bool
    synchronize_auto_labeling_data: bool
    data_sync_type: int
    sample_conditions: str
    agency: str
    teams: list[TaskTeam]
    create_time: int
    update_time: int
    status: int = TASK_CREATED
    serial: int = 0


def check_name(name: str, field_name: str = "workforce_name") -> None:
    """FOUND (CreateWorkforce, UpdateWorkforceTask): "1 to 64 characters, including only
    letters, digits, underscores (_), and hyphens (-)"."""
    low, high = NAME_LENGTH
    if not low <= len(name) <= high:
        raise ParameterInvalid(f"{field_name}: must be {low} to {high} characters long")
    if not all(ch.isalpha() or ch.isdigit() or ch in "_-" for ch in name):
        raise ParameterInvalid(f"{field_name}: only letters, digits, _ and - are allowed")


def unique_teams(teams: list[TaskTeam]) -> list[TaskTeam]:
    """The teams, a workforce named twice merged into its first entry.

    INFERRED: nothing documents a refusal of a workforce named twice in
    ``workforces_config``; its members are the union of both entries.
    """
    merged: dict[str, TaskTeam] = {}
    for team in teams:
        kept = merged.setdefault(
            team.workforce_id, TaskTeam(team.workforce_id, team.workforce_name, [])
        )
        kept.workers.extend(w for w in team.workers if w not in kept.workers)
    return list(merged.values())


def check_email(email: str) -> str:
    """INFERRED: ``emails`` is "Email address of a labeling team member"; a real client
    sends one address, and the member is found by it later."""
    text = email.strip()
    local, at, domain = text.partition("@")
    bad = not at or not local or "." not in domain.strip(".") or any(ch.isspace() for ch in text)
    if bad or "@" in domain or len(text) > 254:
        raise ParameterInvalid("emails: must be one e-mail address such as user@example.com")
    return text


def role_of(value: Any, field_name: str, allowed: tuple[int, ...]) -> int:
    """An integer or a numeric string (the doc example sends ``"2"``) among ``allowed``."""
    number: int | None
    if isinstance(value, bool):
        number = None
    elif isinstance(value, int):
        number = value
    else:
        number = natural(value.strip() if isinstance(value, str) else None)
    if number is None or number not in allowed:
        raise ParameterInvalid(
            f"{field_name}: must be one of " + ", ".join(str(role) for role in allowed)
        )
    return number


def _sorted(items: Iterable[Any], key: Callable[[Any], Any], order: Order) -> list[Any]:
    return sorted(items, key=key, reverse=order == "desc")


class Workforces:
    def __init__(self, clock: Clock, rng: Rng) -> None:
        self._clock = clock
        self._rng = rng
        self._by_id: dict[str, Workforce] = {}
        self._id_of_name: dict[str, str] = {}
        self._worker_ids: set[str] = set()
        self._tasks: dict[str, WorkforceTask] = {}  # insertion = creation order
        self._serial = 0

    def forget_task(self, task_id: str) -> None:
        """Drops a deleted workforce task."""
        self._tasks.pop(task_id, None)

    def __len__(self) -> int:
        return len(self._by_id)

    @property
    def worker_count(self) -> int:
        return len(self._worker_ids)

    def _now(self) -> int:
        return int(self._clock.now() * 1000)

    def _next_serial(self) -> int:
        self._serial += 1
        return self._serial

    # Workforces

    def get(self, workforce_id: str) -> Workforce:
        workforce = self._by_id.get(workforce_id)
        if workforce is None:
            raise WorkforceMissing(f"workforce_id: the workforce {workforce_id} does not exist")
        return workforce

    def create(self, *, name: str, description: str = "") -> Workforce:
        check_name(name)
        check_description(description)
        if name in self._id_of_name:
            raise WorkforceExists(f"workforce_name: a workforce named {name!r} already exists")
        while True:
            workforce_id = self._rng.token(ID_LENGTH)
            if workforce_id not in self._by_id:
                break
        now = self._now()
        workforce = Workforce(
            id=workforce_id,
            name=name,
            description=description,
            create_time=now,
            update_time=now,
            serial=self._next_serial(),
        )
        self._by_id[workforce.id] = workforce
        self._id_of_name[name] = workforce.id
        return workforce

    def update(
        self, workforce_id: str, *, name: str | None = None, description: str | None = None
    ) -> Workforce:
        """Checks every change first, then applies them (a refusal changes nothing)."""
        workforce = self.get(workforce_id)
        if name is not None:
            check_name(name)
            holder = self._id_of_name.get(name)
            if holder is not None and holder != workforce.id:
                raise WorkforceExists(f"workforce_name: a workforce named {name!r} already exists")
        if description is not None:
            check_description(description)
        if name is not None and name != workforce.name:
            del self._id_of_name[workforce.name]
            workforce.name = name
            self._id_of_name[name] = workforce.id
        if description is not None:
            workforce.description = description
        workforce.update_time = self._now()
        return workforce

    def delete(self, workforce_id: str) -> Workforce:
        workforce = self.get(workforce_id)
        del self._by_id[workforce.id]
        del self._id_of_name[workforce.name]
        self._worker_ids.difference_update(workforce.workers)
        return workforce

    def page(
        self,
        *,
        offset: int = 0,
        limit: int = 10,
        sort_by: WorkforceSort = "create_time",
        order: Order = "desc",
        search: str = "",
        task_id: str | None = None,
    ) -> tuple[int, list[Workforce]]:
        needle = search.casefold()
        wanted = set(self.task_workforces(task_id)) if task_id is not None else None
        matching = [
            w
            for w in self._by_id.values()
            if needle in w.name.casefold() and (wanted is None or w.id in wanted)
        ]
        key: Callable[[Workforce], Any] = (
            (lambda w: (w.name, w.serial))
            if sort_by == "workforce_name"
            else (lambda w: (w.create_time, w.serial))
        )
        ordered = _sorted(matching, key, order)
        return len(ordered), ordered[offset : offset + limit]

    # Workers

    def get_worker(self, workforce_id: str, worker_id: str, where: str = "worker_id") -> Worker:
        worker = self.get(workforce_id).workers.get(worker_id)
        if worker is None:
            raise WorkerMissing(f"{where}: the worker {worker_id} does not exist")
        return worker

    def add_worker(
        self, workforce_id: str, *, email: str, role: Any, description: str = ""
    ) -> Worker:
        workforce = self.get(workforce_id)
        address = check_email(email)
        number = role_of(role, "role", ROLES_ON_CREATE)
        check_description(description)
        folded = address.casefold()
        if any(kept.email.casefold() == folded for kept in workforce.workers.values()):
            raise WorkerExists(f"emails: {address!r} is already a member of this workforce")
        while True:
            worker_id = self._rng.hex(WORKER_ID_LENGTH)
            if worker_id not in self._worker_ids:
                break
        now = self._now()
        worker = Worker(
            id=worker_id,
            workforce_id=workforce.id,
            email=address,
            role=number,
            description=description,
            create_time=now,
            update_time=now,
            serial=self._next_serial(),
        )
        workforce.workers[worker.id] = worker
        self._worker_ids.add(worker.id)
        workforce.update_time = now
        return worker

    def update_worker(
        self,
        workforce_id: str,
        worker_id: str,
        *,
        role: Any = None,
        description: str | None = None,
    ) -> Worker:
        worker = self.get_worker(workforce_id, worker_id)
        number = role_of(role, "role", ROLES_ON_UPDATE) if role is not None else None
        if description is not None:
            check_description(description)
        if number is not None:
            worker.role = number
        if description is not None:
            worker.description = description
        worker.update_time = self._now()
        return worker

    def remove_worker(self, workforce_id: str, worker_id: str, where: str = "worker_id") -> Worker:
        worker = self.get_worker(workforce_id, worker_id, where)
        for task in self._tasks.values():
            if any(kept.id == worker.id for team in task.teams for kept in team.workers):
                raise WorkerHasTask(f"{where}: the worker {worker_id} has the task {task.id}")
        workforce = self._by_id[workforce_id]
        del workforce.workers[worker.id]
        self._worker_ids.discard(worker.id)
        workforce.update_time = self._now()
        return worker

    def workers_page(
        self,
        workforce_id: str | None,
        *,
        offset: int = 0,
        limit: int = 10,
        sort_by: WorkerSort = "create_time",
        order: Order = "desc",
        role: int | None = None,
    ) -> tuple[int, list[Worker]]:
        """One workforce's workers, or (``workforce_id`` ``None``) every workforce's."""
        teams = [self.get(workforce_id)] if workforce_id is not None else self._by_id.values()
        matching = [
            worker
            for team in teams
            for worker in team.workers.values()
            if role is None or worker.role == role
        ]
        key: Callable[[Worker], Any] = (
            (lambda w: (w.email, w.serial))
            if sort_by == "email"
            else (lambda w: (w.create_time, w.serial))
        )
        ordered = _sorted(matching, key, order)
        return len(ordered), ordered[offset : offset + limit]

    # Team labeling tasks (created only: the labeling lifecycle is not emulated)

    @property
    def task_count(self) -> int:
        return len(self._tasks)

    def get_task(self, dataset_id: str, task_id: str) -> WorkforceTask:
        task = self._tasks.get(task_id)
        if task is None or task.dataset_id != dataset_id:
            raise WorkforceTaskMissing(f"workforce_task_id: the task {task_id} does not exist")
        return task

    def task_workforces(self, task_id: str) -> list[str]:
        """The workforce ids a task names (none for an unknown task)."""
        task = self._tasks.get(task_id)
        return [team.workforce_id for team in task.teams] if task is not None else []

    def create_task(
        self,
        dataset_id: str,
        *,
        name: str | None = None,
        description: str = "",
        repetition: int = 1,
        auto_sync_dataset: bool = True,
        synchronize_data: bool = False,
        synchronize_auto_labeling_data: bool = False,
        data_sync_type: int = 0,
        sample_conditions: str = "",
        config: dict[str, Any] | None = None,
    ) -> WorkforceTask:
        """Checks the whole request, then keeps the task (a refusal changes nothing)."""
        # INFERRED: CreateWorkforceTask documents no rule for task_name (UpdateWorkforceTask
        # does, and applies it); the description rule is the documented one.
        check_description(description)
        if repetition < 1:  # FOUND: "The minimum value is 1."
            raise ParameterInvalid("repetition: must be 1 or more")
        if data_sync_type not in DATA_SYNC_TYPES:
            raise ParameterInvalid("data_sync_type: must be one of 0, 1, 2, 3")
        if any(t.dataset_id == dataset_id and t.name == name for t in self._tasks.values()):
            raise WorkforceTaskExists(f"task_name: the dataset already has a task named {name!r}")
        config = config or {}
        teams = [
            self._team(team, f"workforces_config.workforces.{index}")
            for index, team in enumerate(config.get("workforces") or [])
        ]
        teams = unique_teams(teams)
        while True:
            task_id = self._rng.token(ID_LENGTH)
            if task_id not in self._tasks:
                break
        now = self._now()
        task = WorkforceTask(
            id=task_id,
            dataset_id=dataset_id,
            name=name if name is not None else f"task_{task_id}",
            description=description,
            repetition=repetition,
            auto_sync_dataset=auto_sync_dataset,
            synchronize_data=synchronize_data,
            synchronize_auto_labeling_data=synchronize_auto_labeling_data,
            data_sync_type=data_sync_type,
            sample_conditions=sample_conditions,
            agency=str(config.get("agency", "")),
            teams=teams,
            create_time=now,
            update_time=now,
            serial=self._next_serial(),
        )
        self._tasks[task.id] = task
        return task

    def _team(self, given: dict[str, Any], where: str) -> TaskTeam:
        if given.get("workforce_id"):
            workforce = self._by_id.get(str(given["workforce_id"]))
            named = f"{where}.workforce_id"
            wanted = str(given["workforce_id"])
        else:
            holder = self._id_of_name.get(str(given.get("workforce_name", "")))
            workforce = self._by_id.get(holder) if holder is not None else None
            named = f"{where}.workforce_name"
            wanted = str(given.get("workforce_name", ""))
        if workforce is None:
            raise WorkforceMissing(f"{named}: the workforce {wanted} does not exist")
        members = list(workforce.workers.values())
        if not given.get("workers"):
            return TaskTeam(workforce.id, workforce.name, members)
        chosen: list[Worker] = []
        for index, person in enumerate(given["workers"]):
            at = f"{where}.workers.{index}"
            if person.get("worker_id"):
                found = workforce.workers.get(str(person["worker_id"]))
                label = f"{at}.worker_id: the worker {person['worker_id']}"
            else:
                email = str(person.get("email", "")).casefold()
                found = next((w for w in members if w.email.casefold() == email), None)
                label = f"{at}.email: {person.get('email', '')!r}"
            if found is None:
                raise WorkerMissing(f"{label} is not a member of {workforce.name}")
            if found not in chosen:
                chosen.append(found)
        return TaskTeam(workforce.id, workforce.name, chosen)

    def tasks_page(
        self, dataset_id: str, *, offset: int = 0, limit: int = 1000
    ) -> tuple[int, list[WorkforceTask]]:
        """A dataset's tasks, newest first."""
        mine = [task for task in reversed(self._tasks.values()) if task.dataset_id == dataset_id]
        return len(mine), mine[offset : offset + limit]

"""Labeling teams and their members: ``/v2/{project_id}/workforces...``.

FOUND: ListWorkforces (GET, 200) pages with ``offset``/``limit`` (1–100, default
10), sorts with ``sort_by`` (``create_time`` | ``workforce_name``) and ``order``
(``asc`` | ``desc``, default ``desc``), filters with ``search_content`` and answers
``{"total_number", "workforces"}``; CreateWorkforce (POST) answers 201
``{"workforce_id"}``; DescWorkforce (GET) answers the workforce; UpdateWorkforce
(PUT) answers 200; DeleteWorkforce answers 204. ListWorkers and ListAllWorkers
(``/workforces/workers``, with a ``role`` filter defaulting to ``0``) sort by
``create_time`` | ``email`` and answer ``{"total_number", "workers"}``;
CreateWorker answers 201 ``{}``; DescWorker and UpdateWorker answer the worker
route with 200; DeleteWorker answers 204; BatchDeleteWorkers
(POST ``.../workers/batch-delete``) answers the BatchResponse envelope.

INFERRED: a bad paging, sorting or ``role`` parameter is
400 ``ModelArts.0104`` naming it; UpdateWorkforce answers ``{"workforce_id"}`` and
UpdateWorker ``{}``; DeleteWorkforce's documented BatchResponse cannot travel with
a 204, so the answer is empty; ``workforce_task_id`` keeps only the workforces of
that team labeling task, and as no such task exists here, none; a batch answers
one result per id in the order given, and is ``success`` only if every item is.

Team labeling tasks, ``/v2/{project_id}/datasets/{dataset_id}/workforce-tasks``
(FOUND): CreateWorkforceTask (POST) answers 200 ``{"task_id"}``; ListWorkforceTasks
(GET) pages with ``offset``/``limit`` (1–1000, default 1000) and answers ``{"count",
"tasks"}``; DescWorkforceTask (GET) adds ``worker_stats`` and ``checking_task_desc``
and switches ``label_stats``, ``sample_stats`` and ``workforce_stats`` with query
flags; ListWorkforceTasks items carry ``sample_stats`` (the documented example).
DescWorkforceTask's query table makes each flag false by default, yet its own
example, sent without any flag, answers ``sample_stats`` and ``workforce_stats``
(and no ``label_stats``): a client that copies it reads them, so those two are on
unless the flag says ``false``, and ``label_stats`` is on only with ``true``.
INFERRED: ``checking_task_desc`` is the open acceptance round (``null`` when none
is open); an unknown dataset is 400 ``ModelArts.4352`` and an unknown task 400
``ModelArts.4619``; lists are newest first and always carry ``workforce_stats``;
``sample_stats`` counts the samples handed to members (none before the task
starts) and ``label_stats`` the labels they carry; ``worker_stats`` lists the
members' worker tasks once it has started (empty before); rates are zero,
``sample_search_conditions`` is empty and ``version_id`` is ``""``; a flag other
than ``true``/``false`` is 400 ``ModelArts.0104``.
"""

from __future__ import annotations

from typing import Any, TypeVar

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from mockserver.core.contract import contract
from mockserver.core.errors import InvalidInput
from mockserver.core.validation import validate
from mockserver.core.wire import read_json_object

from ..backend.labels import statistics
from ..backend.workforces import (
    TASK_CREATED,
    Order,
    Worker,
    WorkerSort,
    Workforce,
    WorkforceSort,
    WorkforceTask,
)
from ..errors import ModelArtsError
from .acceptance import task_results, worker_results
from .common import answer, page_window, request_id, whole_number, world_of
from .labeling import user_of, worker_task_view

VENDOR = "modelarts"
LIMIT_DEFAULT, LIMIT_MOST = 10, 100
WORKFORCE_SORTS: tuple[WorkforceSort, ...] = ("create_time", "workforce_name")
WORKER_SORTS: tuple[WorkerSort, ...] = ("create_time", "email")
ORDERS: tuple[Order, ...] = ("asc", "desc")
ROLES = (0, 1, 2, 3)
TASK_LIMIT_DEFAULT, TASK_LIMIT_MOST = 1000, 1000
# Each flag's value when the query leaves it out (see the module docstring).
TASK_FLAGS = {"label_stats": False, "sample_stats": True, "workforce_stats": True}
Choice = TypeVar("Choice", bound=str)


def workforce_view(workforce: Workforce) -> dict[str, Any]:
    return {
        "workforce_id": workforce.id,
        "workforce_name": workforce.name,
        "description": workforce.description,
        "worker_count": len(workforce.workers),
        "workspace_id": workforce.workspace_id,
        "create_time": workforce.create_time,
        "update_time": workforce.update_time,
    }


def worker_view(worker: Worker) -> dict[str, Any]:
    return {
        "worker_id": worker.id,
        "workforce_id": worker.workforce_id,
        "email": worker.email,
        "role": worker.role,
        "status": worker.status,
        "description": worker.description,
        "create_time": worker.create_time,
        "update_time": worker.update_time,
    }


# FOUND: the documented options (Type / Options column of the query table).
def _choice(
    value: str | None, name: str, options: tuple[Choice, ...], default: Choice | None = None
) -> Choice:
    chosen = value or default or options[0]
    for option in options:
        if option == chosen:
            return option
    raise InvalidInput.one(name, "must be one of " + ", ".join(options))


def _paging(request: Request) -> tuple[int, int, Order]:
    query = request.query_params
    offset, limit = page_window(query, default_limit=LIMIT_DEFAULT, most_limit=LIMIT_MOST)
    return offset, limit, _choice(query.get("order"), "order", ORDERS, default="desc")


def _no_content(request: Request) -> Response:
    return Response(status_code=204, headers={"X-Request-Id": request_id(request.scope)})


@contract(query=("paging",))
async def list_workforces(request: Request) -> Response:
    offset, limit, order = _paging(request)
    query = request.query_params
    sort_by = _choice(query.get("sort_by"), "sort_by", WORKFORCE_SORTS)
    total, page = world_of(request).workforces.page(
        offset=offset,
        limit=limit,
        sort_by=sort_by,
        order=order,
        search=query.get("search_content", ""),
        task_id=query.get("workforce_task_id") or None,
    )
    return answer(request, {"total_number": total, "workforces": [workforce_view(w) for w in page]})


@contract(body="create_workforce", yields={"workforce_id": "/workforce_id"})
async def create_workforce(request: Request) -> Response:
    body = await read_json_object(request, require_media_type=False)
    validate(VENDOR, "create_workforce", body)
    workforce = world_of(request).workforces.create(
        name=body["workforce_name"], description=body.get("description", "")
    )
    return answer(request, {"workforce_id": workforce.id}, 201)


async def describe_workforce(request: Request) -> Response:
    workforce = world_of(request).workforces.get(request.path_params["workforce_id"])
    return answer(request, workforce_view(workforce))


@contract(body="update_workforce")
async def update_workforce(request: Request) -> Response:
    body = await read_json_object(request, require_media_type=False)
    validate(VENDOR, "update_workforce", body)
    workforce = world_of(request).workforces.update(
        request.path_params["workforce_id"],
        name=body.get("workforce_name"),
        description=body.get("description"),
    )
    return answer(request, {"workforce_id": workforce.id})


async def delete_workforce(request: Request) -> Response:
    world_of(request).workforces.delete(request.path_params["workforce_id"])
    return _no_content(request)


async def _list_workers(request: Request, workforce_id: str | None) -> Response:
    offset, limit, order = _paging(request)
    query = request.query_params
    sort_by = _choice(query.get("sort_by"), "sort_by", WORKER_SORTS)
    role = None
    if workforce_id is None:
        role = whole_number(query.get("role"), "role", default=0, least=0)
        if role not in ROLES:
            # FOUND: the documented options (Type / Options column of the query table).
            raise InvalidInput.one("role", "must be one of 0, 1, 2, 3")
    total, page = world_of(request).workforces.workers_page(
        workforce_id, offset=offset, limit=limit, sort_by=sort_by, order=order, role=role
    )
    return answer(request, {"total_number": total, "workers": [worker_view(w) for w in page]})


@contract(query=("paging",))
async def list_all_workers(request: Request) -> Response:
    return await _list_workers(request, None)


@contract(query=("paging",))
async def list_workers(request: Request) -> Response:
    return await _list_workers(request, request.path_params["workforce_id"])


@contract(body="create_worker")
async def create_worker(request: Request) -> Response:
    body = await read_json_object(request, require_media_type=False)
    validate(VENDOR, "create_worker", body)
    world_of(request).workforces.add_worker(
        request.path_params["workforce_id"],
        email=body["emails"],
        role=body["role"],
        description=body.get("description", ""),
    )
    return answer(request, {}, 201)


async def describe_worker(request: Request) -> Response:
    params = request.path_params
    worker = world_of(request).workforces.get_worker(params["workforce_id"], params["worker_id"])
    return answer(request, worker_view(worker))


@contract(body="update_worker")
async def update_worker(request: Request) -> Response:
    body = await read_json_object(request, require_media_type=False)
    validate(VENDOR, "update_worker", body)
    params = request.path_params
    world_of(request).workforces.update_worker(
        params["workforce_id"],
        params["worker_id"],
        role=body.get("role"),
        description=body.get("description"),
    )
    return answer(request, {})


async def delete_worker(request: Request) -> Response:
    params = request.path_params
    world_of(request).workforces.remove_worker(params["workforce_id"], params["worker_id"])
    return _no_content(request)


@contract(body="batch_delete_workers")
async def batch_delete_workers(request: Request) -> Response:
    body = await read_json_object(request, require_media_type=False)
    validate(VENDOR, "batch_delete_workers", body)
    workforces = world_of(request).workforces
    workforce_id = request.path_params["workforce_id"]
    workforces.get(workforce_id)
    results: list[dict[str, Any]] = []
    for index, worker_id in enumerate(body["workers"]):
        try:
            workforces.remove_worker(workforce_id, worker_id, f"workers.{index}")
        except ModelArtsError as error:
            results.append({"success": False, "error_code": error.code, "error_msg": error.detail})
        else:
            results.append({"success": True})
    return answer(
        request, {"success": all(result["success"] for result in results), "results": results}
    )


# Team labeling tasks of a dataset


def workforce_task_view(task: WorkforceTask, *, details: bool = False) -> dict[str, Any]:
    members = [worker for team in task.teams for worker in team.workers]
    view: dict[str, Any] = {
        "task_id": task.id,
        "task_name": task.name,
        "dataset_id": task.dataset_id,
        "version_id": "",
        "description": task.description,
        "status": task.status,
        "repetition": task.repetition,
        "auto_sync_dataset": task.auto_sync_dataset,
        "synchronize_data": task.synchronize_data,
        "synchronize_auto_labeling_data": task.synchronize_auto_labeling_data,
        "data_sync_type": task.data_sync_type,
        "sample_search_conditions": [],
        "workforces_config": {
            "agency": task.agency,
            "workforces": [
                {
                    "workforce_id": team.workforce_id,
                    "workforce_name": team.workforce_name,
                    "workers": [worker_view(worker) for worker in team.workers],
                }
                for team in task.teams
            ],
        },
        "check_rate": 0.0,
        "pass_rate": 0.0,
        "score": 0.0,
        "create_time": task.create_time,
        "update_time": task.update_time,
    }
    if details:
        view["worker_stats"] = []
    view["workforce_stats"] = {
        "workforce_count": len(task.teams),
        "labeler_count": sum(1 for worker in members if worker.role == 0),
        "reviewer_count": sum(1 for worker in members if worker.role == 1),
    }
    return view


# FOUND: the documented options (Type / Options column of the query table).
def _flag(value: str | None, name: str, default: bool) -> bool:
    if value in (None, ""):
        return default
    if value == "false":
        return False
    if value == "true":
        return True
    raise InvalidInput.one(name, "must be true or false")


@contract(body="create_workforce_task", yields={"workforce_task_id": "/task_id"})
async def create_workforce_task(request: Request) -> Response:
    body = await read_json_object(request, require_media_type=False)
    validate(VENDOR, "create_workforce_task", body)
    world = world_of(request)
    dataset = world.datasets.get(request.path_params["dataset_id"])
    task = world.workforces.create_task(
        dataset.id,
        name=body.get("task_name"),
        description=body.get("description", ""),
        repetition=body.get("repetition", 1),
        auto_sync_dataset=body.get("auto_sync_dataset", True),
        synchronize_data=body.get("synchronize_data", False),
        synchronize_auto_labeling_data=body.get("synchronize_auto_labeling_data", False),
        data_sync_type=body.get("data_sync_type", 0),
        sample_conditions=body.get("sample_conditions", ""),
        config=body.get("workforces_config"),
    )
    return answer(request, {"task_id": task.id})


@contract(query=("paging",))
async def list_workforce_tasks(request: Request) -> Response:
    query = request.query_params
    offset, limit = page_window(query, default_limit=TASK_LIMIT_DEFAULT, most_limit=TASK_LIMIT_MOST)
    world = world_of(request)
    dataset = world.datasets.get(request.path_params["dataset_id"])
    total, page = world.workforces.tasks_page(dataset.id, offset=offset, limit=limit)
    views = [
        {
            **workforce_task_view(t),
            "sample_stats": world.labeling.stats(t),
            **task_results(world, t),
        }
        for t in page
    ]
    return answer(request, {"count": total, "tasks": views})


async def describe_workforce_task(request: Request) -> Response:
    query = request.query_params
    flags = {name: _flag(query.get(name), name, default) for name, default in TASK_FLAGS.items()}
    world = world_of(request)
    dataset = world.datasets.get(request.path_params["dataset_id"])
    task = world.workforces.get_task(dataset.id, request.path_params["workforce_task_id"])
    view = workforce_task_view(task, details=True)
    view["checking_task_desc"] = None
    view.update(task_results(world, task))
    if not flags["workforce_stats"]:
        del view["workforce_stats"]
    if flags["sample_stats"]:
        view["sample_stats"] = world.labeling.stats(task)
    if task.status != TASK_CREATED:
        user = user_of(request, request.path_params["project_id"])
        rows = world.labeling.worker_tasks(task)
        view["worker_stats"] = [
            {**worker_task_view(row, user), **worker_results(world, row)} for row in rows
        ]
    if flags["label_stats"]:
        view["label_stats"], _ = statistics(dataset.labels, world.labeling.view_of(task))
    return answer(request, view)


PATH = "/v2/{project_id}/workforces"
ONE = PATH + "/{workforce_id}"
WORKER = ONE + "/workers/{worker_id}"
TASKS = "/v2/{project_id}/datasets/{dataset_id}/workforce-tasks"
routes = [
    # Literal paths first: they share a prefix with /workforces/{workforce_id}.
    Route(PATH + "/workers", list_all_workers, methods=["GET"]),
    Route(PATH, list_workforces, methods=["GET"]),
    Route(PATH, create_workforce, methods=["POST"]),
    Route(ONE, describe_workforce, methods=["GET"]),
    Route(ONE, update_workforce, methods=["PUT"]),
    Route(ONE, delete_workforce, methods=["DELETE"]),
    Route(ONE + "/workers/batch-delete", batch_delete_workers, methods=["POST"]),
    Route(ONE + "/workers", list_workers, methods=["GET"]),
    Route(ONE + "/workers", create_worker, methods=["POST"]),
    Route(WORKER, describe_worker, methods=["GET"]),
    Route(WORKER, update_worker, methods=["PUT"]),
    Route(WORKER, delete_worker, methods=["DELETE"]),
    Route(TASKS, list_workforce_tasks, methods=["GET"]),
    Route(TASKS, create_workforce_task, methods=["POST"]),
    Route(TASKS + "/{workforce_task_id}", describe_workforce_task, methods=["GET"]),
]

"""Data processing: ``/v2/{project_id}/processor-tasks``.

FOUND: GetProcessorTaskItems (GET ``/items``, 200) pages ``offset``/``limit``
(1–1000, default 1000) and answers ``{"total", "items"}``; ListProcessorTasks
(GET, 200) pages with ``limit`` 1–100 (default 10), sorts by ``create_time`` |
``name`` | ``duration_seconds`` and answers ``{"count", "tasks"}``;
CreateProcessorTask (POST) answers 200 ``{"task_id"}``; Describe/Update/Delete
answer 200; ListProcessorTaskVersions pages ``limit`` 1–100 (default 100) and
answers ``{"count", "versions"}``; DeleteProcessorTaskVersion answers 204;
ListProcessorTaskVersionResults pages ``limit`` 1–100 (default 10) and answers
``{"count", "has_more", "results"}``.

INFERRED: the create body is ``name``,
``template: {"id"}``, ``inputs: [{"type", "source"}]``, optional
``description`` and ``work_path``; ``task_name`` filters by name (fuzzy, as does
``search_content``), ``order`` is ``asc`` | ``desc`` (default ``desc``);
CreateProcessorTaskVersion answers 200 ``{"version_id"}``; StopProcessorTaskVersion
answers 200 with the version; ``duration_seconds`` counts from running to the end
(or now); the counts are the rows its results hold.

FOUND (DescribeProcessorTask's table and example): a task answers ``is_current``
("whether the current task is the latest of the same type of this version") and
``result`` ("displayed when status is 2 and valid for a feature analysis task");
a version (DescribeProcessorTaskVersion) answers ``task_version_id`` and its task's
``inputs``, ``template`` and ``work_path``. INFERRED: ``result`` is ``null`` until
an analysis task completes, then the counts of its newest version's results; a
version also keeps ``version_id`` (the same id) for the clients that read it.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from mockserver.core.contract import contract
from mockserver.core.errors import InvalidInput
from mockserver.core.wire import read_json_object

from ..backend.processing import (
    ANALYSIS,
    COMPLETED,
    TEMPLATES,
    Processing,
    ProcessorTask,
    ProcessorVersion,
)
from .common import answer, page_window, request_id, whole_number, world_of

SORTS = ("create_time", "name", "duration_seconds")
# FOUND: GetProcessorTaskItems answers {template_id, label_en, label_zh}; the Chinese
# names are the console's (INFERRED: the documented example shows a placeholder).
LABELS_ZH = {
    "sys_data_analyse": "数据分析",
    "sys_data_cleaning": "数据清洗",
    "sys_data_augmentation": "数据增强",
    "sys_data_validation": "数据校验",
    "sys_data_selection": "数据选择",
}


def _now(request: Request) -> int:
    return int(world_of(request).context.clock.now() * 1000)


def _duration(version: ProcessorVersion, now: int) -> int:
    if not version.started_time:
        return 0
    ended = version.finished_time or now
    return (ended - version.started_time) // 1000


def _counts(version: ProcessorVersion) -> dict[str, int]:
    rows = version.results if version.status == COMPLETED else []
    passed = sum(1 for row in rows if row["result"] == "passed")
    return {
        "total_sample_count": len(version.results) if version.started_time else 0,
        "processed_sample_count": len(rows),
        "passed_sample_count": passed,
        "failed_sample_count": len(rows) - passed,
    }


def _template(task: ProcessorTask) -> dict[str, str]:
    return {"id": task.template_id, "name": TEMPLATES[task.template_id]}


def version_view(task: ProcessorTask, version: ProcessorVersion, now: int) -> dict[str, Any]:
    return {
        "task_version_id": version.id,
        "version_id": version.id,
        "version_name": version.name,
        "task_id": version.task_id,
        "description": version.description,
        "status": version.status,
        "create_time": version.create_time,
        "update_time": version.update_time,
        "duration_seconds": _duration(version, now),
        "inputs": task.inputs,
        "template": _template(task),
        "work_path": task.work_path,
        **_counts(version),
    }


def task_view(processing: Processing, task: ProcessorTask, now: int) -> dict[str, Any]:
    latest = next(reversed(task.versions.values()), None)
    source = task.data_source or (task.inputs[0] if task.inputs else None)
    analysed = latest is not None and task.template_id == ANALYSIS and task.status == COMPLETED
    return {
        "task_id": task.id,
        "name": task.name,
        "description": task.description,
        **({"data_source": source} if source is not None else {}),
        "template": _template(task),
        "inputs": task.inputs,
        "work_path": task.work_path,
        "status": task.status,
        "create_time": task.create_time,
        "update_time": task.update_time,
        "version_count": len(task.versions),
        "duration_seconds": _duration(latest, now) if latest else 0,
        "version_id": latest.id if latest else None,
        "is_current": processing.is_current(task),
        "result": _counts(latest) if analysed and latest is not None else None,
    }


# FOUND: the documented options (Type / Options column of the query table).
def _order(request: Request) -> bool:
    order = request.query_params.get("order") or "desc"
    if order not in ("asc", "desc"):
        raise InvalidInput.one("order", "must be asc or desc")
    return order == "desc"


@contract(query=("paging",))
async def task_items(request: Request) -> Response:
    offset, limit = page_window(request.query_params, default_limit=1000, most_limit=1000)
    items = [
        {"template_id": key, "label_en": name, "label_zh": LABELS_ZH[key]}
        for key, name in TEMPLATES.items()
    ]
    return answer(request, {"total": len(items), "items": items[offset : offset + limit]})


@contract(query=("paging",))
async def list_tasks(request: Request) -> Response:
    offset, limit = page_window(request.query_params, default_limit=10, most_limit=100)
    query = request.query_params
    sort_by = query.get("sort_by") or "create_time"
    if sort_by not in SORTS:
        # FOUND: the documented options (Type / Options column of the query table).
        raise InvalidInput.one("sort_by", f"must be one of {', '.join(SORTS)}")
    status_text = query.get("status")
    status = whole_number(status_text, "status", default=-1, least=0, most=4)
    world = world_of(request)
    now = _now(request)
    descending = _order(request)
    tasks = world.processing.listing(
        name=query.get("task_name") or query.get("search_content"),
        status=None if status < 0 else status,
        sort_by="name" if sort_by == "name" else "create_time",
        descending=descending,
    )
    views = [task_view(world.processing, task, now) for task in tasks]
    if sort_by == "duration_seconds":
        views.sort(key=lambda view: int(view["duration_seconds"]), reverse=descending)
    page = views[offset : offset + limit]
    return answer(request, {"count": len(tasks), "tasks": page})


def _text(body: dict[str, Any], name: str) -> str | None:
    value = body.get(name)
    if value is not None and not isinstance(value, str):
        raise InvalidInput.one(name, "must be a string")
    return value


async def create_task(request: Request) -> Response:
    body = await read_json_object(request, require_media_type=False)
    template = body.get("template")
    template_id = template.get("id") if isinstance(template, dict) else None
    inputs = body.get("inputs") or []
    if not isinstance(inputs, list) or not all(isinstance(item, dict) for item in inputs):
        raise InvalidInput.one("inputs", "must be a list of objects")
    work_path = body.get("work_path")
    data_source = body.get("data_source")
    if data_source is not None and not isinstance(data_source, dict):
        raise InvalidInput.one("data_source", "must be an object")
    task = world_of(request).processing.create(
        name=_text(body, "name") or "",
        template_id=template_id if isinstance(template_id, str) else "",
        inputs=inputs,
        description=_text(body, "description") or "",
        work_path=work_path if isinstance(work_path, dict) else None,
        data_source=data_source,
    )
    return answer(request, {"task_id": task.id})


async def describe_task(request: Request) -> Response:
    processing = world_of(request).processing
    task = processing.get(request.path_params["task_id"])
    return answer(request, task_view(processing, task, _now(request)))


async def update_task(request: Request) -> Response:
    body = await read_json_object(request, require_media_type=False)
    world_of(request).processing.update(
        request.path_params["task_id"],
        name=_text(body, "name"),
        description=_text(body, "description"),
    )
    return answer(request, {})


async def delete_task(request: Request) -> Response:
    world_of(request).processing.delete(request.path_params["task_id"])
    return answer(request, {})


@contract(query=("paging",))
async def list_versions(request: Request) -> Response:
    offset, limit = page_window(request.query_params, default_limit=100, most_limit=100)
    task = world_of(request).processing.get(request.path_params["task_id"])
    versions = list(task.versions.values())
    if _order(request):
        versions.reverse()
    now = _now(request)
    page = [version_view(task, version, now) for version in versions[offset : offset + limit]]
    return answer(request, {"count": len(versions), "versions": page})


async def create_version(request: Request) -> Response:
    body = await read_json_object(request, require_media_type=False)
    version = world_of(request).processing.create_version(
        request.path_params["task_id"], _text(body, "description") or ""
    )
    return answer(request, {"version_id": version.id})


def _version(request: Request) -> tuple[ProcessorTask, ProcessorVersion]:
    params = request.path_params
    processing = world_of(request).processing
    task = processing.get(params["task_id"])
    return task, processing.version(task.id, params["version_id"])


async def describe_version(request: Request) -> Response:
    return answer(request, version_view(*_version(request), _now(request)))


async def delete_version(request: Request) -> Response:
    params = request.path_params
    world_of(request).processing.delete_version(params["task_id"], params["version_id"])
    return Response(status_code=204, headers={"X-Request-Id": request_id(request.scope)})


async def stop_version(request: Request) -> Response:
    params = request.path_params
    processing = world_of(request).processing
    version = processing.stop(params["task_id"], params["version_id"])
    task = processing.get(params["task_id"])
    return answer(request, version_view(task, version, _now(request)))


@contract(query=("paging",))
async def list_results(request: Request) -> Response:
    offset, limit = page_window(request.query_params, default_limit=10, most_limit=100)
    _, version = _version(request)
    rows = version.results if version.status == COMPLETED else []
    page = rows[offset : offset + limit]
    return answer(
        request,
        {"count": len(rows), "has_more": offset + len(page) < len(rows), "results": page},
    )


PATH = "/v2/{project_id}/processor-tasks"
VERSIONS = PATH + "/{task_id}/versions"
routes = [
    Route(PATH + "/items", task_items, methods=["GET"]),
    Route(PATH, list_tasks, methods=["GET"]),
    Route(PATH, create_task, methods=["POST"]),
    Route(PATH + "/{task_id}", describe_task, methods=["GET"]),
    Route(PATH + "/{task_id}", update_task, methods=["PUT"]),
    Route(PATH + "/{task_id}", delete_task, methods=["DELETE"]),
    Route(VERSIONS, list_versions, methods=["GET"]),
    Route(VERSIONS, create_version, methods=["POST"]),
    Route(VERSIONS + "/{version_id}", describe_version, methods=["GET"]),
    Route(VERSIONS + "/{version_id}", delete_version, methods=["DELETE"]),
    Route(VERSIONS + "/{version_id}/stop", stop_version, methods=["POST"]),
    Route(VERSIONS + "/{version_id}/results", list_results, methods=["GET"]),
]

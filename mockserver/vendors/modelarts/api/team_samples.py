"""Editing, removing and inspecting a team labeling task, and its samples.

FOUND: UpdateWorkforceTask is ``PUT /v2/{project_id}/datasets/{dataset_id}/
workforce-tasks/{workforce_task_id}`` answering 200 ``{}``; DeleteWorkforceTask
is ``DELETE`` on the same path answering 204; GetWorkforceTaskMetrics is ``GET
.../metrics`` answering ``{"sample_stats": {...}}``; ListWorkforceTaskSamples is
``GET .../data-annotations/samples`` with ``offset``, ``limit`` (1–100, default
10) and ``sample_state``, answering ``{"sample_count", "samples"}`` like
ListSamples; DescribeWorkforceTaskSample answers one sample of the task.

INFERRED: the update body may be empty; the 204 answer has no body; a sample not
allocated to the task is ``ModelArts.4420``; the other documented query
parameters are accepted and change nothing.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from mockserver.core.contract import contract
from mockserver.core.wire import read_json_object

from ..errors import ParameterInvalid, SampleMissing
from .common import answer, page_window, request_id, sample_state, workforces_config, world_of
from .samples import sample_view

LIMIT_DEFAULT, LIMIT_MOST = 10, 100


def _text(body: dict[str, Any], name: str) -> str | None:
    value = body.get(name)
    if value is None:
        return None
    if not isinstance(value, str):
        raise ParameterInvalid(f"{name}: must be a string")
    return value


async def update_workforce_task(request: Request) -> Response:
    body: dict[str, Any] = {}
    if await request.body():
        body = await read_json_object(request, require_media_type=False)
    config = workforces_config(body)
    world = world_of(request)
    world.team_tasks.update(
        request.path_params["dataset_id"],
        request.path_params["workforce_task_id"],
        name=_text(body, "task_name"),
        description=_text(body, "description"),
        config=config,
    )
    return answer(request, {})


async def delete_workforce_task(request: Request) -> Response:
    world = world_of(request)
    world.team_tasks.delete(
        request.path_params["dataset_id"], request.path_params["workforce_task_id"]
    )
    return Response(status_code=204, headers={"X-Request-Id": request_id(request.scope)})


async def workforce_task_metrics(request: Request) -> Response:
    world = world_of(request)
    stats = world.team_tasks.metrics(
        request.path_params["dataset_id"], request.path_params["workforce_task_id"]
    )
    return answer(request, {"sample_stats": stats})


@contract(query=("paging",))
async def list_workforce_task_samples(request: Request) -> Response:
    query = request.query_params
    offset, limit = page_window(query, default_limit=LIMIT_DEFAULT, most_limit=LIMIT_MOST)
    state = sample_state(query.get("sample_state"))
    world = world_of(request)
    total, page = world.team_tasks.samples_page(
        request.path_params["dataset_id"],
        request.path_params["workforce_task_id"],
        offset=offset,
        limit=limit,
        state=state,
    )
    return answer(request, {"sample_count": total, "samples": [sample_view(s) for s in page]})


async def describe_workforce_task_sample(request: Request) -> Response:
    sample_state(request.query_params.get("sample_state"))
    world = world_of(request)
    dataset, task = world.team_tasks.task(
        request.path_params["dataset_id"], request.path_params["workforce_task_id"]
    )
    sample_id = request.path_params["sample_id"]
    sample = world.samples.of(dataset).by_id.get(sample_id)
    if sample is None or not world.labeling.holds(task, sample):
        raise SampleMissing(f"sample_id: the sample {sample_id} is not in the task")
    return answer(request, sample_view(sample))


TASK = "/v2/{project_id}/datasets/{dataset_id}/workforce-tasks/{workforce_task_id}"
SAMPLES = TASK + "/data-annotations/samples"
routes = [
    Route(TASK, update_workforce_task, methods=["PUT"]),
    Route(TASK, delete_workforce_task, methods=["DELETE"]),
    Route(TASK + "/metrics", workforce_task_metrics, methods=["GET"]),
    Route(SAMPLES, list_workforce_task_samples, methods=["GET"]),
    Route(SAMPLES + "/{sample_id}", describe_workforce_task_sample, methods=["GET"]),
]

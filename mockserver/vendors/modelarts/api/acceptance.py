"""Reviewing team samples and the owner's acceptance rounds, as routes.

FOUND: ReviewSamples is ``POST .../workforce-tasks/{workforce_task_id}/
data-annotations/review`` and AcceptSamples ``POST .../acceptance/batch-comment``,
both with ``{"comments": [SampleComment]}`` answering 200 ``{}``;
StartWorkforceSamplingTask is ``POST .../acceptance`` (``sampling_num`` or
``sampling_rate``) answering ``{"task_id"}``; GetWorkforceSamplingTask is ``GET
.../acceptance/report?checking_task_id=`` answering ``{"checking_stats",
"total_stats"}``; UpdateWorkforceSamplingTask is ``PUT .../acceptance/status?locale=``
with ``action`` (required) and ``overwrite_last_result`` answering
``{"sample_count", "samples"}``. Both pages' query tables mark their parameter
Mandatory, yet both pages' example requests leave it out: a client that copies an
example is answered, the report for the task's latest round and the status in
``en-us``.

INFERRED: a missing required body field is 400 ``ModelArts.0104`` naming it; both
or neither of ``sampling_num`` and ``sampling_rate`` is 400 ``ModelArts.4396``;
``locale`` is not checked further; the status answer lists the samples the action
moved (for action ``3``, the conflicting ones).
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from mockserver.core.errors import InvalidInput
from mockserver.core.wire import read_json_object

from ..backend import ModelArtsWorld
from ..backend.acceptance import Round
from ..backend.labeling import WorkerTask
from ..backend.workforces import WorkforceTask
from ..errors import CheckingTaskMissing, ParameterInvalid, error_body
from .common import answer, world_of
from .samples import sample_view

TASK = "/v2/{project_id}/datasets/{dataset_id}/workforce-tasks/{workforce_task_id}"


def task_results(world: ModelArtsWorld, task: WorkforceTask) -> dict[str, Any]:
    """A task's ``check_rate``, ``pass_rate``, ``score`` and open round, if any."""
    results: dict[str, Any] = world.acceptance.rates(task)
    current = world.acceptance.current(task)
    if current is not None:
        results["checking_task_desc"] = {
            "checking_task_id": current.id,
            "action": current.action,
            "overwrite_last_result": current.overwrite_last_result,
            "checking_stats": world.acceptance.round_stats(task, [current]),
            "total_stats": world.acceptance.round_stats(task, world.acceptance.rounds(task)),
        }
    return results


def worker_results(world: ModelArtsWorld, row: WorkerTask) -> dict[str, float]:
    """A member's ``pass_rate`` and ``score`` over the samples they labeled."""
    rates = world.acceptance.rates(row.task, row.worker.id)
    return {"pass_rate": rates["pass_rate"], "score": rates["score"]}


def _ids(request: Request) -> tuple[str, str]:
    return request.path_params["dataset_id"], request.path_params["workforce_task_id"]


async def _comments(request: Request, *, required: bool) -> Any:
    body = await read_json_object(request, require_media_type=False)
    if required and "comments" not in body:
        raise InvalidInput.one("comments", "is required")
    return body.get("comments") or []


async def review_samples(request: Request) -> Response:
    # FOUND: ReviewSamples' ``comments`` is not mandatory; AcceptSamples' is ("Yes").
    comments = await _comments(request, required=False)
    skipped = world_of(request).acceptance.review(*_ids(request), comments)
    if skipped is None:
        return answer(request, {})
    return answer(request, error_body(skipped)[1])


def _number(body: dict[str, Any]) -> int | None:
    value = body.get("sampling_num")
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ParameterInvalid("sampling_num: must be a whole number of 1 or more")
    return value


def _rate(body: dict[str, Any]) -> float | None:
    value = body.get("sampling_rate")
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value <= 1:
        raise ParameterInvalid("sampling_rate: must be a number in (0, 1]")
    return float(value)


async def start_sampling(request: Request) -> Response:
    body = await read_json_object(request, require_media_type=False)
    number, rate = _number(body), _rate(body)
    # FOUND: "Either this parameter or sampling_rate"; a rate is in "(0,1]".
    if (number is None) == (rate is None):
        raise ParameterInvalid("sampling_num, sampling_rate: give exactly one of them")
    started = world_of(request).acceptance.start(*_ids(request), number=number, rate=rate)
    return answer(request, {"task_id": started.id})


async def sampling_report(request: Request) -> Response:
    world = world_of(request)
    dataset_id, task_id = _ids(request)
    task = world.workforces.get_task(world.datasets.get(dataset_id).id, task_id)
    checking_task_id = request.query_params.get("checking_task_id", "")
    # The query table makes ``checking_task_id`` Mandatory but the page's example sends
    # none: without it, the report is of the task's latest round.
    chosen: Round
    if checking_task_id:
        chosen = world.acceptance.get_round(task, checking_task_id)
    else:
        rounds = world.acceptance.rounds(task)
        if not rounds:  # FOUND: APPX 4631 "the task does not exist"
            raise CheckingTaskMissing("checking_task_id: the task has no acceptance round")
        chosen = rounds[-1]
    done = [each for each in world.acceptance.rounds(task) if each.action is not None]
    return answer(
        request,
        {
            "checking_stats": world.acceptance.round_stats(task, [chosen]),
            "total_stats": world.acceptance.round_stats(task, done or [chosen]),
        },
    )


async def comment_samples(request: Request) -> Response:
    comments = await _comments(request, required=True)
    world_of(request).acceptance.comment(*_ids(request), comments)
    return answer(request, {})


async def update_sampling(request: Request) -> Response:
    # ``locale`` (a language, read nowhere else) is Mandatory in the query table but
    # absent from the page's example request: without it the answer is in en-us.
    body = await read_json_object(request, require_media_type=False)
    action = body.get("action")
    if action is None:
        raise InvalidInput.one("action", "is required")
    if isinstance(action, bool) or not isinstance(action, int):
        raise ParameterInvalid("action: must be one of 0, 1, 2, 3, 4, 5")
    overwrite = body.get("overwrite_last_result", False)
    if not isinstance(overwrite, bool):
        raise ParameterInvalid("overwrite_last_result: must be a boolean")
    moved = world_of(request).acceptance.finish(*_ids(request), action, overwrite=overwrite)
    return answer(request, {"sample_count": len(moved), "samples": [sample_view(s) for s in moved]})


routes = [
    Route(TASK + "/data-annotations/review", review_samples, methods=["POST"]),
    Route(TASK + "/acceptance", start_sampling, methods=["POST"]),
    Route(TASK + "/acceptance/report", sampling_report, methods=["GET"]),
    Route(TASK + "/acceptance/status", update_sampling, methods=["PUT"]),
    Route(TASK + "/acceptance/batch-comment", comment_samples, methods=["POST"]),
]

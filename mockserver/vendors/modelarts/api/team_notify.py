"""Notifying a team task's members, its statistics, member label submissions, search terms.

FOUND: SendEmails is ``POST .../workforce-tasks/{workforce_task_id}/notify`` with
``{"emails": [String, ...]}`` answering 200 BatchResponse ``{"success": true}``;
ListWorkforceTaskStats (``GET .../data-annotations/stats``, ``sample_state``)
answers the GetDatasetStats shape; UpdateWorkforceTaskSamples (``PUT
.../data-annotations/samples``) takes the UpdateSamples body and answers a
BatchResponse; ListSearch (``GET /datasets/{dataset_id}/data-annotations/
search-condition``) answers ``{"labels", "metadata", "labelers"}``.

INFERRED: ``emails`` must be a non-empty list of strings; the task statistics
count only the samples handed to the task; a submitted sample outside the task
fails its item with ``ModelArts.4420``; a submitted label waits for review
(``__UNREVIEWED__``, as members' labels do), and the body's ``email``, when it is
a member's, records that member as the labeler; ``labelers`` lists ``annotated_by`` of
the dataset's sample labels.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from mockserver.core.contract import contract
from mockserver.core.validation import validate
from mockserver.core.wire import read_json_object

from ..backend.labeling import UNREVIEWED, members_of
from ..backend.samples import Sample
from ..errors import ModelArtsError, ParameterInvalid, SampleMissing
from .common import answer, sample_state, world_of
from .labels import stats_view

VENDOR = "modelarts"


async def send_emails(request: Request) -> Response:
    body = await read_json_object(request, require_media_type=False)
    emails = body.get("emails")
    # FOUND: ``emails`` is mandatory, an Array of String (SendEmails); an empty one
    # notifies nobody.
    if not isinstance(emails, list) or not all(isinstance(email, str) for email in emails):
        raise ParameterInvalid("emails: must be a list of strings")
    world_of(request).team_tasks.task(
        request.path_params["dataset_id"], request.path_params["workforce_task_id"]
    )
    return answer(request, {"success": True})


async def workforce_task_stats(request: Request) -> Response:
    state = sample_state(request.query_params.get("sample_state"))
    world = world_of(request)
    dataset, task = world.team_tasks.task(
        request.path_params["dataset_id"], request.path_params["workforce_task_id"]
    )
    return answer(request, stats_view(dataset, world.labeling.view_of(task), state))


def _failure(error: ModelArtsError) -> dict[str, Any]:
    return {"success": False, "error_code": error.code, "error_msg": error.detail}


@contract(body="update_samples")
async def update_workforce_task_samples(request: Request) -> Response:
    body = await read_json_object(request, require_media_type=False)
    validate(VENDOR, "update_samples", body)
    world = world_of(request)
    dataset, task = world.team_tasks.task(
        request.path_params["dataset_id"], request.path_params["workforce_task_id"]
    )
    held = world.samples.of(dataset)
    member = next((w for w in members_of(task) if w.email == body.get("email")), None)
    results: list[dict[str, Any]] = []
    for index, item in enumerate(body.get("samples") or []):  # FOUND: not mandatory
        sample_id = str(item.get("sample_id") or "")
        sample = held.by_id.get(sample_id)
        if sample is None or not world.labeling.holds(task, sample):
            missing = SampleMissing(
                f"samples.{index}.sample_id: the sample {sample_id} is not in the task"
            )
            results.append(_failure(missing))
            continue
        if member is not None and not item.get("worker_id"):
            item = {**item, "worker_id": member.id}
        (outcome,) = world.samples.update(dataset, [item], labeled=UNREVIEWED)
        results.append({"success": True} if isinstance(outcome, Sample) else _failure(outcome))
    return answer(request, {"success": all(r["success"] for r in results), "results": results})


async def list_search(request: Request) -> Response:
    world = world_of(request)
    dataset = world.datasets.get(request.path_params["dataset_id"])
    labelers = world.samples.of(dataset).labelers
    body = {
        "labels": [dict(label) for label in dataset.labels],
        "metadata": {},
        "labelers": sorted(who for who, count in labelers.items() if count > 0),
    }
    return answer(request, body)


TASK = "/v2/{project_id}/datasets/{dataset_id}/workforce-tasks/{workforce_task_id}"
routes = [
    Route(
        "/v2/{project_id}/datasets/{dataset_id}/data-annotations/search-condition",
        list_search,
        methods=["GET"],
    ),
    Route(TASK + "/notify", send_emails, methods=["POST"]),
    Route(TASK + "/data-annotations/stats", workforce_task_stats, methods=["GET"]),
    Route(TASK + "/data-annotations/samples", update_workforce_task_samples, methods=["PUT"]),
]

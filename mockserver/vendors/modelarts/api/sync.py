"""Syncing a dataset with its data source, and the dataset's metrics.

FOUND: SyncDataSource is ``POST /v2/{project_id}/datasets/{dataset_id}/sync-data``
(no body) answering 200; SyncDataSourceState is ``GET .../sync-data/status``
answering ``{task_id, dataset_id, status, create_time, duration_time,
add_sample_count, deleted_sample_count, total_sample_count, error_code,
error_msg}``; GetDatasetMetrics is ``GET .../metrics`` with ``start_time`` and
``end_time`` (epoch milliseconds) and an optional ``workforce_task_id``,
answering ``{"metrics": Map<String, Map<String, Integer>>}``.

INFERRED: SyncDataSource answers ``{}``; ``error_code`` and ``error_msg`` appear
only on a failed sync (never, in the mock); a non-numeric time is 400
``ModelArts.0104`` naming it; a missing one leaves that end of the range open.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from mockserver.core.errors import InvalidInput
from mockserver.core.numbers import natural

from ..backend.team_tasks import SYNC_MISSING
from .common import answer, world_of

# Times default to the whole range: GetDatasetMetrics' query table marks ``start_time``
# and ``end_time`` Mandatory, but the page's own example request sends neither, and a
# client that copies it must be answered, not refused.
WHOLE_RANGE = (0, 2**63 - 1)


def _millis(value: str | None, name: str, default: int) -> int:
    """FOUND (GetDatasetMetrics): ``start_time``, ``end_time`` are Long epoch milliseconds."""
    if value is None or value == "":
        return default
    millis = natural(value.strip())
    if millis is None:
        raise InvalidInput.one(name, "must be a time in epoch milliseconds")
    return millis


async def sync_data_source(request: Request) -> Response:
    world_of(request).team_tasks.sync(request.path_params["dataset_id"])
    return answer(request, {})


async def sync_data_source_state(request: Request) -> Response:
    dataset_id = request.path_params["dataset_id"]
    job = world_of(request).team_tasks.sync_state(dataset_id)
    view: dict[str, Any]
    if job is None:
        view = {
            "task_id": "",
            "dataset_id": dataset_id,
            "status": SYNC_MISSING,
            "create_time": 0,
            "duration_time": 0,
            "add_sample_count": 0,
            "deleted_sample_count": 0,
            "total_sample_count": 0,
        }
    else:
        view = {
            "task_id": job.task_id,
            "dataset_id": job.dataset_id,
            "status": job.status,
            "create_time": job.create_time,
            "duration_time": job.duration_time,
            "add_sample_count": job.add_sample_count,
            "deleted_sample_count": job.deleted_sample_count,
            "total_sample_count": job.total_sample_count,
        }
    return answer(request, view)


async def dataset_metrics(request: Request) -> Response:
    query = request.query_params
    start = _millis(query.get("start_time"), "start_time", WHOLE_RANGE[0])
    end = _millis(query.get("end_time"), "end_time", WHOLE_RANGE[1])
    # INFERRED: a start after the end is not refused (nothing says so); no day falls in it.
    metrics = world_of(request).team_tasks.dataset_metrics(
        request.path_params["dataset_id"], start, end, query.get("workforce_task_id") or None
    )
    return answer(request, {"metrics": metrics})


DATASET = "/v2/{project_id}/datasets/{dataset_id}"
routes = [
    Route(DATASET + "/sync-data/status", sync_data_source_state, methods=["GET"]),
    Route(DATASET + "/sync-data", sync_data_source, methods=["POST"]),
    Route(DATASET + "/metrics", dataset_metrics, methods=["GET"]),
]

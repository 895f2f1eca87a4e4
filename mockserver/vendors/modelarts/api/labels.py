"""Labels and statistics: ``/v2/{project_id}/datasets/{dataset_id}/data-annotations/...``.

FOUND: ListLabels (GET ``/labels``, ``version_id``, ``offset``, ``limit`` 1–100000,
default 100000) answers ``{"total_number", "labels"}``; CreateLabels (POST) and
UpdateLabels (PUT) take ``{"labels": [Label]}``, DeleteLabels (POST ``/labels/delete``,
``delete_policy``) too, and all three answer 200 with the BatchResponse envelope
``{"success", "results": [{"success", "error_code", "error_msg"}]}``; UpdateLabel
(PUT ``/labels/{label_name}``, ``label_type``) takes the bare property map and
DeleteLabelAndSamples (DELETE, ``delete_source``, ``label_type``) removes one label,
both answering 204; GetDatasetStats (GET ``/stats``, ``email``, ``locale``,
``sample_state``) answers ``label_stats``, ``sample_stats``, ``key_sample_stats``,
``hard_detail_stats``, ``metadata_stats``, ``grouped_label_stats``, ``data_path``,
``data_spliting_enable`` (sic).

INFERRED: a batch handles its items in order, each on its own: an item that fails
changes nothing and the others still apply; ``success`` is true when every item
succeeded; a failed item's ``error_msg`` names its field (``labels.<i>.name``). A
body that breaks the schema, an unknown dataset or a bad query parameter refuses the
whole call. No dataset versions exist, so any ``version_id`` is unknown.
``delete_policy`` ``1`` and ``2`` (and DeleteLabelAndSamples) delete the samples that
carry no other label; OBS is not emulated, so source files are not touched. The
statistics count the dataset's samples (``sample_state`` narrows the label counts).
``data_path`` is the first data source's path; the other statistic maps are empty.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from mockserver.core.contract import contract
from mockserver.core.errors import InvalidInput
from mockserver.core.validation import validate
from mockserver.core.wire import read_json_object

from ..backend.datasets import Dataset
from ..backend.labels import (
    DELETE_POLICIES,
    LABEL_TYPES,
    only_carrying,
    statistics,
)
from ..backend.sample_views import SampleView
from ..errors import ModelArtsError
from .common import answer, page_window, request_id, sample_state, whole_number, world_of
from .datasets import VENDOR

LIMIT_MOST = 100000


@contract(query=("paging",))
async def list_labels(request: Request) -> Response:
    query = request.query_params
    world = world_of(request)
    datasets = world.datasets
    datasets.get(request.path_params["dataset_id"])
    offset, limit = page_window(query, default_limit=LIMIT_MOST, most_limit=LIMIT_MOST)
    if query.get("version_id"):
        # FOUND: an unknown version is ModelArts.4353 (appendix). INFERRED: a version
        # keeps no labels of its own here, so a known one lists the dataset's labels.
        world.versions.get(request.path_params["dataset_id"], query["version_id"])
    total, page = datasets.labels_page(
        request.path_params["dataset_id"], offset=offset, limit=limit
    )
    return answer(request, {"total_number": total, "labels": page})


@contract(body="label_batch")
async def create_labels(request: Request) -> Response:
    dataset_id, labels = await _batch(request)
    add = world_of(request).datasets.add_label
    return _batch_answer(request, labels, lambda label, where: add(dataset_id, label, where))


@contract(body="label_batch")
async def update_labels(request: Request) -> Response:
    dataset_id, labels = await _batch(request)
    change = world_of(request).datasets.change_label
    return _batch_answer(request, labels, lambda label, where: change(dataset_id, label, where))


@contract(body="label_batch")
async def delete_labels(request: Request) -> Response:
    query = request.query_params
    policy = whole_number(query.get("delete_policy"), "delete_policy", default=0, least=0)
    if policy not in DELETE_POLICIES:
        # FOUND: the documented options (Type / Options column of the query table).
        raise InvalidInput.one("delete_policy", "must be 0, 1 or 2")
    dataset_id, labels = await _batch(request)
    world = world_of(request)

    def one(label: Mapping[str, Any], where: str) -> Any:
        name = str(label["name"])
        world.datasets.remove_label(dataset_id, name, f"{where}.name", label.get("type"))
        if policy:
            _drop_samples(request, dataset_id, name)

    return _batch_answer(request, labels, one)


async def update_label(request: Request) -> Response:
    label_type = _label_type(request)
    body = await read_json_object(request, require_media_type=False)
    name = request.path_params["label_name"]
    world_of(request).datasets.change_label(
        request.path_params["dataset_id"],
        {"name": name, "property": body},
        "",
        label_type,
        name_field="label_name",
    )
    return Response(status_code=204, headers={"X-Request-Id": request_id(request.scope)})


async def delete_label(request: Request) -> Response:
    label_type = _label_type(request)
    if request.query_params.get("delete_source", "false") not in ("true", "false"):
        # FOUND: the documented options (Type / Options column of the query table).
        raise InvalidInput.one("delete_source", "must be true or false")
    dataset_id, name = request.path_params["dataset_id"], request.path_params["label_name"]
    world_of(request).datasets.remove_label(dataset_id, name, "label_name", label_type)
    _drop_samples(request, dataset_id, name)
    return Response(status_code=204, headers={"X-Request-Id": request_id(request.scope)})


async def dataset_stats(request: Request) -> Response:
    state = sample_state(request.query_params.get("sample_state"))
    world = world_of(request)
    dataset = world.datasets.get(request.path_params["dataset_id"])
    return answer(request, stats_view(dataset, world.samples.of(dataset).whole, state))


def stats_view(dataset: Dataset, samples: SampleView, state: str | None) -> dict[str, Any]:
    """The statistics answer of a dataset, or of the samples of one of its team tasks."""
    label_stats, sample_stats = statistics(dataset.labels, samples, state)
    sources = [source for source in dataset.data_sources if "data_path" in source]
    return {
        "label_stats": label_stats,
        "sample_stats": sample_stats,
        "key_sample_stats": {},
        "hard_detail_stats": {},
        "metadata_stats": {},
        "grouped_label_stats": {},
        "data_path": str(sources[0]["data_path"]) if sources else "",
        "data_spliting_enable": False,
    }


async def _batch(request: Request) -> tuple[str, list[dict[str, Any]]]:
    """The dataset and the labels of a batch body, both checked before any item runs."""
    body = await read_json_object(request, require_media_type=False)
    validate(VENDOR, "label_batch", body)
    dataset = world_of(request).datasets.get(request.path_params["dataset_id"])
    return dataset.id, body.get("labels") or []  # FOUND: not mandatory in the three tables


def _batch_answer(
    request: Request,
    labels: list[dict[str, Any]],
    apply: Callable[[Mapping[str, Any], str], Any],
) -> Response:
    results: list[dict[str, Any]] = []
    for index, label in enumerate(labels):
        try:
            apply(label, f"labels.{index}")
        except ModelArtsError as refusal:
            results.append(
                {"success": False, "error_code": refusal.code, "error_msg": refusal.detail}
            )
        else:
            results.append({"success": True})
    return answer(request, {"success": all(r["success"] for r in results), "results": results})


def _drop_samples(request: Request, dataset_id: str, name: str) -> None:
    """Deletes the dataset's samples that carry no label but ``name``."""
    world = world_of(request)
    dataset = world.datasets.get(dataset_id)
    held = world.samples.of(dataset)
    carrying = [held.by_id[key] for key in held.label_view(name).ids()]
    doomed = only_carrying(carrying, name)
    if doomed:
        world.samples.delete(dataset, [sample.id for sample in doomed])


def _label_type(request: Request) -> int | None:
    given = request.query_params.get("label_type", "")
    if given == "":
        return None
    number = whole_number(given, "label_type", default=0, least=0)
    if number not in LABEL_TYPES:
        # FOUND: the documented options (Type / Options column of the query table).
        raise InvalidInput.one("label_type", "is not a label type")
    return number


PATH = "/v2/{project_id}/datasets/{dataset_id}/data-annotations"
routes = [
    Route(PATH + "/labels", list_labels, methods=["GET"]),
    Route(PATH + "/labels", create_labels, methods=["POST"]),
    Route(PATH + "/labels", update_labels, methods=["PUT"]),
    Route(PATH + "/labels/delete", delete_labels, methods=["POST"]),
    # FOUND: label names are percent-encoded UTF-8 in the path; a "/" in one (%2F) arrives
    # decoded, so the name takes the rest of the path.
    Route(PATH + "/labels/{label_name:path}", update_label, methods=["PUT"]),
    Route(PATH + "/labels/{label_name:path}", delete_label, methods=["DELETE"]),
    Route(PATH + "/stats", dataset_stats, methods=["GET"]),
]

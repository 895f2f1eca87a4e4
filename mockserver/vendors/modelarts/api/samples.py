"""Samples: ``/v2/{project_id}/datasets/{dataset_id}/data-annotations/samples``.

FOUND: UploadSamplesJson (POST, 200) answers ``{"success", "results": [{"success",
"name", "info"}]}`` with the sample id as ``info``; ListSamples (GET, 200) pages with
``offset``/``limit`` (1–100, default 10), filters with ``sample_state``,
``label_name`` and ``search_conditions`` and answers ``{"sample_count", "samples"}``;
DescribeSample (GET, 200) answers the sample; UpdateSamples (PUT, 200) and
DeleteSamples (POST ``.../samples/delete``, 200) answer the BatchResponse envelope.

INFERRED: a batch answers one result per item in the
order given, and is ``success`` only if every item is; a failed item carries its
``error_code`` and an ``error_msg`` naming its field; a body that fails its schema
is refused whole (400 ``ModelArts.0104``) and changes nothing; ``search_conditions``
is a JSON array whose ``sample_name`` (part of the name, case aside) and
``label_list`` (label names, ``op`` AND | OR) keys are honoured, others ignored;
other documented query parameters are accepted and change nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from mockserver.core.contract import contract
from mockserver.core.errors import InvalidInput
from mockserver.core.jsontext import NotJSON, loads
from mockserver.core.numbers import real
from mockserver.core.validation import validate
from mockserver.core.wire import read_json_object

from ..backend.samples import Match, Outcome, Sample
from ..errors import ModelArtsError, SampleMissing
from .common import answer, page_window, sample_state, world_of

VENDOR = "modelarts"
LIMIT_DEFAULT, LIMIT_MOST = 10, 100


def sample_view(sample: Sample) -> dict[str, Any]:
    view: dict[str, Any] = {
        "sample_id": sample.id,
        "sample_name": sample.name,
        "sample_type": sample.sample_type,
        "sample_status": sample.status,
        "sample_dir": sample.sample_dir,
        "sample_size": sample.size,
        "sample_time": sample.time,
        "source": sample.source if sample.source is not None else sample.location,
        "sample_data": [],
        "labels": [dict(label) for label in sample.labels],
        "metadata": dict(sample.metadata),
        "labelers": [],
    }
    if sample.usage is not None:
        view["sample_usage"] = sample.usage
    if sample.worker_id is not None:
        view["worker_id"] = sample.worker_id
    return view


def _failure(error: ModelArtsError) -> dict[str, Any]:
    return {"success": False, "error_code": error.code, "error_msg": error.detail}


def _batch(results: list[dict[str, Any]]) -> dict[str, Any]:
    return {"success": all(result["success"] for result in results), "results": results}


def _plain(outcomes: Sequence[Outcome]) -> dict[str, Any]:
    return _batch(
        [
            {"success": True} if isinstance(outcome, Sample) else _failure(outcome)
            for outcome in outcomes
        ]
    )


@contract(body="upload_samples")
async def upload_samples(request: Request) -> Response:
    body = await read_json_object(request, require_media_type=False)
    validate(VENDOR, "upload_samples", body)
    world = world_of(request)
    dataset = world.datasets.get(request.path_params["dataset_id"])
    items = body.get("samples") or []  # FOUND: not mandatory in the UploadSamplesJson table
    outcomes = world.samples.upload(
        dataset, items, final_annotation=body.get("final_annotation", True)
    )
    results: list[dict[str, Any]] = []
    for item, outcome in zip(items, outcomes, strict=True):
        if isinstance(outcome, Sample):
            results.append({"success": True, "name": outcome.location, "info": outcome.id})
        else:
            results.append({**_failure(outcome), "name": str(item.get("name", ""))})
    return answer(request, _batch(results))


@contract(query=("paging",))
async def list_samples(request: Request) -> Response:
    query = request.query_params
    offset, limit = page_window(query, default_limit=LIMIT_DEFAULT, most_limit=LIMIT_MOST)
    state = sample_state(query.get("sample_state"))
    world = world_of(request)
    dataset = world.datasets.get(request.path_params["dataset_id"])
    total, page = world.samples.page(
        dataset,
        offset=offset,
        limit=limit,
        state=state,
        label=query.get("label_name") or None,
        match=_matcher(query.get("search_conditions") or None),
    )
    return answer(request, {"sample_count": total, "samples": [sample_view(s) for s in page]})


async def describe_sample(request: Request) -> Response:
    world = world_of(request)
    dataset = world.datasets.get(request.path_params["dataset_id"])
    sample = world.samples.get(dataset, request.path_params["sample_id"])
    return answer(request, sample_view(sample))


@contract(query=("paging",))
async def list_auto_annotation_samples(request: Request) -> Response:
    """The samples auto-labeling proposed and nobody has confirmed (``__AUTO_ANNOTATION__``).

    INFERRED: ``low_score``/``high_score`` keep the samples with an auto label scored in
    that range; ``label_name`` and ``search_conditions`` filter as in ListSamples.
    """
    query = request.query_params
    offset, limit = page_window(query, default_limit=LIMIT_DEFAULT, most_limit=LIMIT_MOST)
    low, high = (
        _score(query.get("low_score"), "low_score", 0.0),
        _score(query.get("high_score"), "high_score", 1.0),
    )
    searched = _matcher(query.get("search_conditions") or None)

    def match(sample: Sample) -> bool:
        scored = any(low <= float(label.get("score", 1.0)) <= high for label in sample.labels)
        return scored and (searched is None or searched(sample))

    world = world_of(request)
    dataset = world.datasets.get(request.path_params["dataset_id"])
    total, page = world.samples.page(
        dataset,
        offset=offset,
        limit=limit,
        state=AUTO_ANNOTATION,
        label=query.get("label_name") or None,
        match=match if (low, high) != (0.0, 1.0) or searched is not None else None,
    )
    return answer(request, {"sample_count": total, "samples": [sample_view(s) for s in page]})


async def describe_auto_annotation_sample(request: Request) -> Response:
    world = world_of(request)
    dataset = world.datasets.get(request.path_params["dataset_id"])
    sample = world.samples.get(dataset, request.path_params["sample_id"])
    if sample.status != AUTO_ANNOTATION:
        raise SampleMissing(f"sample_id: {sample.id} is not an auto-annotated sample")
    return answer(request, sample_view(sample))


# INFERRED: bounds of "the confidence score" (defaults 0 and 1); see docs/refusals.
def _score(value: str | None, name: str, default: float) -> float:
    if value is None or value == "":
        return default
    score = real(value.strip())
    if score is None or not 0.0 <= score <= 1.0:
        raise InvalidInput.one(name, "must be a number from 0 to 1")
    return score


@contract(body="update_samples")
async def update_samples(request: Request) -> Response:
    body = await read_json_object(request, require_media_type=False)
    validate(VENDOR, "update_samples", body)
    world = world_of(request)
    dataset = world.datasets.get(request.path_params["dataset_id"])
    # FOUND: ``samples`` and their ``sample_id`` are not mandatory in the UpdateSamples table;
    # an item without an id fails alone (ModelArts.4420).
    return answer(request, _plain(world.samples.update(dataset, body.get("samples") or [])))


@contract(body="delete_samples")
async def delete_samples(request: Request) -> Response:
    body = await read_json_object(request, require_media_type=False)
    validate(VENDOR, "delete_samples", body)
    world = world_of(request)
    dataset = world.datasets.get(request.path_params["dataset_id"])
    # FOUND: ``samples`` is not mandatory in the DeleteSamples table.
    return answer(request, _plain(world.samples.delete(dataset, body.get("samples") or [])))


# FOUND: SearchCondition objects "after URL encoding"; malformed JSON is refused.
def _matcher(conditions: str | None) -> Match | None:
    """A test for the samples ``search_conditions`` asks for (``None``: no conditions)."""
    tests: list[Match] = []
    if conditions is not None:
        try:
            parsed = loads(conditions, what="search_conditions")
        except NotJSON:
            raise InvalidInput.one("search_conditions", "must be a JSON array") from None
        if isinstance(parsed, dict):
            parsed = [parsed]
        if not isinstance(parsed, list) or not all(isinstance(c, dict) for c in parsed):
            raise InvalidInput.one("search_conditions", "must be a JSON array of objects")
        for index, condition in enumerate(parsed):
            tests.extend(_condition(condition, f"search_conditions.{index}"))
    if not tests:
        return None
    return lambda sample: all(test(sample) for test in tests)


def _condition(condition: dict[str, Any], where: str) -> list[Match]:
    tests: list[Match] = []
    name = condition.get("sample_name")
    if isinstance(name, str) and name:
        needle = name.casefold()
        tests.append(lambda s: needle in s.name.casefold())
    label_list = condition.get("label_list")
    if label_list is not None:
        if not isinstance(label_list, dict) or not isinstance(label_list.get("labels", []), list):
            raise InvalidInput.one(f"{where}.label_list", "must be an object with a labels list")
        wanted = {
            str(label.get("name"))
            for label in label_list.get("labels", [])
            if isinstance(label, dict)
        }
        op = str(label_list.get("op", "OR")).upper()
        if op not in ("AND", "OR"):
            raise InvalidInput.one(f"{where}.label_list.op", "must be AND or OR")
        if wanted:
            joined = all if op == "AND" else any

            def has_labels(sample: Sample) -> bool:
                held = {str(label.get("name")) for label in sample.labels}
                return joined(name in held for name in wanted)

            tests.append(has_labels)
    return tests


PATH = "/v2/{project_id}/datasets/{dataset_id}/data-annotations/samples"
AUTO_PATH = "/v2/{project_id}/datasets/{dataset_id}/auto-annotations/samples"
AUTO_ANNOTATION = "__AUTO_ANNOTATION__"

routes = [
    Route(AUTO_PATH, list_auto_annotation_samples, methods=["GET"]),
    Route(AUTO_PATH + "/{sample_id}", describe_auto_annotation_sample, methods=["GET"]),
    Route(PATH, list_samples, methods=["GET"]),
    Route(PATH, upload_samples, methods=["POST"]),
    Route(PATH, update_samples, methods=["PUT"]),
    Route(PATH + "/delete", delete_samples, methods=["POST"]),
    Route(PATH + "/{sample_id}", describe_sample, methods=["GET"]),
]

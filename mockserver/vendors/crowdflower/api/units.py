"""Units (rows) and uploads: J3 and J8 uploads, and U1 to U11 under ``/jobs/{id}/units``.

Paths are relative to ``/v1``; ``.json`` is optional on every segment. Literal
paths (``/jobs/upload``, ``units/ping``, ``units/split``) are listed before the
``{job_id}`` and ``{unit_id}`` patterns that would otherwise take them.

FOUND: a unit's parameters are ``unit[...]`` form keys (``unit[data][col]``,
``unit[golden]``, ``unit[state]``) or a JSON body of the same shape; a unit is
created with 200 (a client needs it, though Appen documented 201); units are listed
as an object keyed by unit id, 1000 a page, ``{}`` past the end.
"""

from __future__ import annotations

from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from mockserver.core.context import body_of, tenant_of
from mockserver.core.contract import contract
from mockserver.core.jsontext import NotJSON, loads
from mockserver.core.numbers import natural, positive
from mockserver.core.params import Params, flag, merged_params, nest, parse_query

from .. import results, views
from ..backend.jobs import UPLOADED_JOB_CHANNELS, Job
from ..backend.units import PAGE_LIMIT, Unit
from ..backend.uploads import Upload, build_units
from ..errors import MissingParameters, NothingFound
from ..rows import TooManyRows, read_upload
from ..wire import params_of
from .common import answer, attributes_of, job_of, outcome, page_of, world_of

# -- reading requests ----------------------------------------------------------------------------


def _unit_of(request: Request, job: Job) -> Unit:
    unit_id = natural(request.path_params["unit_id"])
    unit = None if unit_id is None else job.units.get(unit_id)
    if unit is None:  # FOUND: 404 for what is not found (RM); an id that is no number: bound
        raise NothingFound()
    return unit


def _unit_params(request: Request) -> dict[str, Any]:
    """``unit[...]``: absent or not an object, it is a missing parameter (400).

    FOUND on create (recorded, ``job_create_unit``); INFERRED, safe, on update: one
    naming nothing has nothing to do, and every client sends ``unit[...]``.
    """
    given = params_of(request).get("unit")
    if not isinstance(given, dict):
        raise MissingParameters()
    return given


def _data(request: Request, given: dict[str, Any]) -> dict[str, Any] | None:
    """``unit[data]`` as an object: bracketed keys, a JSON object, or a JSON string.

    FOUND: a recorded request whose ``unit[data]`` was a JSON string got 400
    ("missing required parameters"), yet a client sends it that way: INFERRED, it is
    read as that object unless the tenant's setup says ``unit_data_json: strict``.
    """
    data = given.get("data")
    if data is None:
        return None
    if isinstance(data, str):
        if world_of(request).strict_unit_data:  # opt-in: the recorded 400 (job_create_unit)
            raise MissingParameters()
        try:
            data = loads(data, what="unit[data]")
        except NotJSON:  # FOUND: a unit[data] that is no object is missing (recorded 400)
            raise MissingParameters() from None
    if not isinstance(data, dict):  # FOUND: as above
        raise MissingParameters()
    return data  # INFERRED: on create, an empty object is then missing, as for Rails


async def _read_upload(request: Request, job: Job | None) -> tuple[Upload, list[Unit], Params]:
    """The file's rows, as units, and the request's parameters (query, plus multipart
    text fields).

    The body of an upload is data, never parameters: only the query (and the text
    fields of a multipart body) carry ``force`` and ``job[...]``. The file is parsed
    and its rows made units in a worker thread, so the server goes on answering
    meanwhile; a file with more rows than ``job`` (or a new job) has room for is
    refused (422) before its rows are built. The units join the job on the event
    loop, which alone changes state.
    """
    world = world_of(request)
    kind = request.headers.get("content-type", "")
    try:
        upload, built, fields = await run_in_threadpool(
            _parse,
            kind,
            body_of(request.scope),
            world.units.room(job),
            tenant_of(request).clock.now(),
        )
    except TooManyRows:  # FOUND: 422 past the unit limit (RM, OAS)
        raise world.units.limit_reached() from None
    params = merged_params(parse_query(request.scope.get("query_string", b"")), nest(fields))
    return upload, built, params


def _parse(
    kind: str, body: bytes, max_rows: int, now: float
) -> tuple[Upload, list[Unit], list[tuple[str, str]]]:
    upload, fields = read_upload(kind, body, max_rows=max_rows)
    return upload, build_units(upload, now), fields


# -- uploads ---------------------------------------------------------------------------------------


async def upload_new_job(request: Request) -> Response:
    """J3: a new job (``job[...]`` may set its attributes) holding the file's rows.

    FOUND: 200 with the new job, its channels enabled; 422 past the unit limit, and then
    no job is made.
    INFERRED: the rows are processed at once (``units/ping`` says ``done``).
    """
    upload, built, params = await _read_upload(request, None)
    given = attributes_of(params.get("job"))
    world = world_of(request)
    world.units.make_room(None, len(upload.rows))
    job = world.jobs.create(given)
    world.jobs.enable_channels(job, list(UPLOADED_JOB_CHANNELS))
    world.units.upload(job, upload, force=True, built=built)
    world.data_processed(job)
    return answer(views.job_view(job))


async def upload_to_job(request: Request) -> Response:
    """J8: the file's rows added to the job; ``force=true`` skips the column check."""
    upload, built, params = await _read_upload(request, job_of(request))
    job = job_of(request)  # again: the job may have gone while the file was parsed
    world = world_of(request)
    world.units.upload(job, upload, force=flag(params.get("force")), built=built)
    world.data_processed(job)
    return answer(views.job_view(job))


# -- the job's units ---------------------------------------------------------------------------


@contract(query=("unit_page",))
async def list_units(request: Request) -> Response:
    """U1: ``{unit id: source row}``; INFERRED: a ``limit`` past 1000 is taken as 1000."""
    job = job_of(request)
    limit = positive(params_of(request).get("limit"), most=PAGE_LIMIT) or PAGE_LIMIT
    return answer(views.units_page_view(job.units.page(page_of(request), limit)))


@contract(body="unit", wrap="unit", yields={"unit_id": "/id"})
async def create_unit(request: Request) -> Response:
    """U2: one unit; gold through ``unit[golden]``, ``unit[state]`` or ``_golden``."""
    job = job_of(request)
    given = _unit_params(request)
    data = _data(request, given)
    if data is None:  # FOUND: 400 without unit[data] (recorded, job_create_unit)
        raise MissingParameters()
    world = world_of(request)
    unit = world.units.create(job, data, state=given.get("state"), golden=given.get("golden"))
    return answer(_unit_view(request, job, unit))


async def ping_units(request: Request) -> Response:
    """U7: how many rows the job has, and whether uploads are processed."""
    return answer(views.units_ping_view(job_of(request)))


@contract(query=("split",))
async def split_units(request: Request) -> Response:
    """U8: ``on=<column>`` split on ``with`` (default a space); INFERRED: answers the job."""
    job = job_of(request)
    params = params_of(request)
    column = params.get("on")
    if not isinstance(column, str) or not column.strip():  # FOUND: on names the column (RB, PHP)
        raise MissingParameters()
    separator = params.get("with")
    separator = separator if isinstance(separator, str) and separator else " "
    world_of(request).units.split(job, column.strip(), separator)
    return answer(views.job_view(job))


# -- one unit ------------------------------------------------------------------------------------


def _unit_view(request: Request, job: Job, unit: Unit) -> dict[str, Any]:
    """FOUND: the unit object, with ``results`` (``{}`` until it has judgments)."""
    return results.unit_document(job, unit, world_of(request).results(job, unit))


async def show_unit(request: Request) -> Response:
    job = job_of(request)
    return answer(_unit_view(request, job, _unit_of(request, job)))


@contract(body="unit", wrap="unit")
async def update_unit(request: Request) -> Response:
    """U4: ``unit[state]``, ``unit[golden]`` and ``unit[data][...]`` (merged)."""
    job = job_of(request)
    unit = _unit_of(request, job)
    given = _unit_params(request)
    changes = _data(request, given)
    world_of(request).units.update(
        job, unit, changes, state=given.get("state"), golden=given.get("golden")
    )
    return answer(_unit_view(request, job, unit))


async def delete_unit(request: Request) -> Response:
    """U5: FOUND message format 2."""
    job = job_of(request)
    unit = _unit_of(request, job)
    world_of(request).units.delete(job, unit)
    return answer({"message": {"success": f"Unit {unit.id} has been deleted."}})


async def cancel_unit(request: Request) -> Response:
    """U6: FOUND flat ``success``; a refusal is a flat ``error`` with status 200."""
    job = job_of(request)
    return outcome(request, world_of(request).units.cancel(job, _unit_of(request, job)))


@contract(query=("unit_copy",))
async def copy_unit(request: Request) -> Response:
    """U9: into ``unit[job_id]`` (a job of the same account) or the same job.

    INFERRED: answers the new unit; ``unit[data][...]`` overrides the copied row.
    """
    job = job_of(request)
    unit = _unit_of(request, job)
    given = params_of(request).get("unit")
    given = given if isinstance(given, dict) else {}
    target_ref = given.get("job_id")
    world = world_of(request)
    target = job if target_ref is None or target_ref == "" else world.jobs.get(target_ref)
    overrides = _data(request, given) or {}
    copy = world.units.copy(unit, target, overrides)
    return answer(_unit_view(request, target, copy))


@contract(body="more_judgments")
async def request_more_judgments(request: Request) -> Response:
    """U10: ``nb_judgments`` more for this unit; INFERRED: answers the unit."""
    job = job_of(request)
    unit = _unit_of(request, job)
    count = params_of(request).get("nb_judgments")
    world_of(request).units.request_more_judgments(job, unit, count)
    return answer(_unit_view(request, job, unit))


async def unit_judgments(request: Request) -> Response:
    """U11: FOUND a JSON array of the unit's judgment objects (``[]`` before any)."""
    job = job_of(request)
    unit = _unit_of(request, job)
    return answer([results.judgment_view(j, unit) for j in job.judgments.of_unit(unit.id)])


ACTIONS = ["GET", "PUT", "POST"]
UNIT = "/v1/jobs/{job_id}/units/{unit_id}"

routes = [
    Route("/v1/jobs/upload", upload_new_job, methods=["POST"]),
    Route("/v1/jobs/{job_id}/upload", upload_to_job, methods=["PUT", "POST"]),
    Route("/v1/jobs/{job_id}/units", list_units, methods=["GET"]),
    Route("/v1/jobs/{job_id}/units", create_unit, methods=["POST"]),
    Route("/v1/jobs/{job_id}/units/ping", ping_units, methods=["GET"]),
    Route("/v1/jobs/{job_id}/units/split", split_units, methods=ACTIONS),
    Route(UNIT, show_unit, methods=["GET"]),
    Route(UNIT, update_unit, methods=["PUT"]),
    Route(UNIT, delete_unit, methods=["DELETE"]),
    Route(UNIT + "/cancel", cancel_unit, methods=ACTIONS),
    Route(UNIT + "/copy", copy_unit, methods=["GET", "POST"]),
    Route(UNIT + "/request_more_judgments", request_more_judgments, methods=["POST", "PUT"]),
    Route(UNIT + "/judgments", unit_judgments, methods=["GET"]),
]

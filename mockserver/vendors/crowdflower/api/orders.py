"""Orders (launching a job) and the judgments that come back.

``POST /jobs/{id}/orders`` takes ``debit[units_count]`` and channels in any list form
(``channels[]``, ``channels[0]``, repeated); INFERRED: it answers 200 with the
order object that ``GET /jobs/{id}/orders/{order_id}`` shows.
"""

from __future__ import annotations

from itertools import islice
from typing import Any

import orjson
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from mockserver.core.context import raw_header
from mockserver.core.contract import contract
from mockserver.core.numbers import natural
from mockserver.core.params import flag, text_list
from mockserver.core.routing import host_name
from mockserver.core.wire import dumps

from .. import results
from ..backend.jobs import Job
from ..backend.orders import Order
from ..errors import MissingParameters, NothingFound, OrderUnaffordable
from ..views import timestamp
from ..wire import params_of
from .common import answer, job_of, page_of, world_of

JUDGMENTS_PAGE = 100  # FOUND: units per page of the judgments listing
# FOUND: py-figure-eight, on api.figure-eight.com, matches the team-era out-of-funds text;
# INFERRED: Appen's hosts kept that era's wording (its accounts are teams too).
TEAM_ERA_HOSTS = ("api.figure-eight.com", "api.appen.com", "api.eu.appen.com")


def order_view(order: Order, user_id: int) -> dict[str, Any]:
    return {
        "id": order.id,
        "job_id": order.job_id,
        "type": "debit",
        "meta": {
            "units_count": order.units_count,
            "channels": order.channels,
            "cost_cents": order.cost_cents,
            "unit_ids": list(order.unit_ids or ()),
        },
        "created_at": timestamp(order.created_at),
        "updated_at": timestamp(order.created_at),
        "user_id": user_id,
        # FOUND: adapapi's ``internal_launch`` returns this key of the answer.
        "nuggeted_units_count": order.units_count,
    }


@contract(body="order", yields={"order_id": "/id"})
async def place_order(request: Request) -> Response:
    params = params_of(request)
    debit = params.get("debit")
    count = debit.get("units_count") if isinstance(debit, dict) else None
    world = world_of(request)
    try:
        order = world.order(job_of(request), count, text_list(params.get("channels")))
    except OrderUnaffordable as short:
        if host_name(raw_header(request.scope, b"host")) in TEAM_ERA_HOSTS:
            raise short.in_team_words() from None
        raise
    return answer(order_view(order, world.account.id))


async def show_order(request: Request) -> Response:
    job = job_of(request)
    found = next((o for o in job.orders if str(o.id) == request.path_params["order_id"]), None)
    if found is None:  # FOUND: 404 for what is not found (RM)
        raise NothingFound()
    return answer(order_view(found, world_of(request).account.id))


@contract(query=("page",))
async def list_judgments(request: Request) -> Response:
    """FOUND: an object keyed by unit id, 100 units a page, ``{}`` past the end.

    A page is written once for each state of the job's units and judgments and kept
    on the job: it aggregates every answer of a hundred units."""
    job = job_of(request)
    world = world_of(request)
    number = page_of(request)

    def written() -> orjson.Fragment:
        start = (number - 1) * JUDGMENTS_PAGE
        page: dict[str, Any] = {}
        for unit_id in islice(job.judgments.by_unit, start, start + JUDGMENTS_PAGE):
            unit = job.units.get(unit_id)
            if unit is not None and not unit.golden:
                page[str(unit_id)] = results.aggregated_row(job, unit, world.results(job, unit))
        return orjson.Fragment(dumps(page))

    return answer(job.shown.get("judgments", (number, job.revision), written))


def _judgment(job: Job, judgment_id: str) -> Any:
    number = natural(judgment_id)
    found = None if number is None else job.judgments.by_id.get(number)
    if found is None:  # FOUND: 404 for what is not found (RM)
        raise NothingFound()
    return found


async def show_judgment(request: Request) -> Response:
    job = job_of(request)
    judgment = _judgment(job, request.path_params["judgment_id"])
    return answer(results.judgment_view(judgment, job.units.get(judgment.unit_id)))


def _judgment_params(request: Request) -> dict[str, Any]:
    given = params_of(request).get("judgment")
    # FOUND: judgment[data][field] is the legacy create's parameter (OLD-JUDG); 400 without
    if not isinstance(given, dict) or not isinstance(given.get("data"), dict) or not given["data"]:
        raise MissingParameters()
    return given


@contract(body="judgment", wrap="judgment", yields={"judgment_id": "/id"})
async def create_judgment(request: Request) -> Response:
    """Legacy: ``judgment[unit_id]`` and ``judgment[data][field]=...`` on a unit of the job."""
    job = job_of(request)
    given = _judgment_params(request)
    unit_id = natural(str(given.get("unit_id", "")))
    unit = None if unit_id is None else job.units.get(unit_id)
    if unit is None:  # FOUND: 404 for what is not found (RM)
        raise NothingFound()
    world = world_of(request)
    worker_id = natural(str(given.get("worker_id", "")))
    if worker_id is None:
        worker_id = world.account.id
    judgment = world.orders.add_judgment(job, unit, given["data"], worker_id)
    return answer(results.judgment_view(judgment, unit))


@contract(body="judgment", wrap="judgment")
async def update_judgment(request: Request) -> Response:
    job = job_of(request)
    judgment = _judgment(job, request.path_params["judgment_id"])
    job.judgments.edit(judgment, _judgment_params(request)["data"])
    return answer(results.judgment_view(judgment, job.units.get(judgment.unit_id)))


@contract(body="judgment_reject")
async def reject_judgment(request: Request) -> Response:
    """Legacy (FOUND in the Ruby gem's history): ``redo`` and ``do_amt_reject``, true or
    false; INFERRED: answers the judgment, and ``do_amt_reject`` changes nothing here."""
    job = job_of(request)
    judgment = _judgment(job, request.path_params["judgment_id"])
    redo = flag(params_of(request).get("redo"))
    world_of(request).orders.reject_judgment(job, judgment, redo=redo)
    return answer(results.judgment_view(judgment, job.units.get(judgment.unit_id)))


async def delete_judgment(request: Request) -> Response:
    job = job_of(request)
    judgment = _judgment(job, request.path_params["judgment_id"])
    world_of(request).orders.delete_judgment(job, judgment)
    return answer({"message": {"success": f"Judgment {judgment.id} has been deleted."}})


routes = [
    Route("/v1/jobs/{job_id}/orders", place_order, methods=["POST"]),
    Route("/v1/jobs/{job_id}/orders/{order_id}", show_order, methods=["GET"]),
    Route("/v1/jobs/{job_id}/judgments", list_judgments, methods=["GET"]),
    Route("/v1/jobs/{job_id}/judgments", create_judgment, methods=["POST"]),
    Route("/v1/jobs/{job_id}/judgments/{judgment_id}", show_judgment, methods=["GET"]),
    Route("/v1/jobs/{job_id}/judgments/{judgment_id}", update_judgment, methods=["PUT"]),
    Route("/v1/jobs/{job_id}/judgments/{judgment_id}", delete_judgment, methods=["DELETE"]),
    Route("/v1/jobs/{job_id}/judgments/{judgment_id}/reject", reject_judgment, methods=["PUT"]),
]

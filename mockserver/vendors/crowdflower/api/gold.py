"""Test questions: J23 ``PUT /jobs/{id}/gold``, J24 the list, J25 their webhooks.

Paths are relative to ``/v1``; ``.json`` is optional on every segment. FOUND: the
three forms of J23 (no parameters, ``check``/``with``/``convert_units``, ``reset``)
and that ``golds/fire_webhooks`` sends ``unit_complete`` for each test question.
INFERRED: the answers. J23 answers an application message with the job's ``gold``
map and its counts (named as in the job object); J24 (``GET test_questions``, and
``GET gold`` as Appen's sample does) answers a JSON array of unit objects.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from mockserver.core.contract import contract
from mockserver.core.params import flag

from .. import results
from ..backend.jobs import Job
from ..backend.units import GOLD_STATES
from ..errors import MissingParameters
from ..wire import params_of
from .common import answer, job_of, world_of


def _units(count: int) -> str:
    return "1 unit is" if count == 1 else f"{count} units are"


def _text(value: Any) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


def _converted(request: Request, job: Job, message: str) -> Response:
    golds = job.units.count(*GOLD_STATES)
    return answer(
        {
            "success": {"message": message},
            "gold": world_of(request).gold.checks(job),
            "units_count": len(job.units),  # test questions among them, as on the job
            "golds_count": golds,
        }
    )


@contract(body="gold")
async def convert(request: Request) -> Response:
    """J23: ``reset=true`` wins; then ``check`` (with ``with``); else ``_golden`` rows.

    INFERRED: a ``check`` given blank, or a ``with`` without ``check``, is a missing
    parameter (400); a blank ``with`` means the default ``<check>_gold``.
    """
    job = job_of(request)
    params = params_of(request)
    gold = world_of(request).gold
    if flag(params.get("reset")):
        count = gold.reset(job)
        test_questions = "a test question" if count == 1 else "test questions"
        return _converted(request, job, f"{_units(count)} no longer {test_questions}.")
    if "check" in params:
        check = _text(params["check"])
        if check is None:  # FOUND: check names a CML field (PY-CF, PHP, DJ); INFERRED: 400
            raise MissingParameters()
        convert_units = flag(params.get("convert_units"))
        count = gold.convert_checked(job, check, _text(params.get("with")), convert=convert_units)
    elif "with" in params:  # INFERRED, safe: with goes with check in every client
        raise MissingParameters()
    else:
        count = gold.convert_marked(job)
    test_questions = "a test question" if count == 1 else "test questions"
    return _converted(request, job, f"{_units(count)} now {test_questions}.")


async def test_questions(request: Request) -> Response:
    """J24: every test question of the job, as the unit objects ``GET unit`` answers."""
    job = job_of(request)
    world = world_of(request)
    return answer(
        [results.unit_document(job, u, world.results(job, u)) for u in world.gold.golds(job)]
    )


async def fire_webhooks(request: Request) -> Response:
    """J25: FOUND ``unit_complete`` for each test question (only with a ``webhook_uri``)."""
    count = world_of(request).gold.fire_webhooks(job_of(request))
    noun = "test question" if count == 1 else "test questions"
    return answer({"success": {"message": f"Webhooks fired for {count} {noun}."}})


routes = [
    Route("/v1/jobs/{job_id}/gold", convert, methods=["PUT", "POST"]),
    Route("/v1/jobs/{job_id}/gold", test_questions, methods=["GET"]),
    Route("/v1/jobs/{job_id}/test_questions", test_questions, methods=["GET"]),
    # INFERRED: any of the action verbs; the one client that calls it uses GET.
    Route("/v1/jobs/{job_id}/golds/fire_webhooks", fire_webhooks, methods=["GET", "PUT", "POST"]),
]

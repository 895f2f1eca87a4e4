"""What every CrowdFlower handler shares: the world, the job in the path, the answers."""

from __future__ import annotations

from typing import Any, cast

from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Scope

from mockserver.core.context import tenant_of
from mockserver.core.errors import MockError
from mockserver.core.jsontext import NotJSON, loads
from mockserver.core.numbers import positive
from mockserver.core.wire import JSONBody

from ..backend import CrowdFlowerWorld
from ..backend.jobs import Job, Outcome
from ..errors import StateConflict, error_body
from ..wire import params_of


def world_of(request: Request) -> CrowdFlowerWorld:
    return cast(CrowdFlowerWorld, tenant_of(request).world)


def job_of(request: Request) -> Job:
    return world_of(request).jobs.get(request.path_params["job_id"])


LAST_PAGE = 2**32
"""Past every page a job could fill: a later page is as empty, and taken as this one."""


def page_of(request: Request) -> int:
    """The ``page`` parameter, written (``page=2``, ``"2"``) or a JSON number (``2``).

    INFERRED: one that is no positive number is the first.
    """
    page = params_of(request).get("page")
    return min(positive(page.strip() if isinstance(page, str) else page) or 1, LAST_PAGE)


def attributes_of(given: Any) -> dict[str, Any]:
    """An object's attributes as sent: ``job[title]=...`` (or a JSON body's object).

    INFERRED, lenient: the object sent as one JSON string (as one client sends
    ``unit[data]``) is read as that object; anything else names no attribute.
    """
    if isinstance(given, str):
        try:
            given = loads(given, what="the attributes")
        except NotJSON:
            return {}
    return given if isinstance(given, dict) else {}


def answer(body: Any, status: int = 200) -> Response:
    return JSONBody(body, status_code=status)


def outcome(request: Request, result: Outcome) -> Response:
    """FOUND: state actions answer a flat message with status 200, refusals included.

    A tenant whose setup asks for ``"state_errors": "422"`` gets refusals as 422.
    """
    if result.error is not None:
        if world_of(request).strict_states:  # opt-in (setup state_errors: "422")
            raise StateConflict(result.error)
        return answer({"error": result.error})
    return answer({"success": result.success})


def render_error(error: MockError, scope: Scope) -> Response:
    status, body, headers = error_body(error)
    return JSONBody(body, status_code=status, headers=headers)

"""What every ModelArts handler shares: the world, and answers with a request id.

FOUND: the SDK reads ``X-Request-Id`` from every answer (into exceptions too).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, cast

from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Scope

from mockserver.core.context import TENANT, tenant_of
from mockserver.core.errors import InvalidInput, MockError, RateLimited
from mockserver.core.numbers import natural
from mockserver.core.wire import Body, JSONBody

from ..backend import ModelArtsWorld
from ..backend.sample_views import SAMPLE_STATES
from ..errors import ParameterInvalid, error_body


def world_of(request: Request) -> ModelArtsWorld:
    return cast(ModelArtsWorld, tenant_of(request).world)


def request_id(scope: Scope) -> str:
    tenant = scope.get(TENANT)
    return tenant.rng.hex(32) if tenant is not None else "0" * 32


def answer(request: Request, body: Any, status: int = 200, **headers: str) -> Response:
    return JSONBody(
        body, status_code=status, headers={"X-Request-Id": request_id(request.scope), **headers}
    )


def answer_rendered(request: Request, document: bytes) -> Response:
    """An answer whose JSON body was rendered before (see ``Dataset.rendered``)."""
    return Body(
        document,
        headers={"X-Request-Id": request_id(request.scope)},
        media_type=JSONBody.media_type,
    )


def render_error(error: MockError, scope: Scope) -> Response:
    status, body = error_body(error)
    headers = {"X-Request-Id": request_id(scope)}
    if isinstance(error, RateLimited):
        headers["Retry-After"] = error.retry_after_header  # INFERRED: not documented
    return JSONBody(body, status_code=status, headers=headers)


def whole_number(
    value: str | None, name: str, *, default: int, least: int, most: int | None = None
) -> int:
    """A query parameter that must be a whole number in ``[least, most]`` (400 naming it)."""
    if value is None or value == "":
        return default
    number = natural(value.strip())
    if number is None or number < least or (most is not None and number > most):
        bound = f" to {most}" if most is not None else " or more"
        raise InvalidInput.one(name, f"must be a whole number from {least}{bound}")
    return number


LAST_RECORD = 2**62  # far beyond any list, and ``LAST_RECORD + limit`` is below sys.maxsize


def page_window(
    query: Mapping[str, str], *, default_limit: int, most_limit: int
) -> tuple[int, int]:
    """The first record and the size of the page that ``offset``/``limit`` ask for.

    FOUND: every documented list calls ``offset`` the "start page of the paging
    list" (default 0), and the ModelArts SDK reference (``list_datasets``,
    support.huaweicloud.com sdkreference-modelarts/modelarts_04_0327) shows
    ``offset=1, limit=50`` fetching "the 51st to 100th records": ``offset``
    counts pages of ``limit`` records from 0. Paging clients add 1 to it.
    """
    page = whole_number(query.get("offset"), "offset", default=0, least=0)
    limit = whole_number(
        query.get("limit"), "limit", default=default_limit, least=1, most=most_limit
    )
    # bound: a page past any list is empty; capped so that first + limit stays an index
    return min(page * limit, LAST_RECORD), limit


def sample_state(value: str | None) -> str | None:
    """The ``sample_state`` query parameter, spelled as the states are kept, or none.

    FOUND: the docs list the states in upper case (``__UNREVIEWED__``) while the
    documented ListWorkforceTaskStats example sends ``__unreviewed__``, so case
    is ignored. INFERRED: nothing documents a refusal of another value; it is a
    state no sample is in, so it matches nothing.
    """
    if not value:
        return None
    upper = value.strip().upper()
    return upper if upper in SAMPLE_STATES else value


def workforces_config(body: Mapping[str, Any]) -> dict[str, Any] | None:
    """The body's ``workforces_config`` (FOUND: an object with a ``workforces`` list), if given."""
    config = body.get("workforces_config")
    if config is not None and (
        not isinstance(config, dict) or not isinstance(config.get("workforces") or [], list)
    ):
        raise ParameterInvalid("workforces_config: must be an object with a workforces list")
    return config

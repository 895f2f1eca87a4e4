"""``prices/create`` (a quote for a template) and ``clickworkers`` (how many live nearby).

FOUND: the WordPress plugin posts a full ``task_template`` to ``prices/create/`` and
reads ``price_response.price.after_tax`` and ``.currency``; ``clickworkers`` with
``api_method=count_in_radius`` and the mandatory ``latitude``, ``longitude`` and ``r``
answers ``clickworkers_response`` with ``clickworker_count`` and no entity.
INFERRED: the quote also shows ``net`` and ``tax``, stores nothing, and refuses what
creating the template would refuse for its content (not for its code or name being
taken); parameters out of range answer 422 naming each one.
"""

from __future__ import annotations

import math

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from mockserver.core.contract import contract
from mockserver.core.errors import FieldError, InvalidInput
from mockserver.core.numbers import real

from ..backend.crowdmap import count_in_radius
from ..backend.pricing import quote
from ..backend.templates import check
from ..envelope import CONTEXT, about, envelope, read_entity, respond
from .common import money, world_of
from .templates import ENTITY, parse_template

COUNT_IN_RADIUS = "count_in_radius"
# name -> (lowest, highest, whether the lowest is excluded)
BOUNDS = {
    "latitude": (-90.0, 90.0, False),
    "longitude": (-180.0, 180.0, False),
    "r": (0.0, math.inf, True),
}


@contract(body=ENTITY, wrap=ENTITY)
async def price(request: Request) -> Response:
    try:
        document = read_entity(request, ENTITY)
    finally:  # INFERRED: refusals come in the envelope of what was asked for
        about(request, "price")
    world = world_of(request)
    template = parse_template(document)
    check(template, world.catalog)
    offer = quote(template.product, template.attributes, world.customer.currency)
    payload = {
        "net": money(offer.net),
        "tax": money(offer.tax),
        "after_tax": money(offer.gross),
        "currency": offer.currency,
    }
    return respond(request.scope, "price", payload)


def _number(name: str, raw: str | None) -> tuple[float | None, FieldError | None]:
    if raw is None or not raw.strip():
        return None, FieldError(name, "is required")
    value = real(raw.strip())
    if value is None:
        return None, FieldError(name, "must be a number")
    low, high, open_low = BOUNDS[name]
    if value < low or value > high or (open_low and value == low):
        if math.isinf(high):
            return None, FieldError(name, "must be a positive number")
        return None, FieldError(name, f"must be between {low:g} and {high:g}")
    return value, None


async def clickworkers(request: Request) -> Response:
    about(request, "clickworkers")
    params = request.query_params
    errors = []
    # FOUND: the method and its three parameters are mandatory; INFERRED, kept as safe:
    # another method name (a second one is cut off in the reference) is refused, and
    # coordinates off the globe are bounds.
    if params.get("api_method") != COUNT_IN_RADIUS:
        errors.append(FieldError("api_method", f"must be {COUNT_IN_RADIUS}"))
    values: dict[str, float] = {}
    for name in BOUNDS:
        value, error = _number(name, params.get(name))
        if error is not None:
            errors.append(error)
        elif value is not None:
            values[name] = value
    if errors:
        raise InvalidInput(errors)
    world = world_of(request)
    count = count_in_radius(
        world.context.tenant_id, values["latitude"], values["longitude"], values["r"]
    )
    return envelope(request.scope, "clickworkers", {"clickworker_count": count})


routes = [
    Route(f"{CONTEXT}/prices/create", price, methods=["POST"]),
    Route(f"{CONTEXT}/clickworkers", clickworkers, methods=["GET"]),
]

"""``GET customer``: the account, for balance monitoring (FOUND, read-only)."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ..envelope import CONTEXT, about, links, respond
from .common import money, world_of


async def customer(request: Request) -> Response:
    """FOUND: the four amounts nest under ``balance``; the WordPress plugin reads them
    flat on ``customer``, so (INFERRED, for compatibility) they are also copied there."""
    about(request, "customer")
    account = world_of(request).customer
    amounts: dict[str, Any] = {
        "balance_amount": money(account.balance),
        "reserved_amount": money(account.reserved),
        "credit_limit": money(account.credit_limit),
        "currency_code": account.currency,
    }
    payload = {"link": links(request.scope, "customer"), "balance": amounts, **amounts}
    return respond(request.scope, "customer", payload)


routes = [Route(f"{CONTEXT}/customer", customer, methods=["GET"])]

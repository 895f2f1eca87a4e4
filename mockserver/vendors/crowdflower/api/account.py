"""``GET /v1/account``: the account behind the key."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from .. import views
from .common import answer, world_of


async def account(request: Request) -> Response:
    return answer(views.account_view(world_of(request).account))


routes = [Route("/v1/account", account, methods=["GET"])]

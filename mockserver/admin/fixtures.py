"""``/_mock/fixtures``: the bundled scenarios, and loading one into the running sandbox."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from .. import fixtures
from ..core.errors import InternalError, NotFound
from ..core.wire import JSONBody

LoadFixture = Callable[[str], Awaitable[fixtures.Loaded]]


async def list_fixtures(request: Request) -> Response:
    return JSONBody({"fixtures": fixtures.catalogue()})


async def load(request: Request) -> Response:
    """Replays the fixture through the app; answers the tenants and ids it created."""
    name = request.path_params["name"]
    if name not in fixtures.names():
        raise NotFound(f"no fixture {name!r}; known: {', '.join(fixtures.names())}")
    load_fixture: LoadFixture = request.app.state.load_fixture
    try:
        loaded = await load_fixture(name)
    except fixtures.FixtureError as exc:
        raise InternalError(str(exc)) from None
    return JSONBody(loaded.as_dict(), status_code=201)


routes = [
    Route("/fixtures", list_fixtures, methods=["GET"]),
    Route("/fixtures/{name}", load, methods=["POST"]),
]

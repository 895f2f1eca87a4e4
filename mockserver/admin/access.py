"""Who may call the control API: with ``admin_token`` set, only who presents it.

A sandbox shared by a team or a CI fleet is reachable by everyone who can reach a
vendor; without a token anyone could reset it, move its clocks or read the requests
in its journal. With ``--admin-token`` (``MOCKSERVER_ADMIN_TOKEN``) set, every
``/_mock`` route asks for it, as ``Authorization: Bearer <token>`` or as
``X-Admin-Token: <token>`` (for a client whose ``Authorization`` header a proxy in
front already uses), or as the password of HTTP Basic authentication (any user name):
a browser opening the dashboard (``/_mock/ui``) cannot add a header to a navigation,
but asks for a Basic password when refused with a Basic challenge, and then sends it
with the page's own requests of ``/_mock``. Every route asks for it except:

- ``GET /_mock/health``: load balancers and container health checks carry no token;
- ``/_mock/storage/{token}``: the pre-signed upload URLs vendors hand their clients,
  for which the upload token is the authorisation, as with an object store's URL.

A refusal is a JSON 401 with ``WWW-Authenticate: Bearer`` (``Basic`` under ``/_mock/ui``);
nothing else is read first.
"""

from __future__ import annotations

import hmac

from starlette.types import ASGIApp, Receive, Scope, Send

from ..core.decode import basic_credentials
from ..core.errors import Unauthenticated
from ..core.routing import ADMIN_PREFIX, STORAGE_PREFIX
from ..core.wire import JSONBody

HEALTH_PATH = ADMIN_PREFIX + "/health"
UI_PATH = ADMIN_PREFIX + "/ui"
BEARER = b"bearer "
BASIC = b"basic "
BASIC_CHALLENGE = 'Basic realm="mockserver /_mock", charset="UTF-8"'

_REFUSAL = {
    "error": "Unauthorized: this server's /_mock API asks for its admin token, as "
    "'Authorization: Bearer <token>', 'X-Admin-Token: <token>' or a Basic password"
}


def headers_for(token: str | None) -> dict[str, str]:
    """What a call of this server's own ``/_mock`` API carries (its fixtures' replay)."""
    return {} if token is None else {"X-Admin-Token": token}


def presented(scope: Scope) -> bytes | None:
    """The admin token a request carries, if any (the bearer token or the Basic
    password, else the header)."""
    fallback = None
    for name, value in scope["headers"]:
        if name == b"authorization" and value[: len(BEARER)].lower() == BEARER:
            return bytes(value[len(BEARER) :]).strip()
        if name == b"authorization" and value[: len(BASIC)].lower() == BASIC:
            return _basic_password(value)
        if name == b"x-admin-token" and fallback is None:
            fallback = bytes(value).strip()
    return fallback


def _basic_password(authorization: bytes) -> bytes | None:
    try:
        return basic_credentials(authorization).password.encode("utf-8")
    except Unauthenticated:
        return None


def challenge(scope: Scope) -> str:
    """Basic for the dashboard, so that a browser asks for the password; Bearer for
    every other client of the API."""
    path: str = scope["path"]
    if path == UI_PATH or path.startswith(UI_PATH + "/"):
        return BASIC_CHALLENGE
    return "Bearer"


def exempt(scope: Scope) -> bool:
    path: str = scope["path"]
    return path.startswith(STORAGE_PREFIX) or (
        path == HEALTH_PATH and scope["method"] in ("GET", "HEAD")
    )


class AdminToken:
    """Lets through the requests that carry ``token`` and those :func:`exempt` names."""

    def __init__(self, app: ASGIApp, token: str) -> None:
        self.app = app
        self.token = token.encode("utf-8")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and not exempt(scope):
            given = presented(scope)
            if given is None or not hmac.compare_digest(given, self.token):
                refusal = JSONBody(_REFUSAL, 401, headers={"WWW-Authenticate": challenge(scope)})
                await refusal(scope, receive, send)
                return
        await self.app(scope, receive, send)

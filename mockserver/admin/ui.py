"""``/_mock/ui``: a dashboard of the sandbox for a person, reading the control API.

When a contract test fails its author wants to look rather than curl: the tenants and
their clocks, the journal, the webhook deliveries, the armed faults and rate limits,
the snapshots. The page is one HTML file, one
script and one stylesheet of this package's own (``dashboard/``), served by the app:
no CDN, no build step, so it works offline and in a locked-down CI. The script reads
the same ``/_mock`` JSON that tests read, through relative URLs, so the page needs no
second data path and works behind a proxy that moves ``/_mock`` elsewhere.

Live updates are short polling (every 2 seconds, while "Live" is ticked): each poll
is an ordinary ``GET`` of the view on screen, which any proxy passes and which holds
no connection open, so a dashboard left in a tab neither pins a server worker nor
delays a graceful shutdown as a server-sent event stream would; the journal polls
only its newest page (``limit``), so thousands of entries cost one page per poll.

The page sits under ``/_mock``, so the admin token guards it as it guards the rest
(:mod:`.access`); a browser, which cannot add a header to a navigation, presents the
token as the password of HTTP Basic authentication, which it then sends with the
script's requests too.
"""

from __future__ import annotations

from importlib import resources

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ..core.errors import NotFound

FOLDER = "dashboard"
PAGE = "index.html"
ASSETS = {"dashboard.js": "text/javascript", "dashboard.css": "text/css"}
# Only the package's own script and stylesheet run: no inline script, no other origin.
HEADERS = {
    "Cache-Control": "no-store",
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
}


def _file(name: str) -> bytes:
    return resources.files(__package__).joinpath(FOLDER, name).read_bytes()


async def page(request: Request) -> Response:
    return Response(_file(PAGE), media_type="text/html", headers=HEADERS)


async def asset(request: Request) -> Response:
    name = request.path_params["name"]
    if name not in ASSETS:
        raise NotFound(f"no dashboard file {name!r}")
    return Response(_file(name), media_type=ASSETS[name], headers=HEADERS)


routes = [
    Route("/ui", page, methods=["GET"]),
    Route("/ui/{name}", asset, methods=["GET"]),
]

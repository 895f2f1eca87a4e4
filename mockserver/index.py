"""What the server answers at ``/``: where everything is.

A new user's first request is often ``curl localhost:8080``; a bare 404 there says
nothing. The index names each vendor's base URLs (for the host the request came in
on: under its prefix, and at the bare root, where its paths' shape finds it), its
OpenAPI document and real hosts, and the control API's health and document. Any other
path that names no vendor, by prefix or by shape, is the plain 404.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from starlette.requests import Request
from starlette.types import Receive, Scope, Send

from .core.openapi import OPENAPI_PATH
from .core.registry import VendorRef
from .core.routing import ADMIN_PREFIX
from .core.wire import JSONBody

NOT_FOUND = JSONBody({"message": "Not Found"}, status_code=404)


class Index:
    def __init__(self, served: Sequence[VendorRef]) -> None:
        self.served = tuple(served)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["path"] != "/" or scope["method"] not in ("GET", "HEAD"):
            await NOT_FOUND(scope, receive, send)
            return
        await JSONBody(self.describe(Request(scope)))(scope, receive, send)

    def describe(self, request: Request) -> dict[str, Any]:
        root = str(request.base_url).rstrip("/")
        vendors = [
            {
                "name": ref.name,
                "base_url": ref.base_url(root),
                **({"root_url": ref.base_url(root, at_root=True)} if ref.root_shapes else {}),
                "openapi": f"{root}/{ref.name}{OPENAPI_PATH}",
                "hosts": list(ref.hosts),
            }
            for ref in self.served
        ]
        control = {
            "base_url": f"{root}{ADMIN_PREFIX}",
            "health": f"{root}{ADMIN_PREFIX}/health",
            "openapi": f"{root}{ADMIN_PREFIX}{OPENAPI_PATH}",
        }
        return {"service": "mockserver", "vendors": vendors, "control": control}

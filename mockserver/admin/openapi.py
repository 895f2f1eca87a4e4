"""``GET /_mock/openapi.json``: the control API's own OpenAPI document.

Generated on each request from the routes the admin app has at that moment and
``schemas/admin/``, so every control module is described as soon as it is mounted.
On a server started with ``--admin-token`` it declares the token, both ways it may be
sent, and leaves it off the operations that do not ask for it (see :mod:`.access`).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

import mockserver

from ..core.contract import ApiContract
from ..core.openapi import OPENAPI_PATH, document
from ..core.routing import STORAGE_PREFIX
from ..core.validation import load_schema
from ..core.wire import JSONBody
from .access import HEALTH_PATH
from .common import SCHEMAS

API = ApiContract(title="mockserver control API", error_schema="error")
GUARDED = replace(
    API,
    security={
        "adminBearer": {"type": "http", "scheme": "bearer"},
        "adminHeader": {"type": "apiKey", "in": "header", "name": "X-Admin-Token"},
    },
)


def _schema(name: str) -> dict[str, Any]:
    return load_schema(SCHEMAS, name)


async def openapi(request: Request) -> Response:
    """This document."""
    guarded = request.app.state.settings.admin_token is not None
    doc = document(
        request.app.routes, _schema, GUARDED if guarded else API, version=mockserver.__version__
    )
    if guarded:
        _unguarded(doc)
    return JSONBody(doc)


def _unguarded(doc: dict[str, Any]) -> None:
    """Marks the operations the admin token does not guard: health, and the pre-signed
    storage URLs (their own token is the authorisation)."""
    for path, item in doc["paths"].items():
        for method, operation in item.items():
            if path.startswith(STORAGE_PREFIX) or (path == HEALTH_PATH and method == "get"):
                operation["security"] = []


routes: list[BaseRoute] = [Route(OPENAPI_PATH, openapi, methods=["GET"])]

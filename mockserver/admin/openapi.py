"""``GET /_mock/openapi.json``: the control API's own OpenAPI document.

Generated on each request from the routes the admin app has at that moment and
``schemas/admin/``, so every control module is described as soon as it is mounted.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

import mockserver

from ..core.contract import ApiContract
from ..core.openapi import OPENAPI_PATH, document
from ..core.validation import load_schema
from ..core.wire import JSONBody
from .common import SCHEMAS

API = ApiContract(title="mockserver control API", error_schema="error")


def _schema(name: str) -> dict[str, Any]:
    return load_schema(SCHEMAS, name)


async def openapi(request: Request) -> Response:
    """This document."""
    return JSONBody(document(request.app.routes, _schema, API, version=mockserver.__version__))


routes: list[BaseRoute] = [Route(OPENAPI_PATH, openapi, methods=["GET"])]

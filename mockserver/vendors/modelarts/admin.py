"""``/_mock/modelarts/credentials``: the AK/SK pairs projects accept signatures from;
``/_mock/modelarts/obs``: how many files an OBS directory of a project holds (OBS is
not emulated, so imports otherwise make up 20–200)."""

from __future__ import annotations

from typing import Any, cast

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from mockserver.core.context import sandbox_of
from mockserver.core.tenancy import Tenant
from mockserver.core.validation import validate
from mockserver.core.wire import JSONBody, read_json_object

from .backend import ModelArtsWorld

VENDOR = "modelarts"


async def _project_body(
    request: Request, schema: str, *, strict: bool
) -> tuple[dict[str, Any], Tenant]:
    """The body, checked against ``schema``, and the tenant of the project it names:
    registered here when the project has none yet (``strict`` as asked). Read as JSON
    whatever its ``Content-Type``, as every ``/_mock`` body is."""
    body = await read_json_object(request, require_media_type=False)
    validate(VENDOR, schema, body)
    tenants = sandbox_of(request).tenants
    project = body["project_id"]
    tenant = tenants.resolve(tenants.vendors[VENDOR], project) or tenants.register(
        VENDOR, project, strict=strict
    )
    return body, tenant


async def register_credentials(request: Request) -> Response:
    body, tenant = await _project_body(request, "credentials", strict=True)
    cast(ModelArtsWorld, tenant.world).access.register_key(body["ak"], body["sk"])
    return JSONBody(
        {"ak": body["ak"], "project_id": body["project_id"], "tenant": tenant.id}, status_code=201
    )


async def declare_obs_directory(request: Request) -> Response:
    body, tenant = await _project_body(request, "obs_directory", strict=False)
    world = cast(ModelArtsWorld, tenant.world)
    directory = world.imports.declare(body["path"], body["file_count"])
    return JSONBody(
        {"project_id": body["project_id"], "path": directory, "file_count": body["file_count"]}
    )


routes = [
    Route("/credentials", register_credentials, methods=["POST"]),
    Route("/obs", declare_obs_directory, methods=["PUT"]),
]

"""``/_mock/modelarts/credentials``: the AK/SK pairs projects accept signatures from;
``/_mock/modelarts/obs``: how many files an OBS directory of a project holds (OBS is
not emulated, so imports otherwise make up 20–200)."""

from __future__ import annotations

from typing import cast

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from mockserver.core.context import sandbox_of
from mockserver.core.validation import validate
from mockserver.core.wire import JSONBody, read_json_object

from .backend import ModelArtsWorld

VENDOR = "modelarts"


async def register_credentials(request: Request) -> Response:
    body = await read_json_object(request)
    validate(VENDOR, "credentials", body)
    tenants = sandbox_of(request).tenants
    vendor = tenants.vendors[VENDOR]
    tenant = tenants.resolve(vendor, body["project_id"]) or tenants.register(
        VENDOR, body["project_id"], strict=True
    )
    cast(ModelArtsWorld, tenant.world).access.register_key(body["ak"], body["sk"])
    return JSONBody(
        {"ak": body["ak"], "project_id": body["project_id"], "tenant": tenant.id}, status_code=201
    )


async def declare_obs_directory(request: Request) -> Response:
    body = await read_json_object(request)
    validate(VENDOR, "obs_directory", body)
    tenants = sandbox_of(request).tenants
    vendor = tenants.vendors[VENDOR]
    tenant = tenants.resolve(vendor, body["project_id"]) or tenants.register(
        VENDOR, body["project_id"]
    )
    world = cast(ModelArtsWorld, tenant.world)
    directory = world.imports.declare(body["path"], body["file_count"])
    return JSONBody(
        {"project_id": body["project_id"], "path": directory, "file_count": body["file_count"]}
    )


routes = [
    Route("/credentials", register_credentials, methods=["POST"]),
    Route("/obs", declare_obs_directory, methods=["PUT"]),
]

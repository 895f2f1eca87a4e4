"""``/_mock/cloudfactory/...``: what the sandbox received, for a client's tests to assert on.

Every route takes ``?tenant=cloudfactory:<x-api-key>``.
"""

from __future__ import annotations

from typing import cast

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from mockserver.core.context import tenant_for_vendor
from mockserver.core.errors import InvalidInput
from mockserver.core.wire import JSONBody

from . import views
from .backend import CloudFactoryWorld

VENDOR = "cloudfactory"


def _world(request: Request) -> CloudFactoryWorld:
    return cast(CloudFactoryWorld, tenant_for_vendor(request, VENDOR).world)


async def workstreams(request: Request) -> Response:
    world = _world(request)
    return JSONBody(
        {
            "workstreams": [
                {
                    "id": w.id,
                    "quality_records": w.count("quality"),
                    "throughput_records": w.count("throughput"),
                }
                for w in world.performance.workstreams.values()
            ]
        }
    )


async def records(request: Request) -> Response:
    """Records of a workstream; ``?kind=quality|throughput`` narrows them."""
    world = _world(request)
    kind = request.query_params.get("kind")
    if kind not in (None, "quality", "throughput"):
        raise InvalidInput.one("kind", "must be quality or throughput")
    workstream = world.performance.workstreams.get(request.path_params["workstream_id"])
    found = [] if workstream is None else workstream.records
    return JSONBody({"records": [views.record_view(r) for r in found if kind in (None, r.kind)]})


async def uploads(request: Request) -> Response:
    world = _world(request)
    return JSONBody({"uploads": [views.upload_view(u) for u in world.performance.uploads.values()]})


async def upload(request: Request) -> Response:
    world = _world(request)
    return JSONBody(views.upload_view(world.performance.upload(request.path_params["key"])))


async def tasks(request: Request) -> Response:
    world = _world(request)
    return JSONBody({"tasks": [views.task_detail(t) for t in world.oversight.tasks.values()]})


async def task(request: Request) -> Response:
    world = _world(request)
    return JSONBody(views.task_detail(world.oversight.task(request.path_params["task_id"])))


routes = [
    Route("/workstreams", workstreams, methods=["GET"]),
    Route("/workstreams/{workstream_id}/records", records, methods=["GET"]),
    Route("/uploads", uploads, methods=["GET"]),
    Route("/uploads/{key:path}", upload, methods=["GET"]),
    Route("/tasks", tasks, methods=["GET"]),
    Route("/tasks/{task_id}", task, methods=["GET"]),
]

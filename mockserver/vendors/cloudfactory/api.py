"""CloudFactory's wire: parse and validate each call, ask the world, answer as the API does.

Endpoints (FOUND unless marked): Quality ``task_reviewed``; Throughput
``task_completed`` (path INFERRED by symmetry); Secure Upload ``upload_url``
(INFERRED); Oversight Upload Media (path INFERRED), Submit Task, Task Status, and a
task list (INFERRED: the docs' auth example calls ``GET /v1/tasks``).
"""

from __future__ import annotations

from typing import Any, cast

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.types import Scope

from mockserver.core import multipart
from mockserver.core.context import tenant_of
from mockserver.core.contract import FORM, MULTIPART, contract
from mockserver.core.errors import MalformedBody, MockError
from mockserver.core.formvalues import typed
from mockserver.core.params import nest, parse_query
from mockserver.core.validation import load_schema, validate
from mockserver.core.wire import JSONBody, body_bytes, media_type, read_json_object, storage_url

from . import views
from .backend import CloudFactoryWorld
from .backend.performance import RecordKind
from .errors import error_body

VENDOR = "cloudfactory"
RECEIVED = {"message": "Data successfully received."}  # FOUND: the documented 202 body


def world_of(request: Request) -> CloudFactoryWorld:
    return cast(CloudFactoryWorld, tenant_of(request).world)


def render_error(error: MockError, scope: Scope) -> Response:
    status, body, headers = error_body(error)
    return JSONBody(body, status_code=status, headers=headers)


async def read_body(request: Request, schema: str) -> dict[str, Any]:
    """The body's fields, whatever the request calls its type.

    INFERRED (the docs show JSON bodies only and no 415): a gateway in front of a
    Lambda hands the function the body whatever its ``Content-Type``, so JSON sent as
    ``text/plain`` (a browser ``fetch()``'s default) or with no type is read as JSON,
    and a form (``application/x-www-form-urlencoded``, or the fields of a
    ``multipart/form-data`` body; Rails-style keys for objects and lists) is read as
    the same fields, typed as the JSON ``schema`` says.
    """
    kind = media_type(request)
    if kind == FORM:
        raw = await body_bytes(request)
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise MalformedBody("Request body is not valid UTF-8") from None
        return dict(typed(parse_query(text), load_schema(VENDOR, schema)))
    if kind == MULTIPART:
        raw = await body_bytes(request)
        fields = multipart.form_fields(request.headers.get("content-type", ""), raw)
        return dict(typed(nest(fields), load_schema(VENDOR, schema)))
    return await read_json_object(request, require_media_type=False)


async def _validated(request: Request, schema: str) -> dict[str, Any]:
    body = await read_body(request, schema)
    validate(VENDOR, schema, body)
    return body


# -- WorkStream Performance ------------------------------------------------------------------


async def _report(request: Request, kind: RecordKind, schema: str) -> Response:
    world = world_of(request)
    workstream_id = request.path_params["workstream_id"]
    world.performance.check_access(workstream_id)
    body = await _validated(request, schema)
    world.performance.report(kind, workstream_id, body)
    return JSONBody(RECEIVED, status_code=202)


@contract(body="task_reviewed", response="received")
async def task_reviewed(request: Request) -> Response:
    """Quality (FOUND): one reviewed task; 202 once received, processed asynchronously."""
    return await _report(request, "quality", "task_reviewed")


@contract(body="task_completed", response="received")
async def task_completed(request: Request) -> Response:
    """Throughput: one completed task, or ``task_count`` of them."""
    return await _report(request, "throughput", "task_completed")


@contract(body="upload_url", response="upload_ticket", query=("upload_url",))
async def upload_url(request: Request) -> Response:
    """Secure Upload (INFERRED): a pre-signed URL that takes one performance CSV.

    The body (or, for GET, the query) may name the file and its ``type``; without a
    type, the CSV's header decides (a ``review_score`` column means quality).
    """
    world = world_of(request)
    workstream_id = request.path_params["workstream_id"]
    world.performance.check_access(workstream_id)
    if request.method == "GET" or not (await request.body()).strip():
        options: dict[str, Any] = dict(request.query_params)
    else:
        options = await read_body(request, "upload_url")
    validate(VENDOR, "upload_url", options)
    upload = world.performance.new_upload(
        workstream_id, file_name=options.get("file_name"), kind=options.get("type")
    )
    return JSONBody(
        {
            "upload_url": storage_url(request, upload.token),
            "file_key": upload.file_key,
            "expires_in": int(upload.expires_at - upload.created_at),
        }
    )


# -- Oversight ------------------------------------------------------------------------------


@contract(body="upload_media", response="media_ticket")
async def upload_media(request: Request) -> Response:
    """Upload Media (FOUND role, INFERRED path): where to PUT the bytes, and their key."""
    body = await _validated(request, "upload_media")
    media = world_of(request).oversight.new_media(
        body["configuration_id"],
        file_name=body.get("file_name"),
        content_type=body.get("content_type"),
        media_type=body.get("media_type"),
    )
    return JSONBody(
        {
            "media_upload_url": storage_url(request, media.token),
            "media_key": media.key,
        }
    )


@contract(body="submit_task", response="task_created", yields={"task_id": "/task_id"})
async def submit_task(request: Request) -> Response:
    """Submit Task (FOUND): 200 with the new ``task_id``."""
    body = await _validated(request, "submit_task")
    task = world_of(request).oversight.submit(body)
    return JSONBody({"task_id": task.id})


@contract(response="task_status")
async def task_status(request: Request) -> Response:
    """Task Status (FOUND): ``task_id``, ``state``, ``updated_inferences``."""
    task = world_of(request).oversight.task(request.path_params["task_id"])
    return JSONBody(views.task_status(task))


@contract(response="task_list")
async def list_tasks(request: Request) -> Response:
    """INFERRED: the caller's tasks, oldest first. Clients should not depend on it."""
    tasks = world_of(request).oversight.tasks.values()
    return JSONBody({"tasks": [views.task_status(t) for t in tasks]})


routes = [
    Route("/v1/workstreams/{workstream_id}/task_reviewed", task_reviewed, methods=["POST"]),
    Route("/v1/workstreams/{workstream_id}/task_completed", task_completed, methods=["POST"]),
    Route("/v1/workstreams/{workstream_id}/upload_url", upload_url, methods=["POST", "GET"]),
    Route("/v1/media", upload_media, methods=["POST"]),
    Route("/v1/media/upload", upload_media, methods=["POST"]),
    Route("/v1/upload-media", upload_media, methods=["POST"]),
    Route("/v1/tasks", submit_task, methods=["POST"]),
    Route("/v1/tasks", list_tasks, methods=["GET"]),
    Route("/v1/tasks/{task_id}", task_status, methods=["GET"]),
]

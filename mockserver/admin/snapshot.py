"""``/_mock/snapshot``, ``/_mock/restore`` and ``/_mock/snapshots``: save and go back.

Snapshots are kept in the server's memory by name, and written to the state file when
the server has one. Restoring takes a name or the state file, never bytes: a snapshot
is a pickle, and a pickle received over HTTP could run any code.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ..core.contract import contract
from ..core.errors import InvalidInput, NotFound
from ..core.snapshot import Header, SnapshotError, Snapshots
from ..core.wire import JSONBody
from .common import read_body

DEFAULT_NAME = "default"


def _snapshots(request: Request) -> Snapshots:
    snapshots: Snapshots = request.app.state.snapshots
    return snapshots


def _restored(what: str, header: Header) -> Response:
    return JSONBody({"restored": what, "tenants": header.tenants, "taken_at": header.taken_at})


@contract(body="snapshot")
async def take(request: Request) -> Response:
    body = await read_body(request, "snapshot", optional=True)
    snapshots = _snapshots(request)
    stored = await snapshots.take(body.get("name", DEFAULT_NAME))
    return JSONBody({**stored.describe(), "state_file": snapshots.state_file}, status_code=201)


@contract(body="restore")
async def restore(request: Request) -> Response:
    body = await read_body(request, "restore")
    snapshots = _snapshots(request)
    if ("name" in body) == ("state_file" in body):
        raise InvalidInput.one("name", "give either name or state_file")
    if "name" in body:
        stored = snapshots.restore(body["name"])
        if stored is None:
            raise NotFound(f"no snapshot {body['name']!r}")
        return _restored(stored.name, stored.header)
    try:
        header = snapshots.restore_state_file()
    except SnapshotError as exc:
        raise InvalidInput.one("state_file", str(exc)) from None
    return _restored("state_file", header)


async def listing(request: Request) -> Response:
    snapshots = _snapshots(request)
    return JSONBody(
        {
            "snapshots": [s.describe() for s in snapshots.listing()],
            "state_file": snapshots.state_file,
            "state_file_saved": snapshots.state_file_saved(),
        }
    )


routes = [
    Route("/snapshot", take, methods=["POST"]),
    Route("/restore", restore, methods=["POST"]),
    Route("/snapshots", listing, methods=["GET"]),
]

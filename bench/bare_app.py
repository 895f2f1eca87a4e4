"""The stack's ceiling: Starlette + uvicorn answering recorded bytes, nothing else.

Every mockserver figure is divided by this app's figure from the same run, so the
ratio says what the sandbox costs on top of the framework, whatever the machine.
Given ``--table FILE`` (written by bench/surface.py), it answers each recorded
(method, path, Accept) with the status, Content-Type and body the mock answered
there, so both servers send the very same bytes for the same request. A POST reads
its body first, and parses it when it is JSON, as any validated endpoint must. Without
a table it answers ``GET /item`` with a small JSON (start-up and the peers use it). It
serves ``/_mock/health`` too, so start-up is timed the same way for both.

Run as ``python bench/bare_app.py --port P [--table FILE]`` (one uvicorn worker,
loopback only, uvicorn's defaults but the access log, which mockserver has off too).
"""

from __future__ import annotations

import argparse
import base64
import json
from pathlib import Path

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

ITEM = {"id": "0b6f2d1c", "state": "created", "count": 1, "tags": ["a", "b"]}
Answers = dict[tuple[str, str], dict[str, Response]]  # (method, path) -> Accept -> answer


def read_table(path: Path | None) -> Answers:
    if path is None:
        return {("GET", "/item"): {"": JSONResponse(ITEM)}}
    table: Answers = {}
    for entry in json.loads(path.read_text()):
        body = base64.b64decode(entry["body"])
        answer = Response(body, entry["status"], media_type=entry["content_type"] or None)
        table.setdefault((entry["method"], entry["path"]), {})[entry["accept"]] = answer
    return table


def make_app(table: Answers) -> Starlette:
    async def answer(request: Request) -> Response:
        """The answer recorded for the request's Accept, else the path's first one. A
        Response is sent as it is, so one instance serves every request."""
        if request.method == "POST":
            body = await request.body()
            if request.headers.get("content-type", "").startswith("application/json"):
                json.loads(body or b"{}")
        answers = table.get((request.method, request.scope["path"]))
        if answers is None:
            return Response(status_code=404)
        return answers.get(request.headers.get("accept", "")) or next(iter(answers.values()))

    async def health(request: Request) -> JSONResponse:
        return JSONResponse({"status": "ok"})

    return Starlette(
        routes=[
            Route("/_mock/health", health, methods=["GET"]),
            Route("/{path:path}", answer, methods=["GET", "POST"]),
        ]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--table", type=Path, default=None, help="recorded answers (JSON)")
    args = parser.parse_args()
    uvicorn.run(
        make_app(read_table(args.table)),
        host="127.0.0.1",
        port=args.port,
        access_log=False,
        lifespan="on",
    )


if __name__ == "__main__":
    main()
